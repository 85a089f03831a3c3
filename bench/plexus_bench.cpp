// Plexus as a contender of the peer harness (../shared/bench/peers, see its README).
//
//   plexus_bench --workload S [--epochs 300] [--seed 1] [--doctor | --doctor-pairs N]
//   plexus_bench --workload M [--data DIR | --synthetic ROWS] [--steps N] [--infer-batches N] [--warmup-s 1]
//                [--seed 1]
//
// Prints one line "RESULT {json}" with the harness's fields, through the public API only:
//   S: the seed model (Dense 2-4-4-4-4 tanh, 2 softmax; Glorot-uniform, zero biases), SGD 0.01,
//      categorical cross-entropy, batch 8, Keras's tail split (409 train / 103 validation rows),
//      reshuffled every epoch, 300 epochs of Sequential::fit with validation after every epoch.
//      The timed region is the fit call (split, training and per-epoch validation). The training
//      doctor is off unless --doctor is given (the peers have nothing like it). --doctor-pairs N
//      measures the doctor's cost instead: N alternating pairs of fits (each of a fresh model built
//      with the same seed) without and with the doctor, in this one process; the median and range
//      of the ratios, and the median times.
//   M: 784-512-256-10 relu/softmax, Adam 1e-3, categorical cross-entropy on one-hot labels,
//      train_on_batch over batches of 128 rows in file order after 2 untimed warm-up steps, then
//      predict at batch 1024 (softmax included) after one warm-up batch. Before that, a throwaway
//      copy of the network trains untimed for --warmup-s seconds (default 1; 0: none): the vCPUs
//      of the machines measured on reach their working clock only after some hundreds of
//      milliseconds of work (a 1 s spin before the loop took it from 44k to 58k samples/s on one
//      thread of the Zen 5 VM, and 55k to 71-79k on two), and the peers' Python start-up (imports,
//      data loading) gives them that before their timed loops.
//      --synthetic ROWS replaces DIR/m_X.f32 and m_y.u8 by ROWS generated rows (for tests);
//      with --write-data DIR it writes them there in the harness's format and exits.
// Extra fields: peak_rss_mb (getrusage), and for M the heap the model holds after training and
// after inference (parameters, gradients, Adam's slots, workspaces, packing buffers; the data
// excluded), from glibc's mallinfo2, next to the reference sizes the issue names.
#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>
#include <vector>

#include "plexus/core/parallel.hpp"
#include "plexus/plexus.hpp"

namespace {
// Bytes in use on the heap (glibc's arena plus its mmap'ed blocks). Plexus allocates
// nothing during a training step, so sampling this between phases gives the peaks.
double heap_in_use_mb() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
    const struct mallinfo2 info = mallinfo2();
    return static_cast<double>(info.uordblks + info.hblkhd) / 1048576.0;
#else
    return 0.0;
#endif
}
}  // namespace

namespace {

using plexus::Index;
using plexus::Matrix;
using clk = std::chrono::steady_clock;

double seconds(clk::time_point a, clk::time_point b) { return std::chrono::duration<double>(b - a).count(); }

struct Args {
    int argc;
    char** argv;
    std::string get(const char* name, const std::string& fallback) const {
        for (int i = 1; i + 1 < argc; ++i)
            if (std::string(argv[i]) == std::string("--") + name) return argv[i + 1];
        return fallback;
    }
    bool flag(const char* name) const {
        for (int i = 1; i < argc; ++i)
            if (std::string(argv[i]) == std::string("--") + name) return true;
        return false;
    }
};

double peak_rss_mb() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
}

int threads_used() { return plexus::num_threads(); }

