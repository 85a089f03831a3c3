// Activation functions: elementwise nonlinearities and the row-wise softmax.
//
// An ActivationFunction maps pre-activations z (n, units) to outputs a = f(z)
// and back-propagates: given z, a and dL/da it writes dL/dz. Instances are
// stateless and shared. Names follow Keras: linear, tanh, sigmoid, relu,
// leaky_relu (negative slope 0.2), elu (alpha 1), selu, gelu (exact, erf form),
// softplus, swish (= silu), softmax (over each row).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "plexus/core/tensor.hpp"

namespace plexus {

class ActivationFunction {
public:
    virtual ~ActivationFunction() = default;
    virtual std::string name() const = 0;
    // a = f(z). z and a have the same shape; a may not alias z.
    virtual void forward(ConstMatrixRef z, MatrixRef a) const = 0;
    // dz = (df/dz)^T da, given z, a = f(z) and da. dz may alias da.
    virtual void backward(ConstMatrixRef z, ConstMatrixRef a, ConstMatrixRef da, MatrixRef dz) const = 0;
    // True for saturating functions (tanh, sigmoid): the doctor watches them.
    virtual bool saturates() const { return false; }
};

// The activation called `name`; ConfigError listing the valid names if unknown.
std::shared_ptr<const ActivationFunction> make_activation(const std::string& name);
// leaky_relu's slope for z < 0 when none is given (keras.activations.leaky_relu's default).
inline constexpr double kDefaultLeakyReluSlope = 0.2;
// leaky_relu with another slope (Keras's LeakyReLU layer: 0.3 by default); ConfigError unless in [0, 1).
std::shared_ptr<const ActivationFunction> make_leaky_relu(double negative_slope);
// All registered names, in a stable order.
std::vector<std::string> activation_names();

}  // namespace plexus
