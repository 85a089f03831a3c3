// What the page draws of a run, as compact JSON: the scene (fixed for a run:
// the plane's range, the training and validation points, where the training
// rows' support ends) and snapshots of the model over it (the decision regions
// or a regression's values on a grid, and each hidden unit's activation).
//
// The plane is the first two features, in the data's own units; the model sees
// them standardized when the run standardizes (the same Standardizer the run
// layer fits on the training rows). Grids are fixed in size (kCells, kUnitCells),
// so a snapshot's cost does not depend on the data. Cells run row by row from the
// top left (x from xmin, y from ymax).
//
// Encodings (kept small, they stream several times a second):
//   classification cell: class * 100 + round(99 * confidence), confidence =
//     (p_top - 1/k) / (1 - 1/k) in [0, 1]
//   regression cell:     round(999 * (value - lo) / (hi - lo)), clamped, with
//     [lo, hi] the training targets' range (scene "value_range")
//   unit cell:           round(99 * a / max|a|) over that unit's grid, in [-99, 99]
//   support:             a string of '1' (inside) and '0' per cell
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/data/dataset.hpp"
#include "plexus/data/scaling.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus::web {

inline constexpr int kCells = 64;            // decision grid cells per side
inline constexpr int kUnitCells = 20;        // per-unit grid cells per side
inline constexpr int kMaxUnitLayers = 6;     // hidden layers shown
inline constexpr int kMaxUnitsPerLayer = 16; // units shown per layer
inline constexpr Index kMaxPoints = 3000;    // points drawn per part (an even sample beyond)

class Plane {
public:
    // The plane of `data` (its first two features) for a run with these parts.
    // `standardizer`: the model's input transform, if the run standardizes.
    Plane(const Dataset& data, const RowList& train_rows, const RowList& validation_rows,
          std::optional<Standardizer> standardizer);

    // Whether there is a plane to draw (exactly two features).
    bool drawable() const { return drawable_; }

    // {"drawable", "task", "class_names", "range": [xmin, xmax, ymin, ymax], "cells",
    //  "unit_cells", "support", "value_range", "points": {"train": [[x, y, c], ...], "validation": [...]},
    //  "feature_names"}; c is the class index or the target value.
    nlohmann::json scene() const;

    // {"cells": [...], "units": [{"layer", "units": [[...], ...]}]} for the model now
    // (empty when not drawable).
    nlohmann::json snapshot(Sequential& model) const;

private:
    Matrix grid(int cells) const;  // cell centres, model inputs

    const Dataset& data_;
    RowList train_rows_, validation_rows_;
    std::optional<Standardizer> standardizer_;
    bool drawable_ = false;
    double xmin_ = 0, xmax_ = 1, ymin_ = 0, ymax_ = 1;
    double value_lo_ = 0, value_hi_ = 1;
    Matrix cells_, unit_cells_;  // model inputs of the grids
};

}  // namespace plexus::web
