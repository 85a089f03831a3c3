// Shared plotting helpers, part 2: nice ticks (linear and log), axes frames with
// tick labels, and legends.
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "plexus/plot/canvas.hpp"

namespace plexus::plot::detail {

// ---- Ticks and axes -----------------------------------------------------------

std::string format_number(double v, double step) {
    char buf[64];
    if (std::abs(v) < std::abs(step) * 1e-9) return "0";
    if (std::abs(v) >= 1e6 || std::abs(step) < 1e-4) {
        std::snprintf(buf, sizeof buf, "%.3g", v);
        return buf;
    }
    int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(std::abs(step)) + 1e-9)));
    const double mantissa = std::abs(step) / std::pow(10.0, std::floor(std::log10(std::abs(step)) + 1e-9));
    if (std::abs(mantissa - 2.5) < 1e-6) ++decimals;
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::vector<Tick> nice_ticks(double lo, double hi, int target) {
    std::vector<Tick> ticks;
    if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi)) {
        if (std::isfinite(lo)) ticks.push_back({lo, format_number(lo, std::max(1e-9, std::abs(lo)))});
        return ticks;
    }
    const double raw = (hi - lo) / std::max(1, target);
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / mag;
    const double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    const double first = std::ceil(lo / step - 1e-9);
    for (double k = first; k * step <= hi + step * 1e-9; k += 1) {
        const double v = k * step;
        ticks.push_back({v, format_number(v, step)});
    }
    return ticks;
}

std::vector<Tick> log_ticks(double lo, double hi, int target) {
    std::vector<Tick> ticks;
    if (!(lo > 0) || !(hi > lo)) return nice_ticks(lo, hi, target);
    auto label = [](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return std::string(buf);
    };
    const int d0 = static_cast<int>(std::floor(std::log10(lo))) - 1;
    const int d1 = static_cast<int>(std::ceil(std::log10(hi))) + 1;
    int majors = 0;
    for (int d = d0; d <= d1; ++d)
        majors += (std::pow(10.0, d) >= lo * (1 - 1e-9) && std::pow(10.0, d) <= hi * (1 + 1e-9));
    if (majors >= 2) {
        const int every = std::max(1, (majors + target - 1) / std::max(1, target));
        for (int d = d0; d <= d1; ++d) {
            for (int m = 1; m <= 9; ++m) {
                const double v = m * std::pow(10.0, d);
                if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
                const bool major = m == 1 && ((d % every) + every) % every == 0;
                ticks.push_back({v, major ? label(v) : ""});
            }
        }
        return ticks;
    }
    for (int d = d0; d <= d1; ++d) {
        for (int m : {1, 2, 5}) {
            const double v = m * std::pow(10.0, d);
            if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back({v, label(v)});
        }
    }
    if (ticks.size() >= 2 && static_cast<int>(ticks.size()) <= target + 1) return ticks;
    return nice_ticks(lo, hi, target);
}

int tick_target(double length, double scale) {
    return std::clamp(static_cast<int>(length / (75 * scale)), 2, 10);
}

double Axes::px(double x) const { return plot.x + (x - x0) / (x1 - x0) * plot.w; }

double Axes::py(double y) const {
    const double t =
        log_y ? (std::log10(y) - std::log10(y0)) / (std::log10(y1) - std::log10(y0)) : (y - y0) / (y1 - y0);
    return plot.bottom() - t * plot.h;
}

Rect axes_plot_rect(cairo_t* cr, const Rect& area, const std::vector<Tick>& yticks,
                    const std::string& x_label, const std::string& y_label, double scale) {
    double widest = 0;
    for (const Tick& t : yticks) widest = std::max(widest, text_width(cr, t.label, kTickSize * scale));
    const double left = 6 * scale + (y_label.empty() ? 0 : kLabelSize * scale * 1.5) + widest + 9 * scale;
    const double bottom =
        9 * scale + kTickSize * scale * 1.3 + (x_label.empty() ? 0 : kLabelSize * scale * 1.6) + 4 * scale;
    const double top = 6 * scale, right = 12 * scale;
    return {area.x + left, area.y + top, std::max(1.0, area.w - left - right),
            std::max(1.0, area.h - top - bottom)};
}

void layout_axes(cairo_t* cr, Axes& axes, const Rect& area, bool show, const std::string& x_label,
                 const std::string& y_label, double scale, std::vector<Tick>& xticks, std::vector<Tick>& yticks) {
    if (!show) {
        axes.plot = area;
        return;
    }
    yticks = nice_ticks(axes.y0, axes.y1, tick_target(area.h, scale));
    axes.plot = axes_plot_rect(cr, area, yticks, x_label, y_label, scale);
    xticks = nice_ticks(axes.x0, axes.x1, tick_target(axes.plot.w, scale));
}

