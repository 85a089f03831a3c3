#include "plexus/metrics/metrics.hpp"

#include <algorithm>

#include "plexus/core/error.hpp"
#include "plexus/core/registry.hpp"

namespace plexus {

std::vector<std::string> metric_names() { return {"accuracy", "precision", "recall", "f1", "mse", "mae", "r2"}; }

namespace {
// The class predicted for row i: argmax, or p >= 0.5 for one column.
int predicted_class(ConstMatrixRef y_pred, Index i) {
    if (y_pred.cols() == 1) return y_pred(i, 0) >= Scalar(0.5) ? 1 : 0;
    Index best = 0;
    y_pred.row(i).maxCoeff(&best);
    return static_cast<int>(best);
}
// The true class of row i of a row-major block (see true_classes).
int true_class(ConstMatrixRef y_true, Index output_units, Index i) { return plexus::true_class(y_true.data() + i * y_true.outerStride(), y_true.cols(), output_units); }
}  // namespace

int true_class(const Scalar* row, Index cols, Index output_units) {
    if (cols == 1 && output_units > 1) return static_cast<int>(row[0]);  // a class index
    if (cols == 1) return row[0] >= Scalar(0.5) ? 1 : 0;                  // one sigmoid unit
    return static_cast<int>(std::max_element(row, row + cols) - row);     // one-hot: the first largest
}

std::vector<int> predicted_classes(ConstMatrixRef y_pred) {
    std::vector<int> out(static_cast<std::size_t>(y_pred.rows()));
    for (Index i = 0; i < y_pred.rows(); ++i) out[static_cast<std::size_t>(i)] = predicted_class(y_pred, i);
    return out;
}

std::vector<int> true_classes(ConstMatrixRef y_true, Index output_units) {
    std::vector<int> out(static_cast<std::size_t>(y_true.rows()));
    for (Index i = 0; i < y_true.rows(); ++i) out[static_cast<std::size_t>(i)] = true_class(y_true, output_units, i);
    return out;
}

MetricSet::MetricSet(std::vector<std::string> names, Index output_units, bool classification)
    : output_units_(output_units), classification_(classification) {
    for (auto name : names) {
        if (name == "acc" || name == "binary_accuracy" || name == "categorical_accuracy" ||
            name == "sparse_categorical_accuracy")
            name = "accuracy";
        if (name == "f1_score") name = "f1";
        const auto valid = metric_names();
        if (std::find(valid.begin(), valid.end(), name) == valid.end()) throw_unknown_name("metric", name, valid);
        const bool needs_classes = name == "accuracy" || name == "precision" || name == "recall" || name == "f1";
        if (needs_classes && !classification)
            throw ConfigError("metric '" + name + "' needs a classification loss; with a regression loss use mse, mae or r2");
        if (!needs_classes && classification)
            throw ConfigError("metric '" + name + "' measures errors of real-valued outputs and is not defined for a "
                              "classification loss; use accuracy, precision, recall or f1 (or a regression loss: mse, mae, huber)");
        if (std::find(names_.begin(), names_.end(), name) == names_.end()) {
            names_.push_back(name);
            kinds_.push_back(name == "accuracy"    ? Kind::accuracy
                             : name == "precision" ? Kind::precision
                             : name == "recall"    ? Kind::recall
                             : name == "f1"        ? Kind::f1
                             : name == "mse"       ? Kind::mse
                             : name == "mae"       ? Kind::mae
                                                   : Kind::r2);
        }
    }
    reset();
}

void MetricSet::reset() {
    const Index classes = output_units_ == 1 ? 2 : output_units_;
    confusion_ = Eigen::MatrixXd::Zero(classification_ ? classes : 0, classification_ ? classes : 0);
    weight_sum_ = correct_ = sq_err_ = abs_err_ = count_ = row_weight_ = 0;
    y_sum_.setZero(classification_ ? 0 : output_units_);  // allocates only when the size changes
    y_sq_sum_.setZero(classification_ ? 0 : output_units_);
}

void MetricSet::update(ConstMatrixRef y_pred, ConstMatrixRef y_true, const Scalar* weights) {
    if (names_.empty()) return;
    if (classification_) {
        // Row by row, without temporaries: fit calls this on every training batch.
        for (Index i = 0; i < y_pred.rows(); ++i) {
            const int pred = predicted_class(y_pred, i), truth = true_class(y_true, output_units_, i);
            const double w = weights ? static_cast<double>(weights[i]) : 1.0;
            if (truth >= 0 && truth < confusion_.rows()) confusion_(truth, pred) += w;
            weight_sum_ += w;
            if (pred == truth) correct_ += w;
        }
        return;
    }
    for (Index i = 0; i < y_pred.rows(); ++i) {
        const double w = weights ? static_cast<double>(weights[i]) : 1.0;
        row_weight_ += w;
        for (Index j = 0; j < y_pred.cols() && j < y_sum_.size(); ++j) {
            const double e = static_cast<double>(y_pred(i, j)) - static_cast<double>(y_true(i, j));
            const double y = static_cast<double>(y_true(i, j));
            sq_err_ += w * e * e;
            abs_err_ += w * std::abs(e);
            y_sum_(j) += w * y;
            y_sq_sum_(j) += w * y * y;
            count_ += w;
        }
    }
}

Logs MetricSet::result() const {
    Logs out;
    result_into(out);
    return out;
}

double MetricSet::value(std::size_t i) const {
    // Macro precision/recall/F1 over classes; for one sigmoid unit, of class 1 (Keras Precision/Recall).
    auto per_class = [&](auto value_of) {
        if (output_units_ == 1) return value_of(1);
        double total = 0;
        for (Index c = 0; c < confusion_.rows(); ++c) total += value_of(c);
        return confusion_.rows() ? total / static_cast<double>(confusion_.rows()) : 0.0;
    };
    auto precision = [&](Index c) {
        const double predicted = confusion_.col(c).sum();
        return predicted > 0 ? confusion_(c, c) / predicted : 0.0;
    };
    auto recall = [&](Index c) {
        const double actual = confusion_.row(c).sum();
        return actual > 0 ? confusion_(c, c) / actual : 0.0;
    };
    auto f1 = [&](Index c) {
        const double p = precision(c), r = recall(c);
        return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    };
    switch (kinds_.at(i)) {
        case Kind::accuracy: return weight_sum_ > 0 ? correct_ / weight_sum_ : 0.0;
        case Kind::precision: return per_class(precision);
        case Kind::recall: return per_class(recall);
        case Kind::f1: return per_class(f1);
        case Kind::mse: return count_ > 0 ? sq_err_ / count_ : 0.0;
        case Kind::mae: return count_ > 0 ? abs_err_ / count_ : 0.0;
        case Kind::r2: {
            double ss_tot = 0;
            for (Index j = 0; j < y_sum_.size(); ++j)
                ss_tot += y_sq_sum_(j) - (row_weight_ > 0 ? y_sum_(j) * y_sum_(j) / row_weight_ : 0.0);
            return ss_tot > 0 ? 1.0 - sq_err_ / ss_tot : 0.0;
        }
    }
    return 0.0;
}

void MetricSet::result_into(Logs& out) const {
    for (std::size_t i = 0; i < names_.size(); ++i) out[names_[i]] = value(i);
}

Eigen::MatrixXi confusion_matrix(std::span<const int> truth, std::span<const int> predicted, int classes) {
    if (truth.size() != predicted.size()) throw ShapeError("confusion_matrix: truth and predictions differ in length");
    Eigen::MatrixXi m = Eigen::MatrixXi::Zero(classes, classes);
    for (std::size_t i = 0; i < truth.size(); ++i)
        if (truth[i] >= 0 && truth[i] < classes && predicted[i] >= 0 && predicted[i] < classes) ++m(truth[i], predicted[i]);
    return m;
}

ClassReport class_report(const Eigen::MatrixXi& confusion) {
    ClassReport r;
    for (Index c = 0; c < confusion.rows(); ++c) {
        const double tp = confusion(c, c);
        const double predicted = confusion.col(c).sum(), actual = confusion.row(c).sum();
        const double p = predicted > 0 ? tp / predicted : 0.0, rc = actual > 0 ? tp / actual : 0.0;
        r.precision.push_back(p);
        r.recall.push_back(rc);
        r.f1.push_back(p + rc > 0 ? 2 * p * rc / (p + rc) : 0.0);
        r.support.push_back(static_cast<long>(actual));
    }
    return r;
}

}  // namespace plexus