// ---------------------------------------------------------------- workload S
int run_s(const Args& args) {
    const int epochs = std::stoi(args.get("epochs", "300"));
    const auto seed = static_cast<std::uint64_t>(std::stoull(args.get("seed", "1")));
    const bool doctor = args.flag("doctor");
    const int n = 256, batch = 8;
    Matrix x(2 * n, 2), y = Matrix::Zero(2 * n, 2);
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < n; ++i) {
            const double t = 2 * std::numbers::pi * i / (n - 1);  // np.linspace(0, 2π, 256)
            x(c * n + i, 0) = static_cast<float>(t);
            x(c * n + i, 1) = static_cast<float>(std::cos(1.2 * t) + (c == 0 ? 0.8 : -0.8));
            y(c * n + i, c) = 1;
        }
    const auto split = static_cast<Index>(std::floor(2 * n * (1 - 0.2)));  // 409, as Keras/tfjs

    using namespace plexus;
    const auto make_model = [&] {
        Sequential m({Dense({.units = 4, .activation = "tanh", .input_dim = 2}), Dense({.units = 4, .activation = "tanh"}),
                      Dense({.units = 4, .activation = "tanh"}), Dense({.units = 4, .activation = "tanh"}),
                      Dense({.units = 2, .activation = "softmax"})});
        m.compile({.optimizer = {.name = "sgd", .learning_rate = 0.01}, .loss = "categorical_crossentropy",
                   .metrics = {"accuracy"}, .seed = seed});
        m.build(2, seed);  // Glorot-uniform kernels, zero biases (the defaults); not timed
        return m;
    };
    const FitOptions options{.epochs = epochs, .batch_size = batch, .shuffle = true, .validation_split = 0.2,
                             .split = Split::tail, .verbose = 0};
    if (const int pairs = std::stoi(args.get("doctor-pairs", "0")); pairs > 0) {
        // The doctor's cost in one process: pairs of fits of a fresh model (the same seed)
        // without and with it, alternating which goes first; the median and range of the ratios.
        std::vector<double> ratios, without, with_doctor;
        for (int p = 0; p < pairs; ++p) {
            double t[2] = {0, 0};
            for (int k = 0; k < 2; ++k) {
                const bool with = (k == 0) == (p % 2 == 1);
                Sequential m = make_model();
                const auto a = clk::now();
                if (with) fit_with_doctor(m, x, y, options);
                else m.fit(x, y, options);
                t[with ? 1 : 0] = seconds(a, clk::now());
            }
            ratios.push_back(t[1] / t[0]);
            without.push_back(t[0]);
            with_doctor.push_back(t[1]);
        }
        for (auto* v : {&ratios, &without, &with_doctor}) std::sort(v->begin(), v->end());
        std::printf("RESULT {\"peer\":\"plexus-doctor-pairs\",\"workload\":\"S\",\"pairs\":%d,\"doctor_ratio_median\":%.4f,"
                    "\"doctor_ratio_min\":%.4f,\"doctor_ratio_max\":%.4f,\"without_s_median\":%.6f,\"with_s_median\":%.6f}\n",
                    pairs, ratios[ratios.size() / 2], ratios.front(), ratios.back(), without[without.size() / 2],
                    with_doctor[with_doctor.size() / 2]);
        return 0;
    }
    Sequential model = make_model();
    const auto t0 = clk::now();
    const History history = doctor ? fit_with_doctor(model, x, y, options).history : model.fit(x, y, options);
    const auto t1 = clk::now();
    if (history.split.train_rows != split) {
        std::fprintf(stderr, "unexpected split: %ld training rows\n", static_cast<long>(history.split.train_rows));
        return 1;
    }
    const Logs train = model.evaluate(x.topRows(split), y.topRows(split));
    const long steps = static_cast<long>(epochs) * ((split + batch - 1) / batch);
    const double train_s = seconds(t0, t1);
    std::printf(
        "RESULT {\"peer\":\"plexus%s\",\"threads\":1,\"startup_s\":0,\"versions\":{\"plexus\":\"%s\",\"gcc\":\"%s\"},"
        "\"workload\":\"S\",\"epochs\":%d,\"train_rows\":%ld,\"val_rows\":%ld,\"steps\":%ld,\"train_s\":%.6f,"
        "\"us_per_step\":%.3f,\"final_train_loss\":%.6f,\"final_train_acc\":%.6f,\"final_val_loss\":%.6f,"
        "\"final_val_acc\":%.6f,\"keras_epoch_mean_loss\":%.6f,\"doctor\":%s,\"peak_rss_mb\":%.1f}\n",
        doctor ? "-doctor" : "", PLEXUS_VERSION, __VERSION__, epochs, static_cast<long>(split),
        static_cast<long>(2 * n - split), steps, train_s, train_s * 1e6 / static_cast<double>(steps), train.at("loss"),
        train.at("accuracy"), history.last("val_loss"), history.last("val_accuracy"), history.last("loss"),
        doctor ? "true" : "false", peak_rss_mb());
    return 0;
}

// ---------------------------------------------------------------- workload M
// The rows are kept in blocks of 1024 (the inference batch): predict takes a whole block without a copy,
// and a 128-row training batch never straddles two blocks.
struct BlockedData {
    std::vector<Matrix> x, y;  // blocks of kBlock rows (the last one shorter)
    Index rows = 0;
};
constexpr Index kDim = 784, kClasses = 10, kBatch = 128, kBlock = 1024;

