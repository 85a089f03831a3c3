// plexus.distributed's native part: the process's DistributedWorld (MPI under mpirun or
// srun, a world of one otherwise), data-parallel fits, and sweeps whose trials are
// Python callables spread over the ranks. Without MPI at build time the world is
// always one process and sweeps run their trials one after another.
#include <optional>

#include "bindings.hpp"
#include "plexus/sweep/grid.hpp"
#include "plexus/sweep/trial.hpp"

#ifdef PLEXUS_HAVE_MPI
#include "plexus/distributed/data_parallel.hpp"
#include "plexus/distributed/sweep.hpp"
#endif

namespace plexus::python {

namespace {

#ifdef PLEXUS_HAVE_MPI
// Made on first use (MPI_Init_thread under a launcher), finalised at process exit.
DistributedWorld& the_world() {
    static DistributedWorld world;
    return world;
}
#endif

py::dict world_info() {
    py::dict d;
#ifdef PLEXUS_HAVE_MPI
    DistributedWorld& w = the_world();
    d["rank"] = w.rank();
    d["size"] = w.size();
    d["uses_mpi"] = w.uses_mpi();
    d["describe"] = w.describe();
    d["built_with_mpi"] = true;
#else
    d["rank"] = 0;
    d["size"] = 1;
    d["uses_mpi"] = false;
    d["describe"] = "rank 0 of 1";
    d["built_with_mpi"] = false;
#endif
    return d;
}

// A Python trial's History (plexus.History: .history dict, .epoch list, .findings) as a TrialResult.
TrialResult trial_result(const py::object& history, std::size_t index, const TrialConfig& config, const std::string& metric) {
    History h;
    h.epoch = history.attr("epoch").cast<std::vector<int>>();
    h.history = history.attr("history").cast<std::map<std::string, std::vector<double>>>();
    TrialResult r{.index = index, .config = config};
    record_history(r, h, metric);
    if (py::hasattr(history, "findings"))
        for (const auto& f : history.attr("findings")) r.findings.push_back(py::str(f.attr("id")).cast<std::string>());
    return r;
}

// sweep(grid, trial, random, seed, metric, leaderboard) -> list of result dicts (rank 0) or [] (others).
py::list sweep(const std::string& grid_text, const py::function& trial, std::size_t random, std::uint64_t seed,
               const std::string& metric, const std::string& leaderboard) {
    const SweepGrid grid = parse_grid(grid_text);
    const std::vector<TrialConfig> configs = random > 0 ? sample_grid(grid, random, seed) : expand_grid(grid);
    // Runs on any thread (rank 0's trials run on a worker thread): takes the GIL, and turns a
    // Python exception into a plexus::Error, which the runners record as a failed trial.
    const RunTrial run = [&](std::size_t i) {
        py::gil_scoped_acquire gil;
        py::dict config;
        for (const auto& [k, v] : configs[i]) config[py::str(k)] = v;
        try {
            return trial_result(trial(config, i), i, configs[i], metric);
        } catch (py::error_already_set& e) {
            throw Error(std::string("the trial raised ") + e.what());
        } catch (const py::cast_error& e) {
            throw ConfigError(std::string("the trial must return a plexus History (model.fit's result); ") + e.what());
        }
    };
    std::vector<TrialResult> results;
    bool root = true;
    {
        py::gil_scoped_release release;
#ifdef PLEXUS_HAVE_MPI
        DistributedWorld& w = the_world();
        results = run_sweep(w, configs.size(), run);
        root = w.is_root();
#else
        results = run_trials_locally(configs.size(), run);
#endif
        for (auto& r : results)  // a trial that raised comes back without its configuration
            if (r.config.empty() && r.index < configs.size()) r.config = configs[r.index];
        if (root && !leaderboard.empty()) write_leaderboard(leaderboard, results);
    }
    py::list out;
    for (const auto& r : results) out.append(json_to_python(trial_to_json(r)));
    return out;
}

}  // namespace

void configure_data_parallel(FitOptions& options) {
#ifdef PLEXUS_HAVE_MPI
    configure_distributed(options, the_world());
#else
    (void)options;  // a world of one: nothing to share
#endif
}

void register_distributed(py::module_& m) {
    m.def("_world", &world_info, "This process's place in the MPI job (initialises MPI under a launcher).");
    m.def("_sweep", &sweep, py::arg("grid"), py::arg("trial"), py::arg("random"), py::arg("seed"), py::arg("metric"),
          py::arg("leaderboard"));
}

}  // namespace plexus::python
