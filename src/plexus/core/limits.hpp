// Caps on the size of a model built from a file (model files, model specs).
//
// A file is untrusted: without caps, "units": 2^31 or 100000 layers would
// exhaust memory or time before any other check fails. Loaders enforce these
// before allocating a parameter; each is overridable by passing a ModelLimits.
// The defaults sit far above the networks Plexus is built for (dense networks
// trained on one CPU) and far below what hurts a machine: the largest default
// model holds 64 Mi parameters, 256 MiB of float weights (x4 with gradients and
// Adam's two slots).
#pragma once

#include <cstdint>

#include "plexus/core/tensor.hpp"

namespace plexus {

struct ModelLimits {
    static constexpr Index kDefaultMaxLayers = 1024;
    static constexpr Index kDefaultMaxUnits = 65536;  // width of any layer, the input included
    static constexpr std::int64_t kDefaultMaxParameters = std::int64_t{1} << 26;
    Index max_layers = kDefaultMaxLayers;
    Index max_units = kDefaultMaxUnits;
    std::int64_t max_parameters = kDefaultMaxParameters;
};

// The hard ceiling on one layer's width, whatever the limits: the largest value
// whose products with another width cannot overflow 64 bits (2^24 x 2^24 = 2^48).
inline constexpr Index kMaxLayerWidth = Index{1} << 24;

}  // namespace plexus
