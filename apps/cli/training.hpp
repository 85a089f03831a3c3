// The command line's side of a training run (`plexus train`, `plexus demo`,
// `plexus doctor`, `plexus plot` on data): the train options as flags, the
// run itself through the library's run pipeline (plexus/run/pipeline.hpp)
// with progress on stdout, the closing summary, and the run's pictures.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common.hpp"
#include "plexus/run/pipeline.hpp"
#include "plexus/sweep/trial.hpp"

namespace plexus::plot {
class SnapshotRecorder;
}

namespace plexus::cli {

using run::RunConfig;
using run::TrainRequest;
using run::TrainResult;

// The data, model and fit flags of `plexus train` (everything but --out,
// --resume and --verbose), shared with `plexus doctor` so their flags match.
// --no-shuffle sets `no_shuffle`.
void add_train_config_options(CLI::App& cmd, RunConfig& config, bool& no_shuffle);

// run::run_training with fit's progress and the doctor's findings on stdout
// (a progress bar on a terminal, a line per epoch otherwise), then, with
// print_summary, the closing summary. A run that diverged prints one error
// line and ends the command with exit code 1 (after its report is written).
TrainResult train(TrainRequest request, bool print_summary = true);

// The MPI world of this process (a world of one without mpirun, or when Plexus was
// built without MPI): rank() and size(); train() trains data-parallel over it.
struct ProcessWorld {
    int rank = 0, size = 1;
};
ProcessWorld process_world();

// Runs trials 0..count-1: over the ranks under mpirun (results on rank 0, empty on the
// others), else one after another.
std::vector<TrialResult> run_trials(std::size_t count, const RunTrial& trial);

// ---- Pictures (run_plots.cpp) --------------------------------------------

// `plexus train --plots` and `plexus demo` (run_plots.cpp): writes curves.png;
// for classifiers boundary.png, layers.png, animation.png and animation.gif
// (2 inputs; the animation needs `snapshots` recorded during the fit) and
// confusion.png (on the validation rows, or all rows without validation); for
// a regression predictions.png, residuals.png and (2 inputs) boundary.png, the
// value surface, all in the target's units; into `dir`. Plots that do not
// apply are skipped with a note on stdout (unless quiet). Returns the paths written.
std::vector<std::string> write_run_plots(TrainResult& run, const std::string& dir, const plot::SnapshotRecorder* snapshots,
                                         bool quiet = false);

// The epochs (0-based, absolute) a SnapshotRecorder should record for a run
// going from `initial_epoch` to `epochs`.
std::vector<int> animation_epochs(int initial_epoch, int epochs);

}  // namespace plexus::cli
