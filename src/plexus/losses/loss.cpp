#include "plexus/losses/loss.hpp"

#include <algorithm>
#include <cmath>

#include "plexus/core/error.hpp"
#include "plexus/core/registry.hpp"

namespace plexus {
namespace {

constexpr double kEpsilon = 1e-7;  // Keras backend epsilon, for clipping probabilities

double weight(const Scalar* w, Index i) { return w ? static_cast<double>(w[i]) : 1.0; }
double clip(double p) { return std::clamp(p, kEpsilon, 1.0 - kEpsilon); }
double sigmoid(double z) { return z >= 0 ? 1.0 / (1.0 + std::exp(-z)) : std::exp(z) / (1.0 + std::exp(z)); }

void check_same_shape(const std::string& loss, Index units, ConstMatrixRef y_true) {
    if (y_true.cols() != units)
        throw ShapeError(loss + ": targets have " + std::to_string(y_true.cols()) + " columns but the model outputs " +
                         std::to_string(units) + "; give one target column per output unit");
}

// Softmax cross-entropy from the logits z (n, k): the mean over rows of
// w_i · sum_j t_ij (lse(z_i) - z_ij), where t_ij = target(i, j) is a target
// distribution (one-hot, or any non-negative row). If g has rows, writes
// dL/dz_ij = w_i (softmax(z_i)_j · sum_j t_ij - t_ij) / n into it. One exp per
// logit: the shifted exponentials wait in g while their sum is taken.
template <typename Target>
double softmax_crossentropy(ConstMatrixRef z, Target target, const Scalar* w, MatrixRef g) {
    const Index n = z.rows(), k = z.cols();
    const bool with_grad = g.rows() > 0;
    double total = 0;
    for (Index i = 0; i < n; ++i) {
        const double m = static_cast<double>(z.row(i).maxCoeff());
        double sum = 0, loss = 0, tsum = 0;
        for (Index j = 0; j < k; ++j) {
            const double shifted = static_cast<double>(z(i, j)) - m, e = std::exp(shifted);
            if (with_grad) g(i, j) = static_cast<Scalar>(e);
            sum += e;
            const double t = target(i, j);
            loss -= t * shifted;
            tsum += t;
        }
        const double log_sum = std::log(sum), wi = weight(w, i);
        total += wi * (loss + tsum * log_sum);  // sum_j t_j (m + log_sum - z_j)
        if (with_grad) {
            const double scale = wi / static_cast<double>(n), p_scale = tsum / sum;
            for (Index j = 0; j < k; ++j)
                g(i, j) = static_cast<Scalar>((static_cast<double>(g(i, j)) * p_scale - target(i, j)) * scale);
        }
    }
    return total / static_cast<double>(n);
}

// The same from the softmax outputs p of z as well, without an exp: the log-sum-exp
// of a row is z_k - log p_k at its most probable class k (p_k >= 1/classes, so the
// log is well conditioned), and the gradient is p · sum_j t_ij - t_ij.
template <typename Target>
double softmax_crossentropy(ConstMatrixRef z, ConstMatrixRef p, Target target, const Scalar* w, MatrixRef g) {
    const Index n = z.rows(), k = z.cols();
    const bool with_grad = g.rows() > 0;
    double total = 0;
    for (Index i = 0; i < n; ++i) {
        Index top = 0;
        p.row(i).maxCoeff(&top);
        const double lse = static_cast<double>(z(i, top)) - std::log(static_cast<double>(p(i, top)));
        double loss = 0, tsum = 0;
        for (Index j = 0; j < k; ++j) {
            const double t = target(i, j);
            loss += t * (lse - static_cast<double>(z(i, j)));
            tsum += t;
        }
        const double wi = weight(w, i);
        total += wi * loss;
        if (with_grad) {
            const double scale = wi / static_cast<double>(n);
            for (Index j = 0; j < k; ++j)
                g(i, j) = static_cast<Scalar>((static_cast<double>(p(i, j)) * tsum - target(i, j)) * scale);
        }
    }
    return total / static_cast<double>(n);
}

// The cross-entropies: on probabilities, or from logits (`from_logits`, and the
// fused form with their output activation).
class Crossentropy : public Loss {
public:
    bool is_classification() const override { return true; }
    bool fuses_with(const std::string& activation) const override {
        return !options_.from_logits && activation == output_activation();
    }
    double fused(ConstMatrixRef z, ConstMatrixRef a, ConstMatrixRef y, const Scalar* w, MatrixRef dz) const override {
        return activated_loss(z, a, y, w, dz);
    }
    double value(ConstMatrixRef p, ConstMatrixRef y, const Scalar* w) const override {
        if (!options_.from_logits) return probability_loss(p, y, w, nullptr);
        Matrix none;
        return logits_loss(p, y, w, none);
    }
    double gradient(ConstMatrixRef p, ConstMatrixRef y, const Scalar* w, MatrixRef g) const override {
        return options_.from_logits ? logits_loss(p, y, w, g) : probability_loss(p, y, w, &g);
    }

protected:
    using Loss::Loss;
    virtual const char* output_activation() const = 0;
    // From logits; writes dL/dz if g has rows.
    virtual double logits_loss(ConstMatrixRef z, ConstMatrixRef y, const Scalar* w, MatrixRef g) const = 0;
    // From logits and the output activation's values at them (the fused form).
    virtual double activated_loss(ConstMatrixRef z, ConstMatrixRef a, ConstMatrixRef y, const Scalar* w,
                                  MatrixRef g) const = 0;
    // From probabilities (clipped as Keras); writes dL/dp if g is set (zero where clipped).
    virtual double probability_loss(ConstMatrixRef p, ConstMatrixRef y, const Scalar* w, MatrixRef* g) const = 0;
};

// -log(clip(p)) and its derivative (0 where p was clipped).
double neg_log(double p) { return -std::log(clip(p)); }
double neg_log_derivative(double p) { return p < kEpsilon || p > 1.0 - kEpsilon ? 0.0 : -1.0 / p; }

class CategoricalCrossentropy final : public Crossentropy {
public:
    explicit CategoricalCrossentropy(LossOptions o) : Crossentropy(std::move(o)) {}
    std::string name() const override { return "categorical_crossentropy"; }
    void check_targets(Index units, ConstMatrixRef y) const override {
        if (y.cols() == 1 && units > 1)
            throw ShapeError("categorical_crossentropy needs one-hot targets with " + std::to_string(units) +
                             " columns but received class indices (1 column); use "
                             "sparse_categorical_crossentropy, or one-hot encode the labels (to_categorical)");
        check_same_shape(name(), units, y);
    }

protected:
    const char* output_activation() const override { return "softmax"; }
    double logits_loss(ConstMatrixRef z, ConstMatrixRef y, const Scalar* w, MatrixRef g) const override {
        return softmax_crossentropy(z, [&](Index i, Index j) { return static_cast<double>(y(i, j)); }, w, g);
    }
    double activated_loss(ConstMatrixRef z, ConstMatrixRef a, ConstMatrixRef y, const Scalar* w,
                          MatrixRef g) const override {
        return softmax_crossentropy(z, a, [&](Index i, Index j) { return static_cast<double>(y(i, j)); }, w, g);
    }
    double probability_loss(ConstMatrixRef p, ConstMatrixRef y, const Scalar* w, MatrixRef* g) const override {
        const double n = static_cast<double>(p.rows());
        double total = 0;
        for (Index i = 0; i < p.rows(); ++i)
            for (Index j = 0; j < p.cols(); ++j) {
                const double pij = static_cast<double>(p(i, j)), yij = static_cast<double>(y(i, j));
                total += weight(w, i) * yij * neg_log(pij);
                if (g) (*g)(i, j) = static_cast<Scalar>(weight(w, i) * yij * neg_log_derivative(pij) / n);
            }
        return total / n;
    }
};

class SparseCategoricalCrossentropy final : public Crossentropy {
public:
    explicit SparseCategoricalCrossentropy(LossOptions o) : Crossentropy(std::move(o)) {}
    std::string name() const override { return "sparse_categorical_crossentropy"; }
    void check_targets(Index units, ConstMatrixRef y) const override {
        if (y.cols() != 1)
            throw ShapeError("sparse_categorical_crossentropy needs class indices (1 column) but received " +
                             std::to_string(y.cols()) + " columns; use categorical_crossentropy for one-hot targets");
        for (Index i = 0; i < y.rows(); ++i) {
            const double v = static_cast<double>(y(i, 0));
            if (v < 0 || v >= static_cast<double>(units) || v != std::floor(v))
                throw DataError("sparse_categorical_crossentropy: label " + std::to_string(v) + " in row " +
                                std::to_string(i) + " is not a class index in [0, " + std::to_string(units) +
                                "); the model has " + std::to_string(units) + " output units: add units or fix the labels");
        }
    }

protected:
    const char* output_activation() const override { return "softmax"; }
    static Index label(ConstMatrixRef y, Index i) { return static_cast<Index>(y(i, 0)); }
    double logits_loss(ConstMatrixRef z, ConstMatrixRef y, const Scalar* w, MatrixRef g) const override {
        return softmax_crossentropy(z, [&](Index i, Index j) { return label(y, i) == j ? 1.0 : 0.0; }, w, g);
    }
    double activated_loss(ConstMatrixRef z, ConstMatrixRef a, ConstMatrixRef y, const Scalar* w,
                          MatrixRef g) const override {
        return softmax_crossentropy(z, a, [&](Index i, Index j) { return label(y, i) == j ? 1.0 : 0.0; }, w, g);
    }
    double probability_loss(ConstMatrixRef p, ConstMatrixRef y, const Scalar* w, MatrixRef* g) const override {
        const double n = static_cast<double>(p.rows());
        double total = 0;
        if (g) g->setZero();
        for (Index i = 0; i < p.rows(); ++i) {
            const Index c = label(y, i);
            const double pic = static_cast<double>(p(i, c));
            total += weight(w, i) * neg_log(pic);
            if (g) (*g)(i, c) = static_cast<Scalar>(weight(w, i) * neg_log_derivative(pic) / n);
        }
        return total / n;
    }
};

class BinaryCrossentropy final : public Crossentropy {
public:
    explicit BinaryCrossentropy(LossOptions o) : Crossentropy(std::move(o)) {}
    std::string name() const override { return "binary_crossentropy"; }
    void check_targets(Index units, ConstMatrixRef y) const override {
        check_same_shape(name(), units, y);
        for (Index i = 0; i < y.rows(); ++i)
            for (Index j = 0; j < y.cols(); ++j)
                if (y(i, j) < 0 || y(i, j) > 1)
                    throw DataError("binary_crossentropy: target " + std::to_string(static_cast<double>(y(i, j))) +
                                    " in row " + std::to_string(i) +
                                    " is outside [0, 1]; with more than two classes use sparse_categorical_crossentropy and a softmax output");
    }

protected:
    const char* output_activation() const override { return "sigmoid"; }
    // Per-sample losses average over units.
    double logits_loss(ConstMatrixRef z, ConstMatrixRef y, const Scalar* w, MatrixRef g) const override {
        const double scale = 1.0 / static_cast<double>(z.rows() * z.cols());
        double total = 0;
        for (Index i = 0; i < z.rows(); ++i)
            for (Index j = 0; j < z.cols(); ++j) {
                const double zij = static_cast<double>(z(i, j)), yij = static_cast<double>(y(i, j));
                total += weight(w, i) * (std::max(zij, 0.0) - zij * yij + std::log1p(std::exp(-std::abs(zij))));
                if (g.rows() > 0) g(i, j) = static_cast<Scalar>(weight(w, i) * scale * (sigmoid(zij) - yij));
            }
        return total * scale;
    }
    // The sigmoid's values are not needed: log1p(exp(-|z|)) keeps the value exact for large |z|.
    double activated_loss(ConstMatrixRef z, ConstMatrixRef, ConstMatrixRef y, const Scalar* w,
                          MatrixRef g) const override {
        return logits_loss(z, y, w, g);
    }
    double probability_loss(ConstMatrixRef p, ConstMatrixRef y, const Scalar* w, MatrixRef* g) const override {
        const double scale = 1.0 / static_cast<double>(p.rows() * p.cols());
        double total = 0;
        for (Index i = 0; i < p.rows(); ++i)
            for (Index j = 0; j < p.cols(); ++j) {
                const double pij = static_cast<double>(p(i, j)), yij = static_cast<double>(y(i, j));
                total += weight(w, i) * (yij * neg_log(pij) + (1 - yij) * neg_log(1 - pij));
                if (g) {
                    const bool clipped = pij < kEpsilon || pij > 1.0 - kEpsilon;
                    (*g)(i, j) = clipped ? Scalar(0)
                                         : static_cast<Scalar>(weight(w, i) * scale * (pij - yij) / (pij * (1 - pij)));
                }
            }
        return total * scale;
    }
};

// mse, mae, huber: elementwise on the error e = y_pred - y_true, averaged over units.
class ElementwiseLoss : public Loss {
public:
    explicit ElementwiseLoss(LossOptions o) : Loss(std::move(o)) {}
    void check_targets(Index units, ConstMatrixRef y) const override { check_same_shape(name(), units, y); }
    double value(ConstMatrixRef p, ConstMatrixRef y, const Scalar* w) const override {
        return compute(p, y, w, nullptr);
    }
    double gradient(ConstMatrixRef p, ConstMatrixRef y, const Scalar* w, MatrixRef g) const override {
        return compute(p, y, w, &g);
    }

protected:
    virtual double point(double e) const = 0;
    virtual double derivative(double e) const = 0;

private:
    double compute(ConstMatrixRef p, ConstMatrixRef y, const Scalar* w, MatrixRef* g) const {
        const double scale = 1.0 / static_cast<double>(p.rows() * p.cols());
        double total = 0;
        for (Index i = 0; i < p.rows(); ++i)
            for (Index j = 0; j < p.cols(); ++j) {
                const double e = static_cast<double>(p(i, j)) - static_cast<double>(y(i, j));
                total += weight(w, i) * point(e);
                if (g) (*g)(i, j) = static_cast<Scalar>(weight(w, i) * scale * derivative(e));
            }
        return total * scale;
    }
};

class MeanSquaredError final : public ElementwiseLoss {
public:
    using ElementwiseLoss::ElementwiseLoss;
    std::string name() const override { return "mse"; }

protected:
    double point(double e) const override { return e * e; }
    double derivative(double e) const override { return 2 * e; }
};

class MeanAbsoluteError final : public ElementwiseLoss {
public:
    using ElementwiseLoss::ElementwiseLoss;
    std::string name() const override { return "mae"; }

protected:
    double point(double e) const override { return std::abs(e); }
    double derivative(double e) const override { return e > 0 ? 1.0 : (e < 0 ? -1.0 : 0.0); }
};

class Huber final : public ElementwiseLoss {
public:
    using ElementwiseLoss::ElementwiseLoss;
    std::string name() const override { return "huber"; }

protected:
    double point(double e) const override {
        const double a = std::abs(e), d = options_.delta;
        return a <= d ? 0.5 * e * e : d * (a - 0.5 * d);
    }
    double derivative(double e) const override {
        const double d = options_.delta;
        return std::abs(e) <= d ? e : (e > 0 ? d : -d);
    }
};

}  // namespace

void Loss::check_targets(Index units, ConstMatrixRef y) const { check_same_shape(name(), units, y); }

std::vector<std::string> loss_names() {
    return {"categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy", "mse", "mae", "huber"};
}

std::unique_ptr<Loss> make_loss(const LossOptions& options) {
    const std::string& n = options.name;
    if (n == "categorical_crossentropy") return std::make_unique<CategoricalCrossentropy>(options);
    if (n == "sparse_categorical_crossentropy") return std::make_unique<SparseCategoricalCrossentropy>(options);
    if (n == "binary_crossentropy") return std::make_unique<BinaryCrossentropy>(options);
    if (options.from_logits)
        throw ConfigError("from_logits applies to the cross-entropy losses only; received loss '" + n + "'");
    if (n == "mse" || n == "mean_squared_error") return std::make_unique<MeanSquaredError>(LossOptions{.name = "mse"});
    if (n == "mae" || n == "mean_absolute_error") return std::make_unique<MeanAbsoluteError>(LossOptions{.name = "mae"});
    if (n == "huber") {
        if (!(options.delta > 0)) throw ConfigError("huber: delta must be > 0; received " + std::to_string(options.delta));
        return std::make_unique<Huber>(options);
    }
    throw_unknown_name("loss", n, loss_names());
}

namespace {

template <class LabelAt>
Matrix one_hot(Index rows, Index num_classes, LabelAt label) {
    if (num_classes < 1)
        throw ConfigError("to_categorical: num_classes = " + std::to_string(num_classes) +
                          "; expected at least 1; fix: pass the number of classes");
    Matrix out = Matrix::Zero(rows, num_classes);
    for (Index i = 0; i < rows; ++i) {
        const auto c = static_cast<Index>(label(i));
        if (c < 0 || c >= num_classes)
            throw DataError("to_categorical: label " + std::to_string(c) + " in row " + std::to_string(i) +
                            " is outside [0, " + std::to_string(num_classes) +
                            "); fix: map the labels to 0..num_classes-1, or pass a larger num_classes");
        out(i, c) = 1;
    }
    return out;
}

}  // namespace

Matrix to_categorical(ConstMatrixRef labels, Index num_classes) {
    if (labels.cols() != 1)
        throw ShapeError("to_categorical: labels must be one column of class indices, shape (n, 1); received " +
                         shape_string(labels.rows(), labels.cols()) + "; fix: pass y.col(0), or a std::vector<int> of labels");
    return one_hot(labels.rows(), num_classes, [&](Index i) { return labels(i, 0); });
}

Matrix to_categorical(std::span<const int> labels, Index num_classes) {
    return one_hot(static_cast<Index>(labels.size()), num_classes,
                   [&](Index i) { return labels[static_cast<std::size_t>(i)]; });
}

}  // namespace plexus
