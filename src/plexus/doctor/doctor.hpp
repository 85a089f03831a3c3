// The training doctor: finds, explains and suggests fixes for what goes wrong
// before, during and after training.
//
// It is a callback: attach it to a fit (run/fit.hpp's fit_with_doctor, the
// CLI, the Python package and the web playground all do). It records
// statistics (Recorder), runs the pre-flight rules at on_train_begin and the
// epoch and final rules at on_train_end (rules.hpp), keeps every Finding
// (findings()), and prints them through the fit's progress sink when verbose > 0:
//
//   doctor: [warning] split.label_shift: The validation rows are the last 20% ...
//           fix: use split = Split::stratified in FitOptions (CLI: --split stratified)
//
// Pre-flight findings are printed before epoch 1, the training findings after
// fit, each once, under a count line ("doctor: 2 findings: 1 error, 1 warning").
// Info-level findings are printed only with verbose >= 2 (they are always in
// findings()). After fit the findings are reconciled (reconcile.hpp): no
// contradictions, symptoms of a divergence removed, each with its root `cause`,
// roots first.
//
//   // Attach it by hand, e.g. with feature names for its messages:
//   auto doctor = std::make_shared<Doctor>(DoctorOptions{.feature_names = data.feature_names});
//   model.fit(x, y, {.epochs = 300, .callbacks = {doctor}});
//   for (const Finding& f : doctor->findings()) ...
//
//   // Pre-flight checks alone, without training (`plexus doctor`):
//   std::vector<Finding> found = preflight(data, fit_options, model);
//
//   // At prediction, against the training rows' support:
//   std::vector<Finding> found = check_prediction(Support::fit(x_train), grid);
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "plexus/model/callback.hpp"
#include "plexus/data/dataset.hpp"
#include "plexus/data/support_summary.hpp"
#include "plexus/doctor/recorder.hpp"
#include "plexus/doctor/finding.hpp"
#include "plexus/model/fit_options.hpp"

namespace plexus {

class Sequential;
class Support;

struct DoctorOptions {
    std::vector<std::string> feature_names;  // for messages; default "x0", "x1", ...
    std::vector<std::string> class_names;    // for messages; default "0", "1", ...
    Index max_sampled_batches = 8;           // batches examined per epoch (see Recorder)
    int max_sampled_epochs = 50;             // epochs with layer statistics (see Recorder)
    bool print = true;                       // print through FitOptions::progress when verbose > 0
    // What the run does beyond the model and FitOptions (--standardize, the
    // target's standardization, EarlyStopping's patience, the inputs' scaling for
    // messages in the user's units). Unset flags are measured on the data.
    doctor::RunSettings run;
    // Called with each finding as it is reported (pre-flight ones at on_train_begin, the
    // others at on_train_end), on the training thread; e.g. a web page showing them live.
    std::function<void(const Finding&)> on_finding;
};

class Doctor final : public Callback {
public:
    explicit Doctor(DoctorOptions options = {});

    bool uses_gradients() const override { return false; }
    void on_train_begin(Sequential& model) override;
    void on_epoch_begin(Sequential& model, int epoch) override;
    void on_train_batch_end(Sequential& model, int batch, const Logs& logs) override;
    int batch_end_stride(int epoch) override;
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;
    void on_train_end(Sequential& model) override;

    // The findings of the current (or last) fit, in the order reported.
    const std::vector<Finding>& findings() const { return findings_; }
    // The statistics the rules looked at.
    const doctor::TrainingRecord& record() const { return recorder_.record(); }

private:
    void report(std::vector<Finding> found);

    DoctorOptions options_;
    doctor::Recorder recorder_;
    std::vector<Finding> findings_;
    ProgressSink sink_;
    int verbose_ = 0;
};

// A Doctor with these options, as a callback.
CallbackPtr make_doctor(DoctorOptions options = {});

// Runs the pre-flight rules alone, without training: splits x/y as fit would
// (same FitOptions, same seed) and checks the data, the split and the model's
// configuration. The model must be compiled. Label-encoding problems that fit
// would throw for are reported as config.labels_mismatch findings instead.
// Throws ShapeError if x and y have different row counts, ConfigError for an
// invalid validation_split or an uncompiled model.
// x and y are read in place (see MatrixView).
std::vector<Finding> preflight(MatrixView x, MatrixView y, const FitOptions& options, const Sequential& model,
                               const DoctorOptions& doctor_options = {});
inline std::vector<Finding> preflight(const Matrix& x, const Matrix& y, const FitOptions& options, const Sequential& model,
                                      const DoctorOptions& doctor_options = {}) {
    return preflight(MatrixView(x), MatrixView(y), options, model, doctor_options);
}
// The same on a Dataset, with its feature and class names (class indices are
// one-hot encoded first when the model's loss is categorical_crossentropy).
std::vector<Finding> preflight(const Dataset& data, const FitOptions& options, const Sequential& model,
                               DoctorOptions doctor_options = {});

// predict.extrapolation for rows x against the training support: a finding
// with the share of rows outside it (none if every row is inside).
std::vector<Finding> check_prediction(const Support& support, const Matrix& x,
                                      const std::vector<std::string>& feature_names = {});
// The same against the summary a model file stores (no training rows needed).
std::vector<Finding> check_prediction(const SupportSummary& support, const Matrix& x,
                                      const std::vector<std::string>& feature_names = {});

// "doctor: [warning] split.label_shift: <message>\n        fix: <fix>\n"
// (and "        cause: <root id>\n" for a finding with another root cause).
std::string format_finding(const Finding& finding);

// "2 findings: 1 error, 1 warning", "1 finding: 1 info", "no findings".
std::string count_findings(const std::vector<Finding>& findings);

}  // namespace plexus
