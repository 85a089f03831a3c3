// TensorFlow.js layers format: model.json (modelTopology + weightsManifest)
// and binary weight files, little-endian float32, concatenated in manifest order.
#include <bit>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>

#include "plexus/core/error.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/interop/keras_source.hpp"

namespace plexus::interop {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

// All weights of the manifest by name.
std::map<std::string, FloatArray> read_manifest(const std::string& path, const json& manifest) {
    static_assert(std::endian::native == std::endian::little, "tfjs weights are little-endian float32");
    const fs::path dir = fs::path(path).parent_path();
    std::map<std::string, FloatArray> out;
    if (!manifest.is_array()) throw IoError(path + ": weightsManifest is not a list; fix: save the model again with tfjs model.save");
    for (const json& group : manifest) {
        std::string bytes;
        for (const json& p : group.at("paths")) {
            const fs::path file = dir / p.get<std::string>();
            std::error_code ec;
            if (!fs::is_regular_file(file, ec)) throw IoError(path + ": the weight file " + file.string() + " is missing; fix: keep it next to model.json");
            if (fs::file_size(file, ec) + bytes.size() > kMaxWeightBytes) throw IoError(path + ": weight files larger than 4 GiB");
            bytes += read_file_bytes(file.string());
        }
        std::size_t offset = 0;
        for (const json& w : group.at("weights")) {
            const std::string name = w.at("name").get<std::string>();
            const std::string dtype = w.value("dtype", std::string("float32"));
            if (w.contains("quantization")) throw IoError(path + ": weight " + name + " is quantized; fix: save the model without quantization");
            if (dtype != "float32" && dtype != "int32")
                throw IoError(path + ": weight " + name + " has dtype " + dtype + "; fix: Plexus imports float32 weights");
            FloatArray a;
            std::uint64_t count = 1;
            for (const json& d : w.at("shape")) {
                if (!d.is_number_integer())  // get<int64_t> of 1e32 is undefined behaviour
                    throw IoError(path + ": weight " + name + " has a shape entry that is not an integer; fix: use the model.json saved with its weights");
                const auto n = d.get<std::int64_t>();
                if (n < 0 || (n > 0 && count > (kMaxWeightBytes / 4) / static_cast<std::uint64_t>(n)))
                    throw IoError(path + ": weight " + name + " declares an impossible shape " + w["shape"].dump());
                a.shape.push_back(static_cast<std::uint64_t>(n));
                count *= static_cast<std::uint64_t>(n);
            }
            if (offset + count * 4 > bytes.size())
                throw IoError(path + ": the weight files end before weight " + name + " (truncated: " + std::to_string(bytes.size()) +
                              " bytes); fix: copy the weight files again");
            if (dtype != "float32") {  // optimizer state such as Adam's int32 `iter`: skipped
                offset += count * 4;
                continue;
            }
            a.values.resize(count);
            // A shape with a 0 has no values (and data() may be null: memcpy's UB).
            if (count > 0) std::memcpy(a.values.data(), bytes.data() + offset, count * 4);
            offset += count * 4;
            out[name] = std::move(a);
        }
        if (offset != bytes.size())
            throw IoError(path + ": the weight files hold " + std::to_string(bytes.size()) + " bytes, the manifest describes " + std::to_string(offset) +
                          "; fix: use the weight files saved with this model.json");
    }
    return out;
}

}  // namespace

KerasSource open_tfjs(const std::string& path, const json& model_json) {
    KerasSource source;
    const json& topology = model_json.at("modelTopology");
    source.model_config = topology.contains("model_config") ? topology["model_config"] : topology;
    if (model_json.contains("trainingConfig")) source.training_config = model_json["trainingConfig"];
    else if (topology.contains("training_config")) source.training_config = topology["training_config"];
    source.keras_version = topology.value("keras_version", std::string());
    source.format = "TensorFlow.js layers";
    if (!model_json.contains("weightsManifest"))
        throw IoError(path + ": model.json has no weightsManifest (an architecture only); fix: save the model with its weights");
    auto weights = std::make_shared<std::map<std::string, FloatArray>>(read_manifest(path, model_json["weightsManifest"]));
    source.weights = [weights, path](const KerasArchitecture& arch, std::size_t i, std::uint64_t) {
        const KerasLayer& layer = arch.layers[i];
        std::vector<FloatArray> arrays;
        for (const std::string& part : layer.weight_names()) {
            const auto it = weights->find(layer.keras_name + "/" + part);
            if (it != weights->end()) arrays.push_back(it->second);
        }
        return arrays;
    };
    return source;
}

}  // namespace plexus::interop
