// The pre-flight part of the TrainingRecord; see record.hpp.
#include "plexus/doctor/record.hpp"
#include "plexus/doctor/record_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>

#include "plexus/data/support.hpp"
#include "plexus/layers/layer.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus::doctor {

using namespace detail;

namespace {

LabelFacts label_facts(const FitContext& ctx, const RecordNames& names) {
    LabelFacts out;
    out.classification = ctx.classification;
    if (!ctx.classification) return out;
    const Index n = ctx.x.rows();
    // plan_fit's per-part counts already cover every class seen (capped as there: labels beyond
    // the output width are config.labels_mismatch's business); every row of x is in one part.
    out.num_classes = static_cast<Index>(ctx.split.train_class_counts.size());
    for (Index c = 0; c < out.num_classes; ++c)
        out.class_names.push_back(static_cast<std::size_t>(c) < names.classes.size() ? names.classes[static_cast<std::size_t>(c)]
                                                                                      : std::to_string(c));
    out.train_class_counts = ctx.split.train_class_counts;
    out.validation_class_counts = ctx.split.validation_class_counts;
    out.validation_class_counts.resize(static_cast<std::size_t>(out.num_classes), 0);
    out.class_counts = out.train_class_counts;
    if (!ctx.options || !ctx.options->validation_data)  // else x's rows all train; validation_data is not x
        for (std::size_t c = 0; c < out.class_counts.size(); ++c) out.class_counts[c] += out.validation_class_counts[c];
    // Runs of equal labels in row order (a table sorted by class has few, long runs).
    if (n > 0) {
        Index same = 0;
        out.label_runs = 1;
        Index start = 0;
        int previous = ctx.label(0);
        for (Index i = 1; i <= n; ++i) {
            const int current = i < n ? ctx.label(i) : 0;
            if (i < n && current == previous) {
                ++same;
                continue;
            }
            if (out.first_runs.size() < kMaxRecordedRuns) out.first_runs.push_back({previous, start, i - start});
            start = i;
            if (i < n) ++out.label_runs;
            previous = current;
        }
        out.same_label_adjacency = n > 1 ? static_cast<double>(same) / static_cast<double>(n - 1) : kNaN;
    }
    return out;
}

TargetFacts target_facts(ConstMatrixRef y) {
    TargetFacts t;
    t.columns = y.cols();
    if (y.size() == 0) return t;
    const auto yd = y.cast<double>();
    t.min = yd.minCoeff();
    t.max = yd.maxCoeff();
    t.integer_valued = (yd.array() == yd.array().floor()).all();
    t.binary = (yd.array() == 0.0 || yd.array() == 1.0).all();
    t.one_hot = t.binary && y.cols() > 1 && (yd.rowwise().sum().array() == 1.0).all();
    return t;
}

void fill_run_facts(TrainingRecord& r, const FitContext& ctx, const RunSettings& run) {
    const RowView y_train = ctx.y_train();
    r.run.inputs_standardized = run.inputs_standardized.value_or(!run.input_mean.empty() || looks_standardized(ctx.x_train()));
    r.run.target_standardized = run.target_standardized.value_or(looks_standardized(y_train));
    r.run.early_stopping_patience = run.early_stopping_patience;
    const auto n = static_cast<std::size_t>(ctx.x.cols());
    if (run.input_mean.size() == n && run.input_scale.size() == n)
        for (std::size_t j = 0; j < n && j < r.data.features.size(); ++j) {
            r.data.features[j].unit_offset = run.input_mean[j];
            r.data.features[j].unit_scale = run.input_scale[j];
        }
    r.target.unit_offset = run.target_mean;
    r.target.unit_scale = run.target_scale;
    // Over every training target (all columns), read in place.
    const Index rows = y_train.rows(), k = y_train.cols();
    if (rows > 0 && k > 0) {
        const double count = static_cast<double>(rows) * static_cast<double>(k);
        double sum = 0;
        for (Index i = 0; i < rows; ++i)
            for (Index j = 0; j < k; ++j) sum += static_cast<double>(y_train(i, j));
        r.target.train_mean = sum / count;
        double squares = 0;
        for (Index i = 0; i < rows; ++i)
            for (Index j = 0; j < k; ++j) {
                const double e = static_cast<double>(y_train(i, j)) - r.target.train_mean;
                squares += e * e;
            }
        r.target.train_std = std::sqrt(squares / count);
    }
}

// The activation of the last layer that has one (looking through layers that are
// the identity at inference, such as Dropout), "linear" if none.
std::string output_activation(const Sequential& model) {
    const auto& layers = model.layers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        if (const auto* act = (*it)->output_activation()) return act->name();
        if (!(*it)->is_identity_at_inference()) break;
    }
    return "linear";
}

}  // namespace

double baseline_loss(const std::string& loss, const Matrix& y, Index output_units, double huber_delta) {
    return baseline_loss(loss, RowView{y, nullptr}, output_units, huber_delta);
}

