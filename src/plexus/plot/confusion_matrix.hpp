// Confusion matrix as a heatmap: rows are the true class, columns the predicted
// class. Each cell shows the count and, when normalised, the fraction of its row;
// darker cells hold more.
#pragma once

#include <Eigen/Core>
#include <string>
#include <vector>

#include "plexus/plot/style.hpp"

namespace plexus::plot {

struct ConfusionSpec {
    Eigen::MatrixXi counts;                // (k, k): rows = true, cols = predicted
    std::vector<std::string> class_names;  // empty or k
    bool normalize = true;                 // colour and label by row fraction
};

// Writes the confusion matrix to `path` (.png, .svg or .pdf).
void confusion_matrix(const ConfusionSpec& spec, const Style& style, const std::string& path);

}  // namespace plexus::plot
