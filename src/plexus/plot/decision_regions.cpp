// Decision regions: probability field, class boundaries by marching squares,
// the hatched outside-support region, points, axes and legend.
#include "plexus/plot/decision_regions.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>

#include "plexus/core/error.hpp"
#include "plexus/plot/canvas.hpp"

namespace plexus::plot {
namespace detail {
namespace {

constexpr const char* kWho = "decision_regions";

Range resolve_range(const DecisionRegionsSpec& spec) {
    if (spec.range) return *spec.range;
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (const PointSet& set : spec.points) {
        for (Index i = 0; i < set.xy.rows(); ++i) {
            const double x = set.xy(i, 0), y = set.xy(i, 1);
            if (!std::isfinite(x) || !std::isfinite(y)) continue;
            x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
    }
    if (!(x1 >= x0) || !(y1 >= y0))
        throw ConfigError(cat(kWho,
                              ": no points to take the plotted range from; "
                              "set DecisionRegionsSpec.range or give points"));
    auto pad = [](double& lo, double& hi) {
        const double m = hi > lo ? 0.1 * (hi - lo) : std::max(0.5, 0.1 * std::abs(lo));
        lo -= m, hi += m;
    };
    pad(x0, x1), pad(y0, y1);
    return {x0, x1, y0, y1};
}

// Adds the zero contour of value(i, j) over an nx x ny node grid spanning `plot`
// to the current path (marching squares, saddles resolved by the cell mean).
template <class Value>
void zero_contour(cairo_t* cr, const Rect& plot, int nx, int ny, Value value) {
    const double sx = plot.w / (nx - 1), sy = plot.h / (ny - 1);
    for (int j = 0; j + 1 < ny; ++j) {
        for (int i = 0; i + 1 < nx; ++i) {
            const double v[4] = {value(i, j), value(i + 1, j), value(i + 1, j + 1), value(i, j + 1)};
            const bool in[4] = {v[0] > 0, v[1] > 0, v[2] > 0, v[3] > 0};
            if (in[0] == in[1] && in[1] == in[2] && in[2] == in[3]) continue;
            // Corners 0..3 clockwise from top-left; edge e joins corner e and e+1.
            const double cx[4] = {0, 1, 1, 0}, cy[4] = {0, 0, 1, 1};
            double ex[4], ey[4];
            bool cut[4];
            for (int e = 0; e < 4; ++e) {
                const int a = e, b = (e + 1) % 4;
                cut[e] = in[a] != in[b];
                const double t = cut[e] ? v[a] / (v[a] - v[b]) : 0;
                ex[e] = plot.x + (i + cx[a] + (cx[b] - cx[a]) * t) * sx;
                ey[e] = plot.y + (j + cy[a] + (cy[b] - cy[a]) * t) * sy;
            }
            auto segment = [&](int a, int b) {
                cairo_move_to(cr, ex[a], ey[a]);
                cairo_line_to(cr, ex[b], ey[b]);
            };
            if (cut[0] && cut[1] && cut[2] && cut[3]) {
                const bool centre = (v[0] + v[1] + v[2] + v[3]) / 4 > 0;
                if (centre == in[0])
                    segment(0, 1), segment(2, 3);
                else
                    segment(0, 3), segment(1, 2);
                continue;
            }
            int first = -1;
            for (int e = 0; e < 4; ++e) {
                if (!cut[e]) continue;
                if (first < 0)
                    first = e;
                else
                    segment(first, e);
            }
        }
    }
}

}  // namespace

// Outside the training support: a grey veil and diagonal hatching (shared with value_surface.cpp).
void veil_outside_support(cairo_t* cr, const SupportFn& in_support, int nx, int ny, const Range& range, const Rect& plot,
                          double s) {
    const double cw = plot.w / (nx - 1), ch = plot.h / (ny - 1);
    bool any = false;
    for (int j = 0; j + 1 < ny; ++j) {
        const double y = range.ymax - (range.ymax - range.ymin) * (j + 0.5) / (ny - 1);
        int run = -1;
        for (int i = 0; i <= nx - 1; ++i) {
            const bool outside =
                i < nx - 1 &&
                !in_support(range.xmin + (range.xmax - range.xmin) * (i + 0.5) / (nx - 1), y);
            if (outside && run < 0) run = i;
            if (!outside && run >= 0) {
                cairo_rectangle(cr, plot.x + run * cw, plot.y + j * ch, (i - run) * cw, ch);
                run = -1, any = true;
            }
        }
    }
    if (any) {
        cairo_save(cr);
        cairo_clip(cr);
        set_colour(cr, {0.5, 0.5, 0.5}, 0.22);
        cairo_paint(cr);
        hatch(cr, plot, s);
        cairo_restore(cr);
    }
    cairo_new_path(cr);
}

int check_regions_spec(const DecisionRegionsSpec& spec, const char* who) {
    if (spec.resolution < 2 || spec.resolution > 4000)
        throw ConfigError(cat(who, ": resolution is ", std::to_string(spec.resolution),
                              "; use 2 to 4000 grid cells along x (200 is a good default)"));
    if (spec.range) {
        const Range& r = *spec.range;
        if (!(std::isfinite(r.xmin) && std::isfinite(r.xmax) && r.xmin < r.xmax && std::isfinite(r.ymin) &&
              std::isfinite(r.ymax) && r.ymin < r.ymax))
            throw ConfigError(cat(who, ": range must be finite with xmin < xmax and ymin < ymax"));
    }
    int classes = static_cast<int>(spec.class_names.size());
    for (std::size_t s = 0; s < spec.points.size(); ++s) {
        const PointSet& set = spec.points[s];
        const std::string name = cat(who, ": points[", s, "]");
        if (set.xy.rows() > 0 && set.xy.cols() != 2)
            throw ShapeError(cat(name, ".xy is ", shape_of(set.xy), "; expected (n, 2): one row per point"));
        if (static_cast<Index>(set.classes.size()) != set.xy.rows())
            throw ShapeError(cat(name, " has ", std::to_string(set.xy.rows()), " points but ",
                                 std::to_string(set.classes.size()), " classes; give one class per point"));
        for (int c : set.classes) {
            if (c < 0 || (!spec.class_names.empty() && c >= static_cast<int>(spec.class_names.size())))
                throw ConfigError(cat(name, " has class ", std::to_string(c), " but class_names has ",
                                      std::to_string(spec.class_names.size()),
                                      " entries; classes are 0-based indices into class_names"));
            classes = std::max(classes, c + 1);
        }
    }
    return classes;
}

namespace {

// The number of classes k: from the names, else from one probe prediction.
int class_count(const DecisionRegionsSpec& spec, const PredictFn& predict, const Range& range, int point_classes) {
    int k = static_cast<int>(spec.class_names.size());
    if (k > 0) return k;
    Matrix probe(1, 2);
    probe << static_cast<Scalar>((range.xmin + range.xmax) / 2),
        static_cast<Scalar>((range.ymin + range.ymax) / 2);
    const Matrix p = predict(probe);
    k = p.cols() == 1 ? 2 : static_cast<int>(p.cols());
    if (k < 2)
        throw ShapeError(cat(kWho, ": predict returned ", shape_of(p),
                             " for 1 input; expected (1, k) class probabilities"));
    if (point_classes > k)
        throw ConfigError(cat(kWho, ": points use class ", std::to_string(point_classes - 1),
                              " but predict returns ", std::to_string(k), " classes"));
    return k;
}

// The legend: classes, point sets, the boundary and the hatching; empty when it
// would take more than 45% of the width (then r keeps its width).
std::vector<LegendEntry> legend_entries(cairo_t* cr, const DecisionRegionsSpec& spec, const std::vector<std::string>& names,
                                        double s, Rect& r) {
    using K = LegendEntry::Kind;
    std::vector<LegendEntry> entries;
    for (int c = 0; c < static_cast<int>(names.size()); ++c) entries.push_back({K::Swatch, class_colour(c), names[c]});
    for (const PointSet& set : spec.points)
        if (!set.label.empty())
            entries.push_back({set.hollow ? K::Hollow : K::Filled, {0.6, 0.6, 0.6}, set.label});
    entries.push_back({K::Line, kInk, "decision boundary"});
    if (spec.in_support) entries.push_back({K::Hatch, kWhite, "outside training data"});
    const double lw = legend_size(cr, entries, s).w + 8 * s;
    if (lw < 0.45 * r.w)
        r.w -= lw;
    else
        entries.clear();
    return entries;
}

// The class probabilities on a node grid with square cells over the plot, row 0 at the top.
struct Field {
    int nx = 0, ny = 0, k = 0;
    Matrix p;            // (nx * ny, k), or (nx * ny, 1) for a sigmoid
    bool binary = false;
    // Probability of class c at a node; non-finite values count as 0.
    double prob(Index node, int c) const {
        const double v = binary ? (c == 1 ? p(node, 0) : 1.0 - p(node, 0)) : p(node, c);
        return std::isfinite(v) ? v : 0.0;
    }
};

Field probability_field(const DecisionRegionsSpec& spec, const PredictFn& predict, const Range& range, const Rect& plot, int k) {
    Field f;
    f.k = k;
    f.nx = spec.resolution + 1;
    f.ny = static_cast<int>(
               std::clamp(std::lround(spec.resolution * plot.h / plot.w), 2L, 4L * spec.resolution)) +
           1;
    const int nx = f.nx, ny = f.ny;
    Matrix inputs(static_cast<Index>(nx) * ny, 2);
    for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
            inputs(static_cast<Index>(j) * nx + i, 0) =
                static_cast<Scalar>(range.xmin + (range.xmax - range.xmin) * i / (nx - 1));
            inputs(static_cast<Index>(j) * nx + i, 1) =
                static_cast<Scalar>(range.ymax - (range.ymax - range.ymin) * j / (ny - 1));
        }
    f.p = predict(inputs);
    f.binary = f.p.cols() == 1;
    if (f.p.rows() != inputs.rows() || (f.binary ? 2 : f.p.cols()) != k)
        throw ShapeError(cat(kWho, ": predict returned ", shape_of(f.p), " for ", std::to_string(inputs.rows()),
                             " inputs; expected (", std::to_string(inputs.rows()), ", ", std::to_string(k),
                             ") class probabilities", (f.binary || k != 2 ? "" : " or (n, 1) for a sigmoid"),
                             (spec.class_names.empty() ? "" : " (one per class name)")));
    return f;
}

// Each node in its most likely class's colour, paler where the model is less sure.
void paint_field(cairo_t* cr, const Field& f, const Rect& plot) {
    std::vector<std::uint32_t> pixels(static_cast<std::size_t>(f.nx) * f.ny);
    const int k = f.k;
    for (Index n = 0; n < static_cast<Index>(pixels.size()); ++n) {
        int best = 0;
        for (int c = 1; c < k; ++c)
            if (f.prob(n, c) > f.prob(n, best)) best = c;
        const double t = std::clamp((f.prob(n, best) - 1.0 / k) / (1.0 - 1.0 / k), 0.0, 1.0);
        pixels[static_cast<std::size_t>(n)] = pack_argb(mix(kWhite, class_colour(best), 0.08 + 0.62 * t));
    }
    paint_pixels(cr, pixels, f.nx, f.ny, plot, true, true);
}

// Class boundaries: where a class's probability equals the best other one.
void draw_boundaries(cairo_t* cr, const Field& f, const Rect& plot, double s) {
    const int k = f.k;
    for (int c = 0; c < (k == 2 ? 1 : k); ++c) {
        zero_contour(cr, plot, f.nx, f.ny, [&](int i, int j) {
            const Index n = static_cast<Index>(j) * f.nx + i;
            double other = -1;
            for (int d = 0; d < k; ++d)
                if (d != c) other = std::max(other, f.prob(n, d));
            return f.prob(n, c) - other;
        });
    }
    set_colour(cr, kInk, 0.9);
    cairo_set_line_width(cr, 1.6 * s);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_stroke(cr);
}

// The points; smaller markers for many points, so dense curves stay readable.
void draw_points(cairo_t* cr, const DecisionRegionsSpec& spec, const Axes& ax, double s) {
    Index total_points = 0;
    for (const PointSet& set : spec.points) total_points += set.xy.rows();
    const double marker_size = std::clamp(std::sqrt(150.0 / static_cast<double>(std::max<Index>(total_points, 1))), 0.45, 1.0);
    for (const PointSet& set : spec.points)
        for (Index i = 0; i < set.xy.rows(); ++i)
            if (std::isfinite(set.xy(i, 0)) && std::isfinite(set.xy(i, 1)))
                point_marker(cr, ax.px(set.xy(i, 0)), ax.py(set.xy(i, 1)),
                             class_colour(set.classes[static_cast<std::size_t>(i)]), set.hollow, s, marker_size);
}

}  // namespace

void draw_regions(cairo_t* cr, const Rect& area, const DecisionRegionsSpec& spec, const PredictFn& predict,
                  const Style& style, const std::string& title, bool legend) {
    if (!predict)
        throw ConfigError(
            cat(kWho, ": predict is empty; set it to a function returning class probabilities"));
    const double s = scale_of(style);
    const int point_classes = check_regions_spec(spec, kWho);
    const Range range = resolve_range(spec);
    const int k = class_count(spec, predict, range, point_classes);
    std::vector<std::string> names = spec.class_names;
    for (int c = static_cast<int>(names.size()); c < k; ++c) names.push_back(cat("class ", c));

    // Layout: title band, legend column on the right, axes around the plot.
    Rect r = title_band(cr, title, s, area);
    if (title.empty() && style.axes) r.y += 6 * s, r.h -= 6 * s;
    const std::vector<LegendEntry> entries = legend ? legend_entries(cr, spec, names, s, r) : std::vector<LegendEntry>{};
    Axes ax;
    ax.x0 = range.xmin, ax.x1 = range.xmax, ax.y0 = range.ymin, ax.y1 = range.ymax;
    std::vector<Tick> xt, yt;
    layout_axes(cr, ax, r, style.axes, style.x_label, style.y_label, s, xt, yt);
    const Rect& plot = ax.plot;
    const Field field = probability_field(spec, predict, range, plot, k);

    cairo_save(cr);
    cairo_rectangle(cr, plot.x, plot.y, plot.w, plot.h);
    cairo_clip(cr);
    paint_field(cr, field, plot);
    if (spec.in_support) veil_outside_support(cr, spec.in_support, field.nx, field.ny, range, plot, s);
    draw_boundaries(cr, field, plot, s);
    draw_points(cr, spec, ax, s);
    cairo_restore(cr);

    if (style.axes) draw_axes(cr, ax, xt, yt, style.x_label, style.y_label, s, false);
    if (!entries.empty()) draw_legend(cr, plot.right() + 10 * s, plot.y, entries, s, false);
}

}  // namespace detail

void decision_regions(const DecisionRegionsSpec& spec, const Style& style, const std::string& path) {
    if (!spec.predict)
        throw ConfigError(
            "decision_regions: predict is empty; set it to a function returning class probabilities");
    detail::check_regions_spec(spec, "decision_regions");
    detail::Canvas canvas(style, path, "decision_regions");
    detail::draw_regions(canvas.cr(), {0, 0, canvas.width(), canvas.height()}, spec, spec.predict, style,
                         style.title, style.legend);
    canvas.save();
}

}  // namespace plexus::plot
