// Name -> value tables with helpful errors.
//
// One registry per kind (activations, layers, losses, optimizers, initializers)
// serves code, config files and the CLI. Lookup of an unknown name throws a
// ConfigError that lists the valid names and suggests the closest one.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace plexus {

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// Throws ConfigError: "unknown <kind> '<name>'[; did you mean '<x>'?]; valid: a, b, c".
[[noreturn]] void throw_unknown_name(std::string_view kind, std::string_view name,
                                     const std::vector<std::string>& valid);

// "a, b, c"
std::string join(const std::vector<std::string>& items, std::string_view sep = ", ");

}  // namespace plexus
