// plexus_mpi_bench: the measurements behind docs/distributed.md, under mpirun or alone.
//
//   mpirun -np 2 plexus_mpi_bench --mode train --rows 4096 --threads 1
//       workload M (784-512-256-10 relu/softmax, Adam 1e-3, batch 128 global) on synthetic
//       rows (N(0,1), labels from a random linear teacher, as plexus_bench --synthetic), one
//       data-parallel epoch through Sequential::fit after a one-epoch warm-up on 256 rows;
//       prints RESULT {"mode":"train","ranks":..,"threads":..,"steps":..,"step_ms":..,"samples_per_s":..}
//   mpirun -np 2 plexus_mpi_bench --mode train --workload tabular --x X.npy --y y.npy --rows 200000
//       the tabular workload (bench/make_tabular.py's HIGGS-like rows: 28-300-300-300-2
//       relu/softmax, Adam 1e-3, batch 512 global), the first --rows rows of the NPY files,
//       timed as workload M (one epoch after a one-epoch warm-up on 2048 rows)
//   mpirun -np 2 plexus_mpi_bench --mode allreduce --sizes 64,535818 --reps 50 [--timeout 0]
//       DistributedWorld::allreduce_sum of float buffers (the path of the gradients: MPI_Iallreduce
//       polled with MPI_Test; with --timeout 0 the blocking MPI_Allreduce), the mean of `reps`
//       calls after 5 warm-ups (and the fastest call), a barrier before each; one RESULT line per size.
// Rank 0 prints. Each rank uses --threads GEMM threads (default 1).
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "plexus/core/parallel.hpp"
#include "plexus/distributed/data_parallel.hpp"
#include "plexus/plexus.hpp"

