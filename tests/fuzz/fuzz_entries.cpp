#include "fuzz_entries.hpp"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "plexus/core/error.hpp"
#include "plexus/core/json_limits.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/data/npy.hpp"
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

const std::vector<std::pair<const char*, Entry>>& entries() {
    static const std::vector<std::pair<const char*, Entry>> table = {
        {"csv", &csv}, {"npy", &npy}, {"model_file", &model_file}, {"model_spec", &model_spec}, {"json", &json}};
    return table;
}

}  // namespace plexus::fuzz
