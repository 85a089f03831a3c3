// A training step allocates nothing on the heap after the first batch.
//
// This file replaces the global operator new/delete and, with glibc, interposes
// malloc itself (Eigen allocates matrices and GEMM packing space with malloc, not
// operator new). Both count only while a global flag is on, so the rest of the
// shared plexus_tests binary is unaffected; the flag is global rather than
// thread-local so that the thread pool's helpers are counted too.
//
// Checked: train_on_batch on the seed model (fused Dense activations, and the
// seed script's Dense + Activation layers), on a small relu/Adam model with
// Dropout, and on a model large enough to take the GEMM + thread-pool path; and
// fit's batch loop, by comparing whole fits that differ only in the number of
// batches per epoch (fit allocates per fit and per epoch, never per batch).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <new>
#include <optional>

#include "plexus/plexus.hpp"
#include "plexus/doctor/doctor.hpp"

namespace {

std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};

void note_allocation() {
    if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define PLEXUS_COUNT_MALLOC 1
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);

void* malloc(std::size_t n) noexcept {
    note_allocation();
    return __libc_malloc(n);
}
void* calloc(std::size_t count, std::size_t n) noexcept {
    note_allocation();
    return __libc_calloc(count, n);
}
void* realloc(void* p, std::size_t n) noexcept {
    note_allocation();
    return __libc_realloc(p, n);
}
void* aligned_alloc(std::size_t alignment, std::size_t n) noexcept {
    note_allocation();
    return __libc_memalign(alignment, n);
}
void* memalign(std::size_t alignment, std::size_t n) noexcept {
    note_allocation();
    return __libc_memalign(alignment, n);
}
int posix_memalign(void** out, std::size_t alignment, std::size_t n) noexcept {
    note_allocation();
    void* p = __libc_memalign(alignment, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
void free(void* p) noexcept { __libc_free(p); }
}
// operator new goes through the malloc above.
void* operator new(std::size_t n) {
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
    const auto align = std::max(static_cast<std::size_t>(a), sizeof(void*));
    void* p = nullptr;
    if (posix_memalign(&p, align, n ? n : 1) != 0) throw std::bad_alloc();
    return p;
}
void* operator new[](std::size_t n, std::align_val_t a) { return ::operator new(n, a); }
#else
// Without glibc (or under AddressSanitizer, which owns malloc) only operator new is counted.
void* operator new(std::size_t n) {
    note_allocation();
    if (void* p = std::malloc(n ? n : 1)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
    note_allocation();
    const auto align = std::max(static_cast<std::size_t>(a), sizeof(void*));
    if (void* p = std::aligned_alloc(align, (n + align - 1) / align * align)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t n, std::align_val_t a) { return ::operator new(n, a); }
#endif
// The nothrow forms too: otherwise the runtime's (or AddressSanitizer's) would allocate
// memory that the operator delete below releases with free.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return ::operator new(n);
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, const std::nothrow_t& tag) noexcept { return ::operator new(n, tag); }
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
    try {
        return ::operator new(n, a);
    } catch (const std::bad_alloc&) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t& tag) noexcept {
    return ::operator new(n, a, tag);
}
// Every operator new above returns memory from malloc or posix_memalign, so free is the
// matching release; GCC 12 cannot see that through the replaced operators.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace plexus {
namespace {

// Counts the heap allocations made while it is alive.
class AllocationCounter {
public:
    AllocationCounter() {
        g_allocations.store(0);
        g_counting.store(true);
    }
    ~AllocationCounter() { g_counting.store(false); }
    long stop() {
        g_counting.store(false);
        return g_allocations.load();
    }
};

Matrix random_matrix(Index rows, Index cols, std::uint64_t seed) {
    Rng rng(seed);
    Matrix m(rows, cols);
    for (Index i = 0; i < m.size(); ++i) m.data()[i] = static_cast<Scalar>(rng.uniform(-1, 1));
    return m;
}

Matrix one_hot_rows(Index rows, Index classes) {
    Matrix y = Matrix::Zero(rows, classes);
    for (Index i = 0; i < rows; ++i) y(i, (i * 7 + 3) % classes) = 1;
    return y;
}

// Allocations during `steps` train_on_batch calls after one warm-up batch. The batches
// alternate between the full size and a smaller last batch, as at the end of an epoch.
long allocations_per_training(Sequential& model, Index batch, Index classes, int steps = 20) {
    const Matrix x = random_matrix(batch, model.input_dim(), 1);
    const Matrix y = one_hot_rows(batch, classes);
    model.train_on_batch(x, y);  // the first batch sizes every workspace
    AllocationCounter counter;
    for (int s = 0; s < steps; ++s) {
        const Index rows = s % 3 == 2 ? 1 + batch / 3 : batch;
        model.train_on_batch(x.topRows(rows), y.topRows(rows));
    }
    return counter.stop();
}

TEST(NoAllocation, CounterSeesAllocations) {
    AllocationCounter counter;
    Matrix m(64, 64);  // Eigen's malloc
    auto v = std::make_unique<std::vector<int>>(100);
    m.setZero();
    const long seen = counter.stop();
#ifdef PLEXUS_COUNT_MALLOC
    EXPECT_GE(seen, 3);
#else
    EXPECT_GE(seen, 2);
#endif
}

TEST(NoAllocation, SeedModelTrainStep) {
    Sequential model({Dense({.units = 4, .activation = "tanh", .input_dim = 2}), Dense({.units = 4, .activation = "tanh"}),
                      Dense({.units = 4, .activation = "tanh"}), Dense({.units = 4, .activation = "tanh"}),
                      Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "sgd", .learning_rate = 0.01}, .loss = "categorical_crossentropy",
                   .metrics = {"accuracy"}});
    EXPECT_EQ(allocations_per_training(model, 8, 2), 0);
}

TEST(NoAllocation, SeedScriptModelWithActivationLayers) {
    Sequential model({Dense({.units = 4, .input_dim = 2}), Activation("tanh"), Dense({.units = 4}), Activation("tanh"),
                      Dense({.units = 4}), Activation("tanh"), Dense({.units = 4}), Activation("tanh"), Dense({.units = 2}),
                      Activation("softmax")});
    model.compile({.optimizer = {.name = "sgd"}, .loss = "categorical_crossentropy"});
    EXPECT_EQ(allocations_per_training(model, 8, 2), 0);
}

TEST(NoAllocation, ReluAdamModelWithDropout) {
    Sequential model({Dense({.units = 16, .activation = "relu", .input_dim = 6}), Dropout(0.3),
                      Dense({.units = 8, .activation = "relu"}), Dense({.units = 3, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam", .learning_rate = 1e-3, .clipnorm = 1.0},
                   .loss = "categorical_crossentropy"});
    EXPECT_EQ(allocations_per_training(model, 32, 3), 0);
}

TEST(NoAllocation, LargeLayersOnTheGemmAndThreadPoolPath) {
    // 256 -> 512 at batch 64 is cut into GEMM chunks run by the thread pool; Adam's 136k
    // parameters are updated in chunks too.
    Sequential model({Dense({.units = 512, .activation = "relu", .input_dim = 256}), Dropout(0.2),
                      Dense({.units = 10, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "categorical_crossentropy"});
    EXPECT_EQ(allocations_per_training(model, 64, 10, 6), 0);
}

TEST(NoAllocation, ProductsCutAlongTheBatchRows) {
    // Batches of 400 rows through 300 -> 200 units: the forward passes and the input
    // gradients are cut along the batch rows (more rows than units and inputs), and the
    // first layer's kernel gradient along its units (fewer inputs than units); the short
    // batches (134 rows) are cut along the units instead. The first full batch must still
    // size every packing buffer (kernels/gemm.cpp).
    Sequential model({Dense({.units = 300, .activation = "relu", .input_dim = 120}),
                      Dense({.units = 200, .activation = "relu"}), Dense({.units = 10, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "categorical_crossentropy"});
    EXPECT_EQ(allocations_per_training(model, 400, 10, 6), 0);
}

// Callback that does nothing, so that fit builds its per-batch logs.
class Quiet final : public Callback {};

long allocations_in_fit(Index rows, int epochs, bool doctor = false) {
    Sequential model({Dense({.units = 8, .activation = "tanh", .input_dim = 3}), Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "sgd"}, .loss = "categorical_crossentropy",
                   .metrics = {"accuracy", "precision", "recall", "f1"}, .seed = 3});
    model.build(3, 3);
    const Matrix x = random_matrix(rows, 3, 2);
    const Matrix y = one_hot_rows(rows, 2);
    const FitOptions options{.epochs = epochs, .batch_size = 4, .validation_split = 0.25, .split = Split::tail,
                             .verbose = 0, .callbacks = {std::make_shared<Quiet>()}};
    FitOptions watched = options;
    if (doctor) watched.callbacks.insert(watched.callbacks.begin(), std::make_shared<Doctor>());
    AllocationCounter counter;
    model.fit(x, y, watched);
    return counter.stop();
}

TEST(NoAllocation, FitAllocatesPerEpochNotPerBatch) {
    // 8 rows: 2 batches of 4 per epoch (2 validation rows); 64 rows: 12 batches (16 validation rows).
    // What fit allocates per fit (split, workspaces) cancels in the difference between 6 and 3
    // epochs; what remains is per epoch (validation, logs, history), and must not depend on the
    // number of batches.
    const long few_batches = allocations_in_fit(8, 6) - allocations_in_fit(8, 3);
    const long many_batches = allocations_in_fit(64, 6) - allocations_in_fit(64, 3);
    EXPECT_GT(many_batches, 0) << "the counter should see fit's per-epoch work";
    EXPECT_EQ(few_batches, many_batches) << "fit allocated per batch";
}

// Counts the allocations between the first and the last batch end of one epoch: the
// batches in between (forward, backward, step, metrics, every callback) must allocate nothing.
class BatchWindow final : public Callback {
public:
    BatchWindow(int epoch, int last_batch) : epoch_(epoch), last_batch_(last_batch) {}
    void on_epoch_begin(Sequential&, int epoch) override { current_ = epoch; }
    void on_train_batch_end(Sequential&, int batch, const Logs&) override {
        if (current_ != epoch_) return;
        if (batch == 0) counter_.emplace();
        if (batch == last_batch_ && counter_) seen = counter_->stop();
    }
    long seen = -1;

private:
    int epoch_, last_batch_, current_ = -1;
    std::optional<AllocationCounter> counter_;
};

TEST(NoAllocation, FitWithTheDoctorAllocatesNothingPerBatch) {
    Sequential model({Dense({.units = 16, .activation = "tanh", .input_dim = 3}), Dense({.units = 16, .activation = "relu"}),
                      Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "categorical_crossentropy", .metrics = {"accuracy"}, .seed = 3});
    const Matrix x = random_matrix(400, 3, 2);
    const Matrix y = one_hot_rows(400, 2);
    // 320 training rows in batches of 8: 40 batches, of which the doctor examines a sample.
    auto window = std::make_shared<BatchWindow>(2, 39);
    const FitOptions options{.epochs = 4, .batch_size = 8, .validation_split = 0.2, .verbose = 0,
                             .callbacks = {std::make_shared<Doctor>(), window}};
    model.fit(x, y, options);
    EXPECT_EQ(window->seen, 0) << "batches 1-39 of epoch 3 allocated with the doctor watching";
}

}  // namespace
}  // namespace plexus
