// The update rules. Each optimizer writes only its slots and its step; the
// base class does clipping, schedules and counting.
#include <algorithm>
#include <cmath>

#include "plexus/core/error.hpp"
#include "plexus/core/parallel.hpp"
#include "plexus/core/registry.hpp"
#include "plexus/optimizers/optimizer.hpp"

namespace plexus {
namespace {

// Runs body(begin, end) over [0, n) in fixed chunks of 64k parameters, spread over the
// thread pool when there is more than one chunk (M's 535k parameters: 9 chunks). The
// updates are elementwise, so the cut does not change any result.
template <typename F>
void for_chunks(std::size_t n, F&& body) {
    constexpr std::size_t kChunk = std::size_t{1} << 16;
    const auto chunks = static_cast<Index>((n + kChunk - 1) / kChunk);
    if (chunks <= 1) {
        body(std::size_t{0}, n);
        return;
    }
    parallel_for(chunks, [&](Index c) {
        const std::size_t begin = static_cast<std::size_t>(c) * kChunk;
        body(begin, std::min(n, begin + kChunk));
    });
}

// The update loops, as functions of non-aliasing pointers so that they vectorise
// (through lambda captures the compiler must assume every store may change the
// coefficients, and it keeps the loops scalar: 3.5 ns per Adam parameter).
void sgd_kernel(std::size_t n, Scalar* __restrict w, const Scalar* __restrict g, Scalar* __restrict v, Scalar a, Scalar m,
                bool nesterov) {
    if (!v) {
        for (std::size_t i = 0; i < n; ++i) w[i] -= a * g[i];
    } else if (nesterov) {
        for (std::size_t i = 0; i < n; ++i) {
            v[i] = m * v[i] - a * g[i];
            w[i] += m * v[i] - a * g[i];
        }
    } else {
        for (std::size_t i = 0; i < n; ++i) {
            v[i] = m * v[i] - a * g[i];
            w[i] += v[i];
        }
    }
}

void adam_kernel(std::size_t n, Scalar* __restrict w, const Scalar* __restrict g, Scalar* __restrict m, Scalar* __restrict v,
                 bool decoupled, Scalar decay, Scalar b1, Scalar b2, Scalar step, Scalar inv_sqrt_bias2, Scalar eps) {
    for (std::size_t i = 0; i < n; ++i) {
        if (decoupled) w[i] -= decay * w[i];
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        w[i] -= step * m[i] / (std::sqrt(v[i]) * inv_sqrt_bias2 + eps);
    }
}

// SGD with optional (Nesterov) momentum. Keras: v = m*v - lr*g; w += v (or
// w += m*v - lr*g for Nesterov), identical to PyTorch's form at a constant lr.
class Sgd final : public Optimizer {
public:
    explicit Sgd(const OptimizerOptions& o) : Optimizer(o, 0.01, o.momentum > 0 ? 1 : 0) {
        if (!(o.momentum >= 0 && o.momentum < 1))
            throw ConfigError("sgd: momentum must be in [0, 1); received " + std::to_string(o.momentum));
    }
    std::string name() const override { return "sgd"; }

protected:
    void add_config(nlohmann::json& j) const override {
        j["momentum"] = options_.momentum;
        j["nesterov"] = options_.nesterov;
    }
    void update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t) override {
        const auto a = static_cast<Scalar>(lr);
        const auto m = static_cast<Scalar>(options_.momentum);
        Scalar* v = options_.momentum == 0 ? nullptr : slots_[0].data();
        const bool nesterov = options_.nesterov;
        for_chunks(w.size(), [&](std::size_t begin, std::size_t end) {
            sgd_kernel(end - begin, w.data() + begin, g.data() + begin, v ? v + begin : nullptr, a, m, nesterov);
        });
    }
};

// Adam (Kingma & Ba, Algorithm 1) and AdamW (Loshchilov & Hutter: decoupled
// decay w -= lr * weight_decay * w before the Adam step).
class Adam final : public Optimizer {
public:
    Adam(const OptimizerOptions& o, bool decoupled) : Optimizer(o, 1e-3, 2), decoupled_(decoupled) {
        auto unit = [](const char* what, double v) {
            if (!(v >= 0 && v < 1)) throw ConfigError(std::string(what) + " must be in [0, 1); received " + std::to_string(v));
        };
        unit("adam: beta_1", o.beta_1);
        unit("adam: beta_2", o.beta_2);
        if (!(o.epsilon > 0)) throw ConfigError("adam: epsilon must be > 0");
        if (decoupled && o.weight_decay < 0) throw ConfigError("adamw: weight_decay must be >= 0");
    }
    std::string name() const override { return decoupled_ ? "adamw" : "adam"; }

protected:
    void add_config(nlohmann::json& j) const override {
        j["beta_1"] = options_.beta_1;
        j["beta_2"] = options_.beta_2;
        j["epsilon"] = options_.epsilon;
        if (decoupled_) j["weight_decay"] = options_.weight_decay;
    }
    void update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t t) override {
        const double b1 = options_.beta_1, b2 = options_.beta_2;
        const double bias1 = 1 - std::pow(b1, static_cast<double>(t));
        const double bias2 = 1 - std::pow(b2, static_cast<double>(t));
        const auto step = static_cast<Scalar>(lr / bias1);
        const auto inv_sqrt_bias2 = static_cast<Scalar>(1 / std::sqrt(bias2));
        const auto eps = static_cast<Scalar>(options_.epsilon);
        const auto sb1 = static_cast<Scalar>(b1), sb2 = static_cast<Scalar>(b2);
        const auto decay = static_cast<Scalar>(decoupled_ ? lr * options_.weight_decay : 0.0);
        Scalar* m = slots_[0].data();
        Scalar* v = slots_[1].data();
        const bool decoupled = decoupled_;
        for_chunks(w.size(), [&](std::size_t begin, std::size_t end) {
            adam_kernel(end - begin, w.data() + begin, g.data() + begin, m + begin, v + begin, decoupled, decay, sb1, sb2,
                        step, inv_sqrt_bias2, eps);
        });
    }

private:
    bool decoupled_;
};

