#include "fuzz_entries.hpp"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "plexus/core/error.hpp"
#include "plexus/core/json_limits.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/data/npy.hpp"
#include "plexus/interop/keras_config.hpp"
#include "plexus/interop/keras_import.hpp"
#include "plexus/io/model_file.hpp"
#include "plexus/io/model_spec.hpp"

namespace plexus::fuzz {
namespace {

// Small enough that every accepted model builds and predicts in microseconds.
constexpr ModelLimits kLimits{.max_layers = 64, .max_units = 512, .max_parameters = 1 << 18};

template <typename F>
void guarded(F&& f) {
    try {
        f();
    } catch (const Error&) {
    }
}

}  // namespace

void csv(std::string_view data) {
    if (data.empty()) return;
    const auto b = static_cast<unsigned char>(data[0]);
    CsvOptions options;
    options.task = b % 3 == 0 ? "auto" : b % 3 == 1 ? "classification" : "regression";
    if ((b / 3) % 3 == 1) options.header = true;
    if ((b / 3) % 3 == 2) options.header = false;
    if ((b / 9) % 2) options.target = "label";
    guarded([&] {
        const Dataset d = read_csv_text(data.substr(1), "fuzz.csv", options);
        if (d.x.rows() != d.y.rows()) __builtin_trap();
    });
}

void npy(std::string_view data) {
    guarded([&] {
        const NpyArray a = parse_npy(data, "fuzz.npy");
        std::size_t count = 1;
        for (const Index d : a.shape) count *= static_cast<std::size_t>(d);
        if (count != a.data.size()) __builtin_trap();
    });
}

// The CRC is no defence (anyone can recompute it), so the fuzzer's mutations get a
// valid one: the loader's validation, not the checksum, must reject them.
std::string with_valid_crc(std::string_view data) {
    std::string bytes(data);
    std::uint64_t header = 0;
    if (bytes.size() < 24) return bytes;
    std::memcpy(&header, bytes.data() + 12, 8);
    if (header > bytes.size() - 24) return bytes;
    const auto h = static_cast<std::size_t>(header);
    uLong c = crc32(0L, Z_NULL, 0);
    c = crc32(c, reinterpret_cast<const Bytef*>(bytes.data() + 20), static_cast<uInt>(h));
    c = crc32(c, reinterpret_cast<const Bytef*>(bytes.data() + 24 + h), static_cast<uInt>(bytes.size() - 24 - h));
    const auto crc = static_cast<std::uint32_t>(c);
    std::memcpy(bytes.data() + 20 + h, &crc, 4);
    return bytes;
}

void model_file(std::string_view data) {
    guarded([&] {
        auto loaded = load_model_bytes(with_valid_crc(data), "fuzz.plexus", {.model = kLimits});
        (void)loaded.model.summary();
        (void)loaded.model.config().dump();
    });
}

void model_spec(std::string_view data) {
    guarded([&] {
        Sequential model = model_from_spec_text(data, "fuzz.json", kLimits);
        check_model_limits(model, 3, kLimits, "fuzz.json");
        model.compile({});
        model.build(3, 1);
        (void)model.predict(Matrix::Ones(2, 3));
        (void)model.summary();
    });
}

void json(std::string_view data) {
    guarded([&] {
        const auto doc = parse_json_bounded(data, {.max_bytes = 1 << 20, .max_depth = 32}, "fuzz.json");
        (void)json_excerpt(doc);
        const JsonField root(doc, "fuzz");
        if (doc.is_object()) {
            (void)root.integer_or("epochs", 1, 0, 1000);
            (void)root.string_or("name", "", 64);
            if (const auto list = root.find("layers"))
                for (std::size_t i = 0; i < list->array(100).size(); ++i) (void)list->at(i).number_or("rate", 0.0, 0.0, 1.0);
        }
    });
}

namespace {

void write_bytes(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Whether the model config in `text` stays within kLimits (checked before the
// importer builds anything, so that no accepted input allocates much).
bool small_enough(std::string_view text, Index& input_dim) {
    try {
        const auto doc = parse_json_bounded(text, {.max_bytes = 1 << 20}, "fuzz.json");
        if (!doc.is_object()) return false;
        nlohmann::json config = doc;
        if (doc.contains("modelTopology")) {
            const auto& t = doc["modelTopology"];
            config = t.is_object() && t.contains("model_config") ? t["model_config"] : t;
        }
        const auto arch = interop::parse_keras_model(config, "fuzz.json");
        check_model_limits(interop::make_sequential(arch), arch.input_dim, kLimits, "fuzz.json");
        input_dim = arch.input_dim > 0 ? arch.input_dim : 3;
        return true;
    } catch (const Error&) {
        return false;
    } catch (const nlohmann::json::exception&) {  // import_keras turns these into IoError
        return false;
    }
}

}  // namespace

void keras(std::string_view data) {
    static const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("plexus_fuzz_keras_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto cut = data.find('\0');
    const std::string_view text = data.substr(0, cut);
    const auto model_json = dir / "model.json", weights = dir / "weights.bin";
    write_bytes(model_json, text);
    std::filesystem::remove(weights);
    if (cut != std::string_view::npos) write_bytes(weights, data.substr(cut + 1));
    Index input_dim = 0;
    const bool small = small_enough(text, input_dim);
    guarded([&] {
        if (!interop::is_keras_model(model_json.string())) return;
        if (!small) {  // the importer must refuse it too, or it is within limits after all
            (void)interop::keras_architecture(model_json.string());
            return;
        }
        if (text.find("modelTopology") == std::string_view::npos) {
            Sequential model = interop::keras_architecture(model_json.string());
            model.compile({});
            model.build(input_dim, 1);
            (void)model.predict(Matrix::Ones(2, input_dim));
            return;
        }
        auto imported = interop::import_keras(model_json.string());
        const Matrix y = imported.model.predict(Matrix::Ones(2, imported.model.input_dim()));
        if (y.rows() != 2) __builtin_trap();
    });
}

const std::vector<std::pair<const char*, Entry>>& entries() {
    static const std::vector<std::pair<const char*, Entry>> table = {
        {"csv", &csv}, {"npy", &npy}, {"model_file", &model_file}, {"model_spec", &model_spec}, {"json", &json}, {"keras", &keras}};
    return table;
}

}  // namespace plexus::fuzz
