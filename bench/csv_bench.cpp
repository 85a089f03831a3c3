// CSV loading speed (BENCHMARKS.md, "CSV loading"): read_csv on one file,
// REPEAT times, each from the page cache (the first, untimed read warms it).
// Prints one `RESULT {json}` line: bytes, rows, columns, every run's seconds,
// the median and the median's MB/s (1 MB = 1e6 bytes).
//
//   /usr/bin/python3 bench/make_csv.py --rows 600000 --out /tmp/higgs.csv
//   build/bench/plexus_csv_bench /tmp/higgs.csv --repeat 7
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/data/csv.hpp"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: plexus_csv_bench FILE.csv [--repeat N]\n";
        return 2;
    }
    const std::string path = argv[1];
    int repeat = 5;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (std::string(argv[i]) == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
    }
    const auto bytes = static_cast<double>(std::filesystem::file_size(path));
    plexus::Dataset warm = plexus::read_csv(path);
    std::vector<double> seconds;
    for (int r = 0; r < repeat; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const plexus::Dataset d = plexus::read_csv(path);
        seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        if (d.x.rows() != warm.x.rows() || d.x != warm.x) {
            std::cerr << "plexus_csv_bench: runs disagree\n";
            return 1;
        }
    }
    std::vector<double> sorted = seconds;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted[sorted.size() / 2];
    const nlohmann::json result = {{"file", path},
                                   {"bytes", bytes},
                                   {"rows", warm.x.rows()},
                                   {"features", warm.x.cols()},
                                   {"classes", warm.class_names.size()},
                                   {"seconds", seconds},
                                   {"median_seconds", median},
                                   {"mb_per_s", bytes / 1e6 / median}};
    std::cout << "RESULT " << result.dump() << '\n';
}
