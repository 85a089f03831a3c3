// Shared plotting helpers, part 1: atomic output files, the Cairo canvas, colours,
// text, hatching, point markers and pixel fields (ticks, axes, legends: axes.cpp).
#include "plexus/plot/canvas.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <numbers>

#include "plexus/core/error.hpp"
#include "plexus/plot/bytes.hpp"
#include "plexus/data/atomic_file.hpp"

namespace plexus::plot::detail {

// ---- Output files -----------------------------------------------------------

namespace {

std::string extension_of(const std::string& path) {
    const auto slash = path.find_last_of('/');
    const auto dot = path.find_last_of('.');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
    std::string ext = path.substr(dot);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

const char* extension_name(Format f) {
    switch (f) {
        case Format::Png:
            return ".png";
        case Format::Svg:
            return ".svg";
        case Format::Pdf:
            return ".pdf";
        case Format::Gif:
            return ".gif";
    }
    return "";
}

cairo_status_t append_to_bytes(void* closure, const unsigned char* data, unsigned int length) {
    try {
        static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
        return CAIRO_STATUS_SUCCESS;
    } catch (...) {
        return CAIRO_STATUS_NO_MEMORY;
    }
}

}  // namespace

Format format_of(const std::string& path, const std::vector<Format>& allowed, const char* who) {
    const std::string ext = extension_of(path);
    for (Format f : allowed) {
        if (ext == extension_name(f)) return f;
    }
    std::string list;
    for (Format f : allowed) list += std::string(list.empty() ? "" : ", ") + extension_name(f);
    throw ConfigError(cat(who, ": cannot tell the image format of '", path, "' from its extension",
                          (ext.empty() ? "" : " '" + ext + "'"),
                          allowed.size() == 1 ? "; use " : "; use one of ", list));
}

void check_style(const Style& style, const char* who) {
    auto bad = [&](const std::string& field, const std::string& value, const std::string& fix) {
        throw ConfigError(cat(who, ": Style.", field, " is ", value, "; ", fix));
    };
    if (style.width < 16 || style.width > 16384)
        bad("width", std::to_string(style.width), "use 16 to 16384 pixels");
    if (style.height < 16 || style.height > 16384)
        bad("height", std::to_string(style.height), "use 16 to 16384 pixels");
    if (!(style.dpi >= 10 && style.dpi <= 2400))
        bad("dpi", std::to_string(style.dpi), "use 10 to 2400 (96 is screen resolution)");
}

Canvas::Canvas(const Style& style, const std::string& path, const char* who)
    : format_((check_style(style, who), format_of(path, {Format::Png, Format::Svg, Format::Pdf}, who))),
      path_(path),
      width_(style.width),
      height_(style.height) {
    switch (format_) {
        case Format::Svg:
            surface_ = cairo_svg_surface_create_for_stream(append_to_bytes, &bytes_, width_, height_);
            cairo_svg_surface_set_document_unit(surface_, CAIRO_SVG_UNIT_PX);
            break;
        case Format::Pdf:
            surface_ = cairo_pdf_surface_create_for_stream(append_to_bytes, &bytes_, width_ * 72 / style.dpi,
                                                           height_ * 72 / style.dpi);
            break;
        default:
            surface_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, style.width, style.height);
            break;
    }
    cr_ = cairo_create(surface_);
    if (cairo_status(cr_) != CAIRO_STATUS_SUCCESS) {
        const std::string why =
            cat(who, ": cannot start drawing '", path, "' (", cairo_status_to_string(cairo_status(cr_)),
                "); try a smaller Style.width/height");
        cairo_destroy(cr_);
        cairo_surface_destroy(surface_);
        cr_ = nullptr, surface_ = nullptr;
        throw IoError(why);
    }
    if (format_ == Format::Pdf) cairo_scale(cr_, 72 / style.dpi, 72 / style.dpi);
    set_colour(cr_, kWhite);
    cairo_paint(cr_);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_ROUND);
}

Canvas::~Canvas() {
    if (cr_) cairo_destroy(cr_);
    if (surface_) cairo_surface_destroy(surface_);
}