// RMSprop (Keras, centered=False, momentum 0): v = rho*v + (1-rho)*g^2; w -= lr*g/(sqrt(v)+eps).
class RmsProp final : public Optimizer {
public:
    explicit RmsProp(const OptimizerOptions& o) : Optimizer(o, 1e-3, 1) {
        if (!(o.rho >= 0 && o.rho < 1)) throw ConfigError("rmsprop: rho must be in [0, 1); received " + std::to_string(o.rho));
    }
    std::string name() const override { return "rmsprop"; }

protected:
    void add_config(nlohmann::json& j) const override {
        j["rho"] = options_.rho;
        j["epsilon"] = options_.epsilon;
    }
    void update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t) override {
        const auto rho = static_cast<Scalar>(options_.rho), a = static_cast<Scalar>(lr),
                   eps = static_cast<Scalar>(options_.epsilon);
        Scalar* v = slots_[0].data();
        for (std::size_t i = 0; i < w.size(); ++i) {
            v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
            w[i] -= a * g[i] / (std::sqrt(v[i]) + eps);
        }
    }
};

// Adagrad (Keras): acc += g^2; w -= lr * g / sqrt(acc + eps).
class Adagrad final : public Optimizer {
public:
    explicit Adagrad(const OptimizerOptions& o) : Optimizer(o, 1e-3, 1) {
        if (o.initial_accumulator_value < 0) throw ConfigError("adagrad: initial_accumulator_value must be >= 0");
    }
    std::string name() const override { return "adagrad"; }

protected:
    Scalar initial_slot_value() const override { return static_cast<Scalar>(options_.initial_accumulator_value); }
    void add_config(nlohmann::json& j) const override {
        j["initial_accumulator_value"] = options_.initial_accumulator_value;
        j["epsilon"] = options_.epsilon;
    }
    void update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t) override {
        const auto a = static_cast<Scalar>(lr), eps = static_cast<Scalar>(options_.epsilon);
        Scalar* acc = slots_[0].data();
        for (std::size_t i = 0; i < w.size(); ++i) {
            acc[i] += g[i] * g[i];
            w[i] -= a * g[i] / std::sqrt(acc[i] + eps);
        }
    }
};

}  // namespace

std::vector<std::string> optimizer_names() { return {"sgd", "adam", "adamw", "rmsprop", "adagrad"}; }

std::unique_ptr<Optimizer> make_optimizer(const OptimizerOptions& options) {
    const auto& n = options.name;
    if (n == "sgd") return std::make_unique<Sgd>(options);
    if (n == "adam") return std::make_unique<Adam>(options, false);
    if (n == "adamw") return std::make_unique<Adam>(options, true);
    if (n == "rmsprop") return std::make_unique<RmsProp>(options);
    if (n == "adagrad") return std::make_unique<Adagrad>(options);
    throw_unknown_name("optimizer", n, optimizer_names());
}

}  // namespace plexus
