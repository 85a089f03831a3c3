// Optimizers over one contiguous parameter buffer (Keras names and defaults).
//
// The base class is a template method: it applies gradient clipping
// (clipvalue, per-tensor clipnorm, global_clipnorm), the learning-rate schedule,
// and the step count; each optimizer only writes its slots and its update.
// Slots are indexed by parameter position, never by address, and serialise with
// the model (state()).
//
// Defaults follow Keras: sgd lr 0.01; adam/adamw lr 1e-3, beta_1 0.9, beta_2
// 0.999, epsilon 1e-7 (adamw weight_decay 0.004); rmsprop lr 1e-3, rho 0.9,
// epsilon 1e-7; adagrad lr 1e-3, initial_accumulator_value 0.1, epsilon 1e-7.
// Adam's update is Algorithm 1 of Kingma & Ba (as PyTorch):
// w -= lr * m_hat / (sqrt(v_hat) + epsilon).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/core/tensor.hpp"

namespace plexus {

// Learning-rate schedules, as functions of the optimizer step t (0-based):
//   constant:    lr
//   exponential: lr * decay_rate^(t / decay_steps)   (floor of the ratio if staircase)
//   step:        lr * factor^floor(t / step_size)
//   cosine:      lr * ((1 - alpha) * 0.5 * (1 + cos(pi * min(t, decay_steps) / decay_steps)) + alpha)
struct ScheduleOptions {
    std::string name = "constant";
    std::int64_t decay_steps = 1000;
    double decay_rate = 0.96;
    bool staircase = false;
    std::int64_t step_size = 1000;
    double factor = 0.5;
    double alpha = 0.0;
};
double schedule_learning_rate(const ScheduleOptions& schedule, double initial, std::int64_t step);

struct OptimizerOptions {
    std::string name = "rmsprop";            // sgd, adam, adamw, rmsprop, adagrad
    std::optional<double> learning_rate;      // default: the optimizer's Keras default
    double momentum = 0.0;                    // sgd, in [0, 1)
    bool nesterov = false;                    // sgd
    double beta_1 = 0.9;                      // adam, adamw
    double beta_2 = 0.999;                    // adam, adamw
    double epsilon = 1e-7;                    // adam, adamw, rmsprop, adagrad
    double rho = 0.9;                         // rmsprop
    double weight_decay = 0.004;              // adamw (decoupled, applied to all parameters as Keras/PyTorch)
    double initial_accumulator_value = 0.1;   // adagrad
    std::optional<double> clipnorm;           // clip each tensor's gradient to this L2 norm
    std::optional<double> clipvalue;          // clip each gradient element to [-v, v]
    std::optional<double> global_clipnorm;    // clip the whole gradient to this L2 norm
    ScheduleOptions schedule;
};

// One parameter tensor inside the flat buffer.
struct ParamSegment {
    std::size_t offset = 0;
    std::size_t size = 0;
};

class Optimizer {
public:
    virtual ~Optimizer() = default;
    virtual std::string name() const = 0;

    // Allocates slots for a buffer of `size` parameters made of `segments`.
    // `frozen` are non-trainable parts (BatchNormalization's moving statistics):
    // their gradients are zeroed before clipping and step() leaves their values as
    // the layers wrote them (no update, no weight decay).
    void build(std::vector<ParamSegment> segments, std::size_t size, std::vector<ParamSegment> frozen = {});
    // One update. `grads` may be modified (clipping).
    void step(std::span<Scalar> params, std::span<Scalar> grads);

    // The learning rate the next step will use (schedule applied).
    double learning_rate() const;
    // The base learning rate (before the schedule); ReduceLROnPlateau sets it.
    double base_learning_rate() const { return base_learning_rate_; }
    void set_base_learning_rate(double lr) { base_learning_rate_ = lr; }
    std::int64_t iterations() const { return iterations_; }

    const OptimizerOptions& options() const { return options_; }
    // The options with every default filled in, as JSON.
    nlohmann::json config() const;
    // Slots and counters, for model files and --resume.
    nlohmann::json state_header() const;
    std::vector<AlignedBuffer>& slots() { return slots_; }
    const std::vector<AlignedBuffer>& slots() const { return slots_; }
    void set_iterations(std::int64_t t) { iterations_ = t; }

protected:
    explicit Optimizer(OptimizerOptions options, double default_learning_rate, int slot_count);
    // Writes the update for step t (1-based) with learning rate lr.
    virtual void update(std::span<Scalar> params, std::span<const Scalar> grads, double lr, std::int64_t t) = 0;
    // The value the slots start from (Adagrad's initial accumulator; 0 for the others).
    virtual Scalar initial_slot_value() const { return Scalar(0); }
    // Adds this optimizer's own options (momentum, betas...) to config().
    virtual void add_config(nlohmann::json& /*config*/) const {}

    OptimizerOptions options_;
    std::vector<AlignedBuffer> slots_;

private:
    void clip(std::span<Scalar> grads) const;
    std::vector<ParamSegment> segments_;
    std::vector<ParamSegment> frozen_;
    AlignedBuffer frozen_values_;  // frozen values saved across update()
    double base_learning_rate_;
    std::int64_t iterations_ = 0;
    int slot_count_;
};

// ConfigError for unknown names (listing the valid ones) or out-of-range options.
std::unique_ptr<Optimizer> make_optimizer(const OptimizerOptions& options);
std::vector<std::string> optimizer_names();
OptimizerOptions optimizer_options_from_json(const nlohmann::json& config);

}  // namespace plexus
