// The Layer interface: one step of a feed-forward network.
//
// A layer declares the parameters it needs for a given input width
// (param_specs); the model allocates every parameter and gradient of the network
// in two contiguous buffers and hands each layer views into them (bind). The
// training loop owns the activations: forward(x, y) writes the batch output into
// y, and backward(x, y, dy, dx) receives the same x and y back, so layers keep no
// pointers to batch data. Workspaces (pre-activations, dropout masks) are sized
// once by reserve(max_rows); after that a training step allocates nothing.
//
// Shapes: x (n, input_dim), y (n, output_dim); n may vary from batch to batch up
// to max_rows.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "plexus/activations/activation.hpp"
#include "plexus/core/rng.hpp"
#include "plexus/core/tensor.hpp"
#include "plexus/initializers/initializer.hpp"

namespace plexus {

// A parameter a layer asks for: its shape and how to initialise it.
struct ParamSpec {
    std::string name;  // "kernel", "bias"
    Index rows = 0;
    Index cols = 0;
    InitializerOptions initializer;
    // false for state a layer updates itself (moving statistics): saved with the
    // model, never changed by the optimizer, counted as Non-trainable params.
    bool trainable = true;
};

// Storage for one parameter and its gradient, owned by the model: row-major (rows, cols).
struct ParamView {
    Scalar* value = nullptr;
    Scalar* grad = nullptr;
    Index rows = 0;
    Index cols = 0;
};

// What backward's `dy` is the gradient of.
enum class GradientOf {
    output,         // dL/dy: the usual case
    preactivation,  // dL/dz for the layer's output activation (fused softmax/sigmoid + cross-entropy)
};

class Layer {
public:
    virtual ~Layer() = default;

    // The registry name ("Dense"), and this instance's name ("dense_1").
    virtual std::string type() const = 0;
    const std::string& name() const { return name_; }
    void set_name(std::string name) { name_ = std::move(name); }

    // Output width for an input width; throws ShapeError if the layer cannot take it.
    virtual Index output_dim(Index input_dim) const = 0;
    // The input width the layer was declared with (Keras input_shape), or 0.
    virtual Index declared_input_dim() const { return 0; }
    // Parameters for an input width, in a fixed order.
    virtual std::vector<ParamSpec> param_specs(Index /*input_dim*/) const { return {}; }
    // Receives storage for the parameters of param_specs, same order.
    virtual void bind(std::span<const ParamView> /*params*/) {}
    // Sizes workspaces for batches of up to max_rows rows.
    virtual void reserve(Index /*max_rows*/) {}

    // y = layer(x). `training` enables dropout; `rng` drives it.
    virtual void forward(ConstMatrixRef x, MatrixRef y, bool training, Rng& rng) = 0;
    // Given the forward x and y and the upstream gradient dy (which may be
    // overwritten), writes the parameter gradients (overwriting, not accumulating;
    // regularisation included) and, if dx has rows, dL/dx.
    virtual void backward(ConstMatrixRef x, ConstMatrixRef y, MatrixRef dy, MatrixRef dx,
                          GradientOf of = GradientOf::output) = 0;

    // The activation applied last by this layer, if any (for fused losses and the doctor).
    virtual const ActivationFunction* output_activation() const { return nullptr; }
    // The pre-activation z of the last forward on (x, y) when output_activation() is set.
    virtual ConstMatrixRef preactivation(ConstMatrixRef x, ConstMatrixRef /*y*/) const { return x; }

    // Traits, for code that reasons about a network's structure (the doctor, the
    // plots) without naming layer types. Each layer type overrides what is true of it.
    // Multiplies its input by a learned kernel, mixing the features (Dense).
    virtual bool has_kernel() const { return false; }
    // Only applies output_activation() elementwise: no parameters, same width (Activation).
    virtual bool is_activation_only() const { return false; }
    // Passes x through unchanged when not training (Dropout), so it neither adds a
    // representation nor changes what the network outputs.
    virtual bool is_identity_at_inference() const { return false; }

    // Regularisation penalty added to the loss (Keras: kernel_regularizer).
    virtual double regularization_loss() const { return 0.0; }

    // The layer's config, enough to rebuild it with layer_from_config.
    virtual nlohmann::json config() const = 0;

private:
    std::string name_;
};

// Rebuilds a layer from config()["type"] and its fields; ConfigError naming
// the bad field, or listing valid layer types.
std::unique_ptr<Layer> layer_from_config(const nlohmann::json& config);
std::vector<std::string> layer_types();

}  // namespace plexus
