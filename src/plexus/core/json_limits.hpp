// Reading JSON that nobody vouches for (model files, model specs, run configs).
//
// parse_json_bounded checks the size and the nesting depth of the text BEFORE a
// DOM is built (a linear pre-scan), so a 100000-deep "[[[[..." costs a scan and
// an error, not a stack overflow in the parser, the destructor or dump().
// JsonField wraps a parsed value with its path ("config.layers[3].units") and
// gives checked reads: a field of the wrong type, out of range or missing throws
// an Error naming the path, what was expected and (as a short excerpt) what was
// received. Nothing in this file echoes more than a short excerpt of the input.
//
//   const auto doc = parse_json_bounded(text, {}, "model.json");
//   const JsonField root(doc, "model.json");
//   const auto units = root.at("layers").at(0).at("units").integer(1, 65536);
//   const auto rate = root.number_or("rate", 0.5, 0.0, 1.0);
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace plexus {

// Which plexus::Error subclass the JSON helpers throw, so a caller's errors keep
// their meaning (a bad model file is an IoError, a bad layer spec a ConfigError).
enum class JsonErrorKind { data, config, io };

// Throws the Error subclass of `kind` with `message`.
[[noreturn]] void throw_json_error(JsonErrorKind kind, const std::string& message);

struct JsonLimits {
    // Largest text accepted (bytes). 64 MiB holds any model header Plexus writes.
    static constexpr std::size_t kDefaultMaxBytes = std::size_t{64} << 20;
    // Deepest nesting of arrays/objects accepted. Plexus's own files nest <= 8 deep.
    static constexpr int kDefaultMaxDepth = 64;
    std::size_t max_bytes = kDefaultMaxBytes;
    int max_depth = kDefaultMaxDepth;
};

// Parses `text` as one JSON document. Throws (as `kind`) with "<what>:<line>:<col>:"
// when the text is larger than limits.max_bytes, nests deeper than
// limits.max_depth, or is not valid JSON (including invalid UTF-8 in strings and
// numbers out of the double range); the message quotes at most a short excerpt.
nlohmann::json parse_json_bounded(std::string_view text, const JsonLimits& limits, std::string_view what,
                                  JsonErrorKind kind = JsonErrorKind::data);

// A short, printable rendering of `value` for messages: at most `max_chars`
// characters and 3 levels deep (deeper parts as [...] / {...}); never throws.
std::string json_excerpt(const nlohmann::json& value, std::size_t max_chars = 80);

// A JSON value and its path, with checked reads. Holds a reference: the value
// must outlive the JsonField. Every failure throws the Error of `kind`:
//   "<path>: expected <what>, received <excerpt>".
class JsonField {
public:
    JsonField(const nlohmann::json& value, std::string path, JsonErrorKind kind = JsonErrorKind::data);

    const nlohmann::json& json() const { return *value_; }
    const std::string& path() const { return path_; }
    JsonErrorKind kind() const { return kind_; }

    // Structure. object()/array() check the type and return the value;
    // array(max_items) also bounds the length.
    const nlohmann::json& object() const;
    const nlohmann::json& array(std::size_t max_items = SIZE_MAX) const;
    bool has(std::string_view key) const;                       // object with that member
    JsonField at(std::string_view key) const;                   // required member of an object
    std::optional<JsonField> find(std::string_view key) const;  // member if present and not null
    JsonField at(std::size_t index) const;                      // element of an array

    // Scalars, range-checked (bounds inclusive; numbers must be finite).
    std::int64_t integer(std::int64_t lo, std::int64_t hi) const;
    double number(double lo, double hi) const;
    bool boolean() const;
    std::string string(std::size_t max_length = 4096) const;

    // Optional members of an object: the fallback when absent or null.
    std::int64_t integer_or(std::string_view key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const;
    double number_or(std::string_view key, double fallback, double lo, double hi) const;
    bool boolean_or(std::string_view key, bool fallback) const;
    std::string string_or(std::string_view key, std::string fallback, std::size_t max_length = 4096) const;

    // Throws "<path>: <message>" as this field's kind.
    [[noreturn]] void fail(const std::string& message) const;

private:
    [[noreturn]] void expected(const std::string& what) const;
    const nlohmann::json* value_;
    std::string path_;
    JsonErrorKind kind_;
};

}  // namespace plexus
