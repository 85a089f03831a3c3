// fit from Python: Python callables as callbacks and progress sink, Ctrl-C, the doctor's
// findings, and the GIL released while the library trains.
#include <chrono>
#include <optional>

#include "bindings.hpp"
#include "plexus/doctor/doctor.hpp"
#include "plexus/run/fit.hpp"

namespace plexus::python {

namespace {

// What the Python pieces of one fit share: the first Python exception raised inside fit
// (a callback's, the progress sink's, or KeyboardInterrupt), re-raised after fit returns.
struct FitState {
    std::optional<py::error_already_set> error;
    std::chrono::steady_clock::time_point last_signal_check = std::chrono::steady_clock::now();

    // Call with the GIL held: keeps the first error and asks the model to stop.
    void fail(Sequential& model) {
        if (!error) error.emplace();  // fetches the current Python error
        else PyErr_Clear();
        model.stop_training = true;
    }
};

py::dict to_dict(const Logs& logs) {
    py::dict d;
    for (const auto& [k, v] : logs) d[py::str(k)] = v;
    return d;
}

// A Python callback: `hooks` maps Keras hook names (on_train_begin(logs), on_epoch_begin(epoch, logs),
// on_train_batch_end(batch, logs), on_epoch_end(epoch, logs), on_train_end(logs)) to callables;
// absent hooks cost nothing (no GIL). Changes on_epoch_end makes to its logs dict are copied back.
class PyCallback final : public Callback {
public:
    PyCallback(const py::dict& hooks, FitState& state) : state_(state) {
        const auto get = [&](const char* name) { return hooks.contains(name) ? py::object(hooks[name]) : py::object(); };
        train_begin_ = get("on_train_begin");
        epoch_begin_ = get("on_epoch_begin");
        batch_end_ = get("on_train_batch_end");
        epoch_end_ = get("on_epoch_end");
        train_end_ = get("on_train_end");
    }
    bool uses_gradients() const override { return false; }
    void on_train_begin(Sequential& model) override { call(model, train_begin_, [&](auto& f) { f(py::dict()); }); }
    void on_epoch_begin(Sequential& model, int epoch) override {
        call(model, epoch_begin_, [&](auto& f) { f(epoch, py::dict()); });
    }
    void on_train_batch_end(Sequential& model, int batch, const Logs& logs) override {
        call(model, batch_end_, [&](auto& f) { f(batch, to_dict(logs)); });
    }
    int batch_end_stride(int) override { return batch_end_ ? 1 : 0; }  // no hook: fit skips the batches
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override {
        call(model, epoch_end_, [&](auto& f) {
            py::dict d = to_dict(logs);
            f(epoch, d);
            for (const auto& [k, v] : d) logs[py::cast<std::string>(k)] = py::cast<double>(v);
        });
    }
    void on_train_end(Sequential& model) override { call(model, train_end_, [&](auto& f) { f(py::dict()); }); }

private:
    template <typename Body>
    void call(Sequential& model, const py::object& hook, Body body) {
        if (!hook) return;
        py::gil_scoped_acquire gil;
        if (state_.error) return;  // an earlier error ends all Python calls of this fit
        try {
            body(hook);
        } catch (py::error_already_set& e) {
            e.restore();
            state_.fail(model);
        } catch (const py::cast_error&) {
            PyErr_SetString(PyExc_TypeError, "a callback's on_epoch_end set a log to a value that is not a number");
            state_.fail(model);
        }
    }
    py::object train_begin_, epoch_begin_, batch_end_, epoch_end_, train_end_;
    FitState& state_;
};

// Ctrl-C: at most every 20 ms, runs Python's signal handlers (with the GIL); a KeyboardInterrupt
// stops training (at the next point where fit checks stop_training) and is re-raised after fit.
class SignalCheck final : public Callback {
public:
    explicit SignalCheck(FitState& state) : state_(state) {}
    bool uses_gradients() const override { return false; }
    void on_train_batch_end(Sequential& model, int, const Logs&) override { check(model); }
    void on_epoch_end(Sequential& model, int, Logs&) override { check(model); }

private:
    void check(Sequential& model) {
        const auto now = std::chrono::steady_clock::now();
        if (state_.error) model.stop_training = true;
        if (now - state_.last_signal_check < std::chrono::milliseconds(20)) return;
        state_.last_signal_check = now;
        py::gil_scoped_acquire gil;
        if (!state_.error && PyErr_CheckSignals() != 0) state_.fail(model);
    }
    FitState& state_;
};

struct FitOutcome {
    History history;
    std::vector<Finding> findings;
};

// A fit, watched by the doctor (run/fit.hpp) unless doctor is false.
FitOutcome fit_watched(Sequential& model, MatrixView x, MatrixView y, const FitOptions& options, bool doctor,
                       const DoctorOptions& names) {
    if (!doctor) return {model.fit(x, y, options), {}};
    DiagnosedFit fitted = plexus::fit_with_doctor(model, x, y, options, names);
    return {std::move(fitted.history), std::move(fitted.findings)};
}

}  // namespace

py::dict finding_to_python(const Finding& f) {
    py::dict d;
    d["id"] = f.id;
    d["severity"] = f.severity;
    d["message"] = f.message;
    d["evidence"] = json_to_python(f.evidence);
    d["fix"] = f.fix;
    d["epoch"] = f.epoch ? py::object(py::int_(*f.epoch)) : py::object(py::none());
    return d;
}

namespace {

py::dict history_to_python(const FitOutcome& outcome) {
    const History& h = outcome.history;
    py::dict result, split;
    result["epoch"] = h.epoch;
    result["history"] = h.history;
    py::list findings;
    for (const auto& f : outcome.findings) findings.append(finding_to_python(f));
    result["findings"] = findings;
    split["method"] = h.split.method;
    split["train_rows"] = h.split.train_rows;
    split["validation_rows"] = h.split.validation_rows;
    split["train_class_counts"] = h.split.train_class_counts;
    split["validation_class_counts"] = h.split.validation_class_counts;
    split["train_indices"] = h.split.train_indices;
    split["validation_indices"] = h.split.validation_indices;
    result["split"] = split;
    result["train_seconds"] = h.train_seconds;
    result["seed"] = h.seed;
    return result;
}

// fit(model, x, y, options...) -> dict (see history_to_python). Everything Python-facing is
// prepared with the GIL held; the library runs without it. x and y are read in place
// (float32 C-contiguous arrays: no copy; anything else converted once by view_array).
py::dict fit(Sequential& model, const py::handle& x_in, const py::handle& y_in, const py::dict& kw,
             const py::object& validation_data, const py::list& callbacks, const py::object& progress) {
    const ArrayView xv = view_array(x_in, "fit: x"), yv = view_array(y_in, "fit: y", true);
    const MatrixView x = view_of(xv), y = view_of(yv);
    FitState state;
    FitOptions options;
    options.epochs = kw["epochs"].cast<int>();
    options.batch_size = kw["batch_size"].cast<Index>();
    options.shuffle = kw["shuffle"].cast<bool>();
    options.validation_split = kw["validation_split"].cast<double>();
    options.split = split_from_string(kw["split"].cast<std::string>());
    options.class_weight = kw["class_weight"].cast<std::map<int, double>>();
    options.sample_weight = kw["sample_weight"].cast<std::vector<double>>();
    options.initial_epoch = kw["initial_epoch"].cast<int>();
    if (!kw["seed"].is_none()) options.seed = kw["seed"].cast<std::uint64_t>();
    options.verbose = kw["verbose"].cast<int>();
    const DoctorOptions names{.feature_names = kw["feature_names"].cast<std::vector<std::string>>(),
                              .class_names = kw["class_names"].cast<std::vector<std::string>>()};
    if (!validation_data.is_none()) {
        const auto pair = validation_data.cast<py::tuple>();
        if (pair.size() != 2) throw ConfigError("fit: validation_data must be a pair (x_val, y_val)");
        options.validation_data.emplace(copy_matrix(view_array(pair[0], "fit: validation_data x")),
                                        copy_matrix(view_array(pair[1], "fit: validation_data y", true)));
    }
    if (!progress.is_none()) {
        // Captures pointers only: the sink is copied inside fit without the GIL.
        options.progress = [sink = &progress, st = &state, m = &model](std::string_view text) {
            py::gil_scoped_acquire gil;
            if (st->error) return;
            try {
                (*sink)(py::str(text.data(), text.size()));
            } catch (py::error_already_set& e) {
                e.restore();
                st->fail(*m);
            }
        };
    }
    for (const auto& cb : callbacks) {
        if (py::isinstance<Callback>(cb)) options.callbacks.push_back(cb.cast<CallbackPtr>());
        else options.callbacks.push_back(std::make_shared<PyCallback>(cb.cast<py::dict>(), state));
    }
    options.callbacks.push_back(std::make_shared<SignalCheck>(state));
    if (kw.contains("distributed") && kw["distributed"].cast<bool>()) configure_data_parallel(options);
    const bool doctor = kw["doctor"].cast<bool>();

    std::optional<FitOutcome> outcome;
    {
        py::gil_scoped_release release;
        outcome.emplace(fit_watched(model, x, y, options, doctor, names));
    }
    if (state.error) {
        py::error_already_set error = std::move(*state.error);
        state.error.reset();
        throw error;
    }
    return history_to_python(*outcome);
}

}  // namespace

void register_fit(py::module_& m, py::class_<Sequential>& model) {
    py::class_<Callback, CallbackPtr>(m, "Callback", "A callback implemented in C++ (EarlyStopping, ...).");
    model.def("fit", &fit, py::arg("x"), py::arg("y"), py::arg("options"), py::arg("validation_data") = py::none(),
              py::arg("callbacks") = py::list(), py::arg("progress") = py::none());
    m.def("early_stopping", [](const std::string& monitor, double min_delta, int patience, const std::string& mode,
                               std::optional<double> baseline, bool restore_best_weights, int start_from_epoch) {
        return CallbackPtr(std::make_shared<EarlyStopping>(EarlyStoppingOptions{
            monitor, min_delta, patience, mode, baseline, restore_best_weights, start_from_epoch}));
    });
    m.def("model_checkpoint", [](const std::string& filepath, const std::string& monitor, bool save_best_only,
                                 const std::string& mode) {
        return CallbackPtr(std::make_shared<ModelCheckpoint>(ModelCheckpointOptions{filepath, monitor, save_best_only, mode}));
    });
    m.def("reduce_lr_on_plateau", [](const std::string& monitor, double factor, int patience, const std::string& mode,
                                     double min_delta, int cooldown, double min_lr) {
        return CallbackPtr(std::make_shared<ReduceLROnPlateau>(
            ReduceLROnPlateauOptions{monitor, factor, patience, mode, min_delta, cooldown, min_lr}));
    });
    m.def("terminate_on_nan", [] { return CallbackPtr(std::make_shared<TerminateOnNaN>()); });
    m.def("csv_logger", [](const std::string& filename, bool append) {
        return CallbackPtr(std::make_shared<CSVLogger>(filename, append));
    });
}

}  // namespace plexus::python
