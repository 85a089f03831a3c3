// The C++ side of bench/python/python_vs_cpp.py: predict on ROWS rows of workload M
// (784 features; m_X.npy made by bench/make_m_npy.py, its 60000 rows repeated in
// order up to ROWS) with the 784-512-256-10 relu/softmax network, one
// Sequential::predict call (batch 256, Python's default) per round.
//
//   predict_bench m_X.npy [--rows 1000000] [--rounds 5] [--seed 1]
//
// Prints one line per round: "predict_seconds S" (the call alone, output allocation included).
#include <chrono>
#include <cstdio>
#include <string>

#include "plexus/data/npy.hpp"
#include "plexus/layers/dense.hpp"
#include "plexus/model/sequential.hpp"

int main(int argc, char** argv) {
    using namespace plexus;
    if (argc < 2) {
        std::fprintf(stderr, "usage: predict_bench m_X.npy [--rows N] [--rounds N] [--seed N]\n");
        return 2;
    }
    Index rows = 1000000;
    int rounds = 5;
    std::uint64_t seed = 1;
    for (int i = 2; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--rows") rows = std::stol(argv[i + 1]);
        else if (flag == "--rounds") rounds = std::stoi(argv[i + 1]);
        else if (flag == "--seed") seed = std::stoull(argv[i + 1]);
    }
    const Matrix m = read_npy_matrix(argv[1]);
    Matrix x(rows, m.cols());
    for (Index i = 0; i < rows; ++i) x.row(i) = m.row(i % m.rows());
    Sequential model({Dense({.units = 512, .activation = "relu", .input_dim = m.cols()}),
                      Dense({.units = 256, .activation = "relu"}), Dense({.units = 10, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "sparse_categorical_crossentropy", .seed = seed});
    double checksum = static_cast<double>(model.predict(x.topRows(1024))(0, 0));  // build and warm up
    for (int r = 0; r < rounds; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const Matrix p = model.predict(x);
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        checksum += static_cast<double>(p(rows - 1, 0));
        std::printf("predict_seconds %.6f\n", s);
        std::fflush(stdout);
    }
    std::printf("checksum %.6g\n", checksum);
    return 0;
}