double baseline_loss(const std::string& loss, const RowView& y, Index output_units, double huber_delta) {
    const Index n = y.rows(), k = y.cols();
    if (n == 0) return kNaN;
    const auto rows = static_cast<double>(n);
    const auto entropy = [](const std::vector<double>& p) {
        double h = 0;
        for (double v : p)
            if (v > 0) h -= v * std::log(v);
        return h;
    };
    // Each column's mean, one pass over the rows (row-major: each row is contiguous).
    const auto column_means = [&] {
        std::vector<double> mean(static_cast<std::size_t>(k), 0.0);
        for (Index i = 0; i < n; ++i) {
            const Scalar* row = y.m.data() + y.at(i) * k;
            for (Index j = 0; j < k; ++j) mean[static_cast<std::size_t>(j)] += static_cast<double>(row[j]);
        }
        for (double& m : mean) m /= rows;
        return mean;
    };
    if (loss == "sparse_categorical_crossentropy") {
        std::vector<double> p(static_cast<std::size_t>(std::max<Index>(output_units, 1)), 0.0);
        for (Index i = 0; i < n; ++i) {
            const auto c = static_cast<Index>(static_cast<double>(y(i, 0)));
            if (c >= 0 && c < static_cast<Index>(p.size())) p[static_cast<std::size_t>(c)] += 1.0 / rows;
        }
        return entropy(p);
    }
    if (loss == "categorical_crossentropy") return entropy(column_means());
    const std::vector<double> mean = column_means();
    if (loss == "binary_crossentropy") {
        double total = 0;
        for (const double p : mean)
            if (p > 0 && p < 1) total -= p * std::log(p) + (1 - p) * std::log(1 - p);
        return total / static_cast<double>(k);
    }
    double total = 0;
    std::vector<double> column;
    for (Index j = 0; j < k; ++j) {
        const double m = mean[static_cast<std::size_t>(j)];
        double sum = 0;
        if (loss == "mae") {
            column.resize(static_cast<std::size_t>(n));
            for (Index i = 0; i < n; ++i) column[static_cast<std::size_t>(i)] = static_cast<double>(y(i, j));
            std::nth_element(column.begin(), column.begin() + static_cast<std::ptrdiff_t>(n / 2), column.end());
            const double median = column[static_cast<std::size_t>(n / 2)];
            for (Index i = 0; i < n; ++i) sum += std::abs(static_cast<double>(y(i, j)) - median);
        } else if (loss == "huber") {
            for (Index i = 0; i < n; ++i) {
                const double e = std::abs(static_cast<double>(y(i, j)) - m);
                sum += e <= huber_delta ? 0.5 * e * e : huber_delta * (e - 0.5 * huber_delta);
            }
        } else {  // mse
            for (Index i = 0; i < n; ++i) {
                const double e = static_cast<double>(y(i, j)) - m;
                sum += e * e;
            }
        }
        total += sum / rows;
    }
    return total / static_cast<double>(k);
}

TrainingRecord make_preflight_record(const FitContext& ctx, const Sequential& model, const RecordNames& names,
                                     const RunSettings& run) {
    TrainingRecord r;
    const MatrixView x = ctx.x;  // the caller's memory, read in place
    const MatrixView y = ctx.y;
    const FitOptions& options = *ctx.options;

    auto& d = r.data;
    d.rows = x.rows();
    const RowView x_train = ctx.x_train(), x_val = ctx.x_val();
    d.train_rows = x_train.rows();
    d.validation_rows = x_val.rows();
    d.split_method = ctx.split.method;
    d.validation_split = options.validation_split;
    d.shuffle = options.shuffle;
    if (!ctx.validation_rows.empty()) {
        d.validation_is_tail = true;
        const Index first = x.rows() - static_cast<Index>(ctx.validation_rows.size());
        for (std::size_t k = 0; k < ctx.validation_rows.size(); ++k)
            if (ctx.validation_rows[k] != first + static_cast<Index>(k)) d.validation_is_tail = false;
    }
    d.features = feature_facts(x_train, x_val, names.features);
    fill_support_facts(d, x_train, x_val);
    fill_duplicates(d, x_train, ctx.y_train(), x_val, ctx.y_val());

    r.labels = label_facts(ctx, names);
    if (r.labels.classification) {
        const Index units = model.output_dim();
        // Every row's class (plan_fit's), or validation_data's own rows' classes.
        const std::vector<int> own_val = options.validation_data ? true_classes(options.validation_data->second, units) : std::vector<int>{};
        const auto of_x = [&ctx](Index row) { return ctx.label(row); };
        const auto of_own = [&own_val](Index row) { return own_val[static_cast<std::size_t>(row)]; };
        fill_class_ranges(d.features, x_train, of_x, x_val, options.validation_data ? LabelOf(of_own) : LabelOf(of_x),
                          r.labels.num_classes);
    }
    r.target = target_facts(y.map());
    fill_run_facts(r, ctx, run);

    auto& c = r.config;
    const auto& compile = model.compile_options();
    c.loss = model.loss().name();
    c.from_logits = compile.from_logits;
    c.output_activation = output_activation(model);
    c.output_units = model.output_dim();
    c.optimizer = model.optimizer().name();
    c.learning_rate = model.optimizer().learning_rate();
    c.batch_size = options.batch_size;
    c.epochs = options.epochs;
    c.initial_epoch = options.initial_epoch;
    c.class_weight = !options.class_weight.empty();
    c.sample_weight = !options.sample_weight.empty();
    c.metrics = compile.metrics;
    c.baseline_loss = baseline_loss(c.loss, ctx.y_train(), c.output_units, compile.huber_delta);

    Index width = x.cols();
    const auto& layers = model.layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& layer = *layers[i];
        LayerFacts f;
        f.name = layer.name();
        f.type = layer.type();
        if (const auto* act = layer.output_activation()) f.activation = act->name();
        const auto specs = layer.param_specs(width);
        for (const auto& s : specs) f.params += s.rows * s.cols;
        if (!specs.empty()) f.kernel_params = specs.front().rows * specs.front().cols;
        width = layer.output_dim(width);
        f.units = width;
        f.is_output = i + 1 == layers.size();
        r.layers.push_back(std::move(f));
    }
    return r;
}

}  // namespace plexus::doctor
