// DistributedWorld: MPI start-up, error handling and bounded collectives; see world.hpp.
#include "plexus/distributed/world.hpp"

#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <string_view>
#include <thread>

namespace plexus {

namespace {

bool env_set(const char* name) {
    const char* v = std::getenv(name);
    return v && *v;
}

std::string mpi_message(int code) {
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) return "MPI error code " + std::to_string(code);
    return std::string(text, static_cast<std::size_t>(length));
}

double timeout_from_environment(double requested) {
    if (requested >= 0) return requested;
    const char* env = std::getenv("PLEXUS_MPI_TIMEOUT");
    if (!env || !*env) return 30.0;
    char* end = nullptr;
    const double value = std::strtod(env, &end);
    if (end == env || *end != '\0' || !(value >= 0))
        throw ConfigError(std::string("PLEXUS_MPI_TIMEOUT must be a number of seconds >= 0 (0 = wait forever); received '") +
                          env + "'");
    return value;
}

MPI_Datatype datatype(int code) { return code == 0 ? MPI_FLOAT : MPI_DOUBLE; }
MPI_Op op(int code) { return code == 0 ? MPI_SUM : code == 1 ? MPI_MIN : MPI_MAX; }

}  // namespace

bool launched_by_mpi() {
    for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "SLURM_STEP_ID"})
        if (env_set(name)) return true;
    return false;
}

DistributedWorld::DistributedWorld(DistributedOptions options) : timeout_(timeout_from_environment(options.timeout_seconds)) {
    int initialized = 0;
    MPI_Initialized(&initialized);
    const char* force = std::getenv("PLEXUS_MPI");
    const bool wanted = force && *force ? std::string_view(force) != "0" : launched_by_mpi();
    if (!initialized && !wanted) return;  // a world of one, MPI untouched
    if (!initialized) {
        int provided = 0;
        if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS)
            throw DistributedError("MPI_Init_thread failed: the MPI library could not start this rank; check that "
                                   "the program was started by a matching mpirun (Open MPI) or srun");
        owns_ = true;
        if (provided < MPI_THREAD_FUNNELED) {
            MPI_Finalize();
            throw DistributedError("MPI provides thread level " + std::to_string(provided) +
                                   ", Plexus needs MPI_THREAD_FUNNELED; use an MPI library built with thread support");
        }
    }
    active_ = true;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
}

DistributedWorld::~DistributedWorld() {
    if (!active_ || !owns_) return;
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (finalized) return;
    // After a failed collective the peers are dead or stuck and MPI_Finalize would wait for them.
    if (failed_) MPI_Abort(MPI_COMM_WORLD, 1);
    MPI_Finalize();
}

std::string DistributedWorld::describe() const {
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return "rank " + std::to_string(rank_) + " of " + std::to_string(size_) + " on " + host;
}

void DistributedWorld::abort(int code) {
    if (active_) MPI_Abort(MPI_COMM_WORLD, code);
    std::fflush(nullptr);
    std::_Exit(code);
}

void DistributedWorld::fail(const std::string& message) {
    failed_ = true;
    throw DistributedError(describe() + ": " + message);
}

// Polls a started request until it completes or the timeout passes: tests and yields for
// the first 100 ms (a step's allreduce completes within them), then sleeps 1 ms between
// tests, so a rank that waits long for a slow peer leaves the core to it.
// Builds no string unless it fails (it runs every training step).
void DistributedWorld::wait(void* request_ptr, const char* what, long count) {
    auto* request = static_cast<MPI_Request*>(request_ptr);
    using clock = std::chrono::steady_clock;
    const auto start = clock::now();
    const auto limit = timeout_ > 0 ? std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(timeout_))
                                    : clock::duration::max();
    for (;;) {
        int done = 0;
        const int rc = MPI_Test(request, &done, MPI_STATUS_IGNORE);
        const auto subject = [&] {
            return count >= 0 ? std::string(what) + " (" + std::to_string(count) + " values)" : std::string(what);
        };
        if (rc != MPI_SUCCESS)
            fail(subject() + " failed: " + mpi_message(rc) + "; another rank has probably died (see the launcher's messages)");
        if (done) return;
        const auto waited = clock::now() - start;
        if (waited > limit)
            fail(subject() + " did not complete within " + std::to_string(static_cast<long>(timeout_)) +
                 " s: another rank has died or hangs; ending the job (if a rank can legitimately lag this long, raise "
                 "PLEXUS_MPI_TIMEOUT)");
        // Large messages move only while MPI_Test runs (no progress thread): keep testing, but
        // yield the core (to the peer rank when ranks outnumber cores); sleep once a peer lags long.
        if (waited > std::chrono::milliseconds(100)) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        else std::this_thread::yield();
    }
}

