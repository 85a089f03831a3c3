#include "gradient_check.hpp"

#include <algorithm>

namespace plexus::testing {

double GradientReport::max_error() const {
    double m = input_error;
    for (double e : parameter_errors) m = std::max(m, e);
    return m;
}

Matrix numeric_gradient(const std::function<double()>& f, Matrix& v, double h) {
    Matrix g(v.rows(), v.cols());
    for (Index i = 0; i < v.rows(); ++i)
        for (Index j = 0; j < v.cols(); ++j) {
            const Scalar saved = v(i, j);
            v(i, j) = saved + h;
            const double plus = f();
            v(i, j) = saved - h;
            const double minus = f();
            v(i, j) = saved;
            g(i, j) = (plus - minus) / (2 * h);
        }
    return g;
}

double relative_error(const Matrix& analytic, const Matrix& numeric) {
    const double denominator = analytic.norm() + numeric.norm();
    if (denominator == 0) return 0.0;
    return (analytic - numeric).norm() / denominator;
}

GradientReport check_layer(Layer& layer, Index input_dim, Index rows, std::uint64_t seed, bool training) {
    Rng rng(seed);
    const Index out_dim = layer.output_dim(input_dim);
    const auto specs = layer.param_specs(input_dim);
    std::vector<Matrix> values, grads;
    for (const auto& s : specs) {
        Matrix v(s.rows, s.cols);
        // State the layer keeps for itself (moving statistics) stays positive, as variances must.
        for (Index k = 0; k < v.size(); ++k) v.data()[k] = s.trainable ? rng.uniform(-1, 1) : rng.uniform(0.5, 1.5);
        values.push_back(v);
        grads.push_back(Matrix::Zero(s.rows, s.cols));
    }
    std::vector<ParamView> views;
    for (std::size_t k = 0; k < specs.size(); ++k)
        views.push_back({values[k].data(), grads[k].data(), specs[k].rows, specs[k].cols});
    layer.bind(views);
    layer.reserve(rows);
    Matrix x(rows, input_dim), upstream(rows, out_dim), y(rows, out_dim);
    for (Index k = 0; k < x.size(); ++k) x.data()[k] = rng.uniform(-2, 2);
    for (Index k = 0; k < upstream.size(); ++k) upstream.data()[k] = rng.uniform(-1, 1);
    const std::uint64_t mask_seed = rng.next_u64();
    auto objective = [&]() {
        Rng mask_rng(mask_seed);
        layer.forward(x, y, training, mask_rng);
        return (y.array() * upstream.array()).sum() + layer.regularization_loss();
    };
    objective();
    Matrix dy = upstream, dx(rows, input_dim);
    layer.backward(x, y, dy, dx);
    const std::vector<Matrix> analytic_params = grads;
    const Matrix analytic_dx = dx;

    GradientReport report;
    report.regularization_loss = layer.regularization_loss();
    report.input_error = relative_error(analytic_dx, numeric_gradient(objective, x));
    for (std::size_t k = 0; k < values.size(); ++k)  // non-trainable state has no gradient to check: 0
        report.parameter_errors.push_back(specs[k].trainable ? relative_error(analytic_params[k], numeric_gradient(objective, values[k])) : 0.0);
    return report;
}

double check_loss(const Loss& loss, const Matrix& y_pred, const Matrix& y_true, const std::vector<Scalar>& weights) {
    const Scalar* w = weights.empty() ? nullptr : weights.data();
    Matrix p = y_pred, g(p.rows(), p.cols());
    loss.gradient(p, y_true, w, g);
    return relative_error(g, numeric_gradient([&] { return loss.value(p, y_true, w); }, p));
}

double check_fused_loss(const Loss& loss, const std::string& activation, const Matrix& z, const Matrix& y_true) {
    const auto act = make_activation(activation);
    Matrix logits = z, dz(z.rows(), z.cols()), activated(z.rows(), z.cols());
    act->forward(logits, activated);
    loss.fused(logits, activated, y_true, nullptr, dz);
    auto objective = [&] {
        Matrix a(logits.rows(), logits.cols());
        act->forward(logits, a);
        return loss.value(a, y_true, nullptr);
    };
    return relative_error(dz, numeric_gradient(objective, logits));
}

}  // namespace plexus::testing
