#include "plexus/io/model_file.hpp"

#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string_view>
#include <utility>

#include "plexus/core/bytes.hpp"
#include "plexus/core/error.hpp"
#include "plexus/core/text.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/io/model_header.hpp"
#include "plexus/io/model_spec.hpp"

namespace plexus {
namespace {

constexpr char kMagic[8] = {'P', 'L', 'E', 'X', 'U', 'S', '\0', 'M'};
constexpr std::uint32_t kVersion = 1;
constexpr int kSelfTestRows = 4;
static_assert(std::endian::native == std::endian::little, "model files assume a little-endian host");

using bytes::put;  // core/bytes.hpp

template <typename T>
T get(std::string_view in, std::size_t& pos, const std::string& path) {
    if (pos + sizeof(T) > in.size()) throw IoError(path + ": truncated model file (ends at byte " + std::to_string(in.size()) + ")");
    T value;
    std::memcpy(&value, in.data() + pos, sizeof(T));
    pos += sizeof(T);
    return value;
}

void append_floats(std::string& payload, const Scalar* data, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) put(payload, static_cast<float>(data[i]));
}

std::uint32_t crc(std::string_view a, std::string_view b) {
    uLong c = crc32(0L, Z_NULL, 0);
    c = crc32(c, reinterpret_cast<const Bytef*>(a.data()), static_cast<uInt>(a.size()));
    c = crc32(c, reinterpret_cast<const Bytef*>(b.data()), static_cast<uInt>(b.size()));
    return static_cast<std::uint32_t>(c);
}

// Deterministic probe rows spread over the training ranges (or [-1, 1]).
Matrix self_test_input(Index features, const ModelMetadata& metadata) {
    Matrix x(kSelfTestRows, features);
    for (Index i = 0; i < kSelfTestRows; ++i)
        for (Index j = 0; j < features; ++j) {
            const double t = std::fmod(0.137 * static_cast<double>(i + 1) + 0.291 * static_cast<double>(j + 1), 1.0);
            double lo = -1, hi = 1;
            if (static_cast<std::size_t>(j) < metadata.feature_ranges.size()) {
                lo = metadata.feature_ranges[static_cast<std::size_t>(j)].first;
                hi = metadata.feature_ranges[static_cast<std::size_t>(j)].second;
            }
            x(i, j) = static_cast<Scalar>(lo + t * (hi - lo));
        }
    return x;
}

nlohmann::json matrix_json(const Matrix& m) {
    nlohmann::json rows = nlohmann::json::array();
    for (Index i = 0; i < m.rows(); ++i) {
        nlohmann::json row = nlohmann::json::array();
        for (Index j = 0; j < m.cols(); ++j) row.push_back(static_cast<float>(m(i, j)));
        rows.push_back(row);
    }
    return rows;
}

}  // namespace

