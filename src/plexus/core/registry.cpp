#include "plexus/core/registry.hpp"

#include <algorithm>
#include <numeric>

#include "plexus/core/error.hpp"
#include "plexus/core/text.hpp"

namespace plexus {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0u : 1u)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += sep;
        out += items[i];
    }
    return out;
}

void throw_unknown_name(std::string_view kind, std::string_view name,
                        const std::vector<std::string>& valid) {
    std::string message = "unknown " + std::string(kind) + " '" + excerpt(name, 60) + "'";
    std::size_t best = std::string::npos;
    std::string suggestion;
    for (const auto& candidate : valid) {
        const std::size_t d = edit_distance(name, candidate);
        if (d < best) {
            best = d;
            suggestion = candidate;
        }
    }
    if (!suggestion.empty() && best <= std::max<std::size_t>(2, name.size() / 3))
        message += "; did you mean '" + suggestion + "'?";
    message += "; valid: " + join(valid);
    throw ConfigError(message);
}

}  // namespace plexus
