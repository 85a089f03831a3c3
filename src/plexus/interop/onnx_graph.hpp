// Internal to the ONNX exporter: a small builder over onnx::GraphProto (nodes
// with one output, attributes, initializers) shared by onnx_export.cpp and
// onnx_preprocessor.cpp.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "plexus/core/tensor.hpp"

namespace plexus::interop::onnx_graph {

class GraphBuilder {
public:
    explicit GraphBuilder(onnx::GraphProto& g) : g_(g) {}

    onnx::GraphProto& graph() { return g_; }

    // Adds a node with one output and returns the output's name. `domain` is
    // empty for the standard ops, "ai.onnx.ml" for the ML ops.
    std::string node(const std::string& op, std::vector<std::string> inputs, const std::string& output = "", const std::string& domain = "") {
        auto* n = g_.add_node();
        n->set_op_type(op);
        if (!domain.empty()) n->set_domain(domain);
        n->set_name(op + "_" + std::to_string(count_));
        for (auto& in : inputs) n->add_input(in);
        const std::string out = output.empty() ? "t" + std::to_string(count_) + "_" + op : output;
        n->add_output(out);
        ++count_;
        last_ = n;
        return out;
    }
    void attribute(const std::string& name, float value) {
        auto* a = add_attribute(name, onnx::AttributeProto::FLOAT);
        a->set_f(value);
    }
    void attribute(const std::string& name, std::int64_t value) {
        auto* a = add_attribute(name, onnx::AttributeProto::INT);
        a->set_i(value);
    }
    void attribute(const std::string& name, const std::vector<std::int64_t>& values) {
        auto* a = add_attribute(name, onnx::AttributeProto::INTS);
        for (auto v : values) a->add_ints(v);
    }
    void attribute(const std::string& name, const std::vector<std::string>& values) {
        auto* a = add_attribute(name, onnx::AttributeProto::STRINGS);
        for (const auto& v : values) a->add_strings(v);
    }
    // A float32 initializer of the given shape; returns its name.
    std::string constant(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<float>& values) {
        static_assert(std::endian::native == std::endian::little, "ONNX raw_data is little-endian");
        auto* t = initializer(name, onnx::TensorProto::FLOAT, dims);
        t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
        return name;
    }
    // An int64 initializer of the given shape; returns its name.
    std::string constant_int64(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<std::int64_t>& values) {
        auto* t = initializer(name, onnx::TensorProto::INT64, dims);
        t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(std::int64_t)));
        return name;
    }
    std::string scalar(float value) { return constant("c" + std::to_string(count_++), {}, {value}); }

private:
    onnx::AttributeProto* add_attribute(const std::string& name, onnx::AttributeProto::AttributeType type) {
        auto* a = last_->add_attribute();
        a->set_name(name);
        a->set_type(type);
        return a;
    }
    onnx::TensorProto* initializer(const std::string& name, onnx::TensorProto::DataType type, const std::vector<std::int64_t>& dims) {
        auto* t = g_.add_initializer();
        t->set_name(name);
        t->set_data_type(type);
        for (auto d : dims) t->add_dims(d);
        return t;
    }

    onnx::GraphProto& g_;
    onnx::NodeProto* last_ = nullptr;
    int count_ = 0;
};

// A graph input or output of shape (batch, width) with a dynamic batch dimension.
inline void add_value_info(onnx::ValueInfoProto* v, const std::string& name, Index width,
                           onnx::TensorProto::DataType type = onnx::TensorProto::FLOAT) {
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(type);
    auto* shape = t->mutable_shape();
    shape->add_dim()->set_dim_param("batch");
    shape->add_dim()->set_dim_value(width);
}

inline std::vector<float> floats(const Matrix& m) {
    std::vector<float> v(static_cast<std::size_t>(m.size()));
    for (Index i = 0; i < m.size(); ++i) v[static_cast<std::size_t>(i)] = static_cast<float>(m.data()[i]);
    return v;
}

}  // namespace plexus::interop::onnx_graph
