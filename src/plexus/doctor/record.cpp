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

std::vector<Index> count_classes(const std::vector<int>& labels, Index classes) {
    std::vector<Index> counts(static_cast<std::size_t>(classes), 0);
    for (int c : labels)
        if (c >= 0 && c < classes) ++counts[static_cast<std::size_t>(c)];
    return counts;
}

LabelFacts label_facts(const FitContext& ctx, const RecordNames& names) {
    LabelFacts out;
    out.classification = ctx.classification;
    if (!ctx.classification) return out;
    int max_label = 0;
    for (int c : ctx.labels) max_label = std::max(max_label, c);
    // Labels beyond the output width are config.labels_mismatch's business; cap the bookkeeping.
    out.num_classes = std::max<Index>(ctx.num_classes, std::min<Index>(max_label + 1, ctx.num_classes + 1024));
    for (Index c = 0; c < out.num_classes; ++c)
        out.class_names.push_back(static_cast<std::size_t>(c) < names.classes.size() ? names.classes[static_cast<std::size_t>(c)]
                                                                                      : std::to_string(c));
    out.class_counts = count_classes(ctx.labels, out.num_classes);
    const auto resize = [&](std::vector<Index> counts) {
        counts.resize(static_cast<std::size_t>(out.num_classes), 0);
        return counts;
    };
    out.train_class_counts = resize(ctx.split.train_class_counts);
    out.validation_class_counts = resize(ctx.split.validation_class_counts);
    const auto& labels = ctx.labels;
    if (!labels.empty()) {
        Index same = 0;
        out.label_runs = 1;
        Index start = 0;
        for (std::size_t i = 1; i <= labels.size(); ++i) {
            if (i < labels.size() && labels[i] == labels[i - 1]) {
                ++same;
                continue;
            }
            if (out.first_runs.size() < kMaxRecordedRuns)
                out.first_runs.push_back({labels[i - 1], start, static_cast<Index>(i) - start});
            start = static_cast<Index>(i);
            if (i < labels.size()) ++out.label_runs;
        }
        out.same_label_adjacency =
            labels.size() > 1 ? static_cast<double>(same) / static_cast<double>(labels.size() - 1) : kNaN;
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

void fill_run_facts(TrainingRecord& r, const FitContext& ctx, const Matrix& y_train, const RunSettings& run) {
    r.run.inputs_standardized = run.inputs_standardized.value_or(!run.input_mean.empty() || looks_standardized(ctx.x_train()));
    r.run.target_standardized = run.target_standardized.value_or(looks_standardized(RowView{y_train, nullptr}));
    r.run.early_stopping_patience = run.early_stopping_patience;
    const auto n = static_cast<std::size_t>(ctx.x.cols());
    if (run.input_mean.size() == n && run.input_scale.size() == n)
        for (std::size_t j = 0; j < n && j < r.data.features.size(); ++j) {
            r.data.features[j].unit_offset = run.input_mean[j];
            r.data.features[j].unit_scale = run.input_scale[j];
        }
    r.target.unit_offset = run.target_mean;
    r.target.unit_scale = run.target_scale;
    if (y_train.size() > 0) {
        const auto yd = y_train.cast<double>();
        r.target.train_mean = yd.mean();
        r.target.train_std = std::sqrt((yd.array() - r.target.train_mean).square().mean());
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
    if (y.rows() == 0) return kNaN;
    const Eigen::MatrixXd yd = y.cast<double>();
    const auto entropy = [](const std::vector<double>& p) {
        double h = 0;
        for (double v : p)
            if (v > 0) h -= v * std::log(v);
        return h;
    };
    if (loss == "sparse_categorical_crossentropy") {
        std::vector<double> p(static_cast<std::size_t>(std::max<Index>(output_units, 1)), 0.0);
        for (Index i = 0; i < yd.rows(); ++i) {
            const auto c = static_cast<Index>(yd(i, 0));
            if (c >= 0 && c < static_cast<Index>(p.size())) p[static_cast<std::size_t>(c)] += 1.0 / static_cast<double>(yd.rows());
        }
        return entropy(p);
    }
    if (loss == "categorical_crossentropy") {
        const Eigen::RowVectorXd mean = yd.colwise().mean();
        std::vector<double> p(mean.data(), mean.data() + mean.size());
        return entropy(p);
    }
    if (loss == "binary_crossentropy") {
        double total = 0;
        for (Index j = 0; j < yd.cols(); ++j) {
            const double p = yd.col(j).mean();
            if (p > 0 && p < 1) total -= p * std::log(p) + (1 - p) * std::log(1 - p);
        }
        return total / static_cast<double>(yd.cols());
    }
    double total = 0;
    for (Index j = 0; j < yd.cols(); ++j) {
        Eigen::VectorXd col = yd.col(j);
        if (loss == "mae") {
            std::vector<double> v(col.data(), col.data() + col.size());
            std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
            const double median = v[v.size() / 2];
            total += (col.array() - median).abs().mean();
        } else if (loss == "huber") {
            const double mean = col.mean();
            double sum = 0;
            for (Index i = 0; i < col.size(); ++i) {
                const double e = std::abs(col(i) - mean);
                sum += e <= huber_delta ? 0.5 * e * e : huber_delta * (e - 0.5 * huber_delta);
            }
            total += sum / static_cast<double>(col.size());
        } else {  // mse
            total += (col.array() - col.mean()).square().mean();
        }
    }
    return total / static_cast<double>(yd.cols());
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
    const Matrix y_train = ctx.y_train().gather(), y_val = ctx.y_val().gather();  // targets: small
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
        fill_class_ranges(d.features, x_train, true_classes(y_train, units), x_val, true_classes(y_val, units),
                          r.labels.num_classes);
    }
    r.target = target_facts(y.map());
    fill_run_facts(r, ctx, y_train, run);

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
    c.baseline_loss = baseline_loss(c.loss, y_train, c.output_units, compile.huber_delta);

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
