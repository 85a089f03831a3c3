// Training animations: decision-region frames per epoch as a PNG grid or as a
// looping GIF with a fixed palette (class colours blended with white, greys).
#include "plexus/plot/animation.hpp"
#include "plexus/plot/bytes.hpp"

#include <cairo.h>
#include <gif_lib.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "plexus/core/error.hpp"
#include "plexus/data/atomic_file.hpp"
#include "plexus/plot/canvas.hpp"

namespace plexus::plot {
namespace {

using namespace detail;

void check_animation(const AnimationSpec& spec, const char* who) {
    if (spec.epochs.empty())
        throw ConfigError(cat(who, ": no frames; give at least one epoch with its predict_at function"));
    if (spec.epochs.size() != spec.predict_at.size())
        throw ConfigError(cat(who, ": ", std::to_string(spec.epochs.size()), " epochs but ",
                              std::to_string(spec.predict_at.size()),
                              " predict_at functions; give one per epoch"));
    for (std::size_t i = 0; i < spec.predict_at.size(); ++i)
        if (!spec.predict_at[i])
            throw ConfigError(cat(who, ": predict_at[", std::to_string(i),
                                  "] is empty; set it to the model at epoch ",
                                  std::to_string(spec.epochs[i])));
    if (spec.columns < 0)
        throw ConfigError(
            cat(who, ": columns is ", std::to_string(spec.columns), "; use 0 (automatic) or more"));
    if (spec.frame_delay_cs < 0 || spec.frame_delay_cs > 65535)
        throw ConfigError(cat(who, ": frame_delay_cs is ", std::to_string(spec.frame_delay_cs),
                              "; use 0 to 65535 hundredths of a second"));
    check_regions_spec(spec.base, who);
}

std::string frame_title(const Style& style, int epoch) {
    return style.title.empty() ? cat("epoch ", epoch) : cat(style.title, " \xE2\x80\x94 epoch ", epoch);
}

// Nearest-colour lookup into a fixed 256-entry palette, cached per 18-bit colour.
class Quantiser {
public:
    explicit Quantiser(int classes) {
        auto add = [&](Rgb c) { palette_.push_back({byte(c.r), byte(c.g), byte(c.b)}); };
        for (int i = 0; i < 16; ++i) add(mix({0, 0, 0}, kWhite, i / 15.0));
        const int per_class = 240 / classes, to_white = per_class - 3;
        for (int c = 0; c < classes; ++c) {
            for (int i = 1; i <= to_white; ++i)
                add(mix(kWhite, class_colour(c), static_cast<double>(i) / to_white));
            for (double t : {0.25, 0.5, 0.75}) add(mix(class_colour(c), {0, 0, 0}, t));
        }
        while (palette_.size() < 256) add({0, 0, 0});
        lut_.assign(1u << 18, -1);
    }
    const std::vector<GifColorType>& palette() const { return palette_; }
    GifPixelType operator()(std::uint32_t pixel) {
        const unsigned key =
            ((pixel >> 18) & 0x3F) << 12 | ((pixel >> 10) & 0x3F) << 6 | ((pixel >> 2) & 0x3F);
        if (lut_[key] < 0) {
            const int r = static_cast<int>((key >> 12) << 2 | 2),
                      g = static_cast<int>(((key >> 6) & 0x3F) << 2 | 2),
                      b = static_cast<int>((key & 0x3F) << 2 | 2);
            int best = 0;
            long best_d = -1;
            for (std::size_t i = 0; i < palette_.size(); ++i) {
                const long dr = r - palette_[i].Red, dg = g - palette_[i].Green, db = b - palette_[i].Blue;
                const long d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
                if (best_d < 0 || d < best_d) best = static_cast<int>(i), best_d = d;
            }
            lut_[key] = static_cast<std::int16_t>(best);
        }
        return static_cast<GifPixelType>(lut_[key]);
    }

private:
    static GifByteType byte(double v) {
        return static_cast<GifByteType>(std::lround(std::clamp(v, 0.0, 1.0) * 255));
    }
    std::vector<GifColorType> palette_;
    std::vector<std::int16_t> lut_;
};

const char* gif_error(int code) {
    const char* message = GifErrorString(code);
    return message ? message : "unknown error";
}

int gif_write(GifFileType* gif, const GifByteType* data, int length) {
    try {
        static_cast<std::string*>(gif->UserData)
            ->append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(length));
        return length;
    } catch (...) {
        return 0;
    }
}

// Number of classes the frames will show (for the palette).
int frame_classes(const AnimationSpec& spec) {
    int k = std::max(2, check_regions_spec(spec.base, "animation_gif"));
    if (spec.base.class_names.empty()) {
        Matrix probe = Matrix::Zero(1, 2);
        k = std::max(k, static_cast<int>(spec.predict_at.front()(probe).cols()));
    }
    return std::min(k, 8);
}

}  // namespace