void Canvas::save() {
    cairo_status_t status = cairo_status(cr_);
    if (status == CAIRO_STATUS_SUCCESS) {
        if (format_ == Format::Png) {
            cairo_surface_flush(surface_);
            status = cairo_surface_write_to_png_stream(surface_, append_to_bytes, &bytes_);
        } else {
            cairo_destroy(cr_);
            cr_ = nullptr;
            cairo_surface_finish(surface_);
            status = cairo_surface_status(surface_);
        }
    }
    if (status != CAIRO_STATUS_SUCCESS)
        throw IoError(cat("cannot render '", path_, "' (", cairo_status_to_string(status),
                          "); try a smaller Style.width/height"));
    if (!capture_bytes(path_, bytes_)) write_file_atomic(path_, bytes_);
}

// ---- Colours ----------------------------------------------------------------

Rgb hex(std::uint32_t rgb) {
    return {((rgb >> 16) & 0xFF) / 255.0, ((rgb >> 8) & 0xFF) / 255.0, (rgb & 0xFF) / 255.0};
}

Rgb mix(Rgb a, Rgb b, double t) {
    return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}

Rgb class_colour(int c) {
    static const std::uint32_t okabe_ito[] = {0x0072B2, 0xE69F00, 0x009E73, 0xCC79A7,
                                              0x56B4E9, 0xD55E00, 0xF0E442, 0x000000};
    return hex(okabe_ito[static_cast<unsigned>(c) % 8]);
}

Rgb series_colour(int i) {
    static const std::uint32_t order[] = {0x0072B2, 0x009E73, 0xCC79A7, 0x56B4E9,
                                          0x000000, 0xE69F00, 0xD55E00, 0xF0E442};
    return hex(order[static_cast<unsigned>(i) % 8]);
}

Rgb severity_colour(const std::string& severity) {
    std::string s = severity;
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s == "error" || s == "critical" || s == "fatal") return hex(0xD55E00);
    if (s == "warning" || s == "warn") return hex(0xE69F00);
    if (s == "info" || s == "note") return hex(0x0072B2);
    return {0.45, 0.45, 0.45};
}

Rgb diverging(double v) {
    v = std::clamp(std::isfinite(v) ? v : 0.0, -1.0, 1.0);
    return v < 0 ? mix(kWhite, hex(0x0072B2), -v) : mix(kWhite, hex(0xE69F00), v);
}

Rgb sequential(double t) {
    static const std::uint32_t viridis[] = {0x440154, 0x482878, 0x3E4A89, 0x31688E, 0x26828E,
                                            0x1F9E89, 0x35B779, 0x6DCD59, 0xFDE725};
    t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 8;
    const int i = std::min(7, static_cast<int>(t));
    return mix(hex(viridis[i]), hex(viridis[i + 1]), t - i);
}

void set_colour(cairo_t* cr, Rgb c, double alpha) { cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha); }

std::uint32_t pack_argb(Rgb c) {
    auto byte = [](double v) {
        return static_cast<std::uint32_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255));
    };
    return 0xFF000000u | byte(c.r) << 16 | byte(c.g) << 8 | byte(c.b);
}

// ---- Text, hatching, markers, pixels -----------------------------------------

namespace {
void use_font(cairo_t* cr, double size, bool bold) {
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}
}  // namespace

double text_width(cairo_t* cr, const std::string& s, double size, bool bold) {
    use_font(cr, size, bold);
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    return e.x_advance;
}

void text(cairo_t* cr, double x, double y, const std::string& s, double size, Align h, Align v, Rgb colour,
          bool bold, double angle) {
    if (s.empty()) return;
    use_font(cr, size, bold);
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    cairo_font_extents_t f;
    cairo_font_extents(cr, &f);
    const double dx = h == Align::Start ? 0 : h == Align::Middle ? -e.x_advance / 2 : -e.x_advance;
    const double dy = v == Align::Start    ? f.ascent
                      : v == Align::Middle ? (f.ascent - f.descent) / 2
                                           : -f.descent;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    cairo_rotate(cr, angle);
    cairo_move_to(cr, dx, dy);
    set_colour(cr, colour);
    cairo_show_text(cr, s.c_str());
    cairo_new_path(cr);
    cairo_restore(cr);
}

