// Pictures of a model and its training run: the glue between Sequential and the
// data-level plots (decision_regions, learning_curves, layer_views, animation,
// confusion_matrix). The CLI's `plexus plot` and `plexus train --plots` use these.
//
//   plot::RunData run = plot::run_data(dataset, history.split);
//   plot::decision_regions(model, run, {.title = "seed, tail split"}, "boundary.png");
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "plexus/model/callback.hpp"
#include "plexus/data/dataset.hpp"
#include "plexus/doctor/finding.hpp"
#include "plexus/model/history.hpp"
#include "plexus/model/sequential.hpp"
#include "plexus/plot/style.hpp"

namespace plexus::plot {

// The points of a run: its training and validation parts with class indices.
struct RunData {
    Matrix x_train, x_val;              // (n, features)
    std::vector<int> y_train, y_val;    // class indices (empty for regression)
    std::vector<std::string> class_names;
};

// Splits a classification dataset the way the run did (History::split's row indices;
// all rows are training rows if the split has none).
RunData run_data(const Dataset& data, const SplitInfo& split);

// The building blocks of the pictures below, for callers that assemble their own specs:
// the class index of each of these rows of a dataset;
std::vector<int> labels_of(const Dataset& data, const RowList& rows);
// a set of points (the first two columns of x), unlabelled when it is empty;
PointSet point_set(const Matrix& x, const std::vector<int>& y, bool hollow, const std::string& label);
// whether a point of the plane lies in the support of these rows (data::Support): cells
// outside it are hatched as extrapolation.
SupportFn support_of(const Matrix& rows);

// the layers whose outputs are hidden representations (what layer_views draws): a layer
// ending in a nonlinearity (for a kernel layer followed by an activation-only layer, that
// layer instead), or a linear kernel layer (Dense) not followed by one; never the last
// layer. Decided by the Layer traits (has_kernel, is_activation_only), not type names.
std::vector<std::size_t> hidden_layers(const Sequential& model);

// Decision regions of a 2-input classifier with training (filled) and validation
// (hollow) points; cells outside the training support are hatched. ConfigError if
// the model does not take 2 inputs.
void decision_regions(Sequential& model, const RunData& run, const Style& style, const std::string& path,
                      std::optional<Range> range = std::nullopt, int resolution = 200);

// Loss and each metric per epoch, training solid and validation dashed; doctor
// findings with an epoch are marked. A finite baseline_loss (the loss of always
// predicting the training rows' mean, report.json "baseline") is drawn in the
// loss panel as a flat dashed "baseline (mean)" line.
void learning_curves(const History& history, const Style& style, const std::string& path, bool log_y = false,
                     const std::vector<Finding>& findings = {},
                     double baseline_loss = std::numeric_limits<double>::quiet_NaN());

// How each hidden layer bends the input plane (2-input models).
void layer_views(Sequential& model, const RunData& run, const Style& style, const std::string& path,
                 std::optional<Range> range = std::nullopt);

// Confusion matrix of the model on (x, labels).
void confusion_matrix(Sequential& model, const Matrix& x, const std::vector<int>& labels,
                      const std::vector<std::string>& class_names, const Style& style, const std::string& path);

// Records the model's parameters at chosen epochs (0-based) during fit, for animations.
class SnapshotRecorder final : public Callback {
public:
    explicit SnapshotRecorder(std::vector<int> epochs) : epochs_(std::move(epochs)) {}
    // Epochs spread over a run of `total` epochs: 0, a few in between, and the last.
    static std::vector<int> spread(int total, int frames = 9);
    bool uses_gradients() const override { return false; }
    void on_epoch_end(Sequential& model, int epoch, Logs& logs) override;
    const std::vector<int>& recorded_epochs() const { return recorded_; }
    const std::vector<std::vector<Scalar>>& snapshots() const { return snapshots_; }

private:
    std::vector<int> epochs_, recorded_;
    std::vector<std::vector<Scalar>> snapshots_;
};

// The decision regions at each recorded epoch: a grid of frames in one picture
// (png_path) and, if gif_path is not empty, an animated GIF.
void animation(Sequential& model, const SnapshotRecorder& snapshots, const RunData& run, const Style& style,
               const std::string& png_path, const std::string& gif_path = "", std::optional<Range> range = std::nullopt);

}  // namespace plexus::plot
