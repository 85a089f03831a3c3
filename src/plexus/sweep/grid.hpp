// Sweep grids: `--grid 'lr=0.001,0.01,0.1;layers=16,16|32,32;activation=tanh,relu'`.
//
//   SweepGrid grid = parse_grid("lr=0.001,0.01;layers=16,16|32,32");
//   grid_size(grid);                     // 4
//   grid_config(grid, 1);                // {{"lr","0.001"},{"layers","32,32"}} (last key varies fastest)
//   sample_grid(grid, 3, /*seed=*/7);    // 3 distinct configurations, in sampling order
//
// Syntax: parameters separated by ';', each `key=values`. A key's values are separated
// by '|' if the values string contains a '|' (so values may contain commas, as layer
// widths do), otherwise by ','. Spaces around keys and values are ignored. Keys are
// generic strings: what they mean is up to the trial runner (the CLI maps them to its
// options). Nothing here depends on MPI.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace plexus {

struct SweepParameter {
    std::string key;
    std::vector<std::string> values;  // >= 1, distinct, in the order given
};
using SweepGrid = std::vector<SweepParameter>;

// One trial's configuration: (key, value) in the grid's key order.
using TrialConfig = std::vector<std::pair<std::string, std::string>>;

// Upper bound on the number of combinations (guards against typos).
inline constexpr std::size_t kMaxGridSize = 10'000'000;

// Parses the text of --grid. Throws ConfigError (naming --grid, the offending part and
// the fix) on a part without '=', an empty key or value, a repeated key or value, no
// parameters at all, or more than kMaxGridSize combinations.
SweepGrid parse_grid(std::string_view text);

// The number of combinations (the product of the value counts).
std::size_t grid_size(const SweepGrid& grid);

// Combination `index` in [0, grid_size): mixed radix, the last key varies fastest.
TrialConfig grid_config(const SweepGrid& grid, std::size_t index);

// Every combination, in index order.
std::vector<TrialConfig> expand_grid(const SweepGrid& grid);

// `count` distinct combinations drawn uniformly without replacement with plexus::Rng(seed),
// in the order drawn (a pure function of grid, count and seed). Throws ConfigError
// (naming --random) if count is 0 or exceeds grid_size.
std::vector<TrialConfig> sample_grid(const SweepGrid& grid, std::size_t count, std::uint64_t seed);

// "lr=0.01;layers=16,16": for display and logs.
std::string format_config(const TrialConfig& config);

}  // namespace plexus
