// The update rules. Each optimizer writes only its slots and its step; the
// base class does clipping, schedules and counting.
#include <cmath>

#include "plexus/core/error.hpp"
#include "plexus/core/registry.hpp"
#include "plexus/optimizers/optimizer.hpp"

namespace plexus {
namespace {

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
    void update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t) override {
        const auto a = static_cast<Scalar>(lr);
        const std::size_t n = w.size();
        if (options_.momentum == 0) {
            for (std::size_t i = 0; i < n; ++i) w[i] -= a * g[i];
            return;
        }
        const auto m = static_cast<Scalar>(options_.momentum);
        Scalar* v = slots_[0].data();
        if (options_.nesterov)
            for (std::size_t i = 0; i < n; ++i) {
                v[i] = m * v[i] - a * g[i];
                w[i] += m * v[i] - a * g[i];
            }
        else
            for (std::size_t i = 0; i < n; ++i) {
                v[i] = m * v[i] - a * g[i];
                w[i] += v[i];
            }
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
        const std::size_t n = w.size();
        for (std::size_t i = 0; i < n; ++i) {
            if (decoupled_) w[i] -= decay * w[i];
            m[i] = sb1 * m[i] + (1 - sb1) * g[i];
            v[i] = sb2 * v[i] + (1 - sb2) * g[i] * g[i];
            w[i] -= step * m[i] / (std::sqrt(v[i]) * inv_sqrt_bias2 + eps);
        }
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
