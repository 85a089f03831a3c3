// The thread pool behind parallel_for; see parallel.hpp.
//
// One job at a time. The job is published as a 64-bit state word
// [generation:32 | chunks:16 | next:16]; every thread (caller and helpers) claims
// chunk `next` with a compare-and-swap on the whole word, so a helper that read a
// finished job's state can never claim anything with it. `done` counts finished
// chunks; the caller returns when it reaches `chunks`, and only then may the next
// job be published.
#include "plexus/core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define PLEXUS_PAUSE() _mm_pause()
#else
#define PLEXUS_PAUSE() ((void)0)
#endif

// The floating-point control bits of MXCSR (rounding, exception masks, flush-to-zero,
// denormals-are-zero); the low six bits are the sticky exception flags, left alone.
#if defined(__SSE2__)
constexpr unsigned kCsrControl = 0xFFC0;
unsigned float_control() { return _mm_getcsr() & kCsrControl; }
void set_float_control(unsigned control) {
    const unsigned now = _mm_getcsr();
    if ((now & kCsrControl) != control) _mm_setcsr((now & ~kCsrControl) | control);
}
#else
unsigned float_control() { return 0; }
void set_float_control(unsigned) {}
#endif

namespace plexus {
namespace {

constexpr std::uint64_t kMaxChunks = 0xFFFF;
// How long an idle helper polls before it sleeps: long enough to bridge the gap
// between two kernels of one training step, short enough not to hog a core.
constexpr int kIdleSpins = 20000;

std::uint64_t pack(std::uint32_t generation, std::uint64_t chunks, std::uint64_t next) {
    return (std::uint64_t{generation} << 32) | (chunks << 16) | next;
}
std::uint64_t chunks_of(std::uint64_t s) { return (s >> 16) & 0xFFFF; }
std::uint64_t next_of(std::uint64_t s) { return s & 0xFFFF; }

int default_threads() {
    if (const char* env = std::getenv("PLEXUS_NUM_THREADS")) {
        const int v = std::atoi(env);
        if (v > 0) return v;
    }
    return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

class Pool {
public:
    ~Pool() { stop(); }

    int threads() const { return requested_.load() > 0 ? requested_.load() : default_threads_; }
    void set_threads(int threads) { requested_.store(std::max(0, threads)); }

    void run(Index chunks, detail::ChunkFunction function, void* context) {
        std::unique_lock lock(busy_, std::try_to_lock);
        const int want = threads();
        // One chunk runs here: waking a helper for it costs a futex call, and the helper's
        // spin afterwards, for nothing (the doctor's pre-flight makes a dozen such calls).
        if (!lock.owns_lock() || want <= 1 || chunks <= 1 || chunks > static_cast<Index>(kMaxChunks)) {
            for (Index c = 0; c < chunks; ++c) function(context, c);
            return;
        }
        if (static_cast<int>(helpers_.size()) + 1 != want) resize(want - 1);
        function_.store(function, std::memory_order_relaxed);
        context_.store(context, std::memory_order_relaxed);
        control_.store(float_control(), std::memory_order_relaxed);  // helpers compute in the caller's mode
        done_.store(0, std::memory_order_relaxed);
        state_.store(pack(++generation_counter_, static_cast<std::uint64_t>(chunks), 0), std::memory_order_release);
        wake_.fetch_add(1, std::memory_order_release);
        wake_.notify_all();
        work();
        // Wait only for chunks a helper has claimed and is running.
        int spins = 0;
        while (done_.load(std::memory_order_acquire) != chunks) {
            if (++spins < 4000) PLEXUS_PAUSE();
            else std::this_thread::yield();
        }
    }

private:
    // Claims and runs chunks of the current job until none is left. The generation in
    // the state word makes every job's states distinct, so a compare-and-swap based
    // on a stale read always fails.
    void work() {
        std::uint64_t s = state_.load(std::memory_order_acquire);
        while (next_of(s) < chunks_of(s)) {
            if (!state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel, std::memory_order_acquire)) continue;
            // The job's floating-point mode (stored before its state was published): a helper
            // may go on from one job's chunks to the next's without waking.
            set_float_control(control_.load(std::memory_order_relaxed));
            const auto function = function_.load(std::memory_order_relaxed);
            function(context_.load(std::memory_order_relaxed), static_cast<Index>(next_of(s)));
            done_.fetch_add(1, std::memory_order_release);
            s = state_.load(std::memory_order_acquire);
        }
    }

    void helper_loop() {
        std::uint32_t seen = wake_.load(std::memory_order_acquire);
        for (;;) {
            std::uint32_t now = wake_.load(std::memory_order_acquire);
            for (int spin = 0; now == seen && spin < kIdleSpins && !stopping_.load(std::memory_order_relaxed); ++spin) {
                PLEXUS_PAUSE();
                now = wake_.load(std::memory_order_acquire);
            }
            if (now == seen && !stopping_.load()) {
                wake_.wait(seen, std::memory_order_acquire);
                now = wake_.load(std::memory_order_acquire);
            }
            if (stopping_.load()) return;
            seen = now;
            work();
        }
    }

    void resize(int helpers) {
        stop();
        stopping_.store(false);
        for (int i = 0; i < helpers; ++i) helpers_.emplace_back([this] { helper_loop(); });
    }

    void stop() {
        stopping_.store(true);
        wake_.fetch_add(1, std::memory_order_release);
        wake_.notify_all();
        for (auto& t : helpers_) t.join();
        helpers_.clear();
    }

    const int default_threads_ = default_threads();
    std::atomic<int> requested_{0};
    std::mutex busy_;
    std::vector<std::thread> helpers_;
    std::atomic<bool> stopping_{false};
    std::atomic<std::uint32_t> wake_{0};
    std::uint32_t generation_counter_ = 0;
    std::atomic<std::uint64_t> state_{0};
    std::atomic<detail::ChunkFunction> function_{nullptr};
    std::atomic<void*> context_{nullptr};
    std::atomic<unsigned> control_{0};  // the caller's floating-point control bits (FlushDenormals)
    std::atomic<Index> done_{0};
};

Pool& pool() {
    static Pool instance;
    return instance;
}

}  // namespace

int num_threads() { return pool().threads(); }
void set_num_threads(int threads) { pool().set_threads(threads); }

namespace detail {
void parallel_for(Index chunks, ChunkFunction function, void* context) { pool().run(chunks, function, context); }
}  // namespace detail

}  // namespace plexus
