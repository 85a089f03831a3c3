// The MPI world a Plexus process runs in, and the few collectives training needs.
//
//   DistributedWorld world;                          // MPI_Init_thread(FUNNELED) under a launcher
//   if (world.is_root()) std::cout << "ranks: " << world.size() << "\n";
//   world.allreduce_sum(gradients);                  // in place, every rank gets the sum
//
// Under a launcher (mpirun/mpiexec, Slurm's srun; detected from the environment)
// the constructor initialises MPI with MPI_THREAD_FUNNELED (only the thread that
// made the world calls MPI; Plexus's GEMM helper threads never do) and the
// destructor finalises it. Started alone (`./program`), the world is a world of
// one and MPI is not touched at all: no singleton start-up cost, every collective
// is a no-op, so one binary serves both. PLEXUS_MPI=1 forces MPI_Init even
// without a launcher, PLEXUS_MPI=0 forbids it. If MPI is already initialised (by
// the host program or mpi4py) the world uses MPI_COMM_WORLD and leaves
// finalisation to whoever initialised it. One world per process at a time.
//
// Errors: MPI_COMM_WORLD gets MPI_ERRORS_RETURN, and every failing call becomes a
// DistributedError naming the call and MPI's own message. A collective that does
// not complete within `timeout_seconds` (a rank died or hangs and the launcher
// did not end the job) throws DistributedError too: collectives are started
// non-blocking (MPI_Iallreduce, ...) and polled with MPI_Test, so the wait can
// be bounded. After a DistributedError the world cannot be finalised cleanly
// (the peers are gone or stuck): catch it, report it on stderr and call
// abort(), which ends every rank of the job (MPI_Abort). The destructor aborts
// the job by itself when the process unwinds from an exception after a
// DistributedError. With timeout_seconds = 0 collectives are the blocking calls
// (MPI_Allreduce, ...) and only the launcher ends a job whose rank died.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "plexus/core/error.hpp"

namespace plexus {

// An MPI call failed, or a collective timed out (see DistributedWorld).
class DistributedError : public Error {
public:
    using Error::Error;
};

struct DistributedOptions {
    // Longest wait for one collective before concluding that a rank is dead or stuck.
    // Default: PLEXUS_MPI_TIMEOUT from the environment (seconds), else 30. 0 = wait forever.
    double timeout_seconds = -1;
};

class DistributedWorld {
public:
    explicit DistributedWorld(DistributedOptions options = {});
    ~DistributedWorld();
    DistributedWorld(const DistributedWorld&) = delete;
    DistributedWorld& operator=(const DistributedWorld&) = delete;

    int rank() const { return rank_; }
    int size() const { return size_; }
    bool is_root() const { return rank_ == 0; }
    // True when MPI is in use (launched by mpirun/srun, or forced): size() may still be 1.
    bool uses_mpi() const { return active_; }
    double timeout_seconds() const { return timeout_; }
    // "rank 1 of 4 on node07" (for messages).
    std::string describe() const;

    // In place: every rank's span becomes the element-wise sum over ranks. All ranks
    // pass spans of the same length. Allocates nothing. `what` names the data in errors.
    void allreduce_sum(std::span<float> values, const char* what = "values");
    void allreduce_sum(std::span<double> values, const char* what = "values");
    void allreduce_min(std::span<double> values, const char* what = "values");
    void allreduce_max(std::span<double> values, const char* what = "values");
    // Rank `root`'s value on every rank.
    std::uint64_t broadcast(std::uint64_t value, int root = 0, const char* what = "value");
    void barrier(const char* what = "barrier");

    // Point-to-point messages of bytes (the sweep's trial hand-out). recv_bytes blocks
    // until a message with `tag` arrives from `source` (any rank if -1) and returns it
    // (*from receives the sender), or throws DistributedError after the timeout.
    // poll_bytes does not block: false if no such message waits.
    void send_bytes(int destination, int tag, const std::string& bytes);
    std::string recv_bytes(int source, int tag, int* from = nullptr);
    bool poll_bytes(int source, int tag, std::string& bytes, int& from);

    // Ends every rank of the job (MPI_Abort) with `code`; exits this process when MPI
    // is not in use. Does not return.
    [[noreturn]] void abort(int code);

private:
    void allreduce(void* data, int count, int type, int op, const char* what);
    void wait(void* request, const char* what, long count = -1);
    [[noreturn]] void fail(const std::string& message);

    int rank_ = 0, size_ = 1;
    bool active_ = false;    // MPI is in use
    bool owns_ = false;      // this world initialised MPI and finalises it
    bool failed_ = false;    // a DistributedError was thrown: finalising would hang
    double timeout_ = 30;
};

// True when the environment says a launcher started this process as one rank of a
// job (Open MPI's mpirun, PMI/PMIx launchers such as MPICH's hydra or Slurm's srun).
bool launched_by_mpi();

}  // namespace plexus
