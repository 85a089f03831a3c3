// Sequential: a stack of layers with Keras's compile / fit / evaluate / predict.
//
//   Sequential model({Dense({.units = 4, .activation = "tanh", .input_dim = 2}),
//                     Dense({.units = 2, .activation = "softmax"})});
//   model.compile({.optimizer = {.name = "sgd"}, .loss = "categorical_crossentropy",
//                  .metrics = {"accuracy"}});
//   History h = model.fit(x, y, {.epochs = 300, .batch_size = 8, .validation_split = 0.2});
//
// All parameters and gradients live in two contiguous buffers (parameters(),
// gradients()); layers see views into them. Weights are created lazily, on the
// first fit/predict/get_weights or an explicit build(), from the seed: the
// fit's seed if given, else compile's. The training loop preallocates its
// workspaces for the batch size, so a step allocates nothing after the first.
// x is (n, features); y is (n, output units) for one-hot/binary/regression
// targets or (n, 1) class indices for sparse_categorical_crossentropy.
#pragma once

#include <map>
#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "plexus/layers/layer.hpp"
#include "plexus/metrics/metrics.hpp"
#include "plexus/model/fit_options.hpp"
#include "plexus/model/fit_plan.hpp"
#include "plexus/model/history.hpp"

namespace plexus {

// Holds any layer by value in a braced list: Sequential({Dense(...), Activation("tanh")}).
class LayerHandle {
public:
    template <typename L>
        requires std::is_base_of_v<Layer, std::remove_cvref_t<L>>
    LayerHandle(L layer)  // NOLINT(google-explicit-constructor): by design
        : layer_(std::make_shared<std::remove_cvref_t<L>>(std::move(layer))) {}
    LayerHandle(std::shared_ptr<Layer> layer) : layer_(std::move(layer)) {}  // NOLINT
    std::shared_ptr<Layer> get() const { return layer_; }

private:
    std::shared_ptr<Layer> layer_;
};

class Sequential {
public:
    Sequential() = default;
    Sequential(std::initializer_list<LayerHandle> layers);
    Sequential(Sequential&&) noexcept;
    Sequential& operator=(Sequential&&) noexcept;
    Sequential(const Sequential&) = delete;
    Sequential& operator=(const Sequential&) = delete;
    ~Sequential();

    // Appends a layer (auto-named "dense", "dense_1", ... as Keras).
    void add(LayerHandle layer);
    const std::vector<std::shared_ptr<Layer>>& layers() const { return layers_; }
    Layer& layer(std::size_t i) { return *layers_.at(i); }

    // Binds optimizer, loss and metrics. ConfigError for unknown names or bad options.
    void compile(const CompileOptions& options);
    bool compiled() const { return loss_ != nullptr; }
    const CompileOptions& compile_options() const { return compile_options_; }

    // Input width: declared by the first layer (input_dim), by build(), or by the first fit.
    Index input_dim() const { return input_dim_; }
    Index output_dim() const;
    // Creates the weights for an input width, from `seed`. Rebuilding re-initialises.
    void build(Index input_dim, std::uint64_t seed = 0);
    bool built() const { return built_; }

    // A Keras-like table of layers, output shapes and parameter counts (no weights needed).
    std::string summary() const;
    Index count_params() const;
    // Parameters the optimizer never changes (ParamSpec::trainable == false).
    Index count_non_trainable_params() const;

    // Trains; see FitOptions. Throws ShapeError/DataError/ConfigError for bad input.
    // Same as fit(plan_fit(*this, x, y, options)). x and y are read in place (a Matrix
    // converts to a MatrixView; so does memory owned elsewhere: a NumPy array, a mapped file).
    History fit(MatrixView x, MatrixView y, const FitOptions& options = {});
    History fit(const Matrix& x, const Matrix& y, const FitOptions& options = {}) {
        return fit(MatrixView(x), MatrixView(y), options);
    }
    // Trains the plan made by plan_fit (fit_plan.hpp) for this model.
    History fit(FitContext plan);
    // Loss (with regularisation) and the compiled metrics, in inference mode. With
    // `outputs`, it also receives what predict(x, batch_size) returns, from the same
    // forward pass (one pass where evaluate then predict would make two).
    Logs evaluate(ConstMatrixRef x, ConstMatrixRef y, const std::vector<double>& sample_weight = {}, Index batch_size = 256,
                  Matrix* outputs = nullptr);
    // The same on the rows of views (fit_plan.hpp): each batch is gathered from x and y
    // by the views' row indices, so a part of a dataset (a split's rows, a sample) is
    // evaluated in place, without a copy of it. The same numbers as evaluate() on
    // x.gather() and y.gather().
    Logs evaluate(const RowView& x, const RowView& y, Index batch_size = 256, Matrix* outputs = nullptr);
    // Model outputs (probabilities for softmax/sigmoid outputs), in inference mode.
    // x and y are views: a Matrix or a mapped buffer (e.g. NumPy's) binds without a copy.
    Matrix predict(ConstMatrixRef x, Index batch_size = 256);
    // The output of every layer for x, in inference mode (layer_outputs[i] = layer i's output).
    std::vector<Matrix> layer_outputs(const Matrix& x);
    // One optimizer step on a batch; returns its loss (before the step). Denormals are flushed to
    // zero during the step, as in fit (core/float_mode.hpp). Used by the benchmarks and Python.
    double train_on_batch(ConstMatrixRef x, ConstMatrixRef y, const Scalar* sample_weight = nullptr);
    // Forward and backward in training mode without updating: fills gradients() and returns the loss.
    double compute_gradients(ConstMatrixRef x, ConstMatrixRef y, const Scalar* sample_weight = nullptr);

