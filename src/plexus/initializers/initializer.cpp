#include "plexus/initializers/initializer.hpp"

#include <cmath>

#include "plexus/core/registry.hpp"

namespace plexus {
namespace {

constexpr double kTruncatedNormalCorrection = 0.87962566103423978;  // stddev of N(0,1) truncated to [-2, 2]

double truncated_normal(Rng& rng) {
    for (;;) {
        const double v = rng.normal();
        if (std::abs(v) <= 2.0) return v;
    }
}

void fill_uniform(MatrixRef w, double limit, Rng& rng) {
    for (Index i = 0; i < w.rows(); ++i)
        for (Index j = 0; j < w.cols(); ++j) w(i, j) = static_cast<Scalar>(rng.uniform(-limit, limit));
}

void fill_truncated_normal(MatrixRef w, double stddev, Rng& rng) {
    for (Index i = 0; i < w.rows(); ++i)
        for (Index j = 0; j < w.cols(); ++j) w(i, j) = static_cast<Scalar>(stddev * truncated_normal(rng));
}

}  // namespace

std::vector<std::string> initializer_names() {
    return {"glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_normal",
            "lecun_uniform",  "zeros",         "ones",       "constant"};
}

void check_initializer_name(const std::string& name) {
    for (const auto& valid : initializer_names())
        if (valid == name) return;
    throw_unknown_name("initializer", name, initializer_names());
}

void initialize(const InitializerOptions& options, MatrixRef w, Rng& rng) {
    const auto& name = options.name;
    const double fan_in = w.rows() == 1 ? static_cast<double>(w.cols()) : static_cast<double>(w.rows());
    const double fan_out = static_cast<double>(w.cols());
    const double fan_avg = (fan_in + fan_out) / 2.0;
    if (name == "glorot_uniform") fill_uniform(w, std::sqrt(3.0 / fan_avg), rng);
    else if (name == "glorot_normal") fill_truncated_normal(w, std::sqrt(1.0 / fan_avg) / kTruncatedNormalCorrection, rng);
    else if (name == "he_uniform") fill_uniform(w, std::sqrt(6.0 / fan_in), rng);
    else if (name == "he_normal") fill_truncated_normal(w, std::sqrt(2.0 / fan_in) / kTruncatedNormalCorrection, rng);
    else if (name == "lecun_normal") fill_truncated_normal(w, std::sqrt(1.0 / fan_in) / kTruncatedNormalCorrection, rng);
    else if (name == "lecun_uniform") fill_uniform(w, std::sqrt(3.0 / fan_in), rng);
    else if (name == "zeros") w.setZero();
    else if (name == "ones") w.setOnes();
    else if (name == "constant") w.setConstant(static_cast<Scalar>(options.value));
    else throw_unknown_name("initializer", name, initializer_names());
}

}  // namespace plexus