namespace {
int checked_count(std::size_t n, const char* what) {
    if (n > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw DistributedError(std::string(what) + ": " + std::to_string(n) +
                               " values exceed MPI's int count; use a smaller model or reduce in parts");
    return static_cast<int>(n);
}
}  // namespace

// Without a timeout: the blocking call (no watchdog; the launcher ends a job whose rank died).
void DistributedWorld::allreduce(void* data, int count, int type, int operation, const char* what) {
    if (!active_ || size_ == 1) return;
    if (timeout_ <= 0) {
        const int rc = MPI_Allreduce(MPI_IN_PLACE, data, count, datatype(type), op(operation), MPI_COMM_WORLD);
        if (rc != MPI_SUCCESS) fail(std::string("MPI_Allreduce of ") + what + " failed: " + mpi_message(rc));
        return;
    }
    MPI_Request request = MPI_REQUEST_NULL;
    const int rc = MPI_Iallreduce(MPI_IN_PLACE, data, count, datatype(type), op(operation), MPI_COMM_WORLD, &request);
    if (rc != MPI_SUCCESS) fail(std::string("MPI_Iallreduce of ") + what + " failed: " + mpi_message(rc));
    wait(&request, what, count);
}

void DistributedWorld::allreduce_sum(std::span<float> values, const char* what) {
    allreduce(values.data(), checked_count(values.size(), what), 0, 0, what);
}
void DistributedWorld::allreduce_sum(std::span<double> values, const char* what) {
    allreduce(values.data(), checked_count(values.size(), what), 1, 0, what);
}
void DistributedWorld::allreduce_min(std::span<double> values, const char* what) {
    allreduce(values.data(), checked_count(values.size(), what), 1, 1, what);
}
void DistributedWorld::allreduce_max(std::span<double> values, const char* what) {
    allreduce(values.data(), checked_count(values.size(), what), 1, 2, what);
}

std::uint64_t DistributedWorld::broadcast(std::uint64_t value, int root, const char* what) {
    if (!active_ || size_ == 1) return value;
    MPI_Request request = MPI_REQUEST_NULL;
    const int rc = MPI_Ibcast(&value, 1, MPI_UINT64_T, root, MPI_COMM_WORLD, &request);
    if (rc != MPI_SUCCESS) fail(std::string("MPI_Ibcast of ") + what + " failed: " + mpi_message(rc));
    wait(&request, what);
    return value;
}

void DistributedWorld::barrier(const char* what) {
    if (!active_ || size_ == 1) return;
    MPI_Request request = MPI_REQUEST_NULL;
    const int rc = MPI_Ibarrier(MPI_COMM_WORLD, &request);
    if (rc != MPI_SUCCESS) fail(std::string("MPI_Ibarrier (") + what + ") failed: " + mpi_message(rc));
    wait(&request, what);
}

void DistributedWorld::send_bytes(int destination, int tag, const std::string& bytes) {
    if (!active_) throw DistributedError("send_bytes: MPI is not in use (a world of one has no other rank)");
    MPI_Request request = MPI_REQUEST_NULL;
    const int rc = MPI_Isend(bytes.data(), checked_count(bytes.size(), "a message"), MPI_BYTE, destination, tag,
                             MPI_COMM_WORLD, &request);
    const std::string what = "a message to rank " + std::to_string(destination);
    if (rc != MPI_SUCCESS) fail("MPI_Isend of " + what + " failed: " + mpi_message(rc));
    wait(&request, what.c_str());
}

bool DistributedWorld::poll_bytes(int source, int tag, std::string& bytes, int& from) {
    if (!active_) return false;
    int flag = 0;
    MPI_Status status;
    int rc = MPI_Iprobe(source >= 0 ? source : MPI_ANY_SOURCE, tag, MPI_COMM_WORLD, &flag, &status);
    if (rc == MPI_SUCCESS && !flag) return false;
    int count = 0;
    if (rc == MPI_SUCCESS) rc = MPI_Get_count(&status, MPI_BYTE, &count);
    if (rc == MPI_SUCCESS) {
        bytes.resize(static_cast<std::size_t>(count));
        from = status.MPI_SOURCE;
        rc = MPI_Recv(bytes.data(), count, MPI_BYTE, from, tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    if (rc != MPI_SUCCESS) fail("receiving a message failed: " + mpi_message(rc));
    return true;
}

std::string DistributedWorld::recv_bytes(int source, int tag, int* from) {
    if (!active_) throw DistributedError("recv_bytes: MPI is not in use (a world of one has no other rank)");
    const auto start = std::chrono::steady_clock::now();
    std::string bytes;
    int sender = -1;
    while (!poll_bytes(source, tag, bytes, sender)) {
        const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (timeout_ > 0 && waited > timeout_)
            fail("no message from " + (source >= 0 ? "rank " + std::to_string(source) : std::string("any rank")) +
                 " within " + std::to_string(static_cast<long>(timeout_)) +
                 " s: another rank has died or hangs; ending the job");
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    if (from) *from = sender;
    return bytes;
}

}  // namespace plexus
