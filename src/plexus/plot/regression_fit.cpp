// Predicted vs actual and residuals: scatter plots of a regression's rows with
// the line of a perfect model and the fit (R², MAE) under the title.
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "plexus/core/error.hpp"
#include "plexus/plot/canvas.hpp"
#include "plexus/plot/regression_plots.hpp"

namespace plexus::plot {
namespace {

using namespace detail;

struct Fit {
    double r2 = NAN, mae = NAN;
    std::size_t n = 0;
};

bool finite_pair(const TargetSet& set, std::size_t i) { return std::isfinite(set.actual[i]) && std::isfinite(set.predicted[i]); }

Fit fit_of(const TargetSet& set) {
    Fit f;
    double sum = 0, abs_err = 0, sq_err = 0;
    for (std::size_t i = 0; i < set.actual.size(); ++i)
        if (finite_pair(set, i)) ++f.n, sum += set.actual[i], abs_err += std::abs(set.actual[i] - set.predicted[i]),
                                 sq_err += (set.actual[i] - set.predicted[i]) * (set.actual[i] - set.predicted[i]);
    if (f.n == 0) return f;
    f.mae = abs_err / static_cast<double>(f.n);
    const double mean = sum / static_cast<double>(f.n);
    double total = 0;
    for (std::size_t i = 0; i < set.actual.size(); ++i)
        if (finite_pair(set, i)) total += (set.actual[i] - mean) * (set.actual[i] - mean);
    if (f.n >= 2 && total > 0) f.r2 = 1 - sq_err / total;
    return f;
}

std::string number(const char* format, double v) {
    if (!std::isfinite(v)) return "n/a";
    char buf[48];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

void check_sets(const FitSpec& spec, const char* who) {
    std::size_t finite = 0;
    for (std::size_t s = 0; s < spec.sets.size(); ++s) {
        const TargetSet& set = spec.sets[s];
        if (set.actual.size() != set.predicted.size())
            throw ShapeError(cat(who, ": sets[", s, "] has ", set.actual.size(), " actual values but ", set.predicted.size(),
                                 " predictions; give one prediction per row"));
        for (std::size_t i = 0; i < set.actual.size(); ++i) finite += finite_pair(set, i);
    }
    if (finite == 0)
        throw ConfigError(cat(who, ": no rows with a finite actual value and prediction to draw; give FitSpec.sets at least one"));
}

enum class Mode { PredictedVsActual, Residuals };

// The legend's corner inside `p`: the one covering the fewest points.
void place_legend(cairo_t* cr, const Rect& p, const std::vector<LegendEntry>& entries, const std::vector<std::pair<double, double>>& drawn,
                  double s) {
    const Rect size = legend_size(cr, entries, s);
    if (entries.empty() || size.w > p.w * 0.6 || size.h > p.h * 0.6) return;
    const double in = 6 * s;
    const double xs[2] = {p.x + in, p.right() - in - size.w}, ys[2] = {p.y + in, p.bottom() - in - size.h};
    int best = 0;
    long fewest = -1;
    for (int corner = 0; corner < 4; ++corner) {
        const double lx = xs[corner % 2], ly = ys[corner / 2];
        long count = 0;
        for (const auto& [x, y] : drawn) count += x >= lx && x <= lx + size.w && y >= ly && y <= ly + size.h;
        if (fewest < 0 || count < fewest) best = corner, fewest = count;
    }
    draw_legend(cr, xs[best % 2], ys[best / 2], entries, s, true);
}

// A point's plot coordinates: (actual, predicted) or (predicted, residual).
std::pair<double, double> point_of(const TargetSet& set, std::size_t i, Mode mode) {
    return mode == Mode::PredictedVsActual ? std::make_pair(set.actual[i], set.predicted[i])
                                           : std::make_pair(set.predicted[i], set.actual[i] - set.predicted[i]);
}

// The data ranges: equal on both axes for predicted vs actual (y = x is the
// diagonal), symmetric about zero for the residuals.
Axes fit_ranges(const FitSpec& spec, Mode mode) {
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (const TargetSet& set : spec.sets)
        for (std::size_t i = 0; i < set.actual.size(); ++i)
            if (finite_pair(set, i)) {
                const auto [x, y] = point_of(set, i, mode);
                x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
            }
    auto pad = [](double& lo, double& hi) {
        const double m = hi > lo ? 0.05 * (hi - lo) : std::max(0.5, 0.1 * std::abs(lo));
        lo -= m, hi += m;
    };
    if (mode == Mode::PredictedVsActual) {
        x0 = std::min(x0, y0), x1 = std::max(x1, y1);
        pad(x0, x1), y0 = x0, y1 = x1;
    } else {
        pad(x0, x1);
        const double m = std::max(std::abs(y0), std::abs(y1));
        y1 = m > 0 ? 1.1 * m : 1, y0 = -y1;
    }
    Axes ax;
    ax.x0 = x0, ax.x1 = x1, ax.y0 = y0, ax.y1 = y1;
    return ax;
}

// The perfect model's line and the points, clipped to the plot; returns the legend
// entries, and the points' device positions in `drawn`.
std::vector<LegendEntry> draw_fit_points(cairo_t* cr, const FitSpec& spec, const Axes& ax, Mode mode, double s,
                                         std::vector<std::pair<double, double>>& drawn) {
    const Rect& p = ax.plot;
    cairo_save(cr);
    cairo_rectangle(cr, p.x, p.y, p.w, p.h);
    cairo_clip(cr);
    const double dash[] = {6 * s, 4 * s};
    cairo_set_dash(cr, dash, 2, 0);
    cairo_set_line_width(cr, 1.4 * s);
    set_colour(cr, kInk, 0.8);
    cairo_move_to(cr, ax.px(ax.x0), ax.py(mode == Mode::PredictedVsActual ? ax.x0 : 0));
    cairo_line_to(cr, ax.px(ax.x1), ax.py(mode == Mode::PredictedVsActual ? ax.x1 : 0));
    cairo_stroke(cr);
    cairo_set_dash(cr, nullptr, 0, 0);
    std::size_t total = 0;
    for (const TargetSet& set : spec.sets) total += set.actual.size();
    const double size = std::clamp(std::sqrt(150.0 / static_cast<double>(std::max<std::size_t>(total, 1))), 0.45, 1.0);
    std::vector<LegendEntry> entries;
    for (std::size_t k = 0; k < spec.sets.size(); ++k) {
        const TargetSet& set = spec.sets[k];
        const Rgb colour = class_colour(static_cast<int>(k));
        for (std::size_t i = 0; i < set.actual.size(); ++i)
            if (finite_pair(set, i)) {
                const auto [x, y] = point_of(set, i, mode);
                point_marker(cr, ax.px(x), ax.py(y), colour, set.hollow, s, size);
                drawn.emplace_back(ax.px(x), ax.py(y));
            }
        if (!set.label.empty()) entries.push_back({set.hollow ? LegendEntry::Kind::Hollow : LegendEntry::Kind::Filled, colour, set.label});
    }
    cairo_restore(cr);
    entries.push_back({LegendEntry::Kind::Dashed, kInk, mode == Mode::PredictedVsActual ? "y = x (perfect)" : "zero residual"});
    return entries;
}

void draw_fit(const FitSpec& spec, const Style& style, const std::string& path, Mode mode, const char* who) {
    check_sets(spec, who);
    Canvas canvas(style, path, who);
    cairo_t* cr = canvas.cr();
    const double s = scale_of(style);
    Rect r = title_band(cr, style.title, s, {0, 0, canvas.width(), canvas.height()});
    // The fit summary: the second line of the title strip.
    const double band = kLabelSize * s * 1.8;
    text(cr, r.x + r.w / 2, r.y + band / 2, fit_text(cr, fit_summary(spec), kLabelSize * s, r.w - 8 * s), kLabelSize * s, Align::Middle,
         Align::Middle);
    r.y += band, r.h -= band;

    const std::string target = spec.target_name.empty() ? "target" : spec.target_name;
    const bool pva = mode == Mode::PredictedVsActual;
    const std::string xl = label_or(style.x_label, "x", (pva ? "actual " : "predicted ") + target);
    const std::string yl = label_or(style.y_label, "y", pva ? "predicted " + target : "residual (actual - predicted)");
    Axes ax = fit_ranges(spec, mode);
    std::vector<Tick> xt, yt;
    layout_axes(cr, ax, r, style.axes, xl, yl, s, xt, yt);
    if (style.axes) draw_axes(cr, ax, xt, yt, xl, yl, s, true);
    std::vector<std::pair<double, double>> drawn;
    const std::vector<LegendEntry> entries = draw_fit_points(cr, spec, ax, mode, s, drawn);
    if (style.legend) place_legend(cr, ax.plot, entries, drawn, s);
    canvas.save();
}

}  // namespace

std::string fit_summary(const FitSpec& spec) {
    std::string out;
    for (auto it = spec.sets.rbegin(); it != spec.sets.rend(); ++it) {
        if (it->label.empty() || it->actual.size() != it->predicted.size()) continue;
        const Fit f = fit_of(*it);
        if (f.n == 0) continue;
        out += cat(out.empty() ? "" : " \u00b7 ", it->label, ": R\u00b2 ", number("%.3f", f.r2), ", MAE ", number("%.4g", f.mae));
    }
    return out;
}

void predicted_vs_actual(const FitSpec& spec, const Style& style, const std::string& path) {
    draw_fit(spec, style, path, Mode::PredictedVsActual, "predicted_vs_actual");
}

void residuals(const FitSpec& spec, const Style& style, const std::string& path) {
    draw_fit(spec, style, path, Mode::Residuals, "residuals");
}

}  // namespace plexus::plot
