// The doctor's rules on raw tables (before encoding): missing cells and
// high-cardinality categorical columns (pre-flight), and categories a model never
// saw (predict). Pure functions of TableFacts, one per file under rules/, like
// the rules over a TrainingRecord (rules.hpp); docs/doctor.md lists them.
#pragma once

#include <string>
#include <vector>

#include "plexus/core/tensor.hpp"
#include "plexus/doctor/finding.hpp"

namespace plexus::doctor {

struct TableColumnFacts {
    std::string name;
    bool categorical = false;
    Index missing = 0;           // missing cells
    Index distinct = 0;          // distinct non-missing values (categorical)
    // Classification: class counts among the rows where this column is missing, and
    // where it is present. Regression: the target's mean and sd in each group.
    std::vector<Index> classes_when_missing, classes_when_present;
    double target_mean_missing = 0, target_mean_present = 0, target_sd = 0;
    Index unseen = 0;            // predict: categories not in the vocabulary
    std::vector<std::string> unseen_examples;
};

struct TableFacts {
    std::string source;
    Index rows = 0;
    bool classification = false;
    std::vector<std::string> class_names;
    std::string impute = "auto";      // the --impute in force
    bool missing_indicator = false;
    std::vector<TableColumnFacts> columns;
};

std::vector<Finding> data_missing_values(const TableFacts& facts);
std::vector<Finding> data_high_cardinality(const TableFacts& facts);
std::vector<Finding> predict_unseen_category(const TableFacts& facts);

}  // namespace plexus::doctor
