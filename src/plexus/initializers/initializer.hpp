// Weight initializers (Keras names and formulas).
//
// glorot_uniform (default for kernels), glorot_normal, he_uniform, he_normal,
// lecun_normal, zeros (default for biases), ones, constant. The *_normal
// variants draw from a normal truncated at two standard deviations, with the
// standard deviation corrected for the truncation as Keras does
// (VarianceScaling: stddev = sqrt(scale / fan) / 0.87962566103423978).
#pragma once

#include <string>
#include <vector>

#include "plexus/core/rng.hpp"
#include "plexus/core/tensor.hpp"

namespace plexus {

struct InitializerOptions {
    std::string name = "glorot_uniform";
    double value = 0.0;  // for "constant"
};

// Fills `w` (fan_in = w.rows(), fan_out = w.cols() for kernels; a bias is a 1×n
// matrix with fan_in = fan_out = n). ConfigError for an unknown name.
void initialize(const InitializerOptions& options, MatrixRef w, Rng& rng);
// Validates a name without drawing (ConfigError listing valid names).
void check_initializer_name(const std::string& name);
std::vector<std::string> initializer_names();

}  // namespace plexus