bool load_m(const std::string& dir, Index synthetic, const std::string& write_dir, BlockedData& data) {
    std::vector<float> raw;
    std::vector<unsigned char> labels;
    if (synthetic > 0) {
        // N(0,1) rows labelled by a random linear teacher, as common/gen_data_m.py (not the same numbers).
        plexus::Rng rng(20240601);
        raw.resize(static_cast<std::size_t>(synthetic * kDim));
        for (auto& v : raw) v = static_cast<float>(rng.normal());
        std::vector<float> teacher(static_cast<std::size_t>(kDim * kClasses));
        for (auto& v : teacher) v = static_cast<float>(rng.normal());
        labels.resize(static_cast<std::size_t>(synthetic));
        for (Index r = 0; r < synthetic; ++r) {
            int best = 0;
            double best_v = -1e300;
            for (int c = 0; c < kClasses; ++c) {
                double s = 0;
                for (Index k = 0; k < kDim; ++k)
                    s += double(raw[static_cast<std::size_t>(r * kDim + k)]) * teacher[static_cast<std::size_t>(k * kClasses + c)];
                if (s > best_v) best_v = s, best = c;
            }
            labels[static_cast<std::size_t>(r)] = static_cast<unsigned char>(best);
        }
        data.rows = synthetic;
        if (!write_dir.empty()) {  // --write-data DIR: store them in the harness's format instead
            std::ofstream fx(write_dir + "/m_X.f32", std::ios::binary), fy(write_dir + "/m_y.u8", std::ios::binary);
            fx.write(reinterpret_cast<const char*>(raw.data()), static_cast<std::streamsize>(raw.size() * sizeof(float)));
            fy.write(reinterpret_cast<const char*>(labels.data()), static_cast<std::streamsize>(labels.size()));
            if (!fx || !fy) {
                std::fprintf(stderr, "cannot write %s/m_X.f32 and m_y.u8\n", write_dir.c_str());
                return false;
            }
            return true;
        }
    } else {
        std::ifstream fy(dir + "/m_y.u8", std::ios::binary | std::ios::ate);
        std::ifstream fx(dir + "/m_X.f32", std::ios::binary);
        if (!fx || !fy) {
            std::fprintf(stderr, "cannot open %s/m_X.f32 and %s/m_y.u8\n", dir.c_str(), dir.c_str());
            return false;
        }
        data.rows = static_cast<Index>(fy.tellg());
        fy.seekg(0);
        labels.resize(static_cast<std::size_t>(data.rows));
        fy.read(reinterpret_cast<char*>(labels.data()), static_cast<std::streamsize>(labels.size()));
        for (Index start = 0; start < data.rows; start += kBlock) {  // straight into the blocks
            Matrix block(std::min(kBlock, data.rows - start), kDim);
            fx.read(reinterpret_cast<char*>(block.data()), static_cast<std::streamsize>(block.size() * sizeof(float)));
            data.x.push_back(std::move(block));
        }
        if (!fx || !fy) {
            std::fprintf(stderr, "%s/m_X.f32 is shorter than %ld rows of %ld floats\n", dir.c_str(),
                         static_cast<long>(data.rows), static_cast<long>(kDim));
            return false;
        }
    }
    for (Index start = 0; start < data.rows; start += kBlock) {
        const Index n = std::min(kBlock, data.rows - start);
        if (synthetic > 0) data.x.emplace_back(Eigen::Map<const Matrix>(raw.data() + start * kDim, n, kDim));
        Matrix y = Matrix::Zero(n, kClasses);
        for (Index r = 0; r < n; ++r) y(r, labels[static_cast<std::size_t>(start + r)]) = 1;
        data.y.push_back(std::move(y));
    }
    return true;
}

