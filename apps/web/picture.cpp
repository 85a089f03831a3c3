// The page's pictures as data; see picture.hpp.
#include "picture.hpp"

#include <algorithm>
#include <cmath>

#include "plexus/model/split.hpp"
#include "plexus/plot/model_plots.hpp"
#include "plexus/run/trained_model.hpp"

namespace plexus::web {
using json = nlohmann::json;

namespace {

// Up to kMaxPoints of `rows`, evenly spaced.
RowList sample(const RowList& rows) {
    if (static_cast<Index>(rows.size()) <= kMaxPoints) return rows;
    RowList picked;
    const double step = static_cast<double>(rows.size()) / static_cast<double>(kMaxPoints);
    for (Index i = 0; i < kMaxPoints; ++i) picked.push_back(rows[static_cast<std::size_t>(static_cast<double>(i) * step)]);
    return picked;
}

double round4(double v) { return std::round(v * 1e4) / 1e4; }

}  // namespace

Plane::Plane(const Dataset& data, const RowList& train_rows, const RowList& validation_rows,
             std::optional<Standardizer> standardizer)
    : data_(data), train_rows_(train_rows), validation_rows_(validation_rows), standardizer_(std::move(standardizer)) {
    drawable_ = data.features() == 2 && data.rows() > 0;
    if (!drawable_) return;
    // The bounding box of all points plus 10%, as plot::decision_regions frames it.
    const auto x = data.x.col(0), y = data.x.col(1);
    const double dx = std::max(1e-6, static_cast<double>(x.maxCoeff() - x.minCoeff()));
    const double dy = std::max(1e-6, static_cast<double>(y.maxCoeff() - y.minCoeff()));
    xmin_ = x.minCoeff() - 0.1 * dx, xmax_ = x.maxCoeff() + 0.1 * dx;
    ymin_ = y.minCoeff() - 0.1 * dy, ymax_ = y.maxCoeff() + 0.1 * dy;
    if (!data.is_classification() && !train_rows_.empty()) {
        value_lo_ = value_hi_ = data.y(train_rows_.front(), 0);
        for (const Index r : train_rows_) {
            value_lo_ = std::min(value_lo_, static_cast<double>(data.y(r, 0)));
            value_hi_ = std::max(value_hi_, static_cast<double>(data.y(r, 0)));
        }
        if (value_hi_ <= value_lo_) value_hi_ = value_lo_ + 1;
    }
    cells_ = grid(kCells);
    unit_cells_ = grid(kUnitCells);
}

Matrix Plane::grid(int cells) const {
    Matrix g(static_cast<Index>(cells) * cells, 2);
    for (int r = 0; r < cells; ++r)
        for (int c = 0; c < cells; ++c) {
            g(r * cells + c, 0) = static_cast<Scalar>(xmin_ + (c + 0.5) * (xmax_ - xmin_) / cells);
            g(r * cells + c, 1) = static_cast<Scalar>(ymax_ - (r + 0.5) * (ymax_ - ymin_) / cells);
        }
    return standardizer_ ? standardizer_->transform(g) : g;
}

json Plane::scene() const {
    const bool classification = data_.is_classification();
    json scene = {{"drawable", drawable_},
                  {"task", classification ? "classification" : "regression"},
                  {"class_names", data_.class_names},
                  {"feature_names", data_.feature_names},
                  {"rows", data_.rows()}};
    if (!drawable_) return scene;
    scene["range"] = {xmin_, xmax_, ymin_, ymax_};
    scene["cells"] = kCells;
    scene["unit_cells"] = kUnitCells;
    scene["value_range"] = {value_lo_, value_hi_};
    // Where the training rows' support ends (hatched, as `plexus plot boundary` does).
    const plot::SupportFn inside = plot::support_of(take_rows(data_.x, train_rows_));
    std::string support;
    support.reserve(static_cast<std::size_t>(kCells) * kCells);
    for (int r = 0; r < kCells; ++r)
        for (int c = 0; c < kCells; ++c)
            support += inside(xmin_ + (c + 0.5) * (xmax_ - xmin_) / kCells, ymax_ - (r + 0.5) * (ymax_ - ymin_) / kCells) ? '1' : '0';
    scene["support"] = support;
    auto points = [&](const RowList& rows) {
        json list = json::array();
        for (const Index r : sample(rows)) {
            const double target = classification ? std::round(data_.y(r, 0)) : round4(data_.y(r, 0));
            list.push_back({round4(data_.x(r, 0)), round4(data_.x(r, 1)), target});
        }
        return list;
    };
    scene["points"] = {{"train", points(train_rows_)}, {"validation", points(validation_rows_)}};
    return scene;
}

json Plane::snapshot(Sequential& model) const {
    if (!drawable_) return json::object();
    const Matrix out = run::predict_outputs(model, cells_);
    std::vector<int> cells(static_cast<std::size_t>(out.rows()));
    if (data_.is_classification()) {
        const Index k = std::max<Index>(out.cols(), 2);
        for (Index i = 0; i < out.rows(); ++i) {
            Index top = 0;
            double p = 0;
            if (out.cols() == 1) {  // one sigmoid unit: P(class 1)
                p = out(i, 0) >= 0.5 ? out(i, 0) : 1 - out(i, 0);
                top = out(i, 0) >= 0.5 ? 1 : 0;
            } else {
                p = out.row(i).maxCoeff(&top);
            }
            const double confidence = std::clamp((p - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0);
            cells[static_cast<std::size_t>(i)] = static_cast<int>(top * 100 + std::lround(99 * confidence));
        }
    } else {
        for (Index i = 0; i < out.rows(); ++i) {
            const double t = std::clamp((out(i, 0) - value_lo_) / (value_hi_ - value_lo_), 0.0, 1.0);
            cells[static_cast<std::size_t>(i)] = static_cast<int>(std::lround(999 * (std::isfinite(t) ? t : 0.0)));
        }
    }
    json units = json::array();
    const auto hidden = plot::hidden_layers(model);
    if (!hidden.empty()) {
        const auto outputs = model.layer_outputs(unit_cells_);
        for (std::size_t l = 0; l < hidden.size() && l < static_cast<std::size_t>(kMaxUnitLayers); ++l) {
            const Matrix& a = outputs[hidden[l]];
            json layer = {{"layer", model.layers()[hidden[l]]->name()}, {"total", a.cols()}, {"units", json::array()}};
            for (Index u = 0; u < a.cols() && u < kMaxUnitsPerLayer; ++u) {
                const double scale = std::max(1e-12, static_cast<double>(a.col(u).cwiseAbs().maxCoeff()));
                std::vector<int> values(static_cast<std::size_t>(a.rows()));
                for (Index i = 0; i < a.rows(); ++i)
                    values[static_cast<std::size_t>(i)] = std::isfinite(a(i, u)) ? static_cast<int>(std::lround(99 * a(i, u) / scale)) : 0;
                layer["units"].push_back(values);
            }
            units.push_back(layer);
        }
    }
    return {{"cells", cells}, {"units", units}};
}

}  // namespace plexus::web