void save_model(Sequential& model, const std::string& path, const ModelMetadata& metadata) {
    if (!model.built()) throw ConfigError("save_model: the model has no weights yet; fit or build it first");
    if (!model.compiled()) throw ConfigError("save_model: compile the model before saving it");
    std::string payload;
    {
        std::size_t floats = std::as_const(model).parameters().size();  // exactly sized: no reallocation
        for (const auto& slot : model.optimizer().slots()) floats += slot.size();
        payload.reserve(floats * sizeof(float));
    }
    nlohmann::json tensors = nlohmann::json::array();
    for (std::size_t i = 0; i < model.layers().size(); ++i) {
        const auto weights = model.get_weights(i);
        for (std::size_t k = 0; k < weights.size(); ++k) {
            tensors.push_back({{"layer", i}, {"index", k}, {"shape", {weights[k].rows(), weights[k].cols()}}, {"offset", payload.size()}});
            append_floats(payload, weights[k].data(), static_cast<std::size_t>(weights[k].size()));
        }
    }
    const auto& optimizer = model.optimizer();
    nlohmann::json slots = nlohmann::json::array();
    for (const auto& slot : optimizer.slots()) {
        slots.push_back({{"offset", payload.size()}, {"size", slot.size()}});
        append_floats(payload, slot.data(), slot.size());
    }
    const Matrix probe = self_test_input(model.input_dim(), metadata);
    const Matrix probe_out = model.predict(probe);
    nlohmann::json ranges = nlohmann::json::array();
    for (const auto& [lo, hi] : metadata.feature_ranges) ranges.push_back({lo, hi});
    const nlohmann::json header = {
        {"format", "plexus-model"},
        {"format_version", kVersion},
        {"library_version", PLEXUS_VERSION},
        {"config", model.config()},
        {"metadata", {{"class_names", metadata.class_names}, {"feature_names", metadata.feature_names}, {"feature_ranges", ranges}, {"epoch", metadata.epoch > 0 ? metadata.epoch : model.epochs_trained()}, {"extra", metadata.extra}}},
        {"seed", model.seed()},
        {"tensors", tensors},
        {"optimizer_state", {{"iterations", optimizer.iterations()}, {"base_learning_rate", optimizer.base_learning_rate()}, {"slots", slots}}},
        {"self_test", {{"input", matrix_json(probe)}, {"output", matrix_json(probe_out)}}},
        {"payload_bytes", payload.size()},
    };
    const std::string header_text = header.dump();
    std::string head(kMagic, sizeof kMagic);
    put(head, kVersion);
    put(head, static_cast<std::uint64_t>(header_text.size()));
    std::string check;
    put(check, crc(header_text, payload));
    // Streamed: the parts are written in turn, never joined into one more copy of the payload.
    write_file_atomic(path, [&](std::ostream& out) {
        for (const std::string* part : std::initializer_list<const std::string*>{&head, &header_text, &check, &payload})
            out.write(part->data(), static_cast<std::streamsize>(part->size()));
    });
}

namespace {

// Copies `count` float32 values from byte `offset` (checked by read_model_header).
void read_floats(const std::string& payload, std::size_t offset, std::size_t count, Scalar* out) {
    for (std::size_t i = 0; i < count; ++i) {
        float v;
        std::memcpy(&v, payload.data() + offset + i * 4, 4);
        out[i] = static_cast<Scalar>(v);
    }
}

// Rebuilds the model from a validated header: layers, limits, compile, build, weights, optimizer state.
void rebuild(Sequential& model, const detail::ModelHeader& h, const std::string& payload, const ModelLoadOptions& options,
             const std::string& path) {
    for (std::size_t i = 0; i < h.layers->size(); ++i) {
        try {
            model.add(LayerHandle(std::shared_ptr<Layer>(layer_from_config((*h.layers)[i]))));
        } catch (const ConfigError& e) {
            throw IoError(path + ": invalid model in file: config.layers[" + std::to_string(i) + "]: " + e.what());
        }
    }
    check_model_limits(model, h.input_dim, options.model, path);
    model.compile({.optimizer = optimizer_options_from_json(*h.optimizer),
                   .loss = h.loss,
                   .metrics = h.metrics,
                   .from_logits = h.from_logits,
                   .huber_delta = h.huber_delta});
    model.build(h.input_dim, h.seed);
    std::vector<std::vector<Matrix>> weights(model.layers().size());
    for (const auto& t : h.tensors) {
        if (t.index != weights[t.layer].size())
            throw IoError(path + ": corrupted model file (tensor " + std::to_string(t.index) + " of layer " + std::to_string(t.layer) +
                          " is out of order)");
        Matrix m(t.rows, t.cols);
        read_floats(payload, t.offset, static_cast<std::size_t>(m.size()), m.data());
        weights[t.layer].push_back(std::move(m));
    }
    for (std::size_t i = 0; i < weights.size(); ++i)
        if (!weights[i].empty()) model.set_weights(i, weights[i]);
    auto& optimizer = model.optimizer();
    optimizer.set_iterations(h.iterations);
    optimizer.set_base_learning_rate(h.base_learning_rate);
    if (h.slots.size() == optimizer.slots().size())
        for (std::size_t s = 0; s < h.slots.size(); ++s) {
            auto& slot = optimizer.slots()[s];
            if (h.slots[s].size != slot.size())
                throw IoError(path + ": corrupted model file (optimizer slot " + std::to_string(s) + " holds " +
                              std::to_string(h.slots[s].size) + " values, the model has " + std::to_string(slot.size()) +
                              " parameters)");
            read_floats(payload, h.slots[s].offset, slot.size(), slot.data());
        }
}

// Replays the stored pair: the numbers must survive the trip.
void self_test(Sequential& model, const detail::ModelHeader& h, const std::string& path) {
    const Matrix got = model.predict(h.self_test_input);
    const Matrix& expected = h.self_test_output;
    if (got.rows() != expected.rows() || got.cols() != expected.cols())
        throw IoError(path + ": corrupted model file (self-test output has the wrong shape)");
    for (Index i = 0; i < got.rows(); ++i)
        for (Index j = 0; j < got.cols(); ++j) {
            const double g = static_cast<double>(got(i, j)), e = static_cast<double>(expected(i, j));
            if (!(std::abs(g - e) <= 1e-4 + 1e-4 * std::abs(e)))
                throw IoError(path + ": corrupted model file (self-test mismatch: output " + std::to_string(g) + " != stored " +
                              std::to_string(e) + "); retrain or restore the file");
        }
}

}  // namespace

