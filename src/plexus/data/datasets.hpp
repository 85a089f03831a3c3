// Built-in toy datasets: the seed curves and the usual 2-D teaching sets.
//
// Every dataset is a pure function of its name and DatasetOptions: the same
// options give bit-identical data on every platform (all randomness comes from
// plexus::Rng(options.seed); values are computed in double, then stored as
// Scalar). Rows are grouped by class in class order (all of class 0, then class
// 1, ...) and are NOT shuffled; shuffle or split them with an explicit Rng.
//
// All datasets have two features named "x" and "y". Classification sets have
// one target column "label" holding the class index and class_names "0", "1",
// ...; `regression-2d` has one target column "target" and no class names.
//
//   name           task            default samples / noise / classes
//   seed-curves    classification  512 / 0    / 2   x = linspace(0, 2pi, n) per class,
//                                                   y = cos(1.2x) +0.8 (class 0) or -0.8 (class 1)
//   moons          classification  400 / 0.1  / 2   sklearn make_moons (outer moon = class 0)
//   circles        classification  400 / 0.05 / 2   sklearn make_circles, factor 0.5 (outer = class 0)
//   spirals        classification  400 / 0.1  / 2   k interleaved arms, radius 0.5 -> 3 over one turn
//   xor            classification  400 / 0    / 2   uniform in [-1,1]^2 minus a 0.05 band around the
//                                                   axes; class 1 where sign(x) != sign(y)
//   gaussians      classification  450 / 0.5  / 3   k blobs with std = noise, centres on a circle of radius 3
//   linear         classification  400 / 0.1  / 2   uniform in [-1,1]^2 split by the line y = 0.5x
//                                                   (class 1 above), 0.05 margin, then noise
//   regression-2d  regression      400 / 0.05 / -   target = sin(x) cos(y) + N(0, noise) on [-3,3]^2
//
// Noise is the standard deviation of Gaussian noise added to both coordinates
// (seed-curves: to y only; regression-2d: to the target; gaussians: the blob std).
// Samples are split over the classes as evenly as possible; later classes get
// the remainder (sklearn's rule for two classes: 401 -> 200 + 201).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "plexus/data/dataset.hpp"

namespace plexus {

struct DatasetOptions {
    std::optional<Index> samples{};  // total rows; default per dataset; >= 2 per class (2 for regression)
    std::optional<double> noise{};   // Gaussian noise std; default per dataset; >= 0
    std::uint64_t seed = 0;        // seeds plexus::Rng; same seed -> same data
    std::optional<int> classes{};   // arms for spirals, blobs for gaussians; >= 2; other datasets reject it
};

struct DatasetInfo {
    std::string name;          // as accepted by make_dataset
    std::string task;          // "classification" or "regression"
    std::string description;   // one line, for `plexus datasets`
    Index default_samples = 0;
    double default_noise = 0.0;
    int default_classes = 0;   // 0 for regression
};

// Upper bound on DatasetOptions::samples (guards against typos like 1e10).
inline constexpr Index kMaxDatasetSamples = 10'000'000;

// The built-in datasets, in a fixed order (seed-curves first).
std::vector<DatasetInfo> list_datasets();

// Generates the dataset `name` (see the table above); Dataset::source = name.
// Throws ConfigError for an unknown name (listing the valid ones), samples
// fewer than 2 per class or above kMaxDatasetSamples, noise < 0 or not finite,
// classes < 2, or classes given to a dataset other than spirals/gaussians.
Dataset make_dataset(const std::string& name, const DatasetOptions& options = {});

}  // namespace plexus
