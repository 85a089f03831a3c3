#include "plexus/interop/onnx_export.hpp"

#include <cmath>
#include <numbers>
#include <set>

#include "plexus/core/error.hpp"
#include "plexus/interop/onnx_graph.hpp"
#include "plexus/interop/onnx_preprocessor.hpp"
#include "plexus/layers/activation_layer.hpp"

namespace plexus::interop {
namespace {

constexpr int kOpset = 13;
constexpr int kMlOpset = 2;     // ai.onnx.ml, for LabelEncoder (string -> int64)
constexpr int kIrVersion = 7;  // the IR version that came with opset 13 (ONNX 1.8)

using onnx_graph::add_value_info;
using onnx_graph::floats;
using onnx_graph::GraphBuilder;

std::string activation(GraphBuilder& b, const std::string& x, const std::string& name, double slope) {
    if (name == "linear") return x;
    if (name == "tanh") return b.node("Tanh", {x});
    if (name == "sigmoid") return b.node("Sigmoid", {x});
    if (name == "relu") return b.node("Relu", {x});
    if (name == "softplus") return b.node("Softplus", {x});
    if (name == "leaky_relu") {
        const auto y = b.node("LeakyRelu", {x});
        b.attribute("alpha", static_cast<float>(slope));
        return y;
    }
    if (name == "elu") {
        const auto y = b.node("Elu", {x});
        b.attribute("alpha", 1.0f);
        return y;
    }
    if (name == "selu") {  // the constants of activations/activation.cpp (Klambauer et al. 2017)
        const auto y = b.node("Selu", {x});
        b.attribute("alpha", 1.6732632423543772848170429916717f);
        b.attribute("gamma", 1.0507009873554804934193349852946f);
        return y;
    }
    if (name == "softmax") {
        const auto y = b.node("Softmax", {x});
        b.attribute("axis", std::int64_t{-1});
        return y;
    }
    if (name == "swish") return b.node("Mul", {x, b.node("Sigmoid", {x})});
    if (name == "gelu") {  // 0.5 x (1 + erf(x / sqrt 2)), exact as Plexus's gelu
        const auto erf = b.node("Erf", {b.node("Mul", {x, b.scalar(static_cast<float>(std::numbers::sqrt2 / 2))})});
        const auto half_x = b.node("Mul", {x, b.scalar(0.5f)});
        return b.node("Mul", {half_x, b.node("Add", {erf, b.scalar(1.0f)})});
    }
    throw ConfigError("ONNX export: activation '" + name + "' has no ONNX mapping");
}

void add_metadata(onnx::ModelProto& m, const std::string& key, const std::string& value) {
    auto* p = m.add_metadata_props();
    p->set_key(key);
    p->set_value(value);
}

// Sub/Div nodes for a stored standardizer: (x - mean) / scale, as plexus predict.
std::string standardize(GraphBuilder& b, const std::string& x, const nlohmann::json& extra, Index width) {
    if (!extra.is_object() || !extra.contains("standardizer") || extra["standardizer"].is_null()) return x;
    const auto mean = extra["standardizer"].at("mean").get<std::vector<float>>();
    const auto scale = extra["standardizer"].at("scale").get<std::vector<float>>();
    if (static_cast<Index>(mean.size()) != width || static_cast<Index>(scale.size()) != width)
        throw IoError("ONNX export: the stored standardizer has " + std::to_string(mean.size()) + " features, the model takes " + std::to_string(width));
    const auto centred = b.node("Sub", {x, b.constant("standardizer_mean", {width}, mean)});
    return b.node("Div", {centred, b.constant("standardizer_scale", {width}, scale)});
}

// BatchNormalization in inference mode (the moving statistics); a missing gamma
// (scale off) is ones, a missing beta (center off) zeros, as the layer computes.
std::string batch_normalization(GraphBuilder& b, const std::string& x, const Layer& layer, const std::vector<Matrix>& w, const std::string& prefix) {
    const nlohmann::json config = layer.config();
    const Index d = w.back().cols();
    std::size_t k = 0;
    const Matrix gamma = config.value("scale", true) ? w[k++] : Matrix(Matrix::Ones(1, d));
    const Matrix beta = config.value("center", true) ? w[k++] : Matrix(Matrix::Zero(1, d));
    const auto y = b.node("BatchNormalization", {x, b.constant(prefix + "/gamma", {d}, floats(gamma)), b.constant(prefix + "/beta", {d}, floats(beta)),
                                                 b.constant(prefix + "/moving_mean", {d}, floats(w[k])),
                                                 b.constant(prefix + "/moving_variance", {d}, floats(w[k + 1]))});
    b.attribute("epsilon", static_cast<float>(config.at("epsilon").get<double>()));
    return y;
}

// LayerNormalization as standard opset-13 ops (the LayerNormalization op needs
// opset 17): (x - mean) / sqrt(var + epsilon) * gamma + beta over the last axis,
// with the biased variance, as the layer computes.
std::string layer_normalization(GraphBuilder& b, const std::string& x, const Layer& layer, const std::vector<Matrix>& w, const std::string& prefix) {
    const nlohmann::json config = layer.config();
    const auto mean = [&](const std::string& t) {
        const auto r = b.node("ReduceMean", {t});
        b.attribute("axes", std::vector<std::int64_t>{-1});
        b.attribute("keepdims", std::int64_t{1});
        return r;
    };
    const auto centred = b.node("Sub", {x, mean(x)});
    const auto variance = mean(b.node("Mul", {centred, centred}));
    const auto std_dev = b.node("Sqrt", {b.node("Add", {variance, b.scalar(static_cast<float>(config.at("epsilon").get<double>()))})});
    std::string y = b.node("Div", {centred, std_dev});
    std::size_t k = 0;
    if (config.value("scale", true)) y = b.node("Mul", {y, b.constant(prefix + "/gamma", {w[k].cols()}, floats(w[k]))}), ++k;
    if (config.value("center", true)) y = b.node("Add", {y, b.constant(prefix + "/beta", {w[k].cols()}, floats(w[k]))});
    return y;
}

// The nodes of one layer after `x`.
std::string layer_nodes(GraphBuilder& b, const std::string& input, Sequential& model, std::size_t i) {
    const Layer& layer = *model.layers()[i];
    const std::string type = layer.type(), prefix = layer.name().empty() ? "layer" + std::to_string(i) : layer.name();
    if (layer.is_identity_at_inference()) return input;  // Dropout, GaussianNoise
    std::string x = input;
    if (type == "Dense") {
        const auto w = model.get_weights(i);
        const std::string kernel = b.constant(prefix + "/kernel", {w[0].rows(), w[0].cols()}, floats(w[0]));
        x = w.size() > 1 ? b.node("Gemm", {x, kernel, b.constant(prefix + "/bias", {w[1].cols()}, floats(w[1]))}) : b.node("MatMul", {x, kernel});
    } else if (type == "BatchNormalization") {
        x = batch_normalization(b, x, layer, model.get_weights(i), prefix);
    } else if (type == "LayerNormalization") {
        x = layer_normalization(b, x, layer, model.get_weights(i), prefix);
    } else if (type != "Activation") {
        throw ConfigError("ONNX export: layer '" + layer.name() + "' of type " + type +
                          " has no ONNX mapping (Dense, Activation, Dropout, BatchNormalization, LayerNormalization, GaussianNoise)");
    }
    if (const ActivationFunction* act = layer.output_activation())
        x = activation(b, x, act->name(), layer.config().value("negative_slope", kDefaultLeakyReluSlope));
    return x;
}

// Mul/Add nodes for a stored target standardizer: y * scale + mean, as predict's inverse_transform.
std::string unstandardize_target(GraphBuilder& b, const std::string& y, const nlohmann::json& extra, Index width) {
    if (!extra.is_object() || !extra.contains("target_standardizer") || extra["target_standardizer"].is_null()) return y;
    const auto mean = extra["target_standardizer"].at("mean").get<std::vector<float>>();
    const auto scale = extra["target_standardizer"].at("scale").get<std::vector<float>>();
    if (static_cast<Index>(mean.size()) != width || static_cast<Index>(scale.size()) != width)
        throw IoError("ONNX export: the stored target standardizer has " + std::to_string(mean.size()) + " outputs, the model gives " + std::to_string(width));
    const auto scaled = b.node("Mul", {y, b.constant("target_scale", {width}, scale)});
    return b.node("Add", {scaled, b.constant("target_mean", {width}, mean)});
}

// The graph's raw inputs: "input" (batch, features), or one input per column
// of a stored preprocessor. Returns the (batch, model inputs) tensor.
std::string graph_inputs(GraphBuilder& b, onnx::ModelProto& m, Sequential& model, const ModelMetadata& metadata) {
    const nlohmann::json& extra = metadata.extra;
    if (!extra.is_object() || !extra.contains("preprocessor") || extra["preprocessor"].is_null()) {
        add_value_info(b.graph().add_input(), "input", model.input_dim());
        return "input";
    }
    const Preprocessor p = Preprocessor::from_json(extra["preprocessor"]);
    if (p.output_dim() != model.input_dim())
        throw IoError("ONNX export: the stored preprocessor gives " + std::to_string(p.output_dim()) + " inputs, the model takes " +
                      std::to_string(model.input_dim()) + "; fix: retrain the model");
    auto* ml = m.add_opset_import();
    ml->set_domain("ai.onnx.ml");
    ml->set_version(kMlOpset);
    nlohmann::json inputs;
    const std::string x = preprocess_onnx(b, p, inputs);
    add_metadata(m, "inputs", inputs.dump());
    add_metadata(m, "missing_spellings", nlohmann::json(missing_spellings(p.options().na_values)).dump());
    return x;
}

// ConfigError when a graph input (a column name) is also the name of another value.
void check_input_names(const onnx::GraphProto& g) {
    std::set<std::string> names{"output"};
    for (const auto& t : g.initializer()) names.insert(t.name());
    for (const auto& n : g.node())
        for (const auto& o : n.output()) names.insert(o);
    for (const auto& in : g.input())
        if (in.name().empty() || (in.name() != "input" && names.count(in.name())))
            throw ConfigError("ONNX export: the column name '" + in.name() + "' clashes with a name inside the graph; fix: rename the column and retrain");
}

}  // namespace

bool onnx_export_supported() { return true; }

std::string export_onnx(Sequential& model, const ModelMetadata& metadata) {
    if (!model.built()) throw ConfigError("ONNX export: the model has no weights yet; fix: train or load it first");
    onnx::ModelProto m;
    m.set_ir_version(kIrVersion);
    m.set_producer_name("plexus");
    m.set_producer_version(PLEXUS_VERSION);
    m.set_doc_string("Exported by Plexus; output = what `plexus predict` gives for the raw input rows");
    auto* opset = m.add_opset_import();
    opset->set_domain("");
    opset->set_version(kOpset);
    auto* g = m.mutable_graph();
    g->set_name("plexus_sequential");
    GraphBuilder b(*g);
    std::string x = standardize(b, graph_inputs(b, m, model, metadata), metadata.extra, model.input_dim());
    for (std::size_t i = 0; i < model.layers().size(); ++i) x = layer_nodes(b, x, model, i);
    if (model.compiled() && model.compile_options().from_logits) {
        if (model.output_dim() == 1) {
            x = b.node("Sigmoid", {x});
        } else {
            x = b.node("Softmax", {x});
            b.attribute("axis", std::int64_t{-1});
        }
    }
    x = unstandardize_target(b, x, metadata.extra, model.output_dim());
    b.node("Identity", {x}, "output");
    add_value_info(g->add_output(), "output", model.output_dim());
    check_input_names(*g);
    add_metadata(m, "class_names", nlohmann::json(metadata.class_names).dump());
    add_metadata(m, "feature_names", nlohmann::json(metadata.feature_names).dump());
    add_metadata(m, "plexus_version", PLEXUS_VERSION);
    std::string bytes;
    if (!m.SerializeToString(&bytes)) throw IoError("ONNX export: protobuf serialisation failed");
    return bytes;
}

}  // namespace plexus::interop
