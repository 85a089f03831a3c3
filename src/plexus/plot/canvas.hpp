// Internal helpers shared by the plots: output files, the drawing canvas, colours,
// text, axes with nice ticks, legends and point markers.
//
// Not part of the public API. Cairo types are only forward-declared here, so this
// header does not pull cairo.h into anything that includes it; the .cpp files that
// draw include <cairo.h> themselves.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "plexus/plot/decision_regions.hpp"
#include "plexus/plot/style.hpp"

typedef struct _cairo cairo_t;                  // NOLINT: same typedef as cairo.h
typedef struct _cairo_surface cairo_surface_t;  // NOLINT

namespace plexus::plot::detail {

// Concatenates text and integers. Used instead of `"a" + std::string` chains,
// which trip a GCC 12 -Wrestrict false positive at -O3 (GCC PR 105329).
inline void append_to(std::string& s, std::string_view part) { s.append(part); }
template <class T>
requires std::is_integral_v<T>
void append_to(std::string& s, T value) { s.append(std::to_string(value)); }
template <class... Parts>
std::string cat(const Parts&... parts) {
    std::string s;
    (append_to(s, parts), ...);
    return s;
}
// "(rows, cols)" for error messages.
inline std::string shape_of(Index rows, Index cols) { return cat("(", rows, ", ", cols, ")"); }
inline std::string shape_of(const Matrix& m) { return shape_of(m.rows(), m.cols()); }

// ---- Output files -----------------------------------------------------------

enum class Format { Png, Svg, Pdf, Gif };

// The format named by `path`'s extension, which must be one of `allowed`.
// Throws ConfigError naming the path and listing the allowed extensions.
Format format_of(const std::string& path, const std::vector<Format>& allowed, const char* who);

// Rejects sizes and DPI a picture cannot have (ConfigError naming the field).
void check_style(const Style& style, const char* who);

// A picture of style.width x style.height pixels being drawn for `path`.
// PNG renders to an image, SVG (in px) and PDF (page size from dpi) to vectors.
// Nothing touches the file system until save(), which writes the file atomically
// with plexus::write_file_atomic (temporary file next to it, then rename).
class Canvas {
public:
    Canvas(const Style& style, const std::string& path, const char* who);
    ~Canvas();
    Canvas(const Canvas&) = delete;
    Canvas& operator=(const Canvas&) = delete;

    cairo_t* cr() const { return cr_; }
    double width() const { return width_; }
    double height() const { return height_; }
    void save();

private:
    Format format_;
    std::string path_;
    std::string bytes_;  // the encoded file, filled by Cairo's stream callback
    double width_, height_;
    cairo_surface_t* surface_ = nullptr;
    cairo_t* cr_ = nullptr;
};

// ---- Colours ----------------------------------------------------------------

struct Rgb {
    double r = 0, g = 0, b = 0;
};
Rgb hex(std::uint32_t rgb);
Rgb mix(Rgb a, Rgb b, double t);  // a at t = 0, b at t = 1
inline const Rgb kWhite{1, 1, 1};
inline const Rgb kInk{0.13, 0.13, 0.13};  // text, frames, outlines
Rgb class_colour(int c);                  // Okabe-Ito, colour-blind safe
Rgb series_colour(int i);                 // curves: blue, green, purple, ...
Rgb severity_colour(const std::string& severity);
Rgb diverging(double v);  // v in [-1, 1]: blue, white, orange
Rgb sequential(double t);  // t in [0, 1]: viridis, dark purple to yellow (monotone lightness)
void set_colour(cairo_t* cr, Rgb c, double alpha = 1.0);
std::uint32_t pack_argb(Rgb c);  // opaque CAIRO_FORMAT_RGB24/ARGB32 pixel

// ---- Geometry and text ------------------------------------------------------

struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
    double right() const { return x + w; }
    double bottom() const { return y + h; }
};

// Font sizes in px at scale 1.
inline constexpr double kTitleSize = 15, kLabelSize = 12, kTickSize = 10.5, kSmallSize = 9;

enum class Align { Start, Middle, End };
double text_width(cairo_t* cr, const std::string& s, double size, bool bold = false);
// Draws `s` anchored at (x, y): h picks left/centre/right, v top/middle/baseline-ish bottom.
void text(cairo_t* cr, double x, double y, const std::string& s, double size, Align h, Align v,
          Rgb colour = kInk, bool bold = false, double angle = 0);
// `s` shortened with "..." to fit `max_width`.
std::string fit_text(cairo_t* cr, const std::string& s, double size, double max_width, bool bold = false);

