// Keras 1/2 HDF5 files and Keras 3 .keras zips (needs libhdf5 and libzip).
#include <map>
#include <memory>

#include "plexus/core/error.hpp"
#include "plexus/core/json_limits.hpp"
#include "plexus/interop/keras_source.hpp"
#include "plexus/interop/zip_archive.hpp"

namespace plexus::interop {
namespace {

using json = nlohmann::json;

json parse_json(const std::string& text, const std::string& where) {
    return parse_json_bounded(text, {.max_bytes = kMaxJsonBytes}, where, JsonErrorKind::io);
}

}  // namespace

KerasSource open_keras_hdf5(const std::string& path) {
    auto file = std::make_shared<hdf5::File>(hdf5::File::open(path));
    KerasSource source;
    const auto config = file->string_attribute("", "model_config");
    if (!config)
        throw IoError(path + ": the HDF5 file has no model_config: it holds weights only (model.save_weights); " +
                      "fix: save the whole model with model.save(\"model.h5\")");
    source.model_config = parse_json(*config, path + ": model_config");
    if (auto t = file->string_attribute("", "training_config")) source.training_config = parse_json(*t, path + ": training_config");
    source.keras_version = file->string_attribute("", "keras_version").value_or("");
    source.format = source.keras_version.rfind("1.", 0) == 0 ? "Keras 1 HDF5" : "Keras 2 HDF5";
    const std::string root = file->exists("model_weights") ? "model_weights" : "";
    source.weights = [file, root](const KerasArchitecture& arch, std::size_t i, std::uint64_t max_values) {
        const KerasLayer& layer = arch.layers[i];
        const std::string group = (root.empty() ? "" : root + "/") + layer.keras_name;
        if (!file->exists(group))
            throw IoError(file->label() + ": no weights for layer '" + layer.keras_name + "' (missing group " + group + ")");
        std::vector<FloatArray> arrays;
        for (const auto& name : file->strings_attribute(group, "weight_names")) arrays.push_back(file->read_floats(group + "/" + name, max_values));
        return arrays;
    };
    return source;
}

KerasSource open_keras_zip(const std::string& path) {
    KerasSource source;
    const auto config = read_zip_entry(path, "config.json", kMaxJsonBytes);
    if (!config) throw IoError(path + ": the .keras archive has no config.json; fix: save the model with model.save(\"model.keras\")");
    source.model_config = parse_json(*config, path + "!config.json");
    if (source.model_config.is_object() && source.model_config.contains("compile_config"))
        source.training_config = source.model_config["compile_config"];
    if (const auto meta = read_zip_entry(path, "metadata.json", kMaxJsonBytes)) {
        const json m = parse_json(*meta, path + "!metadata.json");
        if (m.is_object()) source.keras_version = m.value("keras_version", std::string());
    }
    source.format = "Keras 3 .keras";
    const auto weights = read_zip_entry(path, "model.weights.h5", kMaxWeightBytes);
    if (!weights) throw IoError(path + ": the .keras archive has no model.weights.h5; fix: save the model with model.save(\"model.keras\")");
    auto file = std::make_shared<hdf5::File>(hdf5::File::open_image(*weights, path + "!model.weights.h5"));
    source.weights = [file](const KerasArchitecture& arch, std::size_t i, std::uint64_t max_values) {
        // Keras 3 names each layer's group after its class, numbered among the
        // model's layers of that class: layers/dense, layers/dense_1, ...
        std::map<std::string, int> seen;
        std::string group;
        for (std::size_t p = 0; p <= arch.layers[i].position; ++p) {
            if (arch.all_classes[p] == "InputLayer") continue;
            const std::string base = snake_case(arch.all_classes[p]);
            const int n = seen[base]++;
            group = "layers/" + base + (n == 0 ? "" : "_" + std::to_string(n)) + "/vars";
        }
        if (!file->exists(group))
            throw IoError(file->label() + ": no weights for layer '" + arch.layers[i].keras_name + "' (missing group " + group + ")");
        std::vector<FloatArray> arrays;
        for (int k = 0; file->exists(group + "/" + std::to_string(k)); ++k) arrays.push_back(file->read_floats(group + "/" + std::to_string(k), max_values));
        return arrays;
    };
    return source;
}

}  // namespace plexus::interop
