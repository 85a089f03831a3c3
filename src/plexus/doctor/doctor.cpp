// The training doctor; see doctor.hpp.
#include "plexus/doctor/doctor.hpp"

#include <algorithm>
#include <cmath>

#include "plexus/core/error.hpp"
#include "plexus/data/support.hpp"
#include "plexus/doctor/reconcile.hpp"
#include "plexus/doctor/rules.hpp"
#include "plexus/model/sequential.hpp"
#include "plexus/model/shard_reduction.hpp"

namespace plexus {
namespace {

doctor::RecorderOptions recorder_options(const DoctorOptions& o) {
    return {.max_sampled_batches = o.max_sampled_batches,
            .max_sampled_epochs = o.max_sampled_epochs,
            .names = {.features = o.feature_names, .classes = o.class_names},
            .run = o.run};
}

}  // namespace

std::string format_finding(const Finding& f) {
    std::string out = "doctor: [" + f.severity + "] " + f.id + ": " + f.message + "\n";
    if (!f.cause.empty() && f.cause != f.id) out += "        cause: " + f.cause + "\n";
    if (!f.fix.empty()) out += "        fix: " + f.fix + "\n";
    return out;
}

std::string count_findings(const std::vector<Finding>& findings) {
    if (findings.empty()) return "no findings";
    std::size_t n[3] = {0, 0, 0};
    for (const auto& f : findings) ++n[f.severity == "error" ? 0 : f.severity == "warning" ? 1 : 2];
    std::string out = std::to_string(findings.size()) + (findings.size() == 1 ? " finding:" : " findings:");
    const char* names[3] = {" error", " warning", " info"};
    bool first = true;
    for (int i = 0; i < 3; ++i) {
        if (n[i] == 0) continue;
        out += std::string(first ? " " : ", ") + std::to_string(n[i]) + names[i] + (n[i] > 1 && i < 2 ? "s" : "");
        first = false;
    }
    return out;
}

Doctor::Doctor(DoctorOptions options) : options_(std::move(options)), recorder_(recorder_options(options_)) {}

void Doctor::report(std::vector<Finding> found) {
    for (auto& f : found) {
        if (sink_ && (f.severity != "info" || verbose_ >= 2)) sink_(format_finding(f));
        if (options_.on_finding) options_.on_finding(f);
        findings_.push_back(std::move(f));
    }
}

void Doctor::on_train_begin(Sequential& model) {
    findings_.clear();
    sink_ = nullptr;
    const FitContext* ctx = model.fit_context();
    if (!ctx) return;
    verbose_ = ctx->options->verbose;
    // In a sharded fit the doctor must see the epoch logs after their reduction over the shards.
    const auto& callbacks = ctx->options->callbacks;
    const long reduction = ctx->options->shard_count > 1 ? find_shard_reduction(callbacks) : -1;
    for (long i = 0; i < reduction; ++i)
        if (callbacks[static_cast<std::size_t>(i)].get() == this)
            throw ConfigError("the training doctor comes before the callback that reduces over the shards of a "
                              "data-parallel fit (GradientAllreduce) in FitOptions::callbacks, so it would record one "
                              "shard's epoch logs; put it after (fit_with_doctor does)");
    if (options_.print && ctx->options->verbose > 0 && ctx->options->progress) sink_ = ctx->options->progress;
    recorder_.on_train_begin(model);
    auto found = doctor::run_rules(recorder_.record(), doctor::Phase::preflight);
    for (const auto& f : found)
        if (f.severity != "info") recorder_.record().preflight_ids.push_back(f.id);
    report(std::move(found));
}

void Doctor::on_epoch_begin(Sequential& model, int epoch) { recorder_.on_epoch_begin(model, epoch); }

void Doctor::on_train_batch_end(Sequential& model, int batch, const Logs& logs) {
    recorder_.on_train_batch_end(model, batch, logs);
}

int Doctor::batch_end_stride(int epoch) { return recorder_.batch_end_stride(epoch); }

void Doctor::on_epoch_end(Sequential& model, int epoch, Logs& logs) { recorder_.on_epoch_end(model, epoch, logs); }

void Doctor::on_train_end(Sequential& /*model*/) {
    doctor::TrainingRecord& record = recorder_.record();
    record.run.stopped_early = !record.epochs.empty() && record.epochs.back().epoch + 1 < record.config.epochs;
    const std::size_t preflight_count = findings_.size();
    std::vector<std::string> preflight_ids;
    for (const auto& f : findings_) preflight_ids.push_back(f.id);
    auto found = doctor::run_rules(record, doctor::Phase::epoch);
    for (auto& f : doctor::run_rules(record, doctor::Phase::final)) found.push_back(std::move(f));
    for (auto& f : found) findings_.push_back(std::move(f));
    findings_ = doctor::reconcile(std::move(findings_), record);
    // Hand over what training added (reconciled: with its cause and root-first order).
    if (options_.on_finding)
        for (const auto& f : findings_)
            if (std::find(preflight_ids.begin(), preflight_ids.end(), f.id) == preflight_ids.end()) options_.on_finding(f);
    const ProgressSink sink = std::move(sink_);
    sink_ = nullptr;
    if (!sink) return;
    // The pre-flight findings were printed before epoch 1; print the rest once.
    std::vector<const Finding*> fresh;
    std::size_t hidden = 0;
    for (const auto& f : findings_) {
        if (f.severity == "info" && verbose_ < 2) {
            ++hidden;  // before or after training
            continue;
        }
        if (std::find(preflight_ids.begin(), preflight_ids.end(), f.id) == preflight_ids.end()) fresh.push_back(&f);
    }
    std::string line = "doctor: " + count_findings(findings_);
    if (!findings_.empty())
        line += " (" + std::to_string(preflight_count) + " before training" +
                (hidden ? ", " + std::to_string(hidden) + " info not shown: --verbose 2 shows them" : "") + ")";
    sink(line + "\n");
    for (const Finding* f : fresh) sink(format_finding(*f));
}

CallbackPtr make_doctor(DoctorOptions options) { return std::make_shared<Doctor>(std::move(options)); }

std::vector<Finding> preflight(MatrixView x, MatrixView y, const FitOptions& options, const Sequential& model,
                               const DoctorOptions& doctor_options) {
    if (x.rows() != y.rows())
        throw ShapeError("preflight: x has " + std::to_string(x.rows()) + " rows but y has " + std::to_string(y.rows()) +
                         "; give one target row per input row");
    if (!(options.validation_split >= 0.0 && options.validation_split < 1.0))
        throw ConfigError("preflight: validation_split must be in [0, 1); received " + std::to_string(options.validation_split));
    // Exactly the plan fit would make (same split, same seed streams).
    const FitContext ctx = plan_fit(model, x, y, options);
    const doctor::RecordNames names{.features = doctor_options.feature_names, .classes = doctor_options.class_names};
    doctor::TrainingRecord record = doctor::make_preflight_record(ctx, model, names, doctor_options.run);
    return doctor::reconcile(doctor::run_rules(record, doctor::Phase::preflight), record);
}

std::vector<Finding> preflight(const Dataset& data, const FitOptions& options, const Sequential& model, DoctorOptions names) {
    if (names.feature_names.empty()) names.feature_names = data.feature_names;
    if (names.class_names.empty()) names.class_names = data.class_names;
    if (data.is_classification() && model.loss().name() == "categorical_crossentropy" && data.y.cols() == 1)
        return preflight(data.inputs(), to_categorical(data.y, std::max<Index>(model.output_dim(), data.num_classes())), options,
                         model, names);
    return preflight(data.inputs(), data.y, options, model, names);
}

namespace {

// predict.extrapolation from either kind of support (both have contains_rows,
// outside_range_counts, and the training ranges).
template <class AnySupport>
std::vector<Finding> prediction_findings(const AnySupport& support, const Matrix& x, const std::vector<std::string>& feature_names,
                                         const std::vector<double>& train_min, const std::vector<double>& train_max) {
    doctor::PredictionFacts p;
    p.rows = x.rows();
    if (x.rows() > 0) {
        const std::vector<bool> inside = support.contains_rows(x);
        p.outside = static_cast<Index>(std::count(inside.begin(), inside.end(), false));
        p.outside_fraction = static_cast<double>(p.outside) / static_cast<double>(x.rows());
    }
    p.feature_names = feature_names;
    const auto counts = support.outside_range_counts(x);
    for (std::size_t j = 0; j < train_min.size(); ++j) {
        const auto col = static_cast<Index>(j);
        p.train_min.push_back(train_min[j]);
        p.train_max.push_back(train_max[j]);
        p.query_min.push_back(x.rows() > 0 ? static_cast<double>(x.col(col).minCoeff()) : doctor::kNaN);
        p.query_max.push_back(x.rows() > 0 ? static_cast<double>(x.col(col).maxCoeff()) : doctor::kNaN);
        p.outside_range.push_back(counts[j]);
    }
    doctor::TrainingRecord record;
    record.prediction = std::move(p);
    return doctor::run_rules(record, doctor::Phase::predict);
}

}  // namespace

std::vector<Finding> check_prediction(const Support& support, const Matrix& x, const std::vector<std::string>& feature_names) {
    std::vector<double> lo, hi;
    for (Index j = 0; j < support.features(); ++j) {
        lo.push_back(static_cast<double>(support.min()(j)));
        hi.push_back(static_cast<double>(support.max()(j)));
    }
    return prediction_findings(support, x, feature_names, lo, hi);
}

std::vector<Finding> check_prediction(const SupportSummary& support, const Matrix& x, const std::vector<std::string>& feature_names) {
    if (x.cols() != support.features())
        throw ShapeError("check_prediction: rows of " + std::to_string(x.cols()) + " features against a support of " +
                         std::to_string(support.features()));
    return prediction_findings(support, x, feature_names, std::vector<double>(support.min().begin(), support.min().end()),
                               std::vector<double>(support.max().begin(), support.max().end()));
}

}  // namespace plexus