void animation_grid(const AnimationSpec& spec, const Style& style, const std::string& png_path) {
    constexpr const char* who = "animation_grid";
    check_style(style, who);
    check_animation(spec, who);
    const int n = static_cast<int>(spec.epochs.size());
    const int cols = spec.columns > 0 ? std::min(spec.columns, n) : static_cast<int>(std::ceil(std::sqrt(n)));
    const int rows = (n + cols - 1) / cols;
    if (static_cast<long>(cols) * style.width > 16384 || static_cast<long>(rows) * style.height > 16384)
        throw ConfigError(cat(
            who, ": a grid of ", std::to_string(rows), " x ", std::to_string(cols), " frames of ",
            std::to_string(style.width), "x", std::to_string(style.height),
            " pixels exceeds 16384 pixels; use a smaller Style.width/height, other columns or fewer epochs"));
    Style whole = style;
    whole.width = cols * style.width;
    whole.height = rows * style.height;
    Canvas canvas(whole, png_path, who);
    cairo_t* cr = canvas.cr();
    for (int i = 0; i < n; ++i) {
        const Rect cell{static_cast<double>((i % cols) * style.width),
                        static_cast<double>((i / cols) * style.height), static_cast<double>(style.width),
                        static_cast<double>(style.height)};
        cairo_save(cr);
        cairo_rectangle(cr, cell.x, cell.y, cell.w, cell.h);
        cairo_clip(cr);
        draw_regions(cr, cell, spec.base, spec.predict_at[static_cast<std::size_t>(i)], style,
                     cat("epoch ", spec.epochs[static_cast<std::size_t>(i)]), false);
        cairo_restore(cr);
    }
    canvas.save();
}

void animation_gif(const AnimationSpec& spec, const Style& style, const std::string& gif_path) {
    constexpr const char* who = "animation_gif";
    check_style(style, who);
    format_of(gif_path, {Format::Gif}, who);
    check_animation(spec, who);
    Quantiser quantise(frame_classes(spec));
    std::string bytes;  // the encoded GIF, written atomically at the end
    auto fail = [&](const std::string& why) { throw IoError(cat("cannot encode '", gif_path, "': ", why)); };

    const int w = style.width, h = style.height;
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_t* cr = cairo_create(surface);
    int error = 0;
    GifFileType* gif = EGifOpen(&bytes, gif_write, &error);
    ColorMapObject* map = GifMakeMapObject(256, quantise.palette().data());
    auto cleanup = [&] {
        if (gif) EGifCloseFile(gif, &error);
        gif = nullptr;
        if (map) GifFreeMapObject(map);
        map = nullptr;
        cairo_destroy(cr);
        cairo_surface_destroy(surface);
    };
    try {
        auto check = [&](int rc, const char* what) {
            if (rc == GIF_ERROR)
                fail(cat("GIF ", what, " failed (", gif_error(gif ? gif->Error : error), ")"));
        };
        if (!gif || !map) fail(cat("cannot start the GIF encoder (", gif_error(error), ")"));
        EGifSetGifVersion(gif, true);
        check(EGifPutScreenDesc(gif, w, h, 8, 0, map), "screen descriptor");
        // Loop forever (NETSCAPE2.0 application extension).
        const GifByteType netscape[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
        const GifByteType loop[] = {1, 0, 0};
        check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE), "loop extension");
        check(EGifPutExtensionBlock(gif, sizeof netscape, netscape), "loop extension");
        check(EGifPutExtensionBlock(gif, sizeof loop, loop), "loop extension");
        check(EGifPutExtensionTrailer(gif), "loop extension");
        std::vector<GifPixelType> line(static_cast<std::size_t>(w));
        for (std::size_t f = 0; f < spec.epochs.size(); ++f) {
            cairo_save(cr);
            set_colour(cr, kWhite);
            cairo_paint(cr);
            draw_regions(cr, {0, 0, static_cast<double>(w), static_cast<double>(h)}, spec.base,
                         spec.predict_at[f], style, frame_title(style, spec.epochs[f]), style.legend);
            cairo_restore(cr);
            if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) fail(cairo_status_to_string(cairo_status(cr)));
            cairo_surface_flush(surface);
            GraphicsControlBlock gcb{};
            gcb.DisposalMode = DISPOSE_DO_NOT;
            gcb.DelayTime = spec.frame_delay_cs;
            gcb.TransparentColor = NO_TRANSPARENT_COLOR;
            GifByteType ext[4];
            EGifGCBToExtension(&gcb, ext);
            check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, sizeof ext, ext), "frame timing");
            check(EGifPutImageDesc(gif, 0, 0, w, h, false, nullptr), "frame descriptor");
            const unsigned char* data = cairo_image_surface_get_data(surface);
            const int stride = cairo_image_surface_get_stride(surface);
            for (int y = 0; y < h; ++y) {
                const auto* row =
                    reinterpret_cast<const std::uint32_t*>(data + static_cast<std::ptrdiff_t>(y) * stride);
                for (int x = 0; x < w; ++x) line[static_cast<std::size_t>(x)] = quantise(row[x]);
                check(EGifPutLine(gif, line.data(), w), "frame data");
            }
        }
        const int rc = EGifCloseFile(gif, &error);
        gif = nullptr;
        if (rc == GIF_ERROR) fail(cat("GIF close failed (", gif_error(error), ")"));
    } catch (...) {
        cleanup();
        throw;
    }
    cleanup();
    if (!detail::capture_bytes(gif_path, bytes)) write_file_atomic(gif_path, bytes);
}

}  // namespace plexus::plot
