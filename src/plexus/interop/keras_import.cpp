#include "plexus/interop/keras_import.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "plexus/core/error.hpp"
#include "plexus/core/json_limits.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/interop/keras_source.hpp"

namespace plexus::interop {
namespace {

using json = nlohmann::json;

enum class Kind { hdf5_file, zip_file, json_file };

Kind detect(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw IoError(path + ": no such file; fix: give a Keras model file (.h5, .keras or model.json)");
    if (std::filesystem::is_directory(path, ec)) throw IoError(path + ": is a folder; fix: give the model file itself (for TensorFlow.js, its model.json)");
    std::ifstream in(path, std::ios::binary);
    std::string head(8, '\0');
    in.read(head.data(), 8);
    head.resize(static_cast<std::size_t>(in.gcount()));
    if (head == std::string("\x89HDF\r\n\x1a\n", 8)) return Kind::hdf5_file;
    if (head.rfind(std::string("PK\x03\x04", 4), 0) == 0) return Kind::zip_file;
    const auto first = head.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && head[first] == '{') return Kind::json_file;
    throw IoError(path + ": not a Keras model file (the first bytes are neither HDF5's signature, a zip's 'PK\\3\\4' nor JSON)" +
                  std::string(head.empty() ? " (the file is empty)" : "") + "; fix: give a file written by Keras model.save or tfjs model.save");
}

void require_files(const std::string& path) {
    if (!keras_files_supported())
        throw IoError(path + ": this Plexus was built without libhdf5/libzip, so it cannot read HDF5 or .keras files; " +
                      "fix: install libhdf5-dev and libzip-dev (scripts/setup.sh) and rebuild");
}

json read_json(const std::string& path) {
    std::error_code ec;
    if (std::filesystem::file_size(path, ec) > kMaxJsonBytes) throw IoError(path + ": JSON file larger than 64 MiB");
    // Bounded: a deeply nested file costs a scan and an error, not a stack overflow.
    return parse_json_bounded(read_file_bytes(path), {.max_bytes = kMaxJsonBytes}, path, JsonErrorKind::io);
}

KerasSource open_source(const std::string& path, json* bare_config) {
    switch (detect(path)) {
    case Kind::hdf5_file: require_files(path); return open_keras_hdf5(path);
    case Kind::zip_file: require_files(path); return open_keras_zip(path);
    case Kind::json_file: break;
    }
    json j = read_json(path);
    if (j.is_object() && j.contains("modelTopology")) return open_tfjs(path, j);
    if (bare_config && j.is_object() && j.contains("class_name")) {
        *bare_config = std::move(j);
        return {};
    }
    throw IoError(path + ": a JSON file that is neither a TensorFlow.js model.json (modelTopology) nor, for --model-spec, a Keras model config (class_name)");
}

Matrix to_matrix(const FloatArray& a, Index rows, Index cols) {
    Matrix m(rows, cols);
    for (Index i = 0; i < rows * cols; ++i) m.data()[i] = static_cast<Scalar>(a.values[static_cast<std::size_t>(i)]);
    return m;
}

std::string shape_text(const std::vector<std::uint64_t>& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

// Reads and checks the weights of every layer that has some into the built
// model. The Plexus layer's parameters give the expected shapes: a (1, n)
// parameter is a Keras vector (n,), anything else a (rows, cols) matrix.
void load_weights(const KerasSource& source, const KerasArchitecture& arch, Sequential& model, const std::string& path) {
    Index width = arch.input_dim;
    for (std::size_t i = 0; i < arch.layers.size(); ++i) {
        const KerasLayer& layer = arch.layers[i];
        const Layer& plexus_layer = *model.layers()[i];
        const auto specs = plexus_layer.param_specs(width);
        width = plexus_layer.output_dim(width);
        if (!layer.has_weights() || specs.empty()) continue;
        std::uint64_t expected = 0;
        for (const auto& spec : specs) expected += static_cast<std::uint64_t>(spec.rows * spec.cols);
        const auto arrays = source.weights(arch, i, std::max<std::uint64_t>(4 * expected, 1 << 20));
        const std::string where = path + ": layer '" + layer.keras_name + "' (class " + layer.keras_class + ")";
        std::string names;
        for (const auto& spec : specs) names += (names.empty() ? "" : ", ") + spec.name;
        if (arrays.size() != specs.size())
            throw IoError(where + ": the file holds " + std::to_string(arrays.size()) + " weight arrays, the config needs " +
                          std::to_string(specs.size()) + " (" + names + "); fix: save the model again with Keras");
        std::vector<Matrix> weights;
        for (std::size_t k = 0; k < specs.size(); ++k) {
            const ParamSpec& spec = specs[k];
            std::vector<std::uint64_t> shape{static_cast<std::uint64_t>(spec.cols)};
            if (spec.rows != 1) shape.insert(shape.begin(), static_cast<std::uint64_t>(spec.rows));
            if (arrays[k].shape != shape)
                throw ShapeError(where + ": the " + spec.name + " in the file has shape " + shape_text(arrays[k].shape) + ", the config needs " +
                                 shape_text(shape) + "; fix: the file's config and weights disagree; save the model again");
            weights.push_back(to_matrix(arrays[k], spec.rows, spec.cols));
        }
        model.set_weights(i, weights);
    }
}

ImportedKerasModel import_keras_file(const std::string& path);

CompileOptions default_compile(const Sequential& model, std::vector<std::string>& notes) {
    const ActivationFunction* out = model.layers().back()->output_activation();
    for (auto it = model.layers().rbegin(); !out && it != model.layers().rend(); ++it) out = (*it)->output_activation();
    const std::string act = out ? out->name() : "linear";
    CompileOptions c{.optimizer = {.name = "rmsprop"}};
    c.loss = act == "softmax" ? "categorical_crossentropy" : act == "sigmoid" ? "binary_crossentropy" : "mse";
    notes.push_back("the file has no training config: compiled with rmsprop and " + c.loss + " (from the output activation)");
    return c;
}

}  // namespace

bool keras_files_supported() {
#ifdef PLEXUS_HAVE_KERAS_FILES
    return true;
#else
    return false;
#endif
}

bool is_keras_model(const std::string& path) {
    try {
        switch (detect(path)) {
        case Kind::hdf5_file:
        case Kind::zip_file: return true;
        case Kind::json_file: break;
        }
        const json j = read_json(path);
        return j.is_object() && (j.contains("class_name") || j.contains("modelTopology"));
    } catch (const Error&) {
        return false;
    }
}

ImportedKerasModel import_keras(const std::string& path) {
    try {
        return import_keras_file(path);
    } catch (const json::exception& e) {
        throw IoError(path + ": malformed Keras model (a field has an unexpected type or is missing: " + e.what() +
                      "); fix: save the model again with Keras");
    }
}

Sequential keras_architecture(const std::string& path) {
    try {
        json bare;
        KerasSource source = open_source(path, &bare);
        return make_sequential(parse_keras_model(bare.is_null() ? source.model_config : bare, path));
    } catch (const json::exception& e) {
        throw IoError(path + ": malformed Keras model config (" + std::string(e.what()) + ")");
    }
}

namespace {

ImportedKerasModel import_keras_file(const std::string& path) {
    KerasSource source = open_source(path, nullptr);
    ImportedKerasModel out;
    KerasArchitecture arch = parse_keras_model(source.model_config, path);
    if (arch.input_dim <= 0)
        throw ConfigError(path + ": the model config does not give the input width (no input shape on its first layer); " +
                          "fix: build the model with an Input/input_shape before saving");
    out.notes = arch.notes;
    out.model = make_sequential(arch);
    auto compile = parse_keras_training(source.training_config, out.notes);
    out.compile_from_file = compile.has_value();
    out.model.compile(compile ? *compile : default_compile(out.model, out.notes));
    out.model.build(arch.input_dim, 0);
    load_weights(source, arch, out.model, path);
    out.format = source.format;
    out.keras_version = source.keras_version;
    const Index classes = out.model.output_dim();
    const auto* act = out.model.layers().back()->output_activation();
    if (act && act->name() == "softmax" && classes >= 2)
        for (Index k = 0; k < classes; ++k) out.metadata.class_names.push_back(std::to_string(k));
    json layers = json::array();
    for (const auto& l : arch.layers) layers.push_back({{"name", l.keras_name}, {"class_name", l.keras_class}});
    out.metadata.extra["imported_from"] = {{"file", std::filesystem::path(path).filename().string()},
                                           {"format", out.format},
                                           {"keras_version", out.keras_version},
                                           {"layers", layers}};
    return out;
}

}  // namespace

}  // namespace plexus::interop
