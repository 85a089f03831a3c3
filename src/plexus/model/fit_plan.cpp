// The fit plan; see fit_plan.hpp.
#include "plexus/model/fit_plan.hpp"

#include <algorithm>

#include "plexus/core/error.hpp"
#include "plexus/core/rng.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {
namespace {

std::vector<Index> count_classes(const std::vector<int>& labels, Index classes) {
    std::vector<Index> counts(static_cast<std::size_t>(classes), 0);
    for (int c : labels)
        if (c >= 0 && c < classes) ++counts[static_cast<std::size_t>(c)];
    return counts;
}

// The class counts of some rows of x, read through their indices.
std::vector<Index> count_classes(const FitContext& ctx, const RowList& rows, Index classes) {
    std::vector<Index> counts(static_cast<std::size_t>(classes), 0);
    for (const RowIndex r : rows) {
        const int c = ctx.label(r);
        if (c >= 0 && c < classes) ++counts[static_cast<std::size_t>(c)];
    }
    return counts;
}

void check_shapes(MatrixView x, MatrixView y, const FitOptions& options) {
    if (x.rows() != y.rows())
        throw ShapeError("fit: x has " + std::to_string(x.rows()) + " rows but y has " + std::to_string(y.rows()) +
                         "; give one target row per input row");
    if (x.rows() == 0) throw DataError("fit: no training rows");
    check_row_count(x.rows(), "fit");
    if (!(options.validation_split >= 0.0 && options.validation_split < 1.0))
        throw ConfigError("fit: validation_split must be in [0, 1); received " + std::to_string(options.validation_split));
    if (!options.sample_weight.empty() && static_cast<Index>(options.sample_weight.size()) != x.rows())
        throw ShapeError("fit: sample_weight has " + std::to_string(options.sample_weight.size()) + " values for " +
                         std::to_string(x.rows()) + " rows");
    if (options.validation_data) {
        const auto& [vx, vy] = *options.validation_data;
        if (vx.cols() != x.cols() || vy.cols() != y.cols() || vx.rows() != vy.rows())
            throw ShapeError("fit: validation_data has shape " + shape_string(vx) + " / " + shape_string(vy) +
                             "; expected (n, " + std::to_string(x.cols()) + ") / (n, " + std::to_string(y.cols()) + ")");
    }
}

// Row weights: sample_weight times class_weight (Keras multiplies them); empty if neither is given.
std::vector<double> row_weights(const FitContext& ctx, const FitOptions& options) {
    std::vector<double> weight;
    if (options.sample_weight.empty() && options.class_weight.empty()) return weight;
    weight.assign(static_cast<std::size_t>(ctx.x.rows()), 1.0);
    if (!options.sample_weight.empty()) weight = options.sample_weight;
    if (!options.class_weight.empty()) {
        if (!ctx.classification) throw ConfigError("fit: class_weight needs a classification loss");
        for (std::size_t i = 0; i < weight.size(); ++i) {
            const auto it = options.class_weight.find(ctx.label(static_cast<Index>(i)));
            if (it != options.class_weight.end()) weight[i] *= it->second;
        }
    }
    return weight;
}

void check_compiled(const Sequential& model) {
    if (!model.compiled())
        throw ConfigError("fit: the model is not compiled; call compile({.optimizer = ..., .loss = ...}) first");
}

Split resolve(Split method, bool classification) {
    if (method != Split::automatic) return method;
    return classification ? Split::stratified : Split::random;
}

}  // namespace

Matrix RowView::gather() const {
    Matrix out(rows(), cols());
    gather_into(0, rows(), out);
    return out;
}

void RowView::gather_into(Index first, Index count, Matrix& out) const {
    const Index c = cols();
    for (Index k = 0; k < count; ++k) std::copy_n(m.data() + at(first + k) * c, c, out.data() + k * c);
}

int FitContext::label(Index i) const { return true_class(y.data() + i * y.cols(), y.cols(), output_units); }

RowView FitContext::x_val() const {
    if (options && options->validation_data) return {options->validation_data->first, nullptr};
    return {x, &validation_rows};
}

RowView FitContext::y_val() const {
    if (options && options->validation_data) return {options->validation_data->second, nullptr};
    return {y, &validation_rows};
}