int run_m(const Args& args) {
    const auto seed = static_cast<std::uint64_t>(std::stoull(args.get("seed", "1")));
    BlockedData data;
    const std::string write_dir = args.get("write-data", "");
    if (!write_dir.empty()) std::filesystem::create_directories(write_dir);
    if (!load_m(args.get("data", "data"), std::stol(args.get("synthetic", "0")), write_dir, data)) return 1;
    if (!write_dir.empty()) return 0;
    const double data_mb = heap_in_use_mb();

    using namespace plexus;
    const auto network = [&] {
        Sequential m({Dense({.units = 512, .activation = "relu", .input_dim = kDim}),
                      Dense({.units = 256, .activation = "relu"}), Dense({.units = kClasses, .activation = "softmax"})});
        m.compile({.optimizer = {.name = "adam", .learning_rate = 1e-3}, .loss = "categorical_crossentropy", .seed = seed});
        m.build(kDim, seed);
        return m;
    };
    Sequential model = network();

    const Index full = (data.rows + kBatch - 1) / kBatch;
    const Index steps = std::min<Index>(std::stol(args.get("steps", std::to_string(full))), full);
    const auto batch_of = [&](Index i, auto&& fn) {
        const Index start = i * kBatch, block = start / kBlock, offset = start % kBlock;
        const Index n = std::min(kBatch, data.x[static_cast<std::size_t>(block)].rows() - offset);
        return fn(data.x[static_cast<std::size_t>(block)].middleRows(offset, n),
                  data.y[static_cast<std::size_t>(block)].middleRows(offset, n), n);
    };
    const auto step = [&](Index i) {
        return batch_of(i, [&](const auto& xb, const auto& yb, Index) { return model.train_on_batch(xb, yb); });
    };
    const double built_mb = heap_in_use_mb() - data_mb;
    if (const double warmup_s = std::stod(args.get("warmup-s", "1")); warmup_s > 0) {
        Sequential warm = network();  // the clock's warm-up (see the top of this file), on a copy
        const auto w0 = clk::now();
        for (Index i = 0; seconds(w0, clk::now()) < warmup_s; i = (i + 1) % full)
            batch_of(i, [&](const auto& xb, const auto& yb, Index) { return warm.train_on_batch(xb, yb); });
    }
    for (Index i = 0; i < std::min<Index>(2, full); ++i) step(i);  // warm-up, not timed

    std::vector<double> losses;
    losses.reserve(static_cast<std::size_t>(steps));
    long samples = 0;
    const auto t0 = clk::now();
    for (Index i = 0; i < steps; ++i) {
        losses.push_back(step(i));
        samples += batch_of(i, [](const auto&, const auto&, Index n) { return static_cast<long>(n); });
    }
    const auto t1 = clk::now();
    const double trained_mb = heap_in_use_mb() - data_mb;

    const Index full_blocks = data.rows / kBlock;
    const Index nib = std::min<Index>(std::stol(args.get("infer-batches", std::to_string(full_blocks))), full_blocks);
    double checksum = 0;
    if (nib > 0) checksum += static_cast<double>(model.predict(data.x[0], kBlock)(0, 0));  // warm-up
    const auto t2 = clk::now();
    for (Index b = 0; b < nib; ++b) {
        const Matrix p = model.predict(data.x[static_cast<std::size_t>(b)], kBlock);
        checksum += static_cast<double>(p(0, 0));
    }
    const auto t3 = clk::now();
    const double inferred_mb = heap_in_use_mb() - data_mb;

    double last_loss = 0;
    const std::size_t tail = std::min<std::size_t>(20, losses.size());
    for (std::size_t i = losses.size() - tail; i < losses.size(); ++i) last_loss += losses[i] / static_cast<double>(tail);
    // The reference of the issue: parameters + optimizer state (Adam: 2 slots; the gradient buffer
    // counted too, so 4 floats per parameter) + one batch's activations (the layer outputs).
    const auto params = static_cast<double>(model.count_params());
    const double params_state_mb = params * 4 * sizeof(Scalar) / 1048576.0;
    const double activations_mb = static_cast<double>(kBatch * (512 + 256 + kClasses) * sizeof(Scalar)) / 1048576.0;
    const double train_s = seconds(t0, t1), infer_s = seconds(t2, t3);
    std::printf(
        "RESULT {\"peer\":\"plexus\",\"threads\":%d,\"startup_s\":0,\"versions\":{\"plexus\":\"%s\",\"gcc\":\"%s\"},"
        "\"workload\":\"M\",\"batch\":%ld,\"steps\":%ld,\"steps_full_epoch\":%ld,\"train_s\":%.6f,\"train_sps\":%.3f,"
        "\"est_epoch_s\":%.4f,\"infer_batch\":%ld,\"infer_batches\":%ld,\"infer_s\":%.6f,\"infer_sps\":%.3f,"
        "\"last_loss\":%.6f,\"checksum\":%.6f,\"params\":%.0f,\"peak_rss_mb\":%.1f,\"data_mb\":%.1f,"
        "\"model_heap_built_mb\":%.2f,\"model_heap_trained_mb\":%.2f,\"model_heap_after_infer_mb\":%.2f,"
        "\"ref_params_grads_adam_mb\":%.2f,\"ref_batch_activations_mb\":%.2f,\"train_heap_vs_ref\":%.2f}\n",
        threads_used(), PLEXUS_VERSION, __VERSION__, static_cast<long>(kBatch), static_cast<long>(steps),
        static_cast<long>(full), train_s, static_cast<double>(samples) / train_s,
        train_s * static_cast<double>(full) / static_cast<double>(std::max<Index>(steps, 1)), static_cast<long>(kBlock),
        static_cast<long>(nib), infer_s, nib > 0 ? static_cast<double>(nib * kBlock) / infer_s : 0.0, last_loss, checksum,
        params, peak_rss_mb(), data_mb, built_mb, trained_mb, inferred_mb, params_state_mb, activations_mb,
        trained_mb / (params_state_mb + activations_mb));
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const Args args{argc, argv};
    try {
        const std::string workload = args.get("workload", "S");
        if (workload == "S") return run_s(args);
        if (workload == "M") return run_m(args);
        std::fprintf(stderr, "unknown --workload %s (S or M)\n", workload.c_str());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
        return 1;
    }
}
