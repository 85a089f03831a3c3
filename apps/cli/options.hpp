// Range checks for numeric options, attached where an option is declared:
//   cmd->add_option("--epochs", ...)->check(in_range(at_least(1), "--epochs 100"));
// A value outside the range fails while the command line is parsed, before
// anything runs or is written, with exit code 2 and one line:
//   --epochs: received 0; expected a positive integer; fix: e.g. --epochs 100
#pragma once

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

namespace plexus::cli {

// The values an option accepts: [low, high], either end open, integers only if `integer`.
struct Range {
    double low = -std::numeric_limits<double>::infinity();
    double high = std::numeric_limits<double>::infinity();
    bool low_open = false, high_open = false, integer = false;

    bool contains(double v) const {
        return (low_open ? v > low : v >= low) && (high_open ? v < high : v <= high) && (!integer || v == std::floor(v));
    }
    // "an integer >= 1", "a number in [0, 1)".
    std::string text() const {
        const std::string kind = integer ? "an integer " : "a number ";
        if (std::isinf(high) && ((integer && low == 1 && !low_open) || (low == 0 && low_open)))
            return integer ? "a positive integer" : "a positive number";
        if (std::isinf(high)) return kind + fmt::format("{} {}", low_open ? ">" : ">=", low);
        return kind + fmt::format("in {}{}, {}{}", low_open ? "(" : "[", low, high, high_open ? ")" : "]");
    }
};

inline Range at_least(long low) { return {.low = static_cast<double>(low), .integer = true}; }
inline Range int_range(long low, long high) {
    return {.low = static_cast<double>(low), .high = static_cast<double>(high), .integer = true};
}
inline Range positive() { return {.low = 0, .low_open = true}; }
inline Range non_negative() { return {.low = 0}; }
// [low, high) or (low, high).
inline Range fraction(bool low_open) { return {.low = 0, .high = 1, .low_open = low_open, .high_open = true}; }

// A CLI11 check for `range`; `example` is a valid use for the fix ("--epochs 100").
// Text that is not a number passes through to CLI11's own conversion error.
inline CLI::Validator in_range(Range range, std::string example) {
    return CLI::Validator(
        [range, example](std::string& text) -> std::string {
            errno = 0;
            char* stop = nullptr;
            const double v = std::strtod(text.c_str(), &stop);
            if (stop == text.c_str() || *stop != '\0' || errno == ERANGE) return "";
            if (!std::isnan(v) && range.contains(v)) return "";
            return "received " + text + "; expected " + range.text() + "; fix: e.g. " + example;
        },
        range.text());
}

}  // namespace plexus::cli
