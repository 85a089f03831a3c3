// The run pipeline; see pipeline.hpp. One Training object per run, one
// method per stage, in the order run_training calls them.
#include "plexus/run/pipeline.hpp"

#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "plexus/callbacks/callbacks.hpp"
#include "plexus/core/registry.hpp"
#include "plexus/core/rng.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/data/column_stats.hpp"
#include "plexus/doctor/doctor.hpp"
#include "plexus/model/fit_plan.hpp"
#include "plexus/run/data_source.hpp"
#include "plexus/run/evaluation.hpp"
#include "plexus/run/fit.hpp"
#include "plexus/run/outputs.hpp"
#include "plexus/run/recipe.hpp"
#include "plexus/run/checkpoint.hpp"
#include "plexus/run/report.hpp"
#include "plexus/run/run_folder.hpp"
#include "plexus/run/target_scaling.hpp"
#include "plexus/run/table_source.hpp"
#include "plexus/run/trained_model.hpp"

namespace plexus::run {
namespace fs = std::filesystem;
using json = nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// Whether rows is 0, 1, ..., n-1 (every row in order: a part that needs no copy).
bool every_row(const RowList& rows, Index n) {
    if (static_cast<Index>(rows.size()) != n) return false;
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (rows[i] != static_cast<Index>(i)) return false;
    return true;
}

// At most `cap` of `rows` (all when cap is 0 or there are no more), chosen uniformly with
// the seed and kept in their order (selection sampling: one pass, no copy of rows).
RowList sample_rows(const RowList& rows, Index cap, std::uint64_t seed) {
    const auto n = static_cast<Index>(rows.size());
    if (cap <= 0 || n <= cap) return rows;
    Rng rng(seed ^ 0x6A09E667F3BCC909ULL);  // its own stream: the split, shuffle and weights are untouched
    RowList out;
    out.reserve(static_cast<std::size_t>(cap));
    for (Index i = 0; i < n && static_cast<Index>(out.size()) < cap; ++i)
        if (rng.uniform() * static_cast<double>(n - i) < static_cast<double>(cap - static_cast<Index>(out.size())))
            out.push_back(rows[static_cast<std::size_t>(i)]);
    return out;
}

// The epochs of a report's history before `epochs` (a report written after its model's
// checkpoint may hold epochs the model does not have).
json truncated_history(const json& history, int epochs) {
    if (!history.is_object() || !history.contains("epoch") || !history["epoch"].is_array()) return history;
    std::size_t keep = 0;
    while (keep < history["epoch"].size() && history["epoch"][keep].is_number_integer() && history["epoch"][keep].get<int>() < epochs) ++keep;
    json out = json::object();
    for (auto it = history.begin(); it != history.end(); ++it) {
        json values = json::array();
        for (std::size_t i = 0; i < keep && it->is_array() && i < it->size(); ++i) values.push_back((*it)[i]);
        out[it.key()] = values;
    }
    return out;
}

class Training {
public:
    explicit Training(const TrainRequest& request) : request_(request), cfg_(request.config) {}

    TrainResult run() {
        validate(cfg_, resuming());
        open_resumed();
        // The run folder first: an --out that holds another run, is locked or cannot be
        // written is refused before the data is read (a folder this run creates is removed
        // again if loading or planning fails).
        std::optional<RunFolder> folder;
        if (request_.write_files && !request_.preflight_only) folder.emplace(request_.out_dir, resuming_in_place(), request_.overwrite);
        load();
        const auto prepare_start = Clock::now();
        make_model();
        plan();
        if (request_.preflight_only) return preflight();
        prepare_seconds_ = seconds_since(prepare_start);
        fit(folder ? &*folder : nullptr);
        const auto evaluate_start = Clock::now();
        evaluate();
        evaluate_seconds_ = seconds_since(evaluate_start);
        if (folder) write(*folder, "");
        else result_.report = build_report(facts(result_.history, result_.interrupted ? "interrupted" : ""));
        result_.model = std::move(model_);
        take_split();
        return std::move(result_);
    }

private:
    bool resuming() const { return !request_.resume_dir.empty(); }
    // Resuming into the folder the run came from (the usual case).
    bool resuming_in_place() const {
        std::error_code ec;
        return resuming() && fs::equivalent(fs::path(resumed_->path).parent_path().empty() ? "." : fs::path(resumed_->path).parent_path(),
                                            request_.out_dir, ec);
    }