namespace {

using namespace plexus;
using clk = std::chrono::steady_clock;

std::string arg(int argc, char** argv, const std::string& name, const std::string& fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (argv[i] == "--" + name) return argv[i + 1];
    return fallback;
}

void synthetic_m(Index rows, Matrix& x, Matrix& y) {
    constexpr Index dim = 784, classes = 10;
    Rng rng(20240601);
    x.resize(rows, dim);
    for (Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<Scalar>(rng.normal());
    Matrix teacher(dim, classes);
    for (Index i = 0; i < teacher.size(); ++i) teacher.data()[i] = static_cast<Scalar>(rng.normal());
    const Matrix scores = x * teacher;
    y.resize(rows, 1);
    for (Index r = 0; r < rows; ++r) {
        Index best = 0;
        scores.row(r).maxCoeff(&best);
        y(r, 0) = static_cast<Scalar>(best);
    }
}

Sequential model_m() {
    Sequential model({Dense({.units = 512, .activation = "relu", .input_dim = 784}),
                      Dense({.units = 256, .activation = "relu"}), Dense({.units = 10, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam", .learning_rate = 1e-3}, .loss = "sparse_categorical_crossentropy", .seed = 1});
    return model;
}

Sequential model_tabular(Index features) {
    Sequential model({Dense({.units = 300, .activation = "relu", .input_dim = features}),
                      Dense({.units = 300, .activation = "relu"}), Dense({.units = 300, .activation = "relu"}),
                      Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam", .learning_rate = 1e-3}, .loss = "sparse_categorical_crossentropy", .seed = 1});
    return model;
}

struct Workload {
    std::string name;
    Matrix x, y;
    Index batch = 128, warm_rows = 256;
    Sequential model;
};

Workload load_workload(int argc, char** argv) {
    Workload w;
    w.name = arg(argc, argv, "workload", "m");
    const Index rows = std::stol(arg(argc, argv, "rows", w.name == "m" ? "4096" : "200000"));
    if (w.name == "m") {
        synthetic_m(rows, w.x, w.y);
        w.model = model_m();
    } else if (w.name == "tabular") {
        Dataset data = read_npy_dataset(arg(argc, argv, "x", "X.npy"), arg(argc, argv, "y", "y.npy"), "classification");
        const Index n = std::min(rows, data.x.rows());
        w.x = data.x.topRows(n);
        w.y = data.y.topRows(n);
        w.batch = 512;
        w.warm_rows = 2048;
        w.model = model_tabular(w.x.cols());
    } else {
        throw ConfigError("--workload must be m or tabular; received '" + w.name + "'");
    }
    return w;
}

int train(DistributedWorld& world, Workload w) {
    const Index rows = w.x.rows();
    Sequential& model = w.model;
    FitOptions warm{.epochs = 1, .batch_size = w.batch, .seed = 1, .verbose = 0};
    configure_distributed(warm, world);
    model.fit(w.x.topRows(w.warm_rows), w.y.topRows(w.warm_rows), warm);  // builds, sizes the workspaces, warms the caches
    FitOptions options{.epochs = 1, .batch_size = w.batch, .seed = 2, .verbose = 0};
    configure_distributed(options, world);
    world.barrier("the start of the timed epoch");
    const auto t0 = clk::now();
    const History h = model.fit(w.x, w.y, options);
    world.barrier("the end of the timed epoch");
    const double s = std::chrono::duration<double>(clk::now() - t0).count();
    const Index steps = (rows + w.batch - 1) / w.batch;
    if (world.is_root())
        std::printf("RESULT {\"mode\":\"train\",\"workload\":\"%s\",\"ranks\":%d,\"threads\":%d,\"rows\":%ld,"
                    "\"batch\":%ld,\"steps\":%ld,\"seconds\":%.4f,\"step_ms\":%.3f,\"samples_per_s\":%.1f,"
                    "\"loss\":%.6f,\"params\":%ld}\n",
                    w.name.c_str(), world.size(), num_threads(), static_cast<long>(rows), static_cast<long>(w.batch),
                    static_cast<long>(steps), s, 1e3 * s / static_cast<double>(steps), static_cast<double>(rows) / s,
                    h.last("loss"), static_cast<long>(model.count_params()));
    return 0;
}

int allreduce(DistributedWorld& world, const std::string& sizes, int reps) {
    std::size_t start = 0;
    while (start < sizes.size()) {
        const auto end = std::min(sizes.find(',', start), sizes.size());
        const auto n = static_cast<std::size_t>(std::stol(sizes.substr(start, end - start)));
        start = end + 1;
        std::vector<float> buffer(n, 1.0f);
        double total = 0, fastest = 1e300;
        for (int r = -5; r < reps; ++r) {
            world.barrier("the allreduce benchmark");
            const auto t0 = clk::now();
            world.allreduce_sum(buffer, "the benchmark buffer");
            const double t = std::chrono::duration<double>(clk::now() - t0).count();
            if (r >= 0) total += t, fastest = std::min(fastest, t);
            std::fill(buffer.begin(), buffer.end(), 1.0f);
        }
        std::vector<double> worst = {total, fastest};
        world.allreduce_max(worst, "the benchmark times");  // the slowest rank's mean and fastest call
        if (world.is_root())
            std::printf("RESULT {\"mode\":\"allreduce\",\"ranks\":%d,\"blocking\":%s,\"floats\":%zu,\"bytes\":%zu,"
                        "\"us\":%.2f,\"min_us\":%.2f,\"gbit_per_s\":%.3f}\n",
                        world.size(), world.timeout_seconds() > 0 ? "false" : "true", n, n * sizeof(float),
                        1e6 * worst[0] / reps, 1e6 * worst[1], 8.0 * static_cast<double>(n * sizeof(float)) / (worst[0] / reps) / 1e9);
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        const std::string timeout = arg(argc, argv, "timeout", "30");
        DistributedWorld world({.timeout_seconds = std::stod(timeout)});
        set_num_threads(std::stoi(arg(argc, argv, "threads", "1")));
        const std::string mode = arg(argc, argv, "mode", "train");
        if (mode == "train") return train(world, load_workload(argc, argv));
        if (mode == "allreduce")
            return allreduce(world, arg(argc, argv, "sizes", "64,4096,65536,535818,4194304"),
                             std::stoi(arg(argc, argv, "reps", "50")));
        std::fprintf(stderr, "unknown --mode %s (train or allreduce)\n", mode.c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "plexus_mpi_bench: error: %s\n", e.what());
        return 2;
    }
}
