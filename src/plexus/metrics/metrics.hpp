// Metrics: accumulated over batches, read out per epoch.
//
// Names (Keras): accuracy (acc) — chosen from the label shape as Keras does:
// binary (one output unit, threshold 0.5), sparse (class-index targets) or
// categorical (one-hot targets); precision, recall, f1 (macro averages over
// classes; for one output unit, of the positive class as Keras); mse, mae, r2.
// With several outputs, mse and mae average over all elements and r2 is
// 1 - Σ SSE / Σ_j SST_j with each column's own mean (scikit-learn's
// "variance_weighted"; the same as the CLI's evaluation report).
// Classification metrics accumulate a confusion matrix, regression metrics sums.
// Each family needs its kind of loss: accuracy/precision/recall/f1 a classification
// loss, mse/mae/r2 a regression loss; the other pairing is a ConfigError at compile.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "plexus/core/tensor.hpp"

namespace plexus {

using Logs = std::map<std::string, double>;

// The class predicted for each row: argmax, or p >= 0.5 for one column.
std::vector<int> predicted_classes(ConstMatrixRef y_pred);
// The true class of each row: the index for (n,1) labels with k>1 outputs, the
// argmax of one-hot targets, or y >= 0.5 for one binary column.
std::vector<int> true_classes(ConstMatrixRef y_true, Index output_units);
// The same for one target row of `cols` values (the first largest for one-hot rows).
int true_class(const Scalar* row, Index cols, Index output_units);

class MetricSet {
public:
    MetricSet() = default;
    // ConfigError naming the metric and listing valid ones if unknown, or if the metric
    // does not fit the loss (see above).
    MetricSet(std::vector<std::string> names, Index output_units, bool classification);

    void reset();
    // Adds a batch (weights: nullptr or n values; they weight accuracy and the regression sums).
    void update(ConstMatrixRef y_pred, ConstMatrixRef y_true, const Scalar* weights = nullptr);
    // The requested metrics by name (canonical names: "acc" -> "accuracy").
    Logs result() const;
    // The same, written into `out` (existing keys are overwritten in place: fit reuses one map
    // for every batch, so reading the metrics allocates nothing after the first batch).
    void result_into(Logs& out) const;

    const std::vector<std::string>& names() const { return names_; }
    // The value of names()[i], what result_into writes under that name (no string work:
    // fit writes each batch's metrics through pointers into its one map).
    double value(std::size_t i) const;
    const Eigen::MatrixXd& confusion() const { return confusion_; }

private:
    enum class Kind : unsigned char { accuracy, precision, recall, f1, mse, mae, r2 };
    std::vector<std::string> names_;
    std::vector<Kind> kinds_;  // the metric of names_[i]
    Index output_units_ = 0;
    bool classification_ = false;
    Eigen::MatrixXd confusion_;  // (classes, classes): rows true, cols predicted, weighted counts
    double weight_sum_ = 0, correct_ = 0;
    double sq_err_ = 0, abs_err_ = 0, count_ = 0, row_weight_ = 0;
    Eigen::VectorXd y_sum_, y_sq_sum_;  // per output column, for r2's per-column means
};

std::vector<std::string> metric_names();

// Confusion matrix (classes, classes) of true vs. predicted class (a std::vector<int> or
// any contiguous ints for each).
Eigen::MatrixXi confusion_matrix(std::span<const int> truth, std::span<const int> predicted, int classes);

// Per-class precision, recall, F1 and support from a confusion matrix.
struct ClassReport {
    std::vector<double> precision, recall, f1;
    std::vector<long> support;
};
ClassReport class_report(const Eigen::MatrixXi& confusion);

}  // namespace plexus
