// The fit plan: everything fit decides before its first step, computed in one
// place so that fit, the doctor's pre-flight checks and the run pipeline
// (run/) can never disagree about the split or the random streams.
//
//   FitContext plan = plan_fit(model, x, y, options);   // model compiled
//   plan.split.validation_indices ...                    // the rows fit will validate on
//   History h = model.fit(std::move(plan));              // trains exactly that plan
//
// One seed yields independent streams: the first initialises the weights
// (build), the others drive the split, the per-epoch shuffle and dropout.
#pragma once

#include <cstdint>
#include <vector>

#include "plexus/core/tensor.hpp"
#include "plexus/model/fit_options.hpp"
#include "plexus/model/history.hpp"

namespace plexus {

class Sequential;

struct SeedStreams {
    std::uint64_t initialization = 0, split = 0, shuffle = 0, dropout = 0;
};
// The streams of one seed (the same for build, fit and preflight).
SeedStreams seed_streams(std::uint64_t seed);

// What the doctor and callbacks can see of the fit in progress (model.fit_context()).
struct FitContext {
    const Matrix* x = nullptr;              // all rows given to fit (not owned)
    const Matrix* y = nullptr;
    const FitOptions* options = nullptr;    // not owned
    std::uint64_t seed = 0;                 // options.seed, else the model's
    SeedStreams streams;
    Split method = Split::automatic;        // the resolved method (never automatic)
    Matrix x_train, y_train, x_val, y_val;  // the parts after the split
    std::vector<Index> train_rows, validation_rows;  // indices into x (empty validation_rows with validation_data)
    std::vector<double> train_weight;       // per training row: sample_weight x class_weight (empty = all 1)
    SplitInfo split;
    bool classification = false;
    Index num_classes = 0;                  // classification only
    std::vector<int> labels;                // class of every row of x (classification)
};

// Plans a fit of the compiled `model` on x/y: checks shapes, the split options,
// sample and class weights, resolves the split method (automatic = stratified
// for classification, random for regression) and computes the split from the
// seed's split stream. Does not check values (NaN) or that labels fit the
// output layer: fit does, the doctor reports them. x, y and options must
// outlive the plan. Throws ShapeError, ConfigError.
FitContext plan_fit(const Sequential& model, const Matrix& x, const Matrix& y, const FitOptions& options);

// Only the rows plan_fit would put in each part (nothing copied): what a caller
// needs to fit a scaler on the training rows before fitting. With
// validation_data every row trains. `method` is the resolved method.
SplitIndices plan_split(const Sequential& model, const Matrix& y, const FitOptions& options);

}  // namespace plexus
