// Sweeps over MPI ranks: dynamic assignment of trials, results collected on rank 0.
//
//   DistributedWorld world;
//   std::vector<TrialResult> results = run_sweep(world, configs.size(), run_trial);
//   if (world.is_root()) write_leaderboard(out + "/leaderboard.csv", results);
//
// Every rank calls run_sweep from the thread that created the world. In a world of
// one it is run_trials_locally. Otherwise rank 0's calling thread only hands out
// trial indices and collects results (it sleeps between short polls), while a worker
// thread on rank 0 runs trials like every other rank: all N ranks train. A rank asks
// for the next index when it is free (so long and short trials balance themselves),
// sends the finished trial's result with its next request, and stops when rank 0
// answers that no trial is left. Trials are independent single-process fits: the
// runner must not call MPI (see RunTrial), and each trial must be a pure function of
// its index so the sweep does not depend on which rank ran what.
//
// Returns, on rank 0, every trial's result in index order (TrialResult::rank says
// where it ran; exceptions of run_trial become failed results); on other ranks an
// empty vector. A dead rank ends the job through the launcher (Open MPI's mpirun
// does); rank 0 does not time out while trials run, since trials may be long.
#pragma once

#include <cstddef>
#include <vector>

#include "plexus/distributed/world.hpp"
#include "plexus/sweep/trial.hpp"

namespace plexus {

std::vector<TrialResult> run_sweep(DistributedWorld& world, std::size_t count, const RunTrial& run_trial);

}  // namespace plexus
