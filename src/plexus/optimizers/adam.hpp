// Adam (Kingma & Ba, Algorithm 1, as PyTorch: w -= lr * m_hat / (sqrt(v_hat) + epsilon))
// and AdamW (Loshchilov & Hutter: decoupled decay w -= lr * weight_decay * w before
// the Adam step). One class, because AdamW is Adam plus one line.
// Defaults: lr 1e-3, beta_1 0.9, beta_2 0.999, epsilon 1e-7 (adamw weight_decay 0.004).
// Two slots: the first moment m and the second moment v.
#pragma once

#include "plexus/optimizers/optimizer.hpp"

namespace plexus {

class Adam final : public Optimizer {
public:
    // decoupled = true is AdamW. ConfigError unless the betas are in [0, 1),
    // epsilon > 0 and (AdamW) weight_decay >= 0.
    Adam(const OptimizerOptions& options, bool decoupled);
    std::string name() const override { return decoupled_ ? "adamw" : "adam"; }

protected:
    void add_config(nlohmann::json& config) const override;
    void update(std::span<Scalar> w, std::span<const Scalar> g, double lr, std::int64_t t) override;

private:
    bool decoupled_;
};

}  // namespace plexus