LoadedModel load_model(const std::string& path, const ModelLoadOptions& options) {
    return load_model_bytes(read_file_bytes(path), path, options);
}

LoadedModel load_model_bytes(std::string_view bytes, const std::string& path, const ModelLoadOptions& options) {
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        throw IoError(path + ": not a Plexus model file (bad magic bytes); give a file written by `plexus train` or save_model");
    std::size_t pos = sizeof kMagic;
    const auto version = get<std::uint32_t>(bytes, pos, path);
    if (version != kVersion)
        throw IoError(path + ": model file format version " + std::to_string(version) + " is not supported (this Plexus reads version " +
                      std::to_string(kVersion) + ")");
    const auto header_size = get<std::uint64_t>(bytes, pos, path);
    if (header_size > bytes.size() - pos) throw IoError(path + ": truncated model file (header runs past the end)");
    const std::string_view header_text(bytes.data() + pos, static_cast<std::size_t>(header_size));
    pos += static_cast<std::size_t>(header_size);
    const auto stored_crc = get<std::uint32_t>(bytes, pos, path);
    const std::string payload(bytes.substr(pos));
    const nlohmann::json header = parse_json_bounded(header_text, options.header, path + " (header)", JsonErrorKind::io);
    const JsonField payload_bytes = JsonField(header, path + ": corrupted model file: header", JsonErrorKind::io).at("payload_bytes");
    if (static_cast<std::uint64_t>(payload_bytes.integer(0, std::numeric_limits<std::int64_t>::max())) != payload.size())
        throw IoError(path + ": truncated model file (payload has " + std::to_string(payload.size()) + " bytes, header says " +
                      std::to_string(payload_bytes.json().get<std::uint64_t>()) + ")");
    if (crc(header_text, payload) != stored_crc)
        throw IoError(path + ": corrupted model file (checksum mismatch); the file was changed after it was saved: retrain or restore it");
    const detail::ModelHeader h = detail::read_model_header(header, payload.size(), options, path);

    LoadedModel loaded;
    try {
        rebuild(loaded.model, h, payload, options, path);
        loaded.metadata = h.metadata;
        loaded.model.set_epochs_trained(loaded.metadata.epoch);
        self_test(loaded.model, h, path);
    } catch (const nlohmann::json::exception& e) {
        throw IoError(path + ": corrupted model file (header field: " + excerpt(e.what(), 200) + ")");
    } catch (const IoError&) {
        throw;
    } catch (const Error& e) {
        throw IoError(path + ": invalid model in file: " + std::string(e.what()));
    }
    return loaded;
}

}  // namespace plexus
