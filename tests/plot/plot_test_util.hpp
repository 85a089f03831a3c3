// Helpers for the plotting tests: a scratch directory, PNG read-back through
// Cairo, colour predicates, and a synthetic classifier with known regions.
//
// Pictures are checked by content (sizes, colours at known places, counts of
// pixels), never against golden bytes.
#pragma once

#include <cairo.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "plexus/plot/plot.hpp"

namespace plot_test {

using plexus::Matrix;
using plexus::Scalar;

// A fresh directory, removed (with its files) at the end of the test.
class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : std::string("/tmp")) +
            "/plexus-plot-XXXXXX";
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        path_ = pattern;
    }
    ~TempDir() {
        for (const std::string& f : files()) std::remove((path_ + "/" + f).c_str());
        rmdir(path_.c_str());
    }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    const std::string& path() const { return path_; }
    std::vector<std::string> files() const {
        std::vector<std::string> names;
        if (DIR* d = opendir(path_.c_str())) {
            while (dirent* e = readdir(d))
                if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
                    names.push_back(e->d_name);
            closedir(d);
        }
        return names;
    }

private:
    std::string path_;
};

struct Pixel {
    int r, g, b;
};

// A PNG read back through Cairo.
class Image {
public:
    explicit Image(const std::string& path) {
        surface_ = cairo_image_surface_create_from_png(path.c_str());
        if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
            cairo_surface_destroy(surface_);
            surface_ = nullptr;
        }
    }
    ~Image() {
        if (surface_) cairo_surface_destroy(surface_);
    }
    Image(const Image&) = delete;
    Image& operator=(const Image&) = delete;
    bool ok() const { return surface_ != nullptr; }
    int width() const { return surface_ ? cairo_image_surface_get_width(surface_) : 0; }
    int height() const { return surface_ ? cairo_image_surface_get_height(surface_) : 0; }
    Pixel at(int x, int y) const {
        const unsigned char* data = cairo_image_surface_get_data(surface_);
        const int stride = cairo_image_surface_get_stride(surface_);
        const auto v = *reinterpret_cast<const std::uint32_t*>(data + y * stride + x * 4);
        return {static_cast<int>((v >> 16) & 0xFF), static_cast<int>((v >> 8) & 0xFF),
                static_cast<int>(v & 0xFF)};
    }

private:
    cairo_surface_t* surface_ = nullptr;
};

inline bool bluish(Pixel p) { return p.b > p.r + 40 && p.b > p.g + 10; }
inline bool orangish(Pixel p) { return p.r > p.b + 60 && p.r >= p.g; }
inline bool greyish(Pixel p, int tolerance = 14) {
    return std::abs(p.r - p.g) <= tolerance && std::abs(p.g - p.b) <= tolerance &&
           std::abs(p.r - p.b) <= tolerance;
}
inline int distance(Pixel a, Pixel b) {
    return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b);
}

inline std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The test plane: x in [-2, 2], y in [-1, 1]. Class 0 where x < 0 with P = 0.95,
// class 1 where x >= 0 with P = 0.95. Training support: x < 1.
inline const plexus::plot::Range kRange{-2, 2, -1, 1};

inline Matrix two_class_probabilities(const Matrix& in) {
    Matrix p(in.rows(), 2);
    for (plexus::Index i = 0; i < in.rows(); ++i) {
        const Scalar p1 = in(i, 0) < 0 ? Scalar(0.05) : Scalar(0.95);
        p(i, 0) = 1 - p1, p(i, 1) = p1;
    }
    return p;
}

// The same classifier as a sigmoid: (n, 1) = P(class 1).
inline Matrix sigmoid_probability(const Matrix& in) { return two_class_probabilities(in).col(1); }

inline plexus::plot::PointSet points(std::vector<std::pair<double, double>> xy, std::vector<int> classes,
                                     bool hollow, std::string label) {
    plexus::plot::PointSet set;
    set.xy.resize(static_cast<plexus::Index>(xy.size()), 2);
    for (std::size_t i = 0; i < xy.size(); ++i)
        set.xy.row(static_cast<plexus::Index>(i)) << static_cast<Scalar>(xy[i].first),
            static_cast<Scalar>(xy[i].second);
    set.classes = std::move(classes);
    set.hollow = hollow;
    set.label = std::move(label);
    return set;
}

inline plexus::plot::DecisionRegionsSpec regions_spec() {
    plexus::plot::DecisionRegionsSpec spec;
    spec.predict = two_class_probabilities;
    spec.class_names = {"blue", "orange"};
    spec.range = kRange;
    spec.resolution = 80;
    spec.in_support = [](double x, double) { return x < 1; };
    return spec;
}

// No title, axes or legend: the field covers the whole picture, so data (x, y)
// lands at pixel ((x + 2) / 4 * width, (1 - y) / 2 * height).
inline plexus::plot::Style bare_style(int width = 200, int height = 100) {
    plexus::plot::Style style;
    style.width = width, style.height = height;
    style.axes = false, style.legend = false;
    return style;
}
inline int px(double x, int width) { return static_cast<int>(std::lround((x - kRange.xmin) / 4 * width)); }
inline int py(double y, int height) { return static_cast<int>(std::lround((kRange.ymax - y) / 2 * height)); }

}  // namespace plot_test
