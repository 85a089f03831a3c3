// Learning curves: panels of training (solid) and validation (dashed) curves per
// epoch, optional log scale, and doctor findings as dashed vertical markers.
#include "plexus/plot/learning_curves.hpp"

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "plexus/core/error.hpp"
#include "plexus/plot/canvas.hpp"

namespace plexus::plot {
namespace {

using namespace detail;
constexpr const char* kWho = "learning_curves";

std::string base_name(const std::string& name) { return name.rfind("val_", 0) == 0 ? name.substr(4) : name; }

std::string default_title(const std::vector<Curve>& panel) {
    for (const Curve& c : panel)
        if (!c.validation) return base_name(c.name);
    return panel.empty() ? "" : base_name(panel.front().name);
}

// `bases`: every quantity's name in order of appearance, across panels, so that a
// quantity keeps its colour everywhere.
void draw_panel(cairo_t* cr, const Rect& cell, const std::vector<Curve>& curves, const std::string& title,
                const CurvesSpec& spec, const Style& style, const std::vector<std::string>& bases) {
    const double s = scale_of(style);
    const bool log_y = spec.log_y;
    auto usable = [&](double v) { return std::isfinite(v) && (!log_y || v > 0); };

    Rect r = cell;
    const double band = kLabelSize * s * 1.9;
    text(cr, r.x + r.w / 2, r.y + band / 2 + 2 * s, fit_text(cr, title, kLabelSize * s, r.w - 8 * s, true),
         kLabelSize * s, Align::Middle, Align::Middle, kInk, true);
    r.y += band, r.h -= band;

    // Data ranges.
    double x1 = 2, y0 = INFINITY, y1 = -INFINITY;
    for (const Curve& c : curves) {
        x1 = std::max(x1, static_cast<double>(c.values.size()));
        for (double v : c.values)
            if (usable(v)) y0 = std::min(y0, v), y1 = std::max(y1, v);
    }
    for (const Marker& m : spec.markers) x1 = std::max(x1, static_cast<double>(m.epoch));
    if (!(y1 >= y0)) y0 = log_y ? 1 : 0, y1 = log_y ? 10 : 1;
    if (log_y) {
        double l0 = std::log10(y0), l1 = std::log10(y1);
        const double pad = l1 > l0 ? 0.05 * (l1 - l0) : 0.2;
        y0 = std::pow(10.0, l0 - pad), y1 = std::pow(10.0, l1 + pad);
    } else {
        const double pad = y1 > y0 ? 0.05 * (y1 - y0) : std::max(0.5, 0.1 * std::abs(y0));
        y0 -= pad, y1 += pad;
    }
    Axes ax;
    ax.x0 = 1, ax.x1 = x1, ax.y0 = y0, ax.y1 = y1, ax.log_y = log_y;
    const std::string xl = label_or(style.x_label, "x", "epoch");
    const std::string yl = label_or(style.y_label, "y", "");
    std::vector<Tick> yt =
        log_y ? log_ticks(y0, y1, tick_target(r.h, s)) : nice_ticks(y0, y1, tick_target(r.h, s));
    ax.plot = axes_plot_rect(cr, r, yt, xl, yl, s);
    std::vector<Tick> xt;
    for (const Tick& t : nice_ticks(1, x1, tick_target(ax.plot.w, s)))
        if (std::abs(t.value - std::round(t.value)) < 1e-9) xt.push_back(t);
    const Rect& p = ax.plot;
    draw_axes(cr, ax, xt, yt, xl, yl, s, true);

    cairo_save(cr);
    cairo_rectangle(cr, p.x, p.y, p.w, p.h);
    cairo_clip(cr);
    // Markers: dashed vertical lines (on pixel centres, so they stay crisp).
    const double marker_w = std::max(1.0, std::round(1.2 * s));
    std::vector<Rect> labels;  // marker label boxes, kept clear of the legend
    for (const Marker& m : spec.markers) {
        if (m.epoch < 1 || m.epoch > x1) continue;
        double x = ax.px(m.epoch);
        x = static_cast<int>(marker_w) % 2 ? std::floor(x) + 0.5 : std::round(x);
        cairo_save(cr);
        const double dash[] = {4 * s, 3 * s};
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_width(cr, marker_w);
        set_colour(cr, severity_colour(m.severity));
        cairo_move_to(cr, x, p.y);
        cairo_line_to(cr, x, p.bottom());
        cairo_stroke(cr);
        cairo_restore(cr);
    }
    // Curves, one colour per quantity; validation dashed.
    std::vector<LegendEntry> entries;
    std::vector<std::pair<double, double>> drawn;  // device points, for placing the legend
    for (const Curve& c : curves) {
        const auto it = std::find(bases.begin(), bases.end(), base_name(c.name));
        const Rgb colour = series_colour(static_cast<int>(it - bases.begin()));
        cairo_save(cr);
        set_colour(cr, colour);
        cairo_set_line_width(cr, 1.8 * s);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        if (c.validation) {
            const double dash[] = {6 * s, 4 * s};
            cairo_set_dash(cr, dash, 2, 0);
        }
        bool open = false;
        for (std::size_t i = 0; i < c.values.size(); ++i) {
            const double v = c.values[i];
            if (!usable(v)) {
                open = false;
                continue;
            }
            const double x = ax.px(static_cast<double>(i + 1)), y = ax.py(v);
            const bool isolated = !open && (i + 1 >= c.values.size() || !usable(c.values[i + 1]));
            if (isolated) {
                cairo_stroke(cr);
                cairo_arc(cr, x, y, 2.2 * s, 0, 2 * std::numbers::pi);
                cairo_fill(cr);
            } else if (open) {
                cairo_line_to(cr, x, y);
            } else {
                cairo_move_to(cr, x, y);
            }
            open = !isolated;
            drawn.emplace_back(x, y);
        }
        cairo_stroke(cr);
        cairo_restore(cr);
        entries.push_back(
            {c.validation ? LegendEntry::Kind::Dashed : LegendEntry::Kind::Line, colour, c.name});
    }
    // Marker labels, reading upwards left of their line, on a light backing.
    const double fs = kSmallSize * s;
    for (const Marker& m : spec.markers) {
        if (m.epoch < 1 || m.epoch > x1 || m.label.empty()) continue;
        const double x = ax.px(m.epoch);
        const std::string label = fit_text(cr, m.label, fs, p.h * 0.6);
        const Rect box{x - 3 * s - fs * 1.25, p.y + 2 * s, fs * 1.25 + s, text_width(cr, label, fs) + 4 * s};
        set_colour(cr, kWhite, 0.8);
        cairo_rectangle(cr, box.x, box.y, box.w, box.h);
        cairo_fill(cr);
        text(cr, x - 3 * s, p.y + 4 * s, label, fs, Align::End, Align::End, severity_colour(m.severity),
             false, -std::numbers::pi / 2);
        labels.push_back(box);
    }
    cairo_restore(cr);

    // Legend in the corner with the fewest curve points under it.
    if (style.legend && !entries.empty()) {
        const Rect size = legend_size(cr, entries, s);
        if (size.w < p.w * 0.8 && size.h < p.h * 0.8) {
            const double in = 6 * s;
            const double xs[2] = {p.right() - in - size.w, p.x + in},
                         ys[2] = {p.y + in, p.bottom() - in - size.h};
            int best = -1;
            long fewest = 0;
            for (int corner = 0; corner < 4; ++corner) {
                const double lx = xs[corner % 2], ly = ys[corner / 2];
                long count = 0;
                for (const auto& [x, y] : drawn)
                    count += x >= lx && x <= lx + size.w && y >= ly && y <= ly + size.h;
                for (const Rect& b : labels)
                    count +=
                        100 * (b.x < lx + size.w && b.right() > lx && b.y < ly + size.h && b.bottom() > ly);
                if (best < 0 || count < fewest) best = corner, fewest = count;
            }
            draw_legend(cr, xs[best % 2], ys[best / 2], entries, s, true);
        }
    }
}

}  // namespace

void learning_curves(const CurvesSpec& spec, const Style& style, const std::string& path) {
    if (spec.panels.empty())
        throw ConfigError(
            cat(kWho, ": no panels; give at least one panel of curves (e.g. {loss, val_loss})"));
    if (!spec.panel_titles.empty() && spec.panel_titles.size() != spec.panels.size())
        throw ConfigError(cat(kWho, ": ", std::to_string(spec.panel_titles.size()), " panel_titles for ",
                              std::to_string(spec.panels.size()),
                              " panels; give one title per panel or none"));
    Canvas canvas(style, path, kWho);
    cairo_t* cr = canvas.cr();
    const double s = scale_of(style);
    Rect r{0, 0, canvas.width(), canvas.height()};
    r = title_band(cr, style.title, s, r);
    std::vector<std::string> bases;
    for (const auto& panel : spec.panels)
        for (const Curve& c : panel)
            if (std::find(bases.begin(), bases.end(), base_name(c.name)) == bases.end())
                bases.push_back(base_name(c.name));
    const int n = static_cast<int>(spec.panels.size());
    const int cols = n <= 3 ? n : static_cast<int>(std::ceil(std::sqrt(n)));
    const int rows = (n + cols - 1) / cols;
    for (int i = 0; i < n; ++i) {
        const Rect cell{r.x + r.w * (i % cols) / cols + 4 * s, r.y + r.h * (i / cols) / rows + 2 * s,
                        r.w / cols - 8 * s, r.h / rows - 4 * s};
        const std::string title = spec.panel_titles.empty()
                                      ? default_title(spec.panels[static_cast<std::size_t>(i)])
                                      : spec.panel_titles[static_cast<std::size_t>(i)];
        draw_panel(cr, cell, spec.panels[static_cast<std::size_t>(i)], title, spec, style, bases);
    }
    canvas.save();
}

}  // namespace plexus::plot
