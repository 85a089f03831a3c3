// Sequential's inference: predict, evaluate and every layer's output.
#include <algorithm>

#include "plexus/core/error.hpp"
#include "plexus/model/sequential.hpp"

namespace plexus {

Matrix Sequential::predict(ConstMatrixRef x, Index batch_size) {
    if (!built_) {
        if (input_dim_ <= 0) build(x.cols(), seed_);
        else ensure_built("predict");
    }
    resolve_input_dim(x.cols(), "predict");
    if (batch_size <= 0) throw ConfigError("predict: batch_size must be positive");
    Matrix result(x.rows(), output_dim());
    for (Index start = 0; start < x.rows(); start += batch_size) {
        const Index n = std::min(batch_size, x.rows() - start);
        reserve(n);
        forward(x.middleRows(start, n), n, false);
        result.middleRows(start, n) = outputs_.back().topRows(n);
    }
    return result;
}

std::vector<Matrix> Sequential::layer_outputs(const Matrix& x) {
    ensure_built("layer_outputs");
    resolve_input_dim(x.cols(), "layer_outputs");
    std::vector<Matrix> result;
    Index width = input_dim_;
    for (const auto& layer : layers_) {
        width = layer->output_dim(width);
        result.emplace_back(x.rows(), width);
    }
    const Index chunk = 1024;
    for (Index start = 0; start < x.rows(); start += chunk) {
        const Index n = std::min(chunk, x.rows() - start);
        reserve(n);
        forward(x.middleRows(start, n), n, false);
        for (std::size_t i = 0; i < layers_.size(); ++i) result[i].middleRows(start, n) = outputs_[i].topRows(n);
    }
    return result;
}

Logs Sequential::evaluate(ConstMatrixRef x, ConstMatrixRef y, const std::vector<double>& sample_weight, Index batch_size,
                          Matrix* outputs) {
    ensure_compiled("evaluate");
    if (x.rows() != y.rows())
        throw ShapeError("evaluate: x has " + std::to_string(x.rows()) + " rows but y has " + std::to_string(y.rows()));
    if (!sample_weight.empty() && static_cast<Index>(sample_weight.size()) != x.rows())
        throw ShapeError("evaluate: sample_weight needs one value per row");
    ensure_built("evaluate");
    resolve_input_dim(x.cols(), "evaluate");
    loss_->check_targets(output_dim(), y);
    if (x.rows() == 0) throw DataError("evaluate: no rows to evaluate");
    MetricSet metrics(compile_options_.metrics, output_dim(), loss_->is_classification());
    std::vector<Scalar> w(sample_weight.begin(), sample_weight.end());
    if (batch_size <= 0) throw ConfigError("evaluate: batch_size must be positive");
    if (outputs) outputs->resize(x.rows(), output_dim());
    double total = 0;
    for (Index start = 0; start < x.rows(); start += batch_size) {
        const Index n = std::min(batch_size, x.rows() - start);
        reserve(n);
        forward(x.middleRows(start, n), n, false);
        const auto out = outputs_.back().topRows(n);
        if (outputs) outputs->middleRows(start, n) = out;
        const Scalar* wp = w.empty() ? nullptr : w.data() + start;
        total += compute_loss(out, y.middleRows(start, n), wp, false, n) * static_cast<double>(n);
        metrics.update(out, y.middleRows(start, n), wp);
    }
    double reg = 0;
    for (const auto& layer : layers_) reg += layer->regularization_loss();
    Logs logs = metrics.result();
    logs["loss"] = total / static_cast<double>(x.rows()) + reg;
    return logs;
}

Logs Sequential::evaluate(const RowView& x, const RowView& y, Index batch_size, Matrix* outputs) {
    ensure_compiled("evaluate");
    if (x.rows() != y.rows())
        throw ShapeError("evaluate: x has " + std::to_string(x.rows()) + " rows but y has " + std::to_string(y.rows()));
    ensure_built("evaluate");
    resolve_input_dim(x.cols(), "evaluate");
    if (x.rows() == 0) throw DataError("evaluate: no rows to evaluate");
    if (batch_size <= 0) throw ConfigError("evaluate: batch_size must be positive");
    // The targets are small next to the inputs: checked whole, so an error names the view's row.
    const Matrix targets = y.index ? y.gather() : Matrix();
    const RowView yv = y.index ? RowView{targets} : y;
    loss_->check_targets(output_dim(), yv.m.map());
    const Index b = std::min(batch_size, x.rows());
    Matrix xs(b, x.cols()), ys(b, y.cols());
    return evaluate_rows(x, yv, batch_size, xs, ys, outputs);
}

Logs Sequential::evaluate_rows(const RowView& x, const RowView& y, Index batch_size, Matrix& xs, Matrix& ys, Matrix* outputs) {
    MetricSet metrics(compile_options_.metrics, output_dim(), loss_->is_classification());
    if (outputs) outputs->resize(x.rows(), output_dim());
    double total = 0;
    for (Index start = 0; start < x.rows(); start += batch_size) {
        const Index n = std::min(batch_size, x.rows() - start);
        x.gather_into(start, n, xs);
        y.gather_into(start, n, ys);
        reserve(n);
        forward(xs.topRows(n), n, false);
        const auto out = outputs_.back().topRows(n);
        if (outputs) outputs->middleRows(start, n) = out;
        total += compute_loss(out, ys.topRows(n), nullptr, false, n) * static_cast<double>(n);
        metrics.update(out, ys.topRows(n), nullptr);
    }
    double reg = 0;
    for (const auto& layer : layers_) reg += layer->regularization_loss();
    Logs logs = metrics.result();
    logs["loss"] = total / static_cast<double>(x.rows()) + reg;
    return logs;
}

}  // namespace plexus