// Draws `title` (bold, shortened to fit) centred in a band at the top of `r` and returns
// the part of `r` below the band; returns `r` unchanged for an empty title. s: the style's scale.
Rect title_band(cairo_t* cr, const std::string& title, double s, Rect r);

// Diagonal hatching over `r` (callers clip to the region to hatch).
void hatch(cairo_t* cr, const Rect& r, double scale);

// A point marker: filled with a dark outline, or a hollow ring of the colour
// between two thin dark outlines. `size` multiplies the default radius.
void point_marker(cairo_t* cr, double x, double y, Rgb colour, bool hollow, double scale, double size = 1.0);

// Paints an (w x h) RGB24 pixel buffer into `dest`, pixel centres on the edges'
// grid: pixel (0, 0) centred on the top-left corner, (w-1, h-1) on the bottom-right
// when `centred_on_edges`; otherwise pixel cells tile `dest` exactly.
void paint_pixels(cairo_t* cr, const std::vector<std::uint32_t>& pixels, int w, int h, const Rect& dest,
                  bool centred_on_edges, bool smooth);

// ---- Axes -------------------------------------------------------------------

struct Tick {
    double value;
    std::string label;  // empty: minor tick
};
// About `target` nice ticks (1, 2, 5 x 10^k) inside [lo, hi].
std::vector<Tick> nice_ticks(double lo, double hi, int target);
// Ticks for a log axis over [lo, hi] (positive): decades, or 1-2-5 within one.
std::vector<Tick> log_ticks(double lo, double hi, int target);
std::string format_number(double v, double step);

// Maps data to device coordinates inside `plot`.
struct Axes {
    Rect plot;
    double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    bool log_y = false;
    double px(double x) const;
    double py(double y) const;
};

// Room that tick labels and axis labels take around a plot inside `area`.
Rect axes_plot_rect(cairo_t* cr, const Rect& area, const std::vector<Tick>& yticks,
                    const std::string& x_label, const std::string& y_label, double scale);
// The plot rectangle of `axes` (whose data ranges are set) inside `area`: with
// `show`, nice ticks over both ranges (into xticks, yticks) and room for them and
// the labels (axes_plot_rect); without, the whole area and no ticks.
void layout_axes(cairo_t* cr, Axes& axes, const Rect& area, bool show, const std::string& x_label,
                 const std::string& y_label, double scale, std::vector<Tick>& xticks, std::vector<Tick>& yticks);
// Frame, ticks, tick labels and axis labels; optional light grid lines.
void draw_axes(cairo_t* cr, const Axes& axes, const std::vector<Tick>& xticks,
               const std::vector<Tick>& yticks, const std::string& x_label, const std::string& y_label,
               double scale, bool grid);
// Number of ticks that fit along `length` px.
int tick_target(double length, double scale);

// ---- Legend -----------------------------------------------------------------

struct LegendEntry {
    enum class Kind { Swatch, Filled, Hollow, Line, Dashed, Hatch };
    Kind kind;
    Rgb colour;
    std::string text;
};
// Size of a vertical legend (one entry per line) including its padding.
Rect legend_size(cairo_t* cr, const std::vector<LegendEntry>& entries, double scale);
// Draws a vertical legend with its top-left at (x, y); `box` adds a white frame.
void draw_legend(cairo_t* cr, double x, double y, const std::vector<LegendEntry>& entries, double scale,
                 bool box);

// ---- Shared plot pieces -----------------------------------------------------

inline double scale_of(const Style& s) { return s.dpi / 96.0; }
// style's label unless it is the default `fallback_default`, else `natural`.
std::string label_or(const std::string& label, const char* fallback_default, const std::string& natural);

// Draws a decision-regions picture into `area` (decision_regions.cpp); the
// animation reuses it for its frames.
void draw_regions(cairo_t* cr, const Rect& area, const DecisionRegionsSpec& spec, const PredictFn& predict,
                  const Style& style, const std::string& title, bool legend);
// Veils in grey and hatches the cells of an nx x ny node grid over `plot` (node (0, 0)
// at range's top-left) whose centres lie outside `in_support`.
void veil_outside_support(cairo_t* cr, const SupportFn& in_support, int nx, int ny, const Range& range, const Rect& plot,
                          double s);
// Checks a decision-regions spec (all but predict) and returns its number of classes.
int check_regions_spec(const DecisionRegionsSpec& spec, const char* who);

}  // namespace plexus::plot::detail
