// Decision regions of a 2-D classifier.
//
// The input plane is coloured by the most probable class, pale where the model is
// unsure (probability near 1/k) and saturated where it is confident; the class
// boundaries (where the top two probabilities are equal) are drawn as dark lines.
// Training points are drawn filled and validation points hollow. When a support
// test is given, the part of the plane outside the training data is veiled in grey
// and hatched, so extrapolation is visible at a glance.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plexus/plot/style.hpp"

namespace plexus::plot {

struct DecisionRegionsSpec {
    PredictFn predict;
    std::vector<std::string> class_names;  // empty: "class 0", "class 1", ...
    std::vector<PointSet> points;          // e.g. training (filled), validation (hollow)
    std::optional<Range> range;            // default: bounding box of all points + 10%
    int resolution = 200;                  // grid cells along x
    SupportFn in_support;                  // optional: cells outside are hatched
};

// Writes the decision regions to `path` (.png, .svg or .pdf).
// Throws ConfigError for an invalid spec or extension, ShapeError for matrices of
// the wrong shape, IoError when the file cannot be written.
void decision_regions(const DecisionRegionsSpec& spec, const Style& style, const std::string& path);

}  // namespace plexus::plot