void draw_axes(cairo_t* cr, const Axes& axes, const std::vector<Tick>& xticks,
               const std::vector<Tick>& yticks, const std::string& x_label, const std::string& y_label,
               double scale, bool grid) {
    const Rect& p = axes.plot;
    cairo_save(cr);
    cairo_new_path(cr);
    if (grid) {
        set_colour(cr, {0.9, 0.9, 0.9});
        cairo_set_line_width(cr, 1.0 * scale);
        for (const Tick& t : xticks) {
            if (t.label.empty()) continue;
            cairo_move_to(cr, axes.px(t.value), p.y);
            cairo_line_to(cr, axes.px(t.value), p.bottom());
        }
        for (const Tick& t : yticks) {
            if (t.label.empty()) continue;
            cairo_move_to(cr, p.x, axes.py(t.value));
            cairo_line_to(cr, p.right(), axes.py(t.value));
        }
        cairo_stroke(cr);
    }
    set_colour(cr, kInk);
    cairo_set_line_width(cr, 1.0 * scale);
    cairo_rectangle(cr, p.x, p.y, p.w, p.h);
    cairo_stroke(cr);
    const double tick = 4 * scale;
    double last_right = -1e300;
    for (const Tick& t : xticks) {
        const double x = axes.px(t.value);
        if (x < p.x - 0.5 || x > p.right() + 0.5) continue;
        cairo_move_to(cr, x, p.bottom());
        cairo_line_to(cr, x, p.bottom() + (t.label.empty() ? tick / 2 : tick));
        cairo_stroke(cr);
        const double w = text_width(cr, t.label, kTickSize * scale);
        if (!t.label.empty() && x - w / 2 > last_right + 4 * scale) {
            text(cr, x, p.bottom() + tick + 3 * scale, t.label, kTickSize * scale, Align::Middle,
                 Align::Start);
            last_right = x + w / 2;
        }
    }
    double last_top = 1e300;
    for (const Tick& t : yticks) {
        const double y = axes.py(t.value);
        if (y < p.y - 0.5 || y > p.bottom() + 0.5) continue;
        cairo_move_to(cr, p.x, y);
        cairo_line_to(cr, p.x - (t.label.empty() ? tick / 2 : tick), y);
        cairo_stroke(cr);
        const double hgt = kTickSize * scale;
        if (!t.label.empty() && y + hgt / 2 < last_top - 2 * scale) {
            text(cr, p.x - tick - 3 * scale, y, t.label, kTickSize * scale, Align::End, Align::Middle);
            last_top = y - hgt / 2;
        }
    }
    if (!x_label.empty())
        text(cr, p.x + p.w / 2, p.bottom() + tick + 3 * scale + kTickSize * scale * 1.3 + 3 * scale,
             fit_text(cr, x_label, kLabelSize * scale, p.w), kLabelSize * scale, Align::Middle, Align::Start);
    if (!y_label.empty()) {
        double widest = 0;
        for (const Tick& t : yticks) widest = std::max(widest, text_width(cr, t.label, kTickSize * scale));
        text(cr, p.x - tick - 3 * scale - widest - 5 * scale, p.y + p.h / 2,
             fit_text(cr, y_label, kLabelSize * scale, p.h), kLabelSize * scale, Align::Middle, Align::End,
             kInk, false, -std::numbers::pi / 2);
    }
    cairo_restore(cr);
}

// ---- Legend -----------------------------------------------------------------

namespace {
constexpr double kLegendRow = 17, kLegendKey = 20, kLegendPad = 6;
}

Rect legend_size(cairo_t* cr, const std::vector<LegendEntry>& entries, double scale) {
    double widest = 0;
    for (const LegendEntry& e : entries) widest = std::max(widest, text_width(cr, e.text, kTickSize * scale));
    return {0, 0, (2 * kLegendPad + kLegendKey + 5) * scale + widest,
            2 * kLegendPad * scale + kLegendRow * scale * static_cast<double>(entries.size())};
}

void draw_legend(cairo_t* cr, double x, double y, const std::vector<LegendEntry>& entries, double scale,
                 bool box) {
    if (entries.empty()) return;
    const Rect size = legend_size(cr, entries, scale);
    cairo_save(cr);
    cairo_new_path(cr);
    if (box) {
        cairo_rectangle(cr, x, y, size.w, size.h);
        set_colour(cr, kWhite, 0.88);
        cairo_fill_preserve(cr);
        set_colour(cr, {0.7, 0.7, 0.7});
        cairo_set_line_width(cr, 0.8 * scale);
        cairo_stroke(cr);
    }
    double cy = y + (kLegendPad + kLegendRow / 2) * scale;
    const double kx = x + kLegendPad * scale, kw = kLegendKey * scale;
    for (const LegendEntry& e : entries) {
        using K = LegendEntry::Kind;
        switch (e.kind) {
            case K::Swatch:
            case K::Hatch: {
                const Rect sw{kx + 3 * scale, cy - 6 * scale, kw - 6 * scale, 12 * scale};
                cairo_rectangle(cr, sw.x, sw.y, sw.w, sw.h);
                if (e.kind == K::Swatch) {
                    set_colour(cr, e.colour);
                    cairo_fill_preserve(cr);
                } else {
                    set_colour(cr, {0.55, 0.55, 0.55}, 0.25);
                    cairo_fill_preserve(cr);
                    cairo_save(cr);
                    cairo_clip_preserve(cr);
                    cairo_new_path(cr);
                    hatch(cr, sw, scale);
                    cairo_restore(cr);
                    cairo_rectangle(cr, sw.x, sw.y, sw.w, sw.h);
                }
                set_colour(cr, kInk);
                cairo_set_line_width(cr, 0.8 * scale);
                cairo_stroke(cr);
                break;
            }
            case K::Filled:
            case K::Hollow:
                point_marker(cr, kx + kw / 2, cy, e.colour, e.kind == K::Hollow, scale);
                break;
            case K::Line:
            case K::Dashed: {
                cairo_save(cr);
                set_colour(cr, e.colour);
                cairo_set_line_width(cr, 2 * scale);
                if (e.kind == K::Dashed) {
                    const double dash[] = {5 * scale, 3 * scale};
                    cairo_set_dash(cr, dash, 2, 0);
                }
                cairo_move_to(cr, kx, cy);
                cairo_line_to(cr, kx + kw, cy);
                cairo_stroke(cr);
                cairo_restore(cr);
                break;
            }
        }
        text(cr, kx + kw + 5 * scale, cy, e.text, kTickSize * scale, Align::Start, Align::Middle);
        cy += kLegendRow * scale;
    }
    cairo_restore(cr);
}

}  // namespace plexus::plot::detail
