#include "plexus/core/json_limits.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "plexus/core/error.hpp"
#include "plexus/core/text.hpp"

namespace plexus {
namespace {

std::string position(std::string_view text, std::size_t offset) {
    std::size_t line = 1, col = 1;
    for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') ++line, col = 1;
        else ++col;
    }
    return std::to_string(line) + ":" + std::to_string(col);
}

// Offset of the first '[' or '{' (outside strings) that opens level max_depth + 1.
std::optional<std::size_t> too_deep_at(std::string_view text, int max_depth) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return i;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::nullopt;
}

void render(const nlohmann::json& j, std::string& out, std::size_t max_chars, int depth) {
    if (out.size() > max_chars) return;
    if (j.is_array() || j.is_object()) {
        const bool array = j.is_array();
        if (depth >= 3) {
            out += array ? "[...]" : "{...}";
            return;
        }
        out += array ? '[' : '{';
        bool first = true;
        for (auto it = j.begin(); it != j.end(); ++it) {
            if (out.size() > max_chars) break;
            if (!first) out += ", ";
            first = false;
            if (!array) out += "\"" + excerpt(it.key(), 30) + "\": ";
            render(it.value(), out, max_chars, depth + 1);
        }
        out += array ? ']' : '}';
    } else if (j.is_string()) {
        out += "\"" + excerpt(j.get_ref<const std::string&>(), 40) + "\"";
    } else {
        out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    }
}

std::string number_text(double v) {
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string type_name(const nlohmann::json& j) {
    if (j.is_number_integer()) return "an integer";
    if (j.is_number()) return "a number";
    if (j.is_string()) return "a string";
    if (j.is_boolean()) return "a boolean";
    if (j.is_array()) return "a list of " + std::to_string(j.size());
    if (j.is_object()) return "an object";
    return "null";
}

}  // namespace

void throw_json_error(JsonErrorKind kind, const std::string& message) {
    switch (kind) {
    case JsonErrorKind::config: throw ConfigError(message);
    case JsonErrorKind::io: throw IoError(message);
    case JsonErrorKind::data: break;
    }
    throw DataError(message);
}

nlohmann::json parse_json_bounded(std::string_view text, const JsonLimits& limits, std::string_view what,
                                  JsonErrorKind kind) {
    const std::string where(excerpt(what, 200));
    if (text.size() > limits.max_bytes)
        throw_json_error(kind, where + ": JSON text of " + std::to_string(text.size()) + " bytes is larger than the limit of " +
                                   std::to_string(limits.max_bytes) + " bytes; fix: give a smaller file (or raise JsonLimits::max_bytes)");
    if (const auto at = too_deep_at(text, limits.max_depth))
        throw_json_error(kind, where + ":" + position(text, *at) + ": JSON nests deeper than " + std::to_string(limits.max_depth) +
                                   " levels of lists/objects; fix: flatten the document (or raise JsonLimits::max_depth)");
    try {
        return nlohmann::json::parse(text.begin(), text.end());
    } catch (const nlohmann::json::parse_error& e) {
        const std::size_t offset = e.byte > 0 ? e.byte - 1 : 0;
        const std::size_t from = offset > 20 ? offset - 20 : 0;
        throw_json_error(kind, where + ":" + position(text, offset) + ": invalid JSON near '" + excerpt(text.substr(from, 40), 40) +
                                   "'; fix: check brackets, quotes, commas, and that the text is UTF-8");
    } catch (const nlohmann::json::exception&) {
        throw_json_error(kind, where + ": invalid JSON (a number outside the range of a double); fix: write finite numbers");
    }
}

std::string json_excerpt(const nlohmann::json& value, std::size_t max_chars) {
    std::string out;
    render(value, out, max_chars, 0);
    if (out.size() > max_chars) out = out.substr(0, max_chars) + "...";
    return excerpt(out, max_chars + 3);
}

JsonField::JsonField(const nlohmann::json& value, std::string path, JsonErrorKind kind)
    : value_(&value), path_(std::move(path)), kind_(kind) {}

void JsonField::fail(const std::string& message) const { throw_json_error(kind_, path_ + ": " + message); }

void JsonField::expected(const std::string& what) const {
    fail("expected " + what + ", received " + type_name(*value_) + " " + json_excerpt(*value_, 60));
}

const nlohmann::json& JsonField::object() const {
    if (!value_->is_object()) expected("an object {...}");
    return *value_;
}

const nlohmann::json& JsonField::array(std::size_t max_items) const {
    if (!value_->is_array()) expected("a list [...]");
    if (value_->size() > max_items)
        fail("expected a list of at most " + std::to_string(max_items) + " items, received " + std::to_string(value_->size()));
    return *value_;
}

bool JsonField::has(std::string_view key) const {
    return value_->is_object() && value_->find(key) != value_->end();
}

JsonField JsonField::at(std::string_view key) const {
    const auto& obj = object();
    const auto it = obj.find(key);
    if (it == obj.end()) fail("missing required field \"" + std::string(key) + "\"");
    return JsonField(*it, path_ + "." + std::string(key), kind_);
}

std::optional<JsonField> JsonField::find(std::string_view key) const {
    const auto& obj = object();
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    return JsonField(*it, path_ + "." + std::string(key), kind_);
}

JsonField JsonField::at(std::size_t index) const {
    const auto& arr = array();
    if (index >= arr.size())
        fail("expected at least " + std::to_string(index + 1) + " items, received " + std::to_string(arr.size()));
    return JsonField(arr[index], path_ + "[" + std::to_string(index) + "]", kind_);
}

std::int64_t JsonField::integer(std::int64_t lo, std::int64_t hi) const {
    const std::string range = "an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    if (value_->is_number_unsigned()) {
        const auto v = value_->get<std::uint64_t>();
        if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) || static_cast<std::int64_t>(v) > hi ||
            static_cast<std::int64_t>(v) < lo)
            expected(range);
        return static_cast<std::int64_t>(v);
    }
    if (!value_->is_number_integer()) expected(range);
    const auto v = value_->get<std::int64_t>();
    if (v < lo || v > hi) expected(range);
    return v;
}

double JsonField::number(double lo, double hi) const {
    const std::string range = "a finite number in [" + number_text(lo) + ", " + number_text(hi) + "]";
    if (!value_->is_number()) expected(range);
    const auto v = value_->get<double>();
    if (!std::isfinite(v) || v < lo || v > hi) expected(range);
    return v;
}

bool JsonField::boolean() const {
    if (!value_->is_boolean()) expected("true or false");
    return value_->get<bool>();
}

std::string JsonField::string(std::size_t max_length) const {
    if (!value_->is_string()) expected("a string");
    const auto& s = value_->get_ref<const std::string&>();
    if (s.size() > max_length)
        fail("expected a string of at most " + std::to_string(max_length) + " bytes, received " + std::to_string(s.size()) +
             " bytes \"" + excerpt(s, 40) + "\"");
    return s;
}

std::int64_t JsonField::integer_or(std::string_view key, std::int64_t fallback, std::int64_t lo, std::int64_t hi) const {
    const auto f = find(key);
    return f ? f->integer(lo, hi) : fallback;
}

double JsonField::number_or(std::string_view key, double fallback, double lo, double hi) const {
    const auto f = find(key);
    return f ? f->number(lo, hi) : fallback;
}

bool JsonField::boolean_or(std::string_view key, bool fallback) const {
    const auto f = find(key);
    return f ? f->boolean() : fallback;
}

std::string JsonField::string_or(std::string_view key, std::string fallback, std::size_t max_length) const {
    const auto f = find(key);
    return f ? f->string(max_length) : fallback;
}

}  // namespace plexus
