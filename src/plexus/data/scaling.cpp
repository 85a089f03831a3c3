// Standardizer; see scaling.hpp.
#include "plexus/data/scaling.hpp"

#include <cmath>
#include <string>

#include "plexus/core/error.hpp"

namespace plexus {

void Standardizer::fit(ConstMatrixRef x) {
    if (x.rows() == 0 || x.cols() == 0) {
        throw DataError("Standardizer::fit: received " + shape_string(x.rows(), x.cols()) +
                        ", expected at least one row and one column; fit on the training features");
    }
    if (!all_finite(x)) {
        throw DataError("Standardizer::fit: the features contain NaN or Inf; remove or impute those rows first");
    }
    const Eigen::MatrixXd xd = x.cast<double>();
    const Eigen::RowVectorXd mu = xd.colwise().mean();
    const Eigen::RowVectorXd var =
        (xd.rowwise() - mu).array().square().colwise().sum() / static_cast<double>(xd.rows());
    Eigen::RowVectorXd sd = var.array().sqrt();
    for (Index j = 0; j < sd.size(); ++j) {
        if (!(sd(j) >= kMinScale)) sd(j) = 1.0;
    }
    mean = mu.cast<Scalar>();
    scale = sd.cast<Scalar>();
}

namespace {
void check(const Standardizer& s, ConstMatrixRef x, const char* what) {
    if (!s.fitted()) {
        throw ConfigError(std::string("Standardizer::") + what +
                          ": not fitted; call fit() on the training features first");
    }
    if (x.cols() != s.features()) {
        throw ShapeError(std::string("Standardizer::") + what + ": expected (n, " +
                         std::to_string(s.features()) + "), received " + shape_string(x.rows(), x.cols()) +
                         "; pass features with the same columns as at fit()");
    }
}
}  // namespace

Matrix Standardizer::transform(ConstMatrixRef x) const {
    check(*this, x, "transform");
    Matrix out = (x.rowwise() - mean).array().rowwise() / scale.array();
    return out;
}

Matrix Standardizer::inverse_transform(const Matrix& x) const {
    check(*this, x, "inverse_transform");
    Matrix out = (x.array().rowwise() * scale.array()).rowwise() + mean.array();
    return out;
}

Matrix Standardizer::fit_transform(const Matrix& x) {
    fit(x);
    return transform(x);
}

}  // namespace plexus
