// A stored Preprocessor (metadata.extra["preprocessor"]) as ONNX nodes, computing
// exactly Preprocessor::transform's matrix:
//   numeric column: Where(IsNaN(x), median, x) -> Sub mean -> Div scale; the
//       missing indicator is Cast(IsNaN(x));
//   categorical column: ai.onnx.ml LabelEncoder (category -> its index; every
//       spelling Plexus reads as missing -> the imputed category's index; anything
//       else -> the "other" index, or -1 = all zeros without one), then
//       Equal(index, 0..width-1) -> Cast to float: the one-hot block.
#include "plexus/interop/onnx_preprocessor.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "plexus/core/error.hpp"
#include "plexus/data/table.hpp"

namespace plexus::interop {
namespace {

using onnx_graph::GraphBuilder;

// Every upper/lower-case spelling of `word` ("na" -> na, nA, Na, NA).
std::vector<std::string> case_variants(const std::string& word) {
    std::vector<std::string> out{""};
    for (char ch : word) {
        std::vector<std::string> next;
        const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        for (const auto& prefix : out) {
            next.push_back(prefix + lower);
            if (upper != lower) next.push_back(prefix + upper);
        }
        out = std::move(next);
    }
    return out;
}

// Plexus's own test for a missing cell (Preprocessor::transform).
bool plexus_missing(const std::string& cell, const std::vector<std::string>& na_values) {
    double v = 0;
    return is_na(cell, na_values) || (parse_cell_number(cell, v) && std::isnan(v));
}

std::string numeric_column(GraphBuilder& b, const ColumnTransform& c, std::vector<std::string>& pieces) {
    const std::string nan = b.node("IsNaN", {c.name});
    const std::string imputed = b.node("Where", {nan, b.scalar(static_cast<float>(c.median)), c.name});
    const std::string centred = b.node("Sub", {imputed, b.scalar(static_cast<float>(c.mean))});
    pieces.push_back(b.node("Div", {centred, b.scalar(static_cast<float>(c.scale))}));
    if (c.indicator) {
        pieces.push_back(b.node("Cast", {nan}));
        b.attribute("to", std::int64_t{onnx::TensorProto::FLOAT});
    }
    return "numeric";
}

std::string categorical_column(GraphBuilder& b, const ColumnTransform& c, const PreprocessOptions& o, std::vector<std::string>& pieces) {
    const auto width = static_cast<std::int64_t>(c.categories.size() + (c.other ? 1 : 0));
    const std::int64_t other = c.other ? width - 1 : -1;
    std::map<std::string, std::int64_t> index;
    for (std::size_t k = 0; k < c.categories.size(); ++k) index[c.categories[k]] = static_cast<std::int64_t>(k);
    const auto fill = std::lower_bound(c.categories.begin(), c.categories.end(), c.fill);
    const std::int64_t missing = fill != c.categories.end() && *fill == c.fill ? fill - c.categories.begin() : other;
    for (const auto& spelling : missing_spellings(o.na_values)) index[spelling] = missing;
    std::vector<std::string> keys;
    std::vector<std::int64_t> values;
    for (const auto& [k, v] : index) keys.push_back(k), values.push_back(v);
    const std::string codes = b.node("LabelEncoder", {c.name}, "", "ai.onnx.ml");
    b.attribute("keys_strings", keys);
    b.attribute("values_int64s", values);
    b.attribute("default_int64", other);
    std::vector<std::int64_t> range(static_cast<std::size_t>(width));
    for (std::int64_t k = 0; k < width; ++k) range[static_cast<std::size_t>(k)] = k;
    const std::string hot = b.node("Equal", {codes, b.constant_int64(c.name + "/one_hot_positions", {width}, range)});
    pieces.push_back(b.node("Cast", {hot}));
    b.attribute("to", std::int64_t{onnx::TensorProto::FLOAT});
    return "categorical";
}

}  // namespace

std::vector<std::string> missing_spellings(const std::vector<std::string>& na_values) {
    std::set<std::string> candidates(na_values.begin(), na_values.end());
    for (const char* word : {"na", "nan", "n/a"})
        for (const auto& v : case_variants(word))
            for (const char* sign : {"", "-", "+", "+-"}) candidates.insert(sign + v);
    std::vector<std::string> out;
    for (const auto& s : candidates)
        if (plexus_missing(s, na_values)) out.push_back(s);
    return out;
}

std::string preprocess_onnx(GraphBuilder& b, const Preprocessor& p, nlohmann::json& inputs) {
    const PreprocessOptions& o = p.options();
    for (const auto& c : p.columns()) {
        if (c.categorical) continue;
        for (const auto& na : o.na_values) {
            double v = 0;
            if (parse_cell_number(na, v) && !std::isnan(v))
                throw ConfigError("ONNX export: numeric column '" + c.name + "' reads the cell text '" + na +
                                  "' as missing (--na-values), which a float32 ONNX input cannot tell from the number " + na +
                                  " written otherwise; fix: leave missing cells empty in the CSV and retrain without '" + na +
                                  "' in --na-values");
        }
    }
    std::vector<std::string> pieces;
    inputs = nlohmann::json::array();
    for (const auto& c : p.columns()) {
        onnx_graph::add_value_info(b.graph().add_input(), c.name, 1, c.categorical ? onnx::TensorProto::STRING : onnx::TensorProto::FLOAT);
        const std::string kind = c.categorical ? categorical_column(b, c, o, pieces) : numeric_column(b, c, pieces);
        inputs.push_back({{"name", c.name}, {"type", kind}, {"dtype", c.categorical ? "string" : "float32"}});
    }
    if (pieces.size() == 1) return pieces.front();
    const std::string x = b.node("Concat", pieces);
    b.attribute("axis", std::int64_t{1});
    return x;
}

}  // namespace plexus::interop
