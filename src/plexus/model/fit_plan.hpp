// The fit plan: everything fit decides before its first step, computed in one
// place so that fit, the doctor's pre-flight checks and the run pipeline
// (run/) can never disagree about the split or the random streams.
//
//   FitContext plan = plan_fit(model, x, y, options);   // model compiled
//   plan.validation_rows ...                             // the rows fit will validate on
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

// Some rows of a matrix, picked by index: nothing is copied. All rows of m
// when `index` is null. Valid while the matrix's memory and the index list live.
struct RowView {
    MatrixView m;
    const RowList* index = nullptr;
    Index rows() const { return index ? static_cast<Index>(index->size()) : m.rows(); }
    Index cols() const { return m.cols(); }
    // The row of m that is row i of the view.
    Index at(Index i) const { return index ? (*index)[static_cast<std::size_t>(i)] : i; }
    auto row(Index i) const { return m.row(at(i)); }
    Scalar operator()(Index i, Index j) const { return m(at(i), j); }
    // The rows as a Matrix (a copy: for targets and bounded samples).
    Matrix gather() const;
    // Rows first..first+count-1 of the view copied into out's top rows (out has
    // at least count rows and cols() columns).
    void gather_into(Index first, Index count, Matrix& out) const;
};

// What the doctor and callbacks can see of the fit in progress (model.fit_context()).
// x and y are views of the caller's memory (a Matrix, a NumPy array, a mapped
// file), and the parts of the split are views of them (or of
// options.validation_data): fit gathers each batch from x by train_rows,
// nothing is copied whole.
struct FitContext {
    MatrixView x;                           // all rows given to fit (not owned)
    MatrixView y;
    const FitOptions* options = nullptr;    // not owned
    std::uint64_t seed = 0;                 // options.seed, else the model's
    SeedStreams streams;
    Split method = Split::automatic;        // the resolved method (never automatic)
    RowList train_rows, validation_rows;    // indices into x (empty validation_rows with validation_data)
    RowView x_train() const { return {x, &train_rows}; }
    RowView y_train() const { return {y, &train_rows}; }
    // validation_data's matrices, else the validation rows of x and y.
    RowView x_val() const;
    RowView y_val() const;
    std::vector<double> train_weight;       // per training row: sample_weight x class_weight (empty = all 1)
    SplitInfo split;
    bool classification = false;
    Index num_classes = 0;                  // classification only
    Index output_units = 0;                 // the model's output width
    // The class of row i of x (classification): what true_classes(y, output_units) gives
    // for it, read from y on demand (no per-row copy of the labels).
    int label(Index i) const;
};

// Plans a fit of the compiled `model` on x/y: checks shapes, the split options,
// sample and class weights, resolves the split method (automatic = stratified
// for classification, random for regression) and computes the split from the
// seed's split stream. Does not check values (NaN) or that labels fit the
// output layer: fit does, the doctor reports them. x, y and options must
// outlive the plan (a Matrix converts to a MatrixView: its memory is used in
// place). Throws ShapeError, ConfigError.
FitContext plan_fit(const Sequential& model, MatrixView x, MatrixView y, const FitOptions& options);
// The same plan on a split already made by plan_split(model, y, options), moved in
// rather than computed again (a caller that needed the split first, e.g. to fit a
// scaler, holds one copy of the row indices, not two). ConfigError if `split` is not
// a partition of y's rows made with the options' split method, or with validation_data.
FitContext plan_fit(const Sequential& model, MatrixView x, MatrixView y, const FitOptions& options, SplitIndices split);

// Only the rows plan_fit would put in each part (nothing copied): what a caller
// needs to fit a scaler on the training rows before fitting. With
// validation_data every row trains. `method` is the resolved method.
SplitIndices plan_split(const Sequential& model, MatrixView y, const FitOptions& options);

}  // namespace plexus
