// Layer views: per hidden layer, the deformed input grid and training points in
// the layer's representation (direct, PCA or 1-D), and one heatmap per unit.
#include "plexus/plot/layer_views.hpp"

#include <cairo.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "plexus/core/error.hpp"
#include "plexus/plot/canvas.hpp"

namespace plexus::plot {
namespace {

using namespace detail;
constexpr const char* kWho = "layer_views";
constexpr int kSamples = 64;  // points along each grid line

// A layer's representation of every input, reduced to 2-D, and what was done.
struct View {
    Eigen::MatrixX2d xy;
    std::string note;
    bool equal_aspect = true;
};

View reduce(const Matrix& h, const Matrix& inputs, Index fit_rows, const std::string& x_name) {
    View v;
    const Index n = h.rows(), u = h.cols();
    if (u == 1) {
        v.xy.resize(n, 2);
        v.xy.col(0) = inputs.col(0).cast<double>();
        v.xy.col(1) = h.col(0).cast<double>();
        v.note = cat("1 unit: value (up) vs. ", x_name);
        v.equal_aspect = false;
        return v;
    }
    if (u == 2) {
        v.xy = h.cast<double>();
        v.note = "2 units";
        return v;
    }
    const Eigen::MatrixXd all = h.cast<double>();
    const Eigen::MatrixXd fit = all.topRows(fit_rows >= 3 ? fit_rows : n);
    const Eigen::RowVectorXd mean = fit.colwise().mean();
    const Eigen::MatrixXd centred = fit.rowwise() - mean;
    const Eigen::MatrixXd cov = centred.transpose() * centred / std::max<Index>(1, fit.rows() - 1);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    Eigen::MatrixXd axes(u, 2);
    axes.col(0) = eig.eigenvectors().col(u - 1);
    axes.col(1) = eig.eigenvectors().col(u - 2);
    for (int c = 0; c < 2; ++c) {  // a deterministic sign: largest component positive
        Index at;
        axes.col(c).cwiseAbs().maxCoeff(&at);
        if (axes(at, c) < 0) axes.col(c) *= -1;
    }
    v.xy = (all.rowwise() - mean) * axes;
    const double total = eig.eigenvalues().cwiseMax(0).sum();
    const double kept = std::max(0.0, eig.eigenvalues()(u - 1)) + std::max(0.0, eig.eigenvalues()(u - 2));
    char buf[96];
    std::snprintf(buf, sizeof buf, "PCA of %d units (%.0f%% variance)", static_cast<int>(u),
                  total > 0 ? 100 * kept / total : 100.0);
    v.note = buf;
    return v;
}

// The representation panel: deformed grid lines, then the points.
void draw_view(cairo_t* cr, const Rect& panel, const View& v, Index points, const PointSet& set, double s) {
    const Index lines = (v.xy.rows() - points) / kSamples;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (Index i = 0; i < points + lines * kSamples; ++i) {
        const double x = v.xy(i, 0), y = v.xy(i, 1);
        if (!std::isfinite(x) || !std::isfinite(y)) continue;
        x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
    }
    if (!(x1 >= x0)) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    auto widen = [](double& lo, double& hi, double span) {
        const double mid = (lo + hi) / 2;
        lo = mid - span / 2, hi = mid + span / 2;
    };
    double sx = std::max(x1 - x0, 1e-9) * 1.1, sy = std::max(y1 - y0, 1e-9) * 1.1;
    if (v.equal_aspect) {
        const double per_px = std::max(sx / panel.w, sy / panel.h);
        sx = per_px * panel.w, sy = per_px * panel.h;
    }
    widen(x0, x1, sx), widen(y0, y1, sy);
    Axes ax;
    ax.plot = panel, ax.x0 = x0, ax.x1 = x1, ax.y0 = y0, ax.y1 = y1;

    cairo_save(cr);
    cairo_rectangle(cr, panel.x, panel.y, panel.w, panel.h);
    cairo_clip(cr);
    cairo_set_line_width(cr, 0.75 * s);
    set_colour(cr, {0.45, 0.45, 0.45}, 0.45);
    for (Index l = 0; l < lines; ++l) {
        bool open = false;
        for (int k = 0; k < kSamples; ++k) {
            const Index i = points + l * kSamples + k;
            const double x = v.xy(i, 0), y = v.xy(i, 1);
            if (!std::isfinite(x) || !std::isfinite(y)) {
                open = false;
                continue;
            }
            if (open)
                cairo_line_to(cr, ax.px(x), ax.py(y));
            else
                cairo_move_to(cr, ax.px(x), ax.py(y));
            open = true;
        }
    }
    cairo_stroke(cr);
    for (Index i = 0; i < points; ++i)
        if (std::isfinite(v.xy(i, 0)) && std::isfinite(v.xy(i, 1)))
            point_marker(cr, ax.px(v.xy(i, 0)), ax.py(v.xy(i, 1)),
                         class_colour(set.classes[static_cast<std::size_t>(i)]), set.hollow, s, 0.7);
    cairo_restore(cr);
    set_colour(cr, kInk);
    cairo_set_line_width(cr, 1 * s);
    cairo_rectangle(cr, panel.x, panel.y, panel.w, panel.h);
    cairo_stroke(cr);
}

// One heatmap per unit, laid out to fill `area` with the largest squares.
void draw_heatmaps(cairo_t* cr, const Rect& area, const Matrix& h, Index first, int res, double s,
                   double max_side) {
    const int u = static_cast<int>(h.cols());
    const double label_h = kSmallSize * s * 1.5, gap = 6 * s;
    // The largest squares that fit: with "unit j" labels if they can be 34 px or more.
    int best_cols = 1;
    double side = 0;
    bool labels = true;
    for (bool with_labels : {true, false}) {
        for (int c = 1; c <= u; ++c) {
            const int rows = (u + c - 1) / c;
            const double sq =
                std::min({area.w / c - gap, area.h / rows - gap - (with_labels ? label_h : 0), max_side});
            if (sq > side) side = sq, best_cols = c;
        }
        labels = with_labels;
        if (side >= 34 * s || !with_labels) break;
        side = 0;
    }
    if (side < 2) return;
    std::vector<std::uint32_t> pixels(static_cast<std::size_t>(res) * res);
    for (int j = 0; j < u; ++j) {
        const Index rows = static_cast<Index>(res) * res;
        const double m =
            std::max(1e-12, static_cast<double>(h.col(j).segment(first, rows).cwiseAbs().maxCoeff()));
        for (Index i = 0; i < rows; ++i)
            pixels[static_cast<std::size_t>(i)] = pack_argb(diverging(h(first + i, j) / m));
        const Rect cell{area.x + (j % best_cols) * (side + gap),
                        area.y + (j / best_cols) * (side + gap + (labels ? label_h : 0)), side, side};
        paint_pixels(cr, pixels, res, res, cell, false, true);
        set_colour(cr, {0.45, 0.45, 0.45});
        cairo_set_line_width(cr, 0.8 * s);
        cairo_rectangle(cr, cell.x, cell.y, cell.w, cell.h);
        cairo_stroke(cr);
        if (labels)
            text(cr, cell.x + side / 2, cell.bottom() + 2 * s, cat("unit ", j + 1), kSmallSize * s,
                 Align::Middle, Align::Start, {0.35, 0.35, 0.35});
    }
}

}  // namespace

void layer_views(const LayersSpec& spec, const Style& style, const std::string& path) {
    if (!spec.layer_outputs)
        throw ConfigError(
            cat(kWho, ": layer_outputs is empty; set it to a function returning each hidden layer's output"));
    const Range& r0 = spec.input_range;
    if (!(std::isfinite(r0.xmin) && std::isfinite(r0.xmax) && r0.xmin < r0.xmax && std::isfinite(r0.ymin) &&
          std::isfinite(r0.ymax) && r0.ymin < r0.ymax))
        throw ConfigError(cat(kWho, ": input_range must be finite with xmin < xmax and ymin < ymax"));
    if (spec.grid_lines < 2 || spec.grid_lines > 200)
        throw ConfigError(cat(kWho, ": grid_lines is ", std::to_string(spec.grid_lines), "; use 2 to 200"));
    if (spec.heatmap_resolution < 2 || spec.heatmap_resolution > 1000)
        throw ConfigError(cat(kWho, ": heatmap_resolution is ", std::to_string(spec.heatmap_resolution),
                              "; use 2 to 1000"));
    const PointSet& set = spec.points;
    if (set.xy.rows() > 0 && set.xy.cols() != 2)
        throw ShapeError(cat(kWho, ": points.xy is ", shape_of(set.xy), "; expected (n, 2)"));
    if (static_cast<Index>(set.classes.size()) != set.xy.rows())
        throw ShapeError(cat(kWho, ": ", std::to_string(set.xy.rows()), " points but ",
                             std::to_string(set.classes.size()), " classes; give one class per point"));
    int classes = static_cast<int>(spec.class_names.size());
    for (int c : set.classes) {
        if (c < 0)
            throw ConfigError(cat(kWho, ": points has class ", std::to_string(c), "; classes are 0-based"));
        classes = std::max(classes, c + 1);
    }
    Canvas canvas(style, path, kWho);
    cairo_t* cr = canvas.cr();
    const double s = scale_of(style);

    // Every input mapped in one call: points, grid lines, heatmap cells.
    const Index np = set.xy.rows(), g = spec.grid_lines, res = spec.heatmap_resolution;
    const Index grid_rows = 2 * g * kSamples, heat_first = np + grid_rows;
    Matrix inputs(heat_first + res * res, 2);
    if (np > 0) inputs.topRows(np) = set.xy;
    const double w = r0.xmax - r0.xmin, hgt = r0.ymax - r0.ymin;
    for (Index l = 0; l < g; ++l)
        for (Index k = 0; k < kSamples; ++k) {
            const double a = static_cast<double>(l) / static_cast<double>(g - 1),
                         b = static_cast<double>(k) / (kSamples - 1);
            inputs.row(np + l * kSamples + k) << static_cast<Scalar>(r0.xmin + b * w),
                static_cast<Scalar>(r0.ymin + a * hgt);
            inputs.row(np + (g + l) * kSamples + k) << static_cast<Scalar>(r0.xmin + a * w),
                static_cast<Scalar>(r0.ymin + b * hgt);
        }
    for (Index j = 0; j < res; ++j)
        for (Index i = 0; i < res; ++i)
            inputs.row(heat_first + j * res + i) << static_cast<Scalar>(
                r0.xmin + w * (static_cast<double>(i) + 0.5) / static_cast<double>(res)),
                static_cast<Scalar>(r0.ymax -
                                    hgt * (static_cast<double>(j) + 0.5) / static_cast<double>(res));
    const std::vector<Matrix> outputs = spec.layer_outputs(inputs);
    if (outputs.empty())
        throw ConfigError(
            cat(kWho, ": layer_outputs returned no layers; the model needs at least one hidden layer"));
    if (!spec.layer_names.empty() && spec.layer_names.size() != outputs.size())
        throw ConfigError(cat(kWho, ": ", std::to_string(spec.layer_names.size()), " layer_names for ",
                              std::to_string(outputs.size()),
                              " hidden layers; give one name per layer or none"));
    for (std::size_t l = 0; l < outputs.size(); ++l)
        if (outputs[l].rows() != inputs.rows() || outputs[l].cols() < 1)
            throw ShapeError(cat(kWho, ": layer ", std::to_string(l), " output is ", shape_of(outputs[l]),
                                 " for ", std::to_string(inputs.rows()), " inputs; expected (",
                                 std::to_string(inputs.rows()), ", units)"));

    // Title and a one-line key: classes on the left, heatmap colours on the right.
    Rect r{0, 0, canvas.width(), canvas.height()};
    const double pad = 8 * s;
    r = title_band(cr, style.title, s, r);
    if (style.legend) {
        const double band = 20 * s, cy = r.y + band / 2;
        double x = r.x + pad;
        for (int c = 0; c < classes; ++c) {
            const std::string name = c < static_cast<int>(spec.class_names.size())
                                         ? spec.class_names[static_cast<std::size_t>(c)]
                                         : cat("class ", c);
            point_marker(cr, x + 5 * s, cy, class_colour(c), false, s, 0.8);
            text(cr, x + 13 * s, cy, name, kTickSize * s, Align::Start, Align::Middle);
            x += 13 * s + text_width(cr, name, kTickSize * s) + 12 * s;
        }
        const std::string key = "unit heatmaps:  negative";
        const double kx =
            r.right() - pad - text_width(cr, cat(key, " 0 positive"), kTickSize * s) - 4 * 14 * s;
        if (kx > x) {
            double at = kx;
            text(cr, at, cy, key, kTickSize * s, Align::Start, Align::Middle);
            at += text_width(cr, key, kTickSize * s) + 4 * s;
            for (double v : {-1.0, -0.5}) {
                set_colour(cr, diverging(v));
                cairo_rectangle(cr, at, cy - 5 * s, 14 * s, 10 * s);
                cairo_fill(cr);
                at += 14 * s;
            }
            text(cr, at + 3 * s, cy, "0", kTickSize * s, Align::Start, Align::Middle);
            at += text_width(cr, "0", kTickSize * s) + 6 * s;
            for (double v : {0.5, 1.0}) {
                set_colour(cr, diverging(v));
                cairo_rectangle(cr, at, cy - 5 * s, 14 * s, 10 * s);
                cairo_fill(cr);
                at += 14 * s;
            }
            text(cr, at + 4 * s, cy, "positive", kTickSize * s, Align::Start, Align::Middle);
        }
        r.y += band, r.h -= band;
    }

    const std::string x_name = label_or(style.x_label, "x", "x");
    const double row_h = r.h / static_cast<double>(outputs.size());
    for (std::size_t l = 0; l < outputs.size(); ++l) {
        const View v = reduce(outputs[l].topRows(heat_first), inputs.topRows(heat_first), np, x_name);
        const Rect row{r.x, r.y + row_h * static_cast<double>(l), r.w, row_h};
        const double band = kLabelSize * s * 1.7;
        const std::string name = spec.layer_names.empty() ? cat("hidden layer ", l + 1) : spec.layer_names[l];
        text(cr, row.x + pad, row.y + band / 2 + s,
             fit_text(cr, cat(name, "  \xC2\xB7  ", v.note), kLabelSize * s, row.w - 2 * pad), kLabelSize * s,
             Align::Start, Align::Middle, kInk, true);
        const double side = std::max(1.0, std::min(row.h - band - pad, row.w * 0.42));
        const Rect panel{row.x + pad, row.y + band, side, side};
        draw_view(cr, panel, v, np, set, s);
        const Rect heat{panel.right() + 2 * pad, panel.y, row.right() - panel.right() - 3 * pad,
                        row.bottom() - panel.y - pad / 2};
        if (heat.w > 4 && heat.h > 4)
            draw_heatmaps(cr, heat, outputs[l], heat_first, static_cast<int>(res), s, side * 0.6);
    }
    canvas.save();
}

}  // namespace plexus::plot
