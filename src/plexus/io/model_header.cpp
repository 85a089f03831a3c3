#include "plexus/io/model_header.hpp"

#include <limits>

#include "plexus/core/error.hpp"
#include "plexus/core/json_limits.hpp"
#include "plexus/core/limits.hpp"

namespace plexus::detail {
namespace {

constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t kMaxSelfTestRows = 64;
constexpr std::size_t kMaxNameLength = 4096;
constexpr std::size_t kMaxMetrics = 64;
constexpr std::size_t kMaxSlots = 16;
constexpr std::size_t kMaxTensorsPerLayer = 16;

// Checks that `count` float32 values from byte `offset` lie inside the payload, without overflow.
void check_span(const JsonField& field, std::size_t offset, std::size_t count, std::size_t payload_size) {
    if (offset > payload_size || count > (payload_size - offset) / 4)
        field.fail("the data at byte offset " + std::to_string(offset) + " (" + std::to_string(count) +
                   " floats) lies outside the payload of " + std::to_string(payload_size) + " bytes");
}

Matrix read_matrix(const JsonField& field, std::size_t max_cols) {
    const auto& rows = field.array(kMaxSelfTestRows);
    if (rows.empty()) field.fail("expected at least one row");
    const std::size_t cols = field.at(0).array(max_cols).size();
    Matrix m(static_cast<Index>(rows.size()), static_cast<Index>(cols));
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const JsonField row = field.at(i);
        if (row.array(max_cols).size() != cols)
            row.fail("expected " + std::to_string(cols) + " numbers like row 0, received " + std::to_string(row.json().size()));
        for (std::size_t j = 0; j < cols; ++j)
            m(static_cast<Index>(i), static_cast<Index>(j)) = static_cast<Scalar>(row.at(j).number(-3.4e38, 3.4e38));
    }
    return m;
}

std::vector<std::string> read_strings(const JsonField& parent, std::string_view key, std::size_t max_items) {
    std::vector<std::string> out;
    const auto field = parent.find(key);
    if (!field) return out;
    const std::size_t n = field->array(max_items).size();
    for (std::size_t i = 0; i < n; ++i) out.push_back(field->at(i).string(kMaxNameLength));
    return out;
}

void read_metadata(const JsonField& meta, ModelMetadata& out) {
    meta.object();
    // Names are bounded by the widest layer possible; the caps are checked on the config.
    const auto max_names = static_cast<std::size_t>(kMaxLayerWidth);
    out.class_names = read_strings(meta, "class_names", max_names);
    out.feature_names = read_strings(meta, "feature_names", max_names);
    if (const auto ranges = meta.find("feature_ranges")) {
        const std::size_t n = ranges->array(max_names).size();
        for (std::size_t i = 0; i < n; ++i) {
            const JsonField r = ranges->at(i);
            if (r.array().size() != 2) r.fail("expected a [min, max] pair, received a list of " + std::to_string(r.json().size()));
            const double lo = r.at(0).number(-1e300, 1e300), hi = r.at(1).number(-1e300, 1e300);
            if (lo > hi) r.fail("min " + std::to_string(lo) + " is larger than max " + std::to_string(hi));
            out.feature_ranges.emplace_back(lo, hi);
        }
    }
    out.epoch = static_cast<int>(meta.integer_or("epoch", 0, 0, std::numeric_limits<int>::max()));
    if (const auto extra = meta.find("extra")) out.extra = extra->object();
}

void read_config(const JsonField& config, const ModelLimits& limits, const std::string& path, ModelHeader& h) {
    // Past a cap the file may be sound: say which cap, not "corrupted" (the header's
    // size bounds the list, and kMaxLayerWidth the width, before these checks).
    h.layers = &config.at("layers").array();
    if (static_cast<Index>(h.layers->size()) > limits.max_layers)
        throw IoError(path + ": the model has " + std::to_string(h.layers->size()) + " layers, more than the limit of " +
                      std::to_string(limits.max_layers) + "; fix: raise the cap (ModelLimits::max_layers; CLI: --max-layers) if you trust the file");
    if (h.layers->empty()) config.at("layers").fail("expected at least one layer");
    for (std::size_t i = 0; i < h.layers->size(); ++i) config.at("layers").at(i).object();
    h.input_dim = config.at("input_dim").integer(1, kMaxLayerWidth);
    if (h.input_dim > limits.max_units)
        throw IoError(path + ": the model's input has " + std::to_string(h.input_dim) + " features, more than the limit of " +
                      std::to_string(limits.max_units) + "; fix: raise the cap (ModelLimits::max_units; CLI: --max-units) if you trust the file");
    const JsonField compile = config.at("compile");
    const JsonField optimizer = compile.at("optimizer");
    if (!optimizer.json().is_string()) optimizer.object();
    h.optimizer = &optimizer.json();
    h.loss = compile.at("loss").string(64);
    h.metrics = read_strings(compile, "metrics", kMaxMetrics);
    h.from_logits = compile.boolean_or("from_logits", false);
    h.huber_delta = compile.number_or("huber_delta", 1.0, 0.0, 1e30);
}

void read_tensors(const JsonField& root, std::size_t payload_size, ModelHeader& h) {
    const JsonField tensors = root.at("tensors");
    const std::size_t n = tensors.array(h.layers->size() * kMaxTensorsPerLayer).size();
    for (std::size_t i = 0; i < n; ++i) {
        const JsonField t = tensors.at(i);
        TensorEntry e;
        e.layer = static_cast<std::size_t>(t.at("layer").integer(0, static_cast<std::int64_t>(h.layers->size()) - 1));
        e.index = static_cast<std::size_t>(t.at("index").integer(0, kMaxTensorsPerLayer - 1));
        const JsonField shape = t.at("shape");
        if (shape.array().size() != 2) shape.fail("expected [rows, cols], received a list of " + std::to_string(shape.json().size()));
        e.rows = shape.at(0).integer(0, kMaxLayerWidth);
        e.cols = shape.at(1).integer(0, kMaxLayerWidth);
        e.offset = static_cast<std::size_t>(t.at("offset").integer(0, kInt64Max));
        check_span(t, e.offset, static_cast<std::size_t>(e.rows) * static_cast<std::size_t>(e.cols), payload_size);
        h.tensors.push_back(e);
    }
}

void read_optimizer_state(const JsonField& state, std::size_t payload_size, ModelHeader& h) {
    h.iterations = state.at("iterations").integer(0, kInt64Max);
    h.base_learning_rate = state.at("base_learning_rate").number(0.0, 1e30);
    const JsonField slots = state.at("slots");
    const std::size_t n = slots.array(kMaxSlots).size();
    for (std::size_t s = 0; s < n; ++s) {
        const JsonField slot = slots.at(s);
        SlotEntry e;
        e.offset = static_cast<std::size_t>(slot.at("offset").integer(0, kInt64Max));
        e.size = static_cast<std::size_t>(slot.at("size").integer(0, kInt64Max));
        check_span(slot, e.offset, e.size, payload_size);
        h.slots.push_back(e);
    }
}

}  // namespace

