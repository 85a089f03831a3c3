// Confusion matrix heatmap: square cells on a white-to-navy ramp, with counts or
// row fractions written in each cell.
#include "plexus/plot/confusion_matrix.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "plexus/core/error.hpp"
#include "plexus/plot/canvas.hpp"

namespace plexus::plot {
namespace {

using namespace detail;
constexpr const char* kWho = "confusion_matrix";

// 0 -> white, 0.7 -> Okabe-Ito blue, 1 -> navy: luminance falls monotonically.
Rgb ramp(double v) {
    v = std::clamp(v, 0.0, 1.0);
    return v < 0.7 ? mix(kWhite, hex(0x0072B2), v / 0.7) : mix(hex(0x0072B2), hex(0x0B2A4F), (v - 0.7) / 0.3);
}

}  // namespace

void confusion_matrix(const ConfusionSpec& spec, const Style& style, const std::string& path) {
    const Index k = spec.counts.rows();
    if (k == 0 || spec.counts.cols() != k)
        throw ShapeError(
            cat(kWho, ": counts is ", shape_of(spec.counts.rows(), spec.counts.cols()),
                "; expected a non-empty square (k, k) matrix, rows = true class, cols = predicted"));
    if (!spec.class_names.empty() && static_cast<Index>(spec.class_names.size()) != k)
        throw ConfigError(cat(kWho, ": ", std::to_string(spec.class_names.size()), " class_names for ",
                              std::to_string(k), " classes; give one name per row of counts or none"));
    if (spec.counts.minCoeff() < 0)
        throw ConfigError(cat(kWho, ": counts has a negative entry; counts must be >= 0"));
    Canvas canvas(style, path, kWho);
    cairo_t* cr = canvas.cr();
    const double s = scale_of(style);

    std::vector<std::string> names = spec.class_names;
    for (Index c = static_cast<Index>(names.size()); c < k; ++c) names.push_back(cat("class ", c));
    Rect r{0, 0, canvas.width(), canvas.height()};
    r = title_band(cr, style.title, s, r);
    const std::string xl = label_or(style.x_label, "x", "predicted class");
    const std::string yl = label_or(style.y_label, "y", "true class");
    const double fs = kTickSize * s, pad = 8 * s;
    double widest = 0;
    for (const std::string& n : names) widest = std::max(widest, text_width(cr, n, fs));
    const double label_band = style.axes ? kLabelSize * s * 1.8 : 0;
    const double left = pad + label_band + (style.axes ? widest + 6 * s : 0);
    const double avail_w = r.w - left - pad;
    auto cell_for = [&](double bottom) {
        return std::max(1.0, std::min(avail_w, r.h - pad - bottom) / static_cast<double>(k));
    };
    double bottom = pad + label_band + (style.axes ? fs * 1.6 : 0);
    double cell = cell_for(bottom);
    const bool rotate = style.axes && widest > cell - 4 * s;
    if (rotate) {
        bottom = pad + label_band + widest * std::numbers::sqrt2 / 2 + fs + 6 * s;
        cell = cell_for(bottom);
    }
    const double gx = r.x + left + (avail_w - cell * static_cast<double>(k)) / 2;
    const double gy = r.y + pad + (r.h - pad - bottom - cell * static_cast<double>(k)) / 2;

    const double max_count = std::max(1, spec.counts.maxCoeff());
    const double cell_fs = std::min(kLabelSize * s, cell * 0.26);
    for (Index i = 0; i < k; ++i) {
        const double row_sum = std::max(1, spec.counts.row(i).sum());
        for (Index j = 0; j < k; ++j) {
            const int n = spec.counts(i, j);
            const double v = spec.normalize ? n / row_sum : n / max_count;
            const double x = gx + cell * static_cast<double>(j), y = gy + cell * static_cast<double>(i);
            cairo_rectangle(cr, x, y, cell, cell);
            set_colour(cr, ramp(v));
            cairo_fill(cr);
            if (cell_fs < 5 * s) continue;
            const Rgb ink = v > 0.45 ? kWhite : kInk;
            char buf[32];
            if (spec.normalize) {
                std::snprintf(buf, sizeof buf, "%.2f", v);
                text(cr, x + cell / 2, y + cell / 2, buf, cell_fs, Align::Middle, Align::End, ink, true);
                text(cr, x + cell / 2, y + cell / 2 + 2 * s, cat("(", n, ")"), cell_fs * 0.8, Align::Middle,
                     Align::Start, ink);
            } else {
                text(cr, x + cell / 2, y + cell / 2, std::to_string(n), cell_fs, Align::Middle, Align::Middle,
                     ink, true);
            }
        }
    }
    set_colour(cr, kInk);
    cairo_set_line_width(cr, 1 * s);
    cairo_rectangle(cr, gx, gy, cell * static_cast<double>(k), cell * static_cast<double>(k));
    cairo_stroke(cr);
    if (style.axes) {
        for (Index c = 0; c < k; ++c) {
            const double mid = cell * (static_cast<double>(c) + 0.5);
            text(cr, gx - 5 * s, gy + mid, names[static_cast<std::size_t>(c)], fs, Align::End, Align::Middle);
            if (rotate)
                text(cr, gx + mid, gy + cell * static_cast<double>(k) + 5 * s,
                     names[static_cast<std::size_t>(c)], fs, Align::End, Align::Middle, kInk, false,
                     -std::numbers::pi / 4);
            else
                text(cr, gx + mid, gy + cell * static_cast<double>(k) + 4 * s,
                     fit_text(cr, names[static_cast<std::size_t>(c)], fs, cell), fs, Align::Middle,
                     Align::Start);
        }
        text(cr, gx + cell * static_cast<double>(k) / 2, r.bottom() - pad, xl, kLabelSize * s, Align::Middle,
             Align::End);
        text(cr, r.x + pad, gy + cell * static_cast<double>(k) / 2, yl, kLabelSize * s, Align::Middle,
             Align::Start, kInk, false, -std::numbers::pi / 2);
    }
    canvas.save();
}

}  // namespace plexus::plot
