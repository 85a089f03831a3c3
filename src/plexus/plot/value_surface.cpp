// Value surface of a 2-input regression: the prediction as a colour field, the
// outside-support region hatched, points coloured by their target, a colour bar.
#include <cairo.h>

#include <algorithm>
#include <cmath>

#include "plexus/core/error.hpp"
#include "plexus/plot/canvas.hpp"
#include "plexus/plot/regression_plots.hpp"

namespace plexus::plot {
namespace {

using namespace detail;
constexpr const char* kWho = "value_surface";

void check_spec(const ValueSurfaceSpec& spec) {
    if (!spec.predict) throw ConfigError(cat(kWho, ": predict is empty; set it to a function returning one value per input row"));
    if (spec.resolution < 2 || spec.resolution > 4000)
        throw ConfigError(cat(kWho, ": resolution is ", spec.resolution, "; use 2 to 4000 grid cells along x (200 is a good default)"));
    if (spec.range) {
        const Range& r = *spec.range;
        if (!(std::isfinite(r.xmin) && std::isfinite(r.xmax) && r.xmin < r.xmax && std::isfinite(r.ymin) && std::isfinite(r.ymax) &&
              r.ymin < r.ymax))
            throw ConfigError(cat(kWho, ": range must be finite with xmin < xmax and ymin < ymax"));
    }
    for (std::size_t s = 0; s < spec.points.size(); ++s) {
        const ValuePointSet& set = spec.points[s];
        if (set.xy.rows() > 0 && set.xy.cols() != 2)
            throw ShapeError(cat(kWho, ": points[", s, "].xy is ", shape_of(set.xy), "; expected (n, 2): one row per point"));
        if (static_cast<Index>(set.values.size()) != set.xy.rows())
            throw ShapeError(cat(kWho, ": points[", s, "] has ", set.xy.rows(), " points but ", set.values.size(),
                                 " values; give one target value per point"));
    }
}

Range resolve_range(const ValueSurfaceSpec& spec) {
    if (spec.range) return *spec.range;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (const ValuePointSet& set : spec.points)
        for (Index i = 0; i < set.xy.rows(); ++i) {
            const double x = set.xy(i, 0), y = set.xy(i, 1);
            if (!std::isfinite(x) || !std::isfinite(y)) continue;
            x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
    if (!(x1 >= x0) || !(y1 >= y0))
        throw ConfigError(cat(kWho, ": no points to take the plotted range from; set ValueSurfaceSpec.range or give points"));
    auto pad = [](double& lo, double& hi) {
        const double m = hi > lo ? 0.1 * (hi - lo) : std::max(0.5, 0.1 * std::abs(lo));
        lo -= m, hi += m;
    };
    pad(x0, x1), pad(y0, y1);
    return {x0, x1, y0, y1};
}

// The predictions on an nx x ny node grid with square cells over `plot`, row 0 at the top.
struct Surface {
    int nx = 0, ny = 0;
    Matrix v;  // (nx * ny, 1)
    double lo = 0, hi = 1;  // the colour scale, shared with the points
    double t(double value) const { return (value - lo) / (hi - lo); }
};

Surface surface_of(const ValueSurfaceSpec& spec, const Range& range, const Rect& plot) {
    Surface f;
    f.nx = spec.resolution + 1;
    f.ny = static_cast<int>(std::clamp(std::lround(spec.resolution * plot.h / plot.w), 2L, 4L * spec.resolution)) + 1;
    Matrix inputs(static_cast<Index>(f.nx) * f.ny, 2);
    for (int j = 0; j < f.ny; ++j)
        for (int i = 0; i < f.nx; ++i) {
            inputs(static_cast<Index>(j) * f.nx + i, 0) = static_cast<Scalar>(range.xmin + (range.xmax - range.xmin) * i / (f.nx - 1));
            inputs(static_cast<Index>(j) * f.nx + i, 1) = static_cast<Scalar>(range.ymax - (range.ymax - range.ymin) * j / (f.ny - 1));
        }
    f.v = spec.predict(inputs);
    if (f.v.rows() != inputs.rows() || f.v.cols() != 1)
        throw ShapeError(cat(kWho, ": predict returned ", shape_of(f.v), " for ", inputs.rows(), " inputs; expected (", inputs.rows(),
                             ", 1): one predicted value per input (a model with one output)"));
    double lo = INFINITY, hi = -INFINITY;
    auto take = [&](double v) {
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    };
    for (Index n = 0; n < f.v.rows(); ++n) take(f.v(n, 0));
    for (const ValuePointSet& set : spec.points)
        for (double v : set.values) take(v);
    if (!(hi >= lo)) lo = 0, hi = 1;
    if (hi == lo) lo -= std::max(0.5, 0.1 * std::abs(lo)), hi += std::max(0.5, 0.1 * std::abs(hi));
    f.lo = lo, f.hi = hi;
    return f;
}

const Rgb kNoValue{0.6, 0.6, 0.6};

Rgb colour_of(const Surface& f, double v) { return std::isfinite(v) ? sequential(f.t(v)) : kNoValue; }

void paint_surface(cairo_t* cr, const Surface& f, const Rect& plot) {
    std::vector<std::uint32_t> pixels(static_cast<std::size_t>(f.nx) * f.ny);
    for (std::size_t n = 0; n < pixels.size(); ++n) pixels[n] = pack_argb(colour_of(f, f.v(static_cast<Index>(n), 0)));
    paint_pixels(cr, pixels, f.nx, f.ny, plot, true, true);
}

void draw_points(cairo_t* cr, const ValueSurfaceSpec& spec, const Surface& f, const Axes& ax, double s) {
    Index total = 0;
    for (const ValuePointSet& set : spec.points) total += set.xy.rows();
    const double size = std::clamp(std::sqrt(150.0 / static_cast<double>(std::max<Index>(total, 1))), 0.45, 1.0);
    for (const ValuePointSet& set : spec.points)
        for (Index i = 0; i < set.xy.rows(); ++i)
            if (std::isfinite(set.xy(i, 0)) && std::isfinite(set.xy(i, 1)))
                point_marker(cr, ax.px(set.xy(i, 0)), ax.py(set.xy(i, 1)), colour_of(f, set.values[static_cast<std::size_t>(i)]), set.hollow,
                             s, size);
}

// The right-hand column: caption, colour bar with ticks, and the legend under it.
struct Column {
    double width = 0, legend_height = 0;
    std::vector<LegendEntry> entries;
};

Column column_of(cairo_t* cr, const ValueSurfaceSpec& spec, const std::string& caption, double s) {
    Column c;
    for (const ValuePointSet& set : spec.points)
        if (!set.label.empty()) c.entries.push_back({set.hollow ? LegendEntry::Kind::Hollow : LegendEntry::Kind::Filled, {0.6, 0.6, 0.6}, set.label});
    if (spec.in_support) c.entries.push_back({LegendEntry::Kind::Hatch, kWhite, "outside training data"});
    const Rect legend = c.entries.empty() ? Rect{} : legend_size(cr, c.entries, s);
    const double bar = (14 + 4 + 4) * s + text_width(cr, "-0.000e+00", kTickSize * s);
    c.width = std::max({bar, legend.w, text_width(cr, caption, kTickSize * s, true)}) + 12 * s;
    c.legend_height = legend.h;
    return c;
}

void draw_column(cairo_t* cr, const Column& c, const Surface& f, const Rect& plot, const std::string& caption, double s) {
    const double x = plot.right() + 12 * s;
    const double cap = kTickSize * s * 1.8;
    text(cr, x, plot.y + cap / 2, fit_text(cr, caption, kTickSize * s, c.width - 12 * s, true), kTickSize * s, Align::Start, Align::Middle,
         kInk, true);
    const double legend_gap = c.entries.empty() ? 0 : c.legend_height + 10 * s;
    const Rect bar{x, plot.y + cap, 14 * s, std::max(20 * s, plot.h - cap - legend_gap)};
    const int n = 256;
    std::vector<std::uint32_t> pixels(n);
    for (int j = 0; j < n; ++j) pixels[static_cast<std::size_t>(j)] = pack_argb(sequential(1.0 - (j + 0.5) / n));
    paint_pixels(cr, pixels, 1, n, bar, false, true);
    cairo_save(cr);
    set_colour(cr, kInk);
    cairo_set_line_width(cr, 0.8 * s);
    cairo_rectangle(cr, bar.x, bar.y, bar.w, bar.h);
    cairo_stroke(cr);
    for (const Tick& t : nice_ticks(f.lo, f.hi, tick_target(bar.h, s))) {
        const double y = bar.bottom() - f.t(t.value) * bar.h;
        cairo_move_to(cr, bar.right(), y);
        cairo_line_to(cr, bar.right() + 4 * s, y);
        cairo_stroke(cr);
        text(cr, bar.right() + 6 * s, y, t.label, kTickSize * s, Align::Start, Align::Middle);
    }
    cairo_restore(cr);
    if (!c.entries.empty()) draw_legend(cr, x - kTickSize * s * 0.5, bar.bottom() + 10 * s, c.entries, s, false);
}

}  // namespace

void value_surface(const ValueSurfaceSpec& spec, const Style& style, const std::string& path) {
    check_spec(spec);
    const Range range = resolve_range(spec);
    Canvas canvas(style, path, kWho);
    cairo_t* cr = canvas.cr();
    const double s = scale_of(style);
    Rect r = title_band(cr, style.title, s, {0, 0, canvas.width(), canvas.height()});
    if (style.title.empty() && style.axes) r.y += 6 * s, r.h -= 6 * s;
    const std::string caption = spec.value_name.empty() ? "prediction" : spec.value_name;
    Column column;
    if (style.legend) {
        column = column_of(cr, spec, caption, s);
        if (column.width < 0.45 * r.w) r.w -= column.width;
        else column = {};
    }
    Axes ax;
    ax.x0 = range.xmin, ax.x1 = range.xmax, ax.y0 = range.ymin, ax.y1 = range.ymax;
    std::vector<Tick> xt, yt;
    layout_axes(cr, ax, r, style.axes, style.x_label, style.y_label, s, xt, yt);
    const Rect& plot = ax.plot;
    const Surface f = surface_of(spec, range, plot);

    cairo_save(cr);
    cairo_rectangle(cr, plot.x, plot.y, plot.w, plot.h);
    cairo_clip(cr);
    paint_surface(cr, f, plot);
    if (spec.in_support) veil_outside_support(cr, spec.in_support, f.nx, f.ny, range, plot, s);
    draw_points(cr, spec, f, ax, s);
    cairo_restore(cr);
    if (style.axes) draw_axes(cr, ax, xt, yt, style.x_label, style.y_label, s, false);
    if (column.width > 0) draw_column(cr, column, f, plot, caption, s);
    canvas.save();
}

}  // namespace plexus::plot
