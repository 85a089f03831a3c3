// Sweep grids; see grid.hpp.
#include "plexus/sweep/grid.hpp"

#include <algorithm>
#include <numeric>

#include "plexus/core/error.hpp"
#include "plexus/core/rng.hpp"

namespace plexus {

namespace {

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string_view> split(std::string_view s, char separator) {
    std::vector<std::string_view> parts;
    for (std::size_t start = 0;;) {
        const auto end = s.find(separator, start);
        parts.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
        if (end == std::string_view::npos) return parts;
        start = end + 1;
    }
}

[[noreturn]] void grid_error(const std::string& what) {
    throw ConfigError("--grid: " + what +
                      "; expected 'key=v1,v2;key2=a|b' (parameters separated by ';', values by ',' or, when a value "
                      "contains commas, by '|'), e.g. --grid 'lr=0.001,0.01;layers=16,16|32,32'");
}

SweepParameter parse_parameter(std::string_view part) {
    const auto eq = part.find('=');
    if (eq == std::string_view::npos) grid_error("'" + std::string(part) + "' has no '='");
    SweepParameter p{.key = std::string(trim(part.substr(0, eq))), .values = {}};
    if (p.key.empty()) grid_error("'" + std::string(part) + "' has an empty key before '='");
    const std::string_view values = part.substr(eq + 1);
    const char separator = values.find('|') != std::string_view::npos ? '|' : ',';
    for (std::string_view v : split(values, separator)) {
        v = trim(v);
        if (v.empty()) grid_error("the values of '" + p.key + "' contain an empty value ('" + std::string(values) + "')");
        if (std::find(p.values.begin(), p.values.end(), v) != p.values.end())
            grid_error("the value '" + std::string(v) + "' of '" + p.key + "' is given twice");
        p.values.emplace_back(v);
    }
    return p;
}

}  // namespace

SweepGrid parse_grid(std::string_view text) {
    SweepGrid grid;
    for (std::string_view part : split(text, ';')) {
        if (trim(part).empty()) continue;  // "a=1;" or "a=1;;b=2"
        SweepParameter p = parse_parameter(part);
        for (const SweepParameter& q : grid)
            if (q.key == p.key) grid_error("the key '" + p.key + "' is given twice; list all its values in one part");
        grid.push_back(std::move(p));
    }
    if (grid.empty()) grid_error("no parameters in '" + std::string(text) + "'");
    std::size_t size = 1;
    for (const SweepParameter& p : grid) {
        if (size > kMaxGridSize / p.values.size())
            grid_error("more than " + std::to_string(kMaxGridSize) + " combinations; use fewer values or --random K");
        size *= p.values.size();
    }
    return grid;
}

std::size_t grid_size(const SweepGrid& grid) {
    std::size_t size = grid.empty() ? 0 : 1;
    for (const SweepParameter& p : grid) size *= p.values.size();
    return size;
}

TrialConfig grid_config(const SweepGrid& grid, std::size_t index) {
    const std::size_t size = grid_size(grid);
    if (index >= size)
        throw ConfigError("grid_config: index " + std::to_string(index) + " is outside the grid's " +
                          std::to_string(size) + " combinations");
    TrialConfig config(grid.size());
    for (std::size_t k = grid.size(); k-- > 0;) {
        const std::size_t n = grid[k].values.size();
        config[k] = {grid[k].key, grid[k].values[index % n]};
        index /= n;
    }
    return config;
}

std::vector<TrialConfig> expand_grid(const SweepGrid& grid) {
    std::vector<TrialConfig> configs;
    const std::size_t size = grid_size(grid);
    configs.reserve(size);
    for (std::size_t i = 0; i < size; ++i) configs.push_back(grid_config(grid, i));
    return configs;
}

std::vector<TrialConfig> sample_grid(const SweepGrid& grid, std::size_t count, std::uint64_t seed) {
    const std::size_t size = grid_size(grid);
    if (count == 0 || count > size)
        throw ConfigError("--random " + std::to_string(count) + ": expected 1 to " + std::to_string(size) +
                          " (the number of combinations of --grid); use a smaller K or drop --random to run them all");
    // Partial Fisher-Yates over the combination indices.
    std::vector<std::size_t> indices(size);
    std::iota(indices.begin(), indices.end(), std::size_t{0});
    Rng rng(seed);
    std::vector<TrialConfig> configs;
    configs.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t j = i + static_cast<std::size_t>(rng.uniform_int(size - i));
        std::swap(indices[i], indices[j]);
        configs.push_back(grid_config(grid, indices[i]));
    }
    return configs;
}

std::string format_config(const TrialConfig& config) {
    std::string text;
    for (const auto& [key, value] : config) text += (text.empty() ? "" : ";") + key + "=" + value;
    return text;
}

}  // namespace plexus
