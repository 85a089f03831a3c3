// Loss functions (Keras names and reductions).
//
// categorical_crossentropy (one-hot y), sparse_categorical_crossentropy (class
// index y), binary_crossentropy (y in {0,1} per unit), each on probabilities or
// `from_logits`; mse, mae, huber (delta). The value is the mean over the batch of
// per-sample losses times optional sample weights (Keras "sum_over_batch_size":
// divided by the number of rows, not by the sum of weights). Per-sample losses
// average over units for binary_crossentropy, mse, mae and huber, and sum over
// classes for the cross-entropies, as Keras.
//
// Probabilities are clipped to [1e-7, 1 - 1e-7] as Keras does. When the model's
// last activation is softmax (sigmoid) and the loss is a categorical (binary)
// cross-entropy, the training loop uses the fused form: value and gradient
// straight from the logits (log-sum-exp), which is exact and never takes log(0).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "plexus/core/tensor.hpp"

namespace plexus {

struct LossOptions {
    std::string name = "mse";
    bool from_logits = false;  // cross-entropies: y_pred are logits
    double delta = 1.0;        // huber
};

class Loss {
public:
    virtual ~Loss() = default;
    virtual std::string name() const = 0;
    const LossOptions& options() const { return options_; }

    // Checks y_true against the model's output width; throws ShapeError/DataError
    // saying which label encoding the loss needs.
    virtual void check_targets(Index output_units, ConstMatrixRef y_true) const;
    // Mean weighted loss. weights: nullptr or n values.
    virtual double value(ConstMatrixRef y_pred, ConstMatrixRef y_true, const Scalar* weights) const = 0;
    // Writes d value / d y_pred into grad (n, k) and returns the value.
    virtual double gradient(ConstMatrixRef y_pred, ConstMatrixRef y_true, const Scalar* weights,
                            MatrixRef grad) const = 0;

    // True if this loss has a fused form with the output activation `activation`.
    virtual bool fuses_with(const std::string& /*activation*/) const { return false; }
    // Fused: from the logits z of that activation and its outputs a = activation(z) (the
    // model's forward pass has them), writes dL/dz (if dz has rows) and returns the value.
    virtual double fused(ConstMatrixRef /*z*/, ConstMatrixRef /*a*/, ConstMatrixRef /*y_true*/,
                         const Scalar* /*weights*/, MatrixRef /*dz*/) const {
        return 0.0;
    }
    // True for losses whose targets are classes (the cross-entropies).
    virtual bool is_classification() const { return false; }

protected:
    explicit Loss(LossOptions options) : options_(std::move(options)) {}
    LossOptions options_;
};

// ConfigError listing valid names if unknown, or for a bad delta.
std::unique_ptr<Loss> make_loss(const LossOptions& options);
std::vector<std::string> loss_names();

// One-hot encoding of class indices into (n, num_classes) (Keras to_categorical):
// from an (n, 1) Matrix of indices, or from n ints (a std::vector<int>, an array,
// a std::span). DataError naming the row if a label is outside [0, num_classes).
//   Matrix y = to_categorical(std::vector<int>{0, 2, 1}, 3);  // (3, 3)
Matrix to_categorical(ConstMatrixRef labels, Index num_classes);
Matrix to_categorical(std::span<const int> labels, Index num_classes);

}  // namespace plexus