    // The split's rows: in fit's plan while fit runs (moved there, not copied), else parts_.
    const RowList& train_rows() const {
        const FitContext* plan = model_.fit_context();
        return plan ? plan->train_rows : parts_.train;
    }
    const RowList& validation_rows() const {
        const FitContext* plan = model_.fit_context();
        return plan ? plan->validation_rows : parts_.validation;
    }
    void open_resumed();
    void load();
    void make_model();
    void plan();
    void scale_target();
    DoctorOptions doctor_options() const;
    TrainResult preflight();
    void take_split();
    FitOptions fit_options() const;
    void add_callbacks(FitOptions& fit, const RunFolder* folder);
    void fit(const RunFolder* folder);
    void evaluate();
    RunFacts facts(const History& history, const std::string& status);
    void write(const RunFolder& folder, const std::string& status);
    void write_checkpoint(const RunFolder& folder, Sequential& model, int epochs_done, const History& so_far);

    const TrainRequest& request_;
    RunConfig cfg_;
    const Clock::time_point start_ = Clock::now();
    TrainResult result_;
    std::optional<ModelFile> resumed_;
    json previous_history_;
    double load_seconds_ = 0, prepare_seconds_ = 0, evaluate_seconds_ = 0;
    Sequential model_;
    MatrixView y_;      // the targets fit is given: result_.data.y in place, or y_owned_
    Matrix y_owned_;    // encoded (one-hot) or standardized targets, when they differ from data.y
    double baseline_loss_ = std::numeric_limits<double>::quiet_NaN();
    MatrixView x_;  // the model's inputs: result_.inputs when standardized, else result_.data.inputs() (maybe mapped)
    SplitIndices parts_;
    std::map<int, double> class_weight_;
    int initial_epoch_ = 0;
    std::string monitor_;
    std::shared_ptr<EarlyStopping> early_;
    int checkpoint_epoch_ = -1;
    bool finite_ = true;
    json final_train_, final_val_;
    std::shared_ptr<Checkpoints> checkpoints_;
    std::shared_ptr<ValidationPass> validation_pass_;  // fit's latest pass over the validation rows
    PreparedData prepared_;  // test rows, preprocessor, table findings (table_source.hpp)
    json final_test_;
};

void Training::open_resumed() {
    if (!resuming()) return;
    resumed_ = open_model(request_.resume_dir, "--resume", {.model = request_.config.model.limits});
    const fs::path report_path = fs::path(resumed_->path).parent_path() / "report.json";
    std::error_code ec;
    if (fs::exists(report_path, ec)) {
        try {
            previous_history_ = truncated_history(json::parse(read_file_bytes(report_path.string())).value("history", json::object()),
                                                  resumed_->metadata().epoch);
        } catch (const json::exception&) {
            throw IoError(report_path.string() + ": not valid JSON; fix: restore the run's report.json or remove it to resume without its history");
        }
    }
    const int done = resumed_->metadata().epoch;
    if (cfg_.fit.epochs <= done)
        throw UsageError(fmt::format("--epochs {}: the run in {} has already done {} epochs; fix: give a larger total, e.g. --epochs {}",
                                     cfg_.fit.epochs, request_.resume_dir, done, done + 10));
    initial_epoch_ = done;
}

void Training::load() {
    const auto load_start = Clock::now();
    prepared_ = prepare_training_data(cfg_, resuming() ? preprocessor_from_extra(resumed_->metadata().extra) : std::nullopt,
                                      request_.held_out_rows);
    result_.data = std::move(prepared_.data);
    const Dataset& data = result_.data;
    if (data.is_classification() && data.num_classes() < 2)
        throw DataError(data.source + ": only one class; fix: classification needs at least two classes in the target column");
    load_seconds_ = seconds_since(load_start);
}

void Training::make_model() {
    const Dataset& data = result_.data;
    if (resuming()) {
        const auto& meta = resumed_->metadata();
        if (data.features() != resumed_->input_dim())
            throw DataError(fmt::format("{}: has {} features but the model in {} takes {}; fix: resume with the data it was trained on",
                                        data.source, data.features(), request_.resume_dir, resumed_->input_dim()));
        if (data.is_classification() && data.class_names != meta.class_names)
            throw DataError(data.source + ": classes (" + join(data.class_names) + ") differ from the model's (" + join(meta.class_names) +
                            "); fix: resume with the data the run in " + request_.resume_dir + " was trained on");
        model_ = std::move(resumed_->loaded.model);
        result_.standardizer = resumed_->standardizer;
        if (request_.resume_lr) model_.optimizer().set_base_learning_rate(*request_.resume_lr);
    } else {
        model_ = build_model(cfg_.model, data, cfg_.fit.seed);
    }
    // Targets as the loss wants them; the library's check names the encoding it needs.
    const std::string loss_name = model_.loss().name();
    if (targets_used_as_is(data, loss_name, model_.output_dim())) {
        y_ = data.y;  // no copy of the targets
    } else {
        y_owned_ = encode_targets(data, loss_name, model_.output_dim());
        y_ = y_owned_;
    }
    try {
        model_.loss().check_targets(model_.output_dim(), y_.map());
    } catch (const Error& e) {
        // `plexus doctor` reports it as a finding (config.labels_mismatch).
        if (!request_.preflight_only) throw UsageError(std::string("--loss ") + loss_name + ": " + e.what());
    }
}

// The split fit will make (plan_split: the same function and seed stream), so the
// standardizer and the feature ranges see the training rows only.
void Training::plan() {
    const Dataset& data = result_.data;
    const FitOptions split_options{.validation_split = cfg_.fit.validation_split, .split = split_from_string(cfg_.fit.split),
                                   .seed = cfg_.fit.seed};
    try {
        parts_ = plan_split(model_, y_, split_options);
    } catch (const ConfigError&) {
        throw UsageError(fmt::format("--validation-split {}: leaves no training rows out of {}; fix: use a smaller fraction",
                                     cfg_.fit.validation_split, data.rows()));
    }
    // The training rows are read in place, through their indices (no copy of them: the
    // data may be most of the machine's memory); only --standardize and
    // --store-training-rows gather them.
    const auto x_raw = data.inputs().map();
    const RowList& train = parts_.train;
    const bool all_rows = every_row(train, data.rows());
    const auto gathered = [&] { return all_rows ? Matrix(x_raw) : take_rows(x_raw, train); };
    if (cfg_.fit.standardize && !resuming()) {
        Standardizer s;
        s.fit(gathered());
        result_.standardizer = s;
    }
    // A standardized copy only when standardizing (TrainResult::inputs stays empty otherwise).
    if (result_.standardizer) result_.inputs = result_.standardizer->transform(data.inputs().map());
    x_ = result_.standardizer ? MatrixView(result_.inputs) : data.inputs();

    // Metadata saved with the model (and its checkpoints).
    ModelMetadata& metadata = result_.metadata;
    metadata.class_names = data.class_names;
    metadata.feature_names = data.feature_names;
    // One pass over the training rows, read in place: their ranges, and whether all are finite.
    const ColumnStats ranges = column_stats(x_raw.data(), x_raw.cols(), static_cast<Index>(train.size()), all_rows ? nullptr : train.data());
    for (std::size_t j = 0; j < ranges.min.size(); ++j) metadata.feature_ranges.emplace_back(ranges.min[j], ranges.max[j]);
    metadata.extra = {{"train_config", to_json(cfg_)}, {"target_name", data.target_name}, {"source", data.source}};
    if (result_.standardizer) metadata.extra["standardizer"] = to_json(*result_.standardizer);
    if (prepared_.preprocessor) {  // fitted on exactly fit's training rows (the proof against leaks)
        if (!resuming() && prepared_.preprocessor_rows != parts_.train) throw std::logic_error("preprocessor rows differ from the fit's training rows");
        metadata.extra["preprocessor"] = prepared_.preprocessor->to_json();
    }
    // Where the training rows lie, without any of them (unless --store-training-rows).
    const nlohmann::json& before = resuming() ? resumed_->metadata().extra : nlohmann::json::object();
    if (before.contains("support_summary")) metadata.extra["support_summary"] = before["support_summary"];
    else if (!train.empty() && x_raw.cols() <= SupportSummary::kMaxFeatures && ranges.finite)
        metadata.extra["support_summary"] = all_rows ? support_summary_text(x_raw, cfg_.fit.seed) : support_summary_text(x_raw, train, cfg_.fit.seed);
    if (cfg_.fit.store_training_rows)
        metadata.extra["support_sample"] = before.contains("support_sample") ? before["support_sample"] : support_sample_json(gathered());
    class_weight_ = class_weights(cfg_.fit.class_weight, data, parts_.train);
    scale_target();
    // The loss of the best constant prediction on the training targets (read in place).
    baseline_loss_ = doctor::baseline_loss(model_.loss().name(), RowView{y_, &parts_.train}, model_.output_dim(),
                                           model_.compile_options().huber_delta);
}

// --standardize-target (target_scaling.hpp), stored with the model.
void Training::scale_target() {
    TargetScaling t = resuming() ? TargetScaling{resumed_->target_standardizer, ""}
                                 : choose_target_scaling(result_.data, result_.data.y, parts_.train, cfg_.fit.standardize_target);
    result_.target_standardizer = std::move(t.standardizer);
    result_.target_scaling_note = std::move(t.note);
    if (!result_.target_standardizer) return;
    y_owned_ = result_.target_standardizer->transform(y_.map());
    y_ = y_owned_;
    result_.metadata.extra["target_standardizer"] = to_json(*result_.target_standardizer);
}

DoctorOptions Training::doctor_options() const {
    return run_doctor_options(result_.data, result_.standardizer, result_.target_standardizer, cfg_.fit.early_stopping);
}

// The fit options of the configuration (the callbacks and the output come later).
FitOptions Training::fit_options() const {
    return {.epochs = cfg_.fit.epochs,
            .batch_size = cfg_.fit.batch_size,
            .shuffle = cfg_.fit.shuffle,
            .validation_split = cfg_.fit.validation_split,
            .split = parts_.method,
            .class_weight = class_weight_,
            .initial_epoch = initial_epoch_,
            .seed = cfg_.fit.seed};
}

// `plexus doctor`: the pre-flight rules on what fit would be given, then stop.
TrainResult Training::preflight() {
    const Dataset& data = result_.data;
    try {
        result_.findings = plexus::preflight(x_, y_, fit_options(), model_, doctor_options());
        result_.findings.insert(result_.findings.begin(), prepared_.findings.begin(), prepared_.findings.end());
    } catch (const ConfigError& e) {
        throw UsageError(std::string("training options: ") + e.what());
    }
    result_.report = {{"config", to_json(cfg_)},
                      {"data", {{"source", data.source}, {"rows", data.rows()}, {"features", data.features()},
                                {"task", data.is_classification() ? "classification" : "regression"}}},
                      {"split", {{"method", to_string(parts_.method)}, {"validation_split", cfg_.fit.validation_split},
                                 {"train_rows", parts_.train.size()}, {"validation_rows", parts_.validation.size()}}},
                      {"resolved", {{"output_activation", output_activation(model_)}, {"loss", model_.loss().name()},
                                    {"from_logits", model_.compile_options().from_logits}}}};
    result_.model = std::move(model_);
    take_split();
    return std::move(result_);
}

// The split's rows into the result, moved at the end (a copy would hold another 8 bytes
// per row through the whole fit).
void Training::take_split() {
    result_.train_rows = std::move(parts_.train);
    result_.validation_rows = std::move(parts_.validation);
}

void Training::add_callbacks(FitOptions& fit, const RunFolder* folder) {
    monitor_ = !cfg_.fit.monitor.empty() ? cfg_.fit.monitor : (cfg_.fit.validation_split > 0 ? "val_loss" : "loss");
    if (cfg_.fit.early_stopping > 0) {
        early_ = std::make_shared<EarlyStopping>(
            EarlyStoppingOptions{.monitor = monitor_, .patience = cfg_.fit.early_stopping, .restore_best_weights = cfg_.fit.restore_best_weights});
        fit.callbacks.push_back(early_);
    }
    if (cfg_.fit.reduce_lr_on_plateau > 0)
        fit.callbacks.push_back(std::make_shared<ReduceLROnPlateau>(
            ReduceLROnPlateauOptions{.monitor = monitor_, .factor = cfg_.fit.reduce_lr_factor, .patience = cfg_.fit.reduce_lr_on_plateau}));
    if (cfg_.fit.checkpoint && folder) {
        result_.checkpoint_path = folder->file("best.plexus");
        auto best = std::make_shared<Monitor>(monitor_, "auto", 0.0);
        best->reset();
        fit.callbacks.push_back(std::make_shared<LambdaCallback>(LambdaCallbackOptions{.on_epoch_end = [this, best](Sequential& m, int epoch, Logs& logs) {
            const double v = best->value(logs);
            if (!std::isfinite(v) || !best->improved(v)) return;
            best->update(v);
            ModelMetadata md = result_.metadata;
            md.epoch = epoch + 1;
            save_model(m, result_.checkpoint_path, md);
            checkpoint_epoch_ = epoch;
        }}));
    }
    fit.callbacks.push_back(std::make_shared<TerminateOnNaN>());
    CheckpointOptions checkpoint{.every = request_.checkpoint_every, .interrupt = request_.interrupt};
    if (folder)
        checkpoint.save = [this, folder](Sequential& m, int done, const History& so_far) { write_checkpoint(*folder, m, done, so_far); };
    checkpoints_ = std::make_shared<Checkpoints>(std::move(checkpoint));
    fit.callbacks.push_back(checkpoints_);
    for (const auto& cb : request_.callbacks) fit.callbacks.push_back(cb);
}

void Training::fit(const RunFolder* folder) {
    const Dataset& data = result_.data;
    FitOptions fit = fit_options();
    add_callbacks(fit, folder);
    if (cfg_.fit.validation_split > 0) fit.keep_validation = validation_pass_ = std::make_shared<ValidationPass>();
    fit.verbose = cfg_.fit.verbose >= 0 ? cfg_.fit.verbose : (request_.interactive ? 1 : 2);
    fit.progress = request_.progress;
    // The doctor first (it sees every batch before the others), then whatever the front end adds.
    DoctorOptions watch = doctor_options();
    watch.on_finding = request_.on_finding;
    auto doctor = std::make_shared<Doctor>(std::move(watch));
    fit.callbacks.insert(fit.callbacks.begin(), doctor);
    if (request_.configure_fit) {
        request_.configure_fit(fit);
        if (fit.validation_split != cfg_.fit.validation_split || fit.split != parts_.method || fit.seed != cfg_.fit.seed ||
            fit.validation_data)
            throw std::logic_error("TrainRequest::configure_fit changed the split options; the run planned its split before");
    }
    result_.verbose = fit.progress ? fit.verbose : 0;  // > 0: the doctor printed its findings
    if (request_.progress && cfg_.fit.verbose != 0)
        request_.progress(fmt::format("Training on {}: {} rows, {} features{}; {} split, validation {:.2f}; {} parameters; epochs {}-{}\n",
                                      data.source, data.rows(), data.features(),
                                      data.is_classification() ? ", " + std::to_string(data.num_classes()) + " classes" : "",
                                      to_string(parts_.method), cfg_.fit.validation_split, model_.count_params(), initial_epoch_ + 1,
                                      cfg_.fit.epochs));
    if (result_.verbose > 0 && !result_.target_scaling_note.empty()) request_.progress("Note: " + result_.target_scaling_note + "\n");
    if (result_.verbose > 0 && prepared_.preprocessor) request_.progress("Columns:\n" + prepared_.preprocessor->describe());
    for (const auto& f : prepared_.findings) {
        if (result_.verbose > 0) request_.progress(format_finding(f));
        if (request_.on_finding) request_.on_finding(f);
    }
    try {
        // The split moves into fit's plan and back out of its history: one copy of the row
        // indices through the whole run (checkpoints read it through model_.fit_context()).
        result_.history = model_.fit(plan_fit(model_, x_, y_, fit, std::move(parts_)));
        parts_.train = std::move(result_.history.split.train_indices);
        parts_.validation = std::move(result_.history.split.validation_indices);
        result_.findings = doctor->findings();
        result_.findings.insert(result_.findings.begin(), prepared_.findings.begin(), prepared_.findings.end());
    } catch (const ConfigError& e) {
        throw UsageError(std::string("training options: ") + e.what());
    }
    if (checkpoints_->interrupted()) {
        checkpoints_->restore_last_epoch(model_, result_.history);
        result_.interrupted = true;
    }
    for (const Scalar v : model_.parameters()) finite_ = finite_ && std::isfinite(v);
    result_.diverged = !finite_;
    result_.metadata.epoch = result_.history.epoch.empty() ? initial_epoch_ : result_.history.epoch.back() + 1;
}

// The final model on both parts (not when it diverged).
void Training::evaluate() {
    if (!finite_) return;
    const Dataset& data = result_.data;
    const auto* target = result_.target_standardizer ? &*result_.target_standardizer : nullptr;
    const auto labels_of = [&](const RowList& rows) {
        std::vector<int> li;
        if (data.is_classification()) {
            li.reserve(rows.size());
            for (Index r : rows) li.push_back(data.label(r));
        }
        return li;
    };
    // Each part is read in place through its row indices (batches gathered as fit gathers them).
    auto part = [&](const RowList& rows) {
        const std::vector<int> li = labels_of(rows);
        if (every_row(rows, x_.rows())) return evaluation_json(model_, x_.map(), Matrix(y_.map()), li, data.class_names, target);
        return evaluation_json(model_, RowView{x_, &rows}, take_rows(y_.map(), rows), li, data.class_names, target);
    };
    // final.train on at most --final-train-rows of the training rows (a seeded sample: a pass
    // over every training row can cost as much as an epoch); "sample_of" says so.
    const RowList train = sample_rows(parts_.train, cfg_.fit.final_train_rows, cfg_.fit.seed);
    final_train_ = part(train);
    if (train.size() < parts_.train.size()) final_train_["sample_of"] = parts_.train.size();
    // final.validation: the last epoch's validation pass already ran the final model over every
    // validation row, unless a callback restored other weights since (early stopping, an
    // interrupt): then its outputs serve again instead of a second pass.
    const RowList& val = parts_.validation;
    if (val.empty()) {
        final_val_ = json();
    } else if (validation_pass_ && validation_pass_->matches(model_.parameters()) &&
               validation_pass_->outputs.rows() == static_cast<Index>(val.size())) {
        final_val_ = evaluation_json(model_, std::move(*validation_pass_), take_rows(y_.map(), val), labels_of(val),
                                     data.class_names, target);
    } else {
        final_val_ = part(val);
    }
    validation_pass_.reset();
    if (prepared_.test) final_test_ = evaluate_test(model_, *prepared_.test, result_.standardizer);
}

RunFacts Training::facts(const History& history, const std::string& status) {
    return RunFacts{.config = cfg_,
                    .data = result_.data,
                    .model = model_,
                    .history = history,
                    .findings = result_.findings,
                    .metadata = result_.metadata,
                    .standardizer = result_.standardizer,
                    .train_rows = train_rows(),
                    .validation_rows = validation_rows(),
                    .method = parts_.method,
                    .monitor = monitor_,
                    .command = request_.command,
                    .resumed_from = request_.resume_dir,
                    .previous_history = previous_history_,
                    .initial_epoch = initial_epoch_,
                    .epochs_done = result_.metadata.epoch,
                    .finite = finite_,
                    .status = status,
                    .stopped_epoch = early_ ? early_->stopped_epoch() : -1,
                    .best_epoch = early_ ? early_->best_epoch() : -1,
                    .early_stopping = early_ != nullptr,
                    .checkpoint_epoch = checkpoint_epoch_,
                    .final_train = final_train_,
                    .final_validation = final_val_,
                    .load_seconds = load_seconds_,
                    .total_seconds = seconds_since(start_),
                    .prepare_seconds = prepare_seconds_,
                    .evaluate_seconds = evaluate_seconds_,
                    .target_standardizer = result_.target_standardizer,
                    .baseline_loss = baseline_loss_};
}

// A resumable checkpoint during fit: history and report first, then the model, so a
// report never has fewer epochs than the model beside it (resume truncates the other way).
void Training::write_checkpoint(const RunFolder& folder, Sequential& model, int epochs_done, const History& so_far) {
    for (const Scalar v : model.parameters())
        if (!std::isfinite(v)) return;  // nothing worth resuming from
    ModelMetadata metadata = result_.metadata;
    metadata.epoch = epochs_done;
    ModelMetadata saved = result_.metadata;
    result_.metadata.epoch = epochs_done;
    const json report = build_report(facts(so_far, "running"));
    result_.metadata = saved;
    write_file_atomic(folder.file("history.csv"), history_csv(report["history"]));
    write_file_atomic(folder.file("report.json"), [&report](std::ostream& out) { out << std::setw(2) << report << '\n'; });
    save_model(model, folder.file("model.plexus"), metadata);
}

// The final files: history and report, then the model (the model last, as at checkpoints).
void Training::write(const RunFolder& folder, const std::string& status) {
    result_.report = build_report(facts(result_.history, result_.interrupted ? "interrupted" : status));
    add_table_report(result_.report, prepared_, final_test_);
    result_.history_path = folder.file("history.csv");
    write_file_atomic(result_.history_path, history_csv(result_.report["history"]));
    result_.report_path = folder.file("report.json");
    // Streamed to the file (the same bytes as dump(2)): a large table's report lists
    // hundreds of thousands of validation rows, and a string of it is megabytes more.
    write_file_atomic(result_.report_path, [this](std::ostream& out) { out << std::setw(2) << result_.report << '\n'; });
    if (finite_) {
        result_.model_path = folder.file("model.plexus");
        save_model(model_, result_.model_path, result_.metadata);
    }
    if (checkpoint_epoch_ < 0) result_.checkpoint_path.clear();
}

}  // namespace

TrainResult run_training(const TrainRequest& request) { return Training(request).run(); }

}  // namespace plexus::run
