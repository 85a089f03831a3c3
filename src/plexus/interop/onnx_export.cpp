#include "plexus/interop/onnx_export.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <numbers>

#include <onnx/onnx_pb.h>

#include "plexus/core/error.hpp"
#include "plexus/layers/activation_layer.hpp"

namespace plexus::interop {
namespace {

constexpr int kOpset = 13;
constexpr int kIrVersion = 7;  // the IR version that came with opset 13 (ONNX 1.8)

class GraphBuilder {
public:
    explicit GraphBuilder(onnx::GraphProto& g) : g_(g) {}

    // Adds a node with one output and returns the output's name.
    std::string node(const std::string& op, std::vector<std::string> inputs, const std::string& output = "") {
        auto* n = g_.add_node();
        n->set_op_type(op);
        n->set_name(op + "_" + std::to_string(count_));
        for (auto& in : inputs) n->add_input(in);
        const std::string out = output.empty() ? "t" + std::to_string(count_) + "_" + op : output;
        n->add_output(out);
        ++count_;
        last_ = n;
        return out;
    }
    void attribute(const std::string& name, float value) {
        auto* a = last_->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::FLOAT);
        a->set_f(value);
    }
    void attribute(const std::string& name, std::int64_t value) {
        auto* a = last_->add_attribute();
        a->set_name(name);
        a->set_type(onnx::AttributeProto::INT);
        a->set_i(value);
    }
    // A float32 initializer of the given shape; returns its name.
    std::string constant(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<float>& values) {
        static_assert(std::endian::native == std::endian::little, "ONNX raw_data is little-endian");
        auto* t = g_.add_initializer();
        t->set_name(name);
        t->set_data_type(onnx::TensorProto::FLOAT);
        for (auto d : dims) t->add_dims(d);
        t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
        return name;
    }
    std::string scalar(float value) { return constant("c" + std::to_string(count_++), {}, {value}); }

private:
    onnx::GraphProto& g_;
    onnx::NodeProto* last_ = nullptr;
    int count_ = 0;
};

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

void add_value_info(onnx::ValueInfoProto* v, const std::string& name, Index width) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = t->mutable_shape();
    shape->add_dim()->set_dim_param("batch");
    shape->add_dim()->set_dim_value(width);
}

std::vector<float> floats(const Matrix& m) {
    std::vector<float> v(static_cast<std::size_t>(m.size()));
    for (Index i = 0; i < m.size(); ++i) v[static_cast<std::size_t>(i)] = static_cast<float>(m.data()[i]);
    return v;
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
    add_value_info(g->add_input(), "input", model.input_dim());
    std::string x = standardize(b, "input", metadata.extra, model.input_dim());
    for (std::size_t i = 0; i < model.layers().size(); ++i) {
        const Layer& layer = *model.layers()[i];
        const std::string type = layer.type(), prefix = layer.name().empty() ? "layer" + std::to_string(i) : layer.name();
        if (type == "Dropout") continue;
        if (type == "Dense") {
            const auto w = model.get_weights(i);
            const std::string kernel = b.constant(prefix + "/kernel", {w[0].rows(), w[0].cols()}, floats(w[0]));
            x = w.size() > 1 ? b.node("Gemm", {x, kernel, b.constant(prefix + "/bias", {w[1].cols()}, floats(w[1]))}) : b.node("MatMul", {x, kernel});
        } else if (type != "Activation") {
            throw ConfigError("ONNX export: layer '" + layer.name() + "' of type " + type + " has no ONNX mapping (Dense, Activation, Dropout)");
        }
        const nlohmann::json config = layer.config();
        x = activation(b, x, layer.output_activation()->name(), config.value("negative_slope", kDefaultLeakyReluSlope));
    }
    if (model.compiled() && model.compile_options().from_logits) {
        if (model.output_dim() == 1) {
            x = b.node("Sigmoid", {x});
        } else {
            x = b.node("Softmax", {x});
            b.attribute("axis", std::int64_t{-1});
        }
    }
    b.node("Identity", {x}, "output");
    add_value_info(g->add_output(), "output", model.output_dim());
    add_metadata(m, "class_names", nlohmann::json(metadata.class_names).dump());
    add_metadata(m, "feature_names", nlohmann::json(metadata.feature_names).dump());
    add_metadata(m, "plexus_version", PLEXUS_VERSION);
    std::string bytes;
    if (!m.SerializeToString(&bytes)) throw IoError("ONNX export: protobuf serialisation failed");
    return bytes;
}

}  // namespace plexus::interop