SplitIndices plan_split(const Sequential& model, MatrixView y, const FitOptions& options) {
    check_compiled(model);
    const bool classification = model.loss().is_classification();
    SplitIndices parts;
    parts.method = resolve(options.split, classification);
    if (options.validation_data) {
        parts.train.resize(static_cast<std::size_t>(y.rows()));
        for (Index i = 0; i < y.rows(); ++i) parts.train[static_cast<std::size_t>(i)] = i;
        return parts;
    }
    const std::vector<int> labels = classification ? true_classes(y.map(), model.output_dim()) : std::vector<int>{};
    Rng split_rng(seed_streams(options.seed.value_or(model.seed())).split);
    parts = split_indices(y.rows(), options.validation_split, parts.method, labels, split_rng);
    if (parts.train.empty())
        throw ConfigError("fit: validation_split=" + std::to_string(options.validation_split) + " leaves no training rows out of " +
                          std::to_string(y.rows()) + "; use a smaller fraction");
    return parts;
}

SeedStreams seed_streams(std::uint64_t seed) {
    Rng root(seed);
    SeedStreams s;
    s.initialization = root.next_u64();
    s.split = root.next_u64();
    s.shuffle = root.next_u64();
    s.dropout = root.next_u64();
    return s;
}

namespace {

FitContext plan_with(const Sequential& model, MatrixView x, MatrixView y, const FitOptions& options, SplitIndices* given) {
    check_compiled(model);
    check_shapes(x, y, options);
    const Loss& loss = model.loss();
    const Index units = model.output_dim();
    FitContext ctx;
    ctx.x = x;
    ctx.y = y;
    ctx.options = &options;
    ctx.seed = options.seed.value_or(model.seed());
    ctx.streams = seed_streams(ctx.seed);
    ctx.classification = loss.is_classification();
    ctx.output_units = units;
    if (ctx.classification) ctx.num_classes = units == 1 ? 2 : units;
    const std::vector<double> weight = row_weights(ctx, options);
    ctx.method = resolve(options.split, ctx.classification);
    // The split happens once, before any shuffling, so no row ever crosses between the parts.
    if (options.validation_data) {
        ctx.train_rows.resize(static_cast<std::size_t>(x.rows()));
        for (Index i = 0; i < x.rows(); ++i) ctx.train_rows[static_cast<std::size_t>(i)] = i;
        ctx.split.method = "validation_data";
        ctx.train_weight = weight;
    } else {
        SplitIndices parts = given ? std::move(*given) : plan_split(model, y, options);
        ctx.train_rows = std::move(parts.train);
        ctx.validation_rows = std::move(parts.validation);
        ctx.split.method = options.validation_split > 0 ? to_string(ctx.method) : "none";
        if (!weight.empty())
            for (const Index i : ctx.train_rows) ctx.train_weight.push_back(weight[static_cast<std::size_t>(i)]);
    }
    ctx.split.train_rows = ctx.x_train().rows();
    ctx.split.validation_rows = ctx.x_val().rows();
    if (ctx.classification) {
        int max_label = 0;
        for (Index i = 0; i < x.rows(); ++i) max_label = std::max(max_label, ctx.label(i));
        // Labels beyond the output width are config.labels_mismatch's business (fit throws); cap the bookkeeping.
        const Index classes = std::max<Index>(ctx.num_classes, std::min<Index>(max_label + 1, ctx.num_classes + 1024));
        ctx.split.train_class_counts = count_classes(ctx, ctx.train_rows, classes);
        ctx.split.validation_class_counts = options.validation_data
                                                ? count_classes(true_classes(options.validation_data->second, units), classes)
                                                : count_classes(ctx, ctx.validation_rows, classes);
    }
    return ctx;
}

}  // namespace

FitContext plan_fit(const Sequential& model, MatrixView x, MatrixView y, const FitOptions& options) {
    return plan_with(model, x, y, options, nullptr);
}

FitContext plan_fit(const Sequential& model, MatrixView x, MatrixView y, const FitOptions& options, SplitIndices split) {
    if (options.validation_data) throw ConfigError("plan_fit: a given split and validation_data exclude each other");
    const auto n = static_cast<std::size_t>(y.rows());
    std::vector<char> seen(n, 0);
    for (const auto* part : {&split.train, &split.validation})
        for (const RowIndex r : *part) {
            if (r >= n || seen[r])
                throw ConfigError("plan_fit: the given split is not a partition of y's " + std::to_string(n) + " rows; pass plan_split's result");
            seen[r] = 1;
        }
    if (split.train.size() + split.validation.size() != n || split.train.empty())
        throw ConfigError("plan_fit: the given split is not a partition of y's " + std::to_string(n) + " rows; pass plan_split's result");
    const bool classification = model.loss().is_classification();
    if (split.method != resolve(options.split, classification))
        throw ConfigError("plan_fit: the given split was made with split=" + to_string(split.method) + ", the options ask for " +
                          to_string(resolve(options.split, classification)));
    return plan_with(model, x, y, options, &split);
}

}  // namespace plexus
