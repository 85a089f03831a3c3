#include "plexus/optimizers/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "plexus/core/error.hpp"
#include "plexus/core/registry.hpp"

namespace plexus {

double schedule_learning_rate(const ScheduleOptions& s, double initial, std::int64_t step) {
    const auto t = static_cast<double>(step);
    if (s.name == "constant") return initial;
    if (s.name == "exponential") {
        double ratio = t / static_cast<double>(s.decay_steps);
        if (s.staircase) ratio = std::floor(ratio);
        return initial * std::pow(s.decay_rate, ratio);
    }
    if (s.name == "step") return initial * std::pow(s.factor, std::floor(t / static_cast<double>(s.step_size)));
    if (s.name == "cosine") {
        const double progress = std::min(t, static_cast<double>(s.decay_steps)) / static_cast<double>(s.decay_steps);
        return initial * ((1 - s.alpha) * 0.5 * (1 + std::cos(std::numbers::pi * progress)) + s.alpha);
    }
    throw_unknown_name("learning-rate schedule", s.name, {"constant", "exponential", "step", "cosine"});
}

Optimizer::Optimizer(OptimizerOptions options, double default_learning_rate, int slot_count)
    : options_(std::move(options)),
      base_learning_rate_(options_.learning_rate.value_or(default_learning_rate)),
      slot_count_(slot_count) {
    options_.learning_rate = base_learning_rate_;
    auto positive = [](const char* what, double v) {
        if (!(v > 0) || !std::isfinite(v))
            throw ConfigError(std::string("optimizer: ") + what + " must be a positive number; received " + std::to_string(v));
    };
    positive("learning_rate", base_learning_rate_);
    if (options_.clipnorm) positive("clipnorm", *options_.clipnorm);
    if (options_.clipvalue) positive("clipvalue", *options_.clipvalue);
    if (options_.global_clipnorm) positive("global_clipnorm", *options_.global_clipnorm);
    const auto& s = options_.schedule;
    if (s.name != "constant") {
        if (s.name == "exponential" || s.name == "cosine") positive("schedule decay_steps", static_cast<double>(s.decay_steps));
        if (s.name == "step") positive("schedule step_size", static_cast<double>(s.step_size));
        (void)schedule_learning_rate(s, 1.0, 0);  // validates the name
    }
}

void Optimizer::build(std::vector<ParamSegment> segments, std::size_t size, std::vector<ParamSegment> frozen) {
    segments_ = std::move(segments);
    frozen_ = std::move(frozen);
    std::size_t frozen_size = 0;
    for (const auto& seg : frozen_) frozen_size += seg.size;
    frozen_values_.assign(frozen_size, Scalar(0));
    slots_.assign(static_cast<std::size_t>(slot_count_), AlignedBuffer(size, initial_slot_value()));
}

double Optimizer::learning_rate() const {
    return schedule_learning_rate(options_.schedule, base_learning_rate_, iterations_);
}

void Optimizer::clip(std::span<Scalar> grads) const {
    if (options_.clipvalue) {
        const auto v = static_cast<Scalar>(*options_.clipvalue);
        for (auto& g : grads) g = std::clamp(g, -v, v);
    }
    if (options_.clipnorm) {
        for (const auto& seg : segments_) {
            Eigen::Map<ColVector> g(grads.data() + seg.offset, static_cast<Index>(seg.size));
            const double norm = static_cast<double>(g.norm());
            if (norm > *options_.clipnorm) g *= static_cast<Scalar>(*options_.clipnorm / norm);
        }
    }
    if (options_.global_clipnorm) {
        Eigen::Map<ColVector> g(grads.data(), static_cast<Index>(grads.size()));
        const double norm = static_cast<double>(g.norm());
        if (norm > *options_.global_clipnorm) g *= static_cast<Scalar>(*options_.global_clipnorm / norm);
    }
}

void Optimizer::step(std::span<Scalar> params, std::span<Scalar> grads) {
    if (slots_.size() != static_cast<std::size_t>(slot_count_) || (slot_count_ > 0 && slots_[0].size() != params.size()))
        build(segments_.empty() ? std::vector<ParamSegment>{{0, params.size()}} : segments_, params.size(), frozen_);
    std::size_t saved = 0;
    for (const auto& seg : frozen_) {
        std::fill_n(grads.begin() + static_cast<std::ptrdiff_t>(seg.offset), seg.size, Scalar(0));
        std::copy_n(params.begin() + static_cast<std::ptrdiff_t>(seg.offset), seg.size, frozen_values_.begin() + static_cast<std::ptrdiff_t>(saved));
        saved += seg.size;
    }
    clip(grads);
    const double lr = learning_rate();
    ++iterations_;
    update(params, grads, lr, iterations_);
    saved = 0;
    for (const auto& seg : frozen_) {
        std::copy_n(frozen_values_.begin() + static_cast<std::ptrdiff_t>(saved), seg.size, params.begin() + static_cast<std::ptrdiff_t>(seg.offset));
        saved += seg.size;
    }
}

nlohmann::json Optimizer::config() const {
    const auto& o = options_;
    nlohmann::json j = {{"name", name()}, {"learning_rate", base_learning_rate_}};
    add_config(j);
    if (o.clipnorm) j["clipnorm"] = *o.clipnorm;
    if (o.clipvalue) j["clipvalue"] = *o.clipvalue;
    if (o.global_clipnorm) j["global_clipnorm"] = *o.global_clipnorm;
    const auto& s = o.schedule;
    if (s.name != "constant") {
        j["schedule"] = {{"name", s.name}};
        if (s.name == "exponential") j["schedule"].update({{"decay_steps", s.decay_steps}, {"decay_rate", s.decay_rate}, {"staircase", s.staircase}});
        if (s.name == "step") j["schedule"].update({{"step_size", s.step_size}, {"factor", s.factor}});
        if (s.name == "cosine") j["schedule"].update({{"decay_steps", s.decay_steps}, {"alpha", s.alpha}});
    }
    return j;
}

nlohmann::json Optimizer::state_header() const {
    return {{"iterations", iterations_}, {"slots", slots_.size()}, {"base_learning_rate", base_learning_rate_}};
}

OptimizerOptions optimizer_options_from_json(const nlohmann::json& j) {
    OptimizerOptions o;
    if (j.is_string()) {
        o.name = j.get<std::string>();
        return o;
    }
    o.name = j.value("name", o.name);
    if (j.contains("learning_rate")) o.learning_rate = j["learning_rate"].get<double>();
    o.momentum = j.value("momentum", o.momentum);
    o.nesterov = j.value("nesterov", o.nesterov);
    o.beta_1 = j.value("beta_1", o.beta_1);
    o.beta_2 = j.value("beta_2", o.beta_2);
    o.epsilon = j.value("epsilon", o.epsilon);
    o.rho = j.value("rho", o.rho);
    o.weight_decay = j.value("weight_decay", o.weight_decay);
    o.initial_accumulator_value = j.value("initial_accumulator_value", o.initial_accumulator_value);
    if (j.contains("clipnorm")) o.clipnorm = j["clipnorm"].get<double>();
    if (j.contains("clipvalue")) o.clipvalue = j["clipvalue"].get<double>();
    if (j.contains("global_clipnorm")) o.global_clipnorm = j["global_clipnorm"].get<double>();
    if (j.contains("schedule")) {
        const auto& s = j["schedule"];
        o.schedule.name = s.value("name", o.schedule.name);
        o.schedule.decay_steps = s.value("decay_steps", o.schedule.decay_steps);
        o.schedule.decay_rate = s.value("decay_rate", o.schedule.decay_rate);
        o.schedule.staircase = s.value("staircase", o.schedule.staircase);
        o.schedule.step_size = s.value("step_size", o.schedule.step_size);
        o.schedule.factor = s.value("factor", o.schedule.factor);
        o.schedule.alpha = s.value("alpha", o.schedule.alpha);
    }
    return o;
}

}  // namespace plexus
