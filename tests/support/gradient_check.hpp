// The shared finite-difference gradient check (double precision builds only).
//
// For a layer, the scalar checked is L = sum(layer(x) ⊙ G) + regularisation for a
// fixed random upstream G; for a loss, L = loss(y_pred, y_true). Analytic
// gradients (backward) are compared with central differences
// (f(v+h) - f(v-h)) / 2h, h = 1e-6, by the relative error
// ||analytic - numeric|| / (||analytic|| + ||numeric||), which must stay below 1e-6.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "plexus/core/rng.hpp"
#include "plexus/layers/layer.hpp"
#include "plexus/losses/loss.hpp"

namespace plexus::testing {

struct GradientReport {
    double input_error = 0.0;               // d L / d x
    std::vector<double> parameter_errors;   // one per parameter tensor
    double regularization_loss = 0.0;       // the layer's, at the checked parameters
    double max_error() const;
};

// Central-difference gradient of f with respect to every element of v.
Matrix numeric_gradient(const std::function<double()>& f, Matrix& v, double h = 1e-6);
double relative_error(const Matrix& analytic, const Matrix& numeric);

// Checks `layer` on a random (rows, input_dim) input; training mode (dropout
// masks are replayed identically for every evaluation). The parameters are owned
// by the check: afterwards the layer points at freed storage until it is bound again.
GradientReport check_layer(Layer& layer, Index input_dim, Index rows, std::uint64_t seed, bool training = false);

// Checks loss.gradient at y_pred against y_true.
double check_loss(const Loss& loss, const Matrix& y_pred, const Matrix& y_true, const std::vector<Scalar>& weights = {});
// Checks loss.fused (d/d logits) at z for the activation `activation`.
double check_fused_loss(const Loss& loss, const std::string& activation, const Matrix& z, const Matrix& y_true);

}  // namespace plexus::testing