ModelHeader read_model_header(const nlohmann::json& header, std::size_t payload_size, const ModelLoadOptions& options,
                              const std::string& path) {
    const JsonField root(header, path + ": corrupted model file: header", JsonErrorKind::io);
    root.object();
    if (root.at("format").string(64) != "plexus-model") root.at("format").fail("expected \"plexus-model\"");
    ModelHeader h;
    read_config(root.at("config"), options.model, path, h);
    if (const auto seed = root.find("seed")) {
        if (!seed->json().is_number_unsigned()) seed->integer(0, kInt64Max);  // throws for anything but a non-negative integer
        h.seed = seed->json().get<std::uint64_t>();
    }
    read_tensors(root, payload_size, h);
    read_optimizer_state(root.at("optimizer_state"), payload_size, h);
    read_metadata(root.at("metadata"), h.metadata);
    const JsonField self_test = root.at("self_test");
    h.self_test_input = read_matrix(self_test.at("input"), static_cast<std::size_t>(options.model.max_units));
    h.self_test_output = read_matrix(self_test.at("output"), static_cast<std::size_t>(options.model.max_units));
    if (h.self_test_input.cols() != h.input_dim)
        self_test.at("input").fail("expected rows of " + std::to_string(h.input_dim) + " numbers (config.input_dim), received " +
                                   std::to_string(h.self_test_input.cols()));
    if (h.self_test_output.rows() != h.self_test_input.rows())
        self_test.at("output").fail("expected " + std::to_string(h.self_test_input.rows()) + " rows like the input, received " +
                                    std::to_string(h.self_test_output.rows()));
    return h;
}

}  // namespace plexus::detail