    // Weights per layer, as Keras get_weights(): [kernel, bias] for Dense.
    std::vector<Matrix> get_weights(std::size_t layer) const;
    void set_weights(std::size_t layer, const std::vector<Matrix>& weights);
    // All parameters and their gradients, flat.
    std::span<Scalar> parameters() { return params_; }
    std::span<const Scalar> parameters() const { return params_; }
    std::span<Scalar> gradients() { return grads_; }
    // The slice of parameters()/gradients() that belongs to layer i.
    std::span<Scalar> layer_parameters(std::size_t layer);
    std::span<Scalar> layer_gradients(std::size_t layer);

    // The last training batch's layer outputs (rows = last_batch_rows()), for statistics.
    ConstMatrixRef last_batch_output(std::size_t layer) const;
    Index last_batch_rows() const { return last_rows_; }

    Loss& loss() const;
    Optimizer& optimizer() const;
    std::uint64_t seed() const { return seed_; }
    // Epochs trained so far (absolute: fit sets it to epoch + 1 after each epoch; model files keep it).
    int epochs_trained() const { return epochs_trained_; }
    void set_epochs_trained(int epochs) { epochs_trained_ = epochs; }
    // Set (by a callback, a signal handler's flag check, a UI) to end fit after the current batch.
    bool stop_training = false;
    // The fit in progress (valid between on_train_begin and on_train_end).
    const FitContext* fit_context() const { return context_.get(); }

    // The model's config: layers, input width, compile options (JSON).
    nlohmann::json config() const;
    // The inverse of config(): a model with these layers, input width (if given) and,
    // when "compile" is present, compiled so. Also accepts a bare list of layer configs
    // ([{"type": "Dense", "units": 4}, ...]) or {"layers": [...]} without the rest.
    // Weights are not part of a config: the model is unbuilt. ConfigError naming the
    // layer (1-based) and field for anything invalid.
    static Sequential from_config(const nlohmann::json& config);

private:
    void ensure_compiled(const char* what) const;
    void ensure_built(const char* what);
    std::vector<ParamSegment> frozen_segments() const;
    void reserve(Index max_rows);
    void forward(ConstMatrixRef x, Index n, bool training);
    Index resolve_input_dim(Index received, const char* what) const;
    double compute_loss(ConstMatrixRef out, ConstMatrixRef y, const Scalar* w, bool with_gradient, Index n);
    bool fused() const;
    void check_fit_options(const FitOptions& options) const;
    double train_step(ConstMatrixRef x, ConstMatrixRef y, const Scalar* w, Index global_rows, int batch,
                      const std::vector<CallbackPtr>& callbacks);
    struct FitLoop;  // fit's workspaces and callbacks (fit.cpp)
    // evaluate() on views with the caller's batch buffers (xs, ys: at least batch_size rows).
    Logs evaluate_rows(const RowView& x, const RowView& y, Index batch_size, Matrix& xs, Matrix& ys, Matrix* outputs);
    Logs run_epoch(FitLoop& loop, int epoch);

    std::vector<std::shared_ptr<Layer>> layers_;
    std::map<std::string, int> type_counts_;  // layers added so far per type(), for the automatic names
    Index input_dim_ = 0;
    bool built_ = false;
    std::uint64_t seed_ = 0;
    int epochs_trained_ = 0;
    AlignedBuffer params_, grads_;
    std::vector<std::size_t> layer_offsets_;  // layers_.size() + 1 entries into params_

    CompileOptions compile_options_;
    std::unique_ptr<Loss> loss_;
    std::unique_ptr<Optimizer> optimizer_;
    MetricSet train_metrics_;

    // Workspaces for batches of up to max_rows_.
    Index max_rows_ = 0;
    Index last_rows_ = 0;
    std::vector<Matrix> outputs_;     // outputs_[i]: layer i's output
    std::vector<Matrix> doutputs_;    // dL/d outputs_[i]
    Matrix empty_;
    Rng dropout_rng_{0};

    std::unique_ptr<FitContext> context_;
};

}  // namespace plexus
