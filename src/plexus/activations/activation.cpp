// The activation functions and their registry. Derivatives are written from the
// output a where that is exact (tanh, sigmoid, relu, elu, softmax) and from z
// otherwise (gelu, swish, softplus, selu).
#include "plexus/activations/activation.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <utility>

#include "plexus/core/error.hpp"
#include "plexus/core/parallel_elementwise.hpp"
#include "plexus/core/registry.hpp"

namespace plexus {
namespace {

Scalar sigmoid(Scalar z) {
    return z >= 0 ? Scalar(1) / (Scalar(1) + std::exp(-z)) : std::exp(z) / (Scalar(1) + std::exp(z));
}

// Elementwise maps over whole blocks. When every operand's rows are contiguous (the
// training loop's workspaces always are) the block is one flat array, so Eigen
// vectorises across row ends: a batch of 8 rows of 4 units is two AVX-512 packets
// instead of eight 4-wide rows handled one scalar at a time.
using FlatArray = Eigen::Map<Eigen::Array<Scalar, Eigen::Dynamic, 1>>;
using ConstFlatArray = Eigen::Map<const Eigen::Array<Scalar, Eigen::Dynamic, 1>>;

template <typename M>
bool contiguous(const M& m) {
    return m.rows() <= 1 || m.outerStride() == m.cols();
}

// Blocks of at least this many values may be split among the threads (core/parallel_elementwise.hpp).
constexpr Index kParallelValues = Index{1} << 16;

// The large blocks' path of map1 and map2, out of line and on plain pointers, so that the
// small blocks' path stays as short as it was.
template <typename F>
[[gnu::noinline]] void map1_pieces(const Scalar* in, Scalar* out, Index n, F f) {
    parallel_elementwise(out, static_cast<std::size_t>(n), [&](std::size_t b, std::size_t e) {
        const auto len = static_cast<Index>(e - b);
        FlatArray(out + b, len) = f(ConstFlatArray(in + b, len));
    });
}
template <typename F>
[[gnu::noinline]] void map2_pieces(const Scalar* a, const Scalar* b, Scalar* out, Index n, F f) {
    parallel_elementwise(out, static_cast<std::size_t>(n), [&](std::size_t s, std::size_t e) {
        const auto len = static_cast<Index>(e - s);
        FlatArray(out + s, len) = f(ConstFlatArray(a + s, len), ConstFlatArray(b + s, len));
    });
}

// out = f(in) for array expressions.
template <typename F>
void map1(ConstMatrixRef in, MatrixRef out, F f) {
    if (!contiguous(in) || !contiguous(out)) out.array() = f(in.array());
    else if (out.size() >= kParallelValues) map1_pieces(in.data(), out.data(), out.size(), f);
    else FlatArray(out.data(), out.size()) = f(ConstFlatArray(in.data(), in.size()));
}
// out = f(a, b); out may alias a or b exactly.
template <typename F>
void map2(ConstMatrixRef a, ConstMatrixRef b, MatrixRef out, F f) {
    if (!contiguous(a) || !contiguous(b) || !contiguous(out)) out.array() = f(a.array(), b.array());
    else if (out.size() >= kParallelValues) map2_pieces(a.data(), b.data(), out.data(), out.size(), f);
    else FlatArray(out.data(), out.size()) = f(ConstFlatArray(a.data(), a.size()), ConstFlatArray(b.data(), b.size()));
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
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        map1(z, a, [](const auto& v) { return v.tanh(); });
    }
    void backward(ConstMatrixRef, ConstMatrixRef a, ConstMatrixRef da, MatrixRef dz) const override {
        map2(a, da, dz, [](const auto& av, const auto& dav) { return dav * (Scalar(1) - av.square()); });
    }
};

class Sigmoid final : public ActivationFunction {
public:
    std::string name() const override { return "sigmoid"; }
    bool saturates() const override { return true; }
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        map1(z, a, [](const auto& v) { return v.unaryExpr(&sigmoid); });
    }
    void backward(ConstMatrixRef, ConstMatrixRef a, ConstMatrixRef da, MatrixRef dz) const override {
        map2(a, da, dz, [](const auto& av, const auto& dav) { return dav * av * (Scalar(1) - av); });
    }
};

class Relu final : public ActivationFunction {
public:
    std::string name() const override { return "relu"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        map1(z, a, [](const auto& v) { return v.max(Scalar(0)); });
    }
    void backward(ConstMatrixRef, ConstMatrixRef a, ConstMatrixRef da, MatrixRef dz) const override {
        map2(a, da, dz, [](const auto& av, const auto& dav) { return (av > Scalar(0)).select(dav, Scalar(0)); });
    }
};

class LeakyRelu final : public ActivationFunction {
public:
    explicit LeakyRelu(Scalar negative_slope = Scalar(kDefaultLeakyReluSlope)) : slope_(negative_slope) {}
    std::string name() const override { return "leaky_relu"; }
    void forward(ConstMatrixRef z, MatrixRef a) const override {
        a = (z.array() > Scalar(0)).select(z, z * slope_);
    }
    void backward(ConstMatrixRef z, ConstMatrixRef, ConstMatrixRef da, MatrixRef dz) const override {
        dz = (z.array() > Scalar(0)).select(da, da * slope_);
    }

private:
    Scalar slope_;
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
        // a = z - max of its row, then exp over the whole block at once, then each row / its sum.
        const Index n = z.rows(), k = z.cols();
        for (Index i = 0; i < n; ++i) {
            const Scalar* zi = z.data() + i * z.outerStride();
            Scalar* ai = a.data() + i * a.outerStride();
            Scalar m = zi[0];
            for (Index j = 1; j < k; ++j) m = std::max(m, zi[j]);
            for (Index j = 0; j < k; ++j) ai[j] = zi[j] - m;
        }
        if (contiguous(a)) {
            FlatArray all(a.data(), a.size());
            all = all.exp();
        } else {
            a.array() = a.array().exp();
        }
        for (Index i = 0; i < n; ++i) {
            Scalar* ai = a.data() + i * a.outerStride();
            Scalar sum = 0;
            for (Index j = 0; j < k; ++j) sum += ai[j];
            for (Index j = 0; j < k; ++j) ai[j] /= sum;
        }
    }
    void backward(ConstMatrixRef, ConstMatrixRef a, ConstMatrixRef da, MatrixRef dz) const override {
        const Index k = a.cols();
        for (Index i = 0; i < a.rows(); ++i) {
            const Scalar* ai = a.data() + i * a.outerStride();
            const Scalar* dai = da.data() + i * da.outerStride();
            Scalar* dzi = dz.data() + i * dz.outerStride();
            Scalar dot = 0;
            for (Index j = 0; j < k; ++j) dot += ai[j] * dai[j];
            for (Index j = 0; j < k; ++j) dzi[j] = ai[j] * (dai[j] - dot);
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

std::shared_ptr<const ActivationFunction> make_leaky_relu(double negative_slope) {
    if (!(negative_slope >= 0.0 && negative_slope < 1.0))
        throw ConfigError("leaky_relu: negative_slope must be in [0, 1); received " + std::to_string(negative_slope));
    if (negative_slope == kDefaultLeakyReluSlope) return make_activation("leaky_relu");
    return std::make_shared<const LeakyRelu>(static_cast<Scalar>(negative_slope));
}

std::vector<std::string> activation_names() {
    std::vector<std::string> names;
    for (const auto& entry : table()) names.push_back(entry.first);
    return names;
}

}  // namespace plexus