Rect title_band(cairo_t* cr, const std::string& title, double s, Rect r) {
    if (title.empty()) return r;
    const double band = kTitleSize * s * 2;
    text(cr, r.x + r.w / 2, r.y + band / 2 + s, fit_text(cr, title, kTitleSize * s, r.w - 8 * s, true), kTitleSize * s,
         Align::Middle, Align::Middle, kInk, true);
    r.y += band, r.h -= band;
    return r;
}

std::string fit_text(cairo_t* cr, const std::string& s, double size, double max_width, bool bold) {
    if (text_width(cr, s, size, bold) <= max_width) return s;
    std::string cut = s;
    while (!cut.empty()) {
        cut.pop_back();
        while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80) cut.pop_back();
        if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0x80)) {
            cut.pop_back();  // drop the lead byte of the character just cut
            continue;
        }
        if (text_width(cr, cat(cut, "..."), size, bold) <= max_width) return cat(cut, "...");
    }
    return "";
}

void hatch(cairo_t* cr, const Rect& r, double scale) {
    const double step = 7 * scale;
    cairo_save(cr);
    cairo_set_line_width(cr, 1.0 * scale);
    set_colour(cr, {0.38, 0.38, 0.38}, 0.75);
    for (double t = -r.h; t < r.w + step; t += step) {
        cairo_move_to(cr, r.x + t, r.bottom());
        cairo_line_to(cr, r.x + t + r.h, r.y);
    }
    cairo_stroke(cr);
    cairo_restore(cr);
}

void point_marker(cairo_t* cr, double x, double y, Rgb colour, bool hollow, double scale, double size) {
    cairo_save(cr);
    cairo_new_path(cr);
    if (hollow) {
        const double r = 5.2 * scale * size, w = 2.6 * scale * size;
        cairo_arc(cr, x, y, r, 0, 2 * std::numbers::pi);
        set_colour(cr, kInk);
        cairo_set_line_width(cr, w + 1.8 * scale * size);
        cairo_stroke_preserve(cr);
        set_colour(cr, colour);
        cairo_set_line_width(cr, w);
        cairo_stroke(cr);
    } else {
        cairo_arc(cr, x, y, 4.6 * scale * size, 0, 2 * std::numbers::pi);
        set_colour(cr, colour);
        cairo_fill_preserve(cr);
        set_colour(cr, kInk);
        cairo_set_line_width(cr, 1.0 * scale * size);
        cairo_stroke(cr);
    }
    cairo_restore(cr);
}

void paint_pixels(cairo_t* cr, const std::vector<std::uint32_t>& pixels, int w, int h, const Rect& dest,
                  bool centred_on_edges, bool smooth) {
    cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_flush(image);
    unsigned char* data = cairo_image_surface_get_data(image);
    const int stride = cairo_image_surface_get_stride(image);
    if (data) {
        for (int j = 0; j < h; ++j)
            std::memcpy(data + static_cast<std::ptrdiff_t>(j) * stride,
                        pixels.data() + static_cast<std::ptrdiff_t>(j) * w,
                        sizeof(std::uint32_t) * static_cast<std::size_t>(w));
    }
    cairo_surface_mark_dirty(image);
    cairo_pattern_t* pattern = cairo_pattern_create_for_surface(image);
    const double sx = centred_on_edges ? dest.w / std::max(1, w - 1) : dest.w / w;
    const double sy = centred_on_edges ? dest.h / std::max(1, h - 1) : dest.h / h;
    const double offset = centred_on_edges ? 0.5 : 0.0;
    cairo_matrix_t m;
    cairo_matrix_init(&m, 1 / sx, 0, 0, 1 / sy, -dest.x / sx + offset, -dest.y / sy + offset);
    cairo_pattern_set_matrix(pattern, &m);
    cairo_pattern_set_filter(pattern, smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST);
    cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD);
    cairo_save(cr);
    cairo_set_source(cr, pattern);
    cairo_rectangle(cr, dest.x, dest.y, dest.w, dest.h);
    cairo_fill(cr);
    cairo_restore(cr);
    cairo_pattern_destroy(pattern);
    cairo_surface_destroy(image);
}

std::string label_or(const std::string& label, const char* fallback_default, const std::string& natural) {
    return label == fallback_default ? natural : label;
}

}  // namespace plexus::plot::detail
