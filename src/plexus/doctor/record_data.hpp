// Internal to the doctor's record: the data facts of the pre-flight record
// (features, support, duplicates, per-class ranges), computed on views of
// fit's x and y (RowView): every row is used, nothing is copied whole.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "plexus/doctor/record.hpp"
#include "plexus/model/fit_plan.hpp"

namespace plexus::doctor::detail {

std::vector<FeatureFacts> feature_facts(const RowView& x_train, const RowView& x_val, const std::vector<std::string>& names);
// Support facts from a support fitted on at most kMaxSupportFitBytes of training rows.
void fill_support_facts(DataFacts& data, const RowView& train_rows, const RowView& x_val);
void fill_duplicates(DataFacts& data, const RowView& x_train, const RowView& y_train, const RowView& x_val, const RowView& y_val);
// The class of a row of a view's matrix.
using LabelOf = std::function<int(Index)>;
// Per-class ranges of every feature in both parts (see FeatureFacts). Row i of x_train
// has class train_label(x_train.at(i)) (no per-part copy of the labels).
void fill_class_ranges(std::vector<FeatureFacts>& features, const RowView& x_train, const LabelOf& train_label,
                       const RowView& x_val, const LabelOf& val_label, Index classes);
// Mean ~0 and std ~1 in every column: standardized (by --standardize or by hand).
bool looks_standardized(const RowView& m);

}  // namespace plexus::doctor::detail
