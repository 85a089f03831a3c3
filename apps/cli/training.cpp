// The command line's side of a training run; see training.hpp.
#include "training.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <optional>

#include <fmt/format.h>

#include "plexus/run/recipe.hpp"
#include "terminal.hpp"
#ifdef PLEXUS_HAVE_MPI
#include "plexus/distributed/data_parallel.hpp"
#include "plexus/distributed/sweep.hpp"
#endif

namespace plexus::cli {
namespace {

using json = nlohmann::json;

std::string counts_text(const std::vector<std::string>& names, const std::vector<Index>& counts) {
    std::string s;
    for (std::size_t i = 0; i < counts.size() && i < names.size(); ++i) s += (i ? ", " : "") + names[i] + ": " + std::to_string(counts[i]);
    return s;
}

std::string metrics_text(const json& metrics, const std::vector<std::string>& keys) {
    std::string s;
    for (const auto& k : keys)
        if (metrics.contains(k) && metrics[k].is_number()) s += (s.empty() ? "" : "  ") + k + " " + fmt_num(metrics[k].get<double>());
    return s;
}

void print_split(const TrainResult& r) {
    const Dataset& data = r.data;
    if (r.validation_rows.empty()) {
        std::printf("  split:      %zu training rows, no validation rows\n", r.train_rows.size());
    } else if (data.is_classification()) {
        std::printf("  split:      %zu training rows (%s), %zu validation rows (%s)\n", r.train_rows.size(),
                    counts_text(data.class_names, run::count_classes(data, r.train_rows)).c_str(), r.validation_rows.size(),
                    counts_text(data.class_names, run::count_classes(data, r.validation_rows)).c_str());
    } else {
        std::printf("  split:      %zu training rows, %zu validation rows\n", r.train_rows.size(), r.validation_rows.size());
    }
}

void print_findings(const TrainResult& r) {
    if (r.findings.empty()) {
        std::printf("  findings:   none\n");
    } else if (r.verbose > 0) {
        // The doctor has printed them in full through the progress sink.
        std::vector<std::string> ids;
        for (const auto& f : r.findings) ids.push_back(f.id + " (" + f.severity + ")");
        std::printf("  findings:   %s\n", join(ids).c_str());
    } else {
        std::printf("  findings:   %zu\n", r.findings.size());
        for (const auto& f : r.findings) {
            std::printf("    [%s] %s: %s\n", f.severity.c_str(), f.id.c_str(), one_line(f.message).c_str());
            if (!f.fix.empty()) std::printf("           fix: %s\n", one_line(f.fix).c_str());
        }
    }
}

void print_summary(const TrainResult& r) {
    const json& report = r.report;
    const json& epochs = report["epochs"];
    const bool classification = r.data.is_classification();
    const std::vector<std::string> shown =
        classification ? std::vector<std::string>{"loss", "accuracy", "f1_macro"} : std::vector<std::string>{"loss", "mae", "mse", "r2"};
    const int initial = epochs["initial_epoch"].get<int>(), done = epochs["completed"].get<int>();
    const std::string stopped =
        epochs["stopped_early"].get<bool>()
            ? fmt::format("; early stopping after epoch {} (best {})", done, epochs.value("best_epoch", -1) + 1)
            : "";
    std::printf("\nTrained epochs %d-%d of %d in %.2f s (seed %llu, %s split)%s\n", initial + 1, done,
                report["config"]["fit"]["epochs"].get<int>(), r.history.train_seconds,
                static_cast<unsigned long long>(report["seed"].get<std::uint64_t>()), report["resolved"]["split"].get<std::string>().c_str(),
                stopped.c_str());
    print_split(r);
    if (!r.diverged) {
        const json& train = report["final"]["train"];
        const std::string sampled = train.contains("sample_of")
                                        ? fmt::format(" (a sample of {} of the {} training rows; --final-train-rows)", train["rows"].dump(), train["sample_of"].dump())
                                        : "";
        std::printf("  train:      %s%s\n", metrics_text(train["metrics"], shown).c_str(), sampled.c_str());
        if (!report["final"]["validation"].is_null())
            std::printf("  validation: %s\n", metrics_text(report["final"]["validation"]["metrics"], shown).c_str());
        if (report.contains("test") && report["test"].contains("evaluation"))  // --test-split: never seen by training
            std::printf("  test:       %s (%s held-out rows)\n", metrics_text(report["test"]["evaluation"]["metrics"], shown).c_str(),
                        report["test"]["rows"].dump().c_str());
    }
    print_findings(r);
    std::printf("  wrote:      %s%s, %s%s\n", r.diverged ? "" : (r.model_path + ", ").c_str(), r.report_path.c_str(),
                r.history_path.c_str(), r.checkpoint_path.empty() ? "" : (", " + r.checkpoint_path).c_str());
    std::fflush(stdout);
}

}  // namespace

namespace {

std::atomic<int> interrupt_signal{0};

extern "C" void on_interrupt(int signal) { interrupt_signal.store(signal, std::memory_order_relaxed); }

// SIGINT and SIGTERM set interrupt_signal while a run trains; a second one ends the process.
class InterruptHandlers {
public:
    InterruptHandlers() {
        interrupt_signal.store(0);
        struct sigaction action {};
        action.sa_handler = on_interrupt;
        sigemptyset(&action.sa_mask);
        action.sa_flags = SA_RESETHAND;  // a second Ctrl-C kills at once, as users expect
        sigaction(SIGINT, &action, &old_int_);
        sigaction(SIGTERM, &action, &old_term_);
    }
    ~InterruptHandlers() {
        sigaction(SIGINT, &old_int_, nullptr);
        sigaction(SIGTERM, &old_term_, nullptr);
    }

private:
    struct sigaction old_int_ {}, old_term_ {};
};

}  // namespace

#ifdef PLEXUS_HAVE_MPI
DistributedWorld& world() {
    static DistributedWorld w;  // MPI only under a launcher; finalised at exit
    return w;
}
#endif

ProcessWorld process_world() {
#ifdef PLEXUS_HAVE_MPI
    return {world().rank(), world().size()};
#else
    return {};
#endif
}

std::vector<TrialResult> run_trials(std::size_t count, const RunTrial& trial) {
#ifdef PLEXUS_HAVE_MPI
    if (world().size() > 1) return run_sweep(world(), count, trial);
#endif
    return run_trials_locally(count, trial);
}

TrainResult train(TrainRequest request, bool print_summary_lines) {
#ifdef PLEXUS_HAVE_MPI
    // Under mpirun: every rank loads the same data and plans the same split from the same
    // seed; each trains on its part of every batch and the gradients are averaged (one
    // allreduce per step). Rank 0 prints and writes the run folder.
    if (world().size() > 1) {
        DistributedWorld& w = world();
        request.configure_fit = [&w](FitOptions& options) { configure_distributed(options, w); };
        if (!w.is_root()) {
            request.write_files = false;
            request.callbacks.clear();  // pictures and the like are rank 0's
            TrainRequest quiet = std::move(request);
            quiet.command = command_line();
            return run::run_training(quiet);
        }
        request.interrupt = nullptr;  // a signal reaches the ranks at different batches: mpirun ends the job
    }
#endif
    request.progress = terminal_progress_sink();
    request.interactive = isatty(STDOUT_FILENO) != 0;
    request.command = command_line();
    if (!request.configure_fit) request.interrupt = &interrupt_signal;
    TrainResult result;
    {
        std::optional<InterruptHandlers> handlers;
        if (request.interrupt) handlers.emplace();
        result = run::run_training(request);
    }
    if (print_summary_lines) print_summary(result);
    if (result.interrupted) {
        const int signal = interrupt_signal.load();
        const int epochs = result.report["config"]["fit"]["epochs"].get<int>();
        std::fprintf(stderr,
                     "plexus: interrupted by %s after epoch %d of %d; saved %s (the state after that epoch); "
                     "continue with: plexus train --resume %s --epochs %d\n",
                     signal == SIGTERM ? "SIGTERM" : "SIGINT", result.metadata.epoch, epochs, result.model_path.c_str(),
                     request.out_dir.c_str(), epochs);
        throw ExitRequest{128 + signal};
    }
    if (result.diverged) {
        std::fprintf(stderr, "plexus: error: training diverged (the loss became NaN or Inf); no model was saved, the report is in %s; "
                             "fix: lower --lr, or add --standardize\n",
                     result.report_path.c_str());
        throw ExitRequest{kExitFailure};
    }
    return result;
}

}  // namespace plexus::cli
