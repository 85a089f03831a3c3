// The activation functions and their registry. Derivatives are written from the
// output a where that is exact (tanh, sigmoid, relu, elu, softmax) and from z
// otherwise (gelu, swish, softplus, selu).
#include "plexus/activations/activation.hpp"

#include <cmath>
#include <functional>
#include <numbers>
#include <utility>

#include "plexus/core/registry.hpp"

namespace plexus {
namespace {

Scalar sigmoid(Scalar z) {
    return z >= 0 ? Scalar(1) / (Scalar(1) + std::exp(-z)) : std::exp(z) / (Scalar(1) + std::exp(z));
}

class Linear final : public ActivationFunction {
public:
    std::string name() const override { return "linear"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override { a = z; }
    void backward(ConstMatrixRef, ConstMatrixRef, ConstMatrixRef da, MatrixRef dz) const override {
        if (dz.data() != da.data()) dz = da;
    }
};

class Tanh final : public ActivationFunction {
public:
    std::string name() const override { return "tanh"; }
    bool saturates() const override { return true; }
    void forward(ConstMatrixRef z, MatrixRef a) const override { a = z.array().tanh(); }
    void backward(ConstMatrixRef, ConstMatrixRef a, ConstMatrixRef da, MatrixRef dz) const override {
        dz = (da.array() * (Scalar(1) - a.array().square())).matrix();
    }
};

class Sigmoid final : public ActivationFunction {
public:
    std::string name() const override { return "sigmoid"; }
    bool saturates() const override { return true; }
    void forward(ConstMatrixRef z, MatrixRef a) const override { a = z.unaryExpr(&sigmoid); }
    void backward(ConstMatrixRef, ConstMatrixRef a, ConstMatrixRef da, MatrixRef dz) const override {
        dz = (da.array() * a.array() * (Scalar(1) - a.array())).matrix();
    }
};

class Relu final : public ActivationFunction {
public:
    std::string name() const override { return "relu"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override { a = z.cwiseMax(Scalar(0)); }
    void backward(ConstMatrixRef, ConstMatrixRef a, ConstMatrixRef da, MatrixRef dz) const override {
        dz = (a.array() > Scalar(0)).select(da, Scalar(0));
    }
};

class LeakyRelu final : public ActivationFunction {
public:
    static constexpr Scalar kNegativeSlope = Scalar(0.2);  // keras.activations.leaky_relu default
    std::string name() const override { return "leaky_relu"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        a = (z.array() > Scalar(0)).select(z, z * kNegativeSlope);
    }
    void backward(ConstMatrixRef z, ConstMatrixRef, ConstMatrixRef da, MatrixRef dz) const override {
        dz = (z.array() > Scalar(0)).select(da, da * kNegativeSlope);
    }
};

class Elu final : public ActivationFunction {
public:
    static constexpr Scalar kAlpha = Scalar(1);
    std::string name() const override { return "elu"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        a = z.unaryExpr([](Scalar v) { return v > 0 ? v : kAlpha * std::expm1(v); });
    }
    void backward(ConstMatrixRef z, ConstMatrixRef a, ConstMatrixRef da, MatrixRef dz) const override {
        dz = (z.array() > Scalar(0)).select(da, (da.array() * (a.array() + kAlpha)).matrix());
    }
};

class Selu final : public ActivationFunction {
public:
    // Klambauer et al. 2017, "Self-Normalizing Neural Networks".
    static constexpr Scalar kAlpha = Scalar(1.6732632423543772848170429916717);
    static constexpr Scalar kScale = Scalar(1.0507009873554804934193349852946);
    std::string name() const override { return "selu"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        a = z.unaryExpr([](Scalar v) { return kScale * (v > 0 ? v : kAlpha * std::expm1(v)); });
    }
    void backward(ConstMatrixRef z, ConstMatrixRef, ConstMatrixRef da, MatrixRef dz) const override {
        dz = (da.array() * z.unaryExpr([](Scalar v) {
                                return v > 0 ? kScale : kScale * kAlpha * std::exp(v);
                            }).array())
                 .matrix();
    }
};

class Gelu final : public ActivationFunction {
public:
    std::string name() const override { return "gelu"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        a = z.unaryExpr([](Scalar v) {
            return Scalar(0.5) * v * (Scalar(1) + std::erf(v * Scalar(std::numbers::sqrt2 / 2)));
        });
    }
    void backward(ConstMatrixRef z, ConstMatrixRef, ConstMatrixRef da, MatrixRef dz) const override {
        // d/dz [z Phi(z)] = Phi(z) + z phi(z)
        const Scalar inv_sqrt_2pi = Scalar(0.5 * std::numbers::inv_sqrtpi * std::numbers::sqrt2);
        dz = (da.array() * z.unaryExpr([inv_sqrt_2pi](Scalar v) {
                                const Scalar cdf = Scalar(0.5) * (Scalar(1) + std::erf(v * Scalar(std::numbers::sqrt2 / 2)));
                                return cdf + v * inv_sqrt_2pi * std::exp(Scalar(-0.5) * v * v);
                            }).array())
                 .matrix();
    }
};

class Softplus final : public ActivationFunction {
public:
    std::string name() const override { return "softplus"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        a = z.unaryExpr([](Scalar v) { return std::max(v, Scalar(0)) + std::log1p(std::exp(-std::abs(v))); });
    }
    void backward(ConstMatrixRef z, ConstMatrixRef, ConstMatrixRef da, MatrixRef dz) const override {
        dz = (da.array() * z.unaryExpr(&sigmoid).array()).matrix();
    }
};

class Swish final : public ActivationFunction {
public:
    std::string name() const override { return "swish"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        a = z.unaryExpr([](Scalar v) { return v * sigmoid(v); });
    }
    void backward(ConstMatrixRef z, ConstMatrixRef, ConstMatrixRef da, MatrixRef dz) const override {
        dz = (da.array() * z.unaryExpr([](Scalar v) {
                                const Scalar s = sigmoid(v);
                                return s + v * s * (Scalar(1) - s);
                            }).array())
                 .matrix();
    }
};

class Softmax final : public ActivationFunction {
public:
    std::string name() const override { return "softmax"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        for (Index i = 0; i < z.rows(); ++i) {
            const Scalar m = z.row(i).maxCoeff();
            a.row(i) = (z.row(i).array() - m).exp().matrix();
            a.row(i) /= a.row(i).sum();
        }
    }
    void backward(ConstMatrixRef, ConstMatrixRef a, ConstMatrixRef da, MatrixRef dz) const override {
        for (Index i = 0; i < a.rows(); ++i) {
            const Scalar dot = a.row(i).dot(da.row(i));
            dz.row(i) = (a.row(i).array() * (da.row(i).array() - dot)).matrix();
        }
    }
};

using Factory = std::shared_ptr<const ActivationFunction> (*)();
template <typename T>
std::shared_ptr<const ActivationFunction> create() {
    static const auto instance = std::make_shared<const T>();
    return instance;
}

const std::vector<std::pair<std::string, Factory>>& table() {
    static const std::vector<std::pair<std::string, Factory>> entries = {
        {"linear", &create<Linear>},       {"tanh", &create<Tanh>},
        {"sigmoid", &create<Sigmoid>},     {"relu", &create<Relu>},
        {"leaky_relu", &create<LeakyRelu>}, {"elu", &create<Elu>},
        {"selu", &create<Selu>},           {"gelu", &create<Gelu>},
        {"softplus", &create<Softplus>},   {"swish", &create<Swish>},
        {"softmax", &create<Softmax>},
    };
    return entries;
}

}  // namespace

std::shared_ptr<const ActivationFunction> make_activation(const std::string& name) {
    const std::string key = name == "silu" ? "swish" : (name.empty() || name == "none") ? "linear" : name;
    for (const auto& [entry_name, factory] : table())
        if (entry_name == key) return factory();
    throw_unknown_name("activation", name, activation_names());
}

std::vector<std::string> activation_names() {
    std::vector<std::string> names;
    for (const auto& entry : table()) names.push_back(entry.first);
    return names;
}

}  // namespace plexus
