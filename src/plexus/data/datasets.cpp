// Built-in datasets; see datasets.hpp for the definitions and defaults.
#include "plexus/data/datasets.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numbers>

#include "plexus/core/error.hpp"
#include "plexus/core/rng.hpp"

namespace plexus {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kSpiralInnerRadius = 0.5;
constexpr double kSpiralOuterRadius = 3.0;
constexpr double kSpiralTurns = 1.0;
constexpr double kCirclesFactor = 0.5;
constexpr double kGaussianRing = 3.0;
constexpr double kXorMargin = 0.05;     // |x| and |y| kept >= this
constexpr double kLinearSlope = 0.5;    // boundary y = kLinearSlope * x
constexpr double kLinearMargin = 0.05;  // distance from the boundary before noise
constexpr double kRegressionRange = 3.0;

// numpy.linspace(start, stop, num, endpoint): x_i = i * step + start, step =
// (stop - start) / div, and the last point set to stop exactly when endpoint.
std::vector<double> linspace(double start, double stop, Index num, bool endpoint = true) {
    std::vector<double> out(static_cast<std::size_t>(num));
    const auto div = static_cast<double>(endpoint ? num - 1 : num);
    const double step = (stop - start) / div;
    for (Index i = 0; i < num; ++i) out[static_cast<std::size_t>(i)] = static_cast<double>(i) * step + start;
    if (endpoint && num > 1) out.back() = stop;
    return out;
}

// Rows of class c when n samples are spread over k classes: the later classes
// take the remainder (floor((c+1)n/k) - floor(cn/k)).
Index class_count(Index n, int k, int c) { return (c + 1) * n / k - c * n / k; }

struct Builder {
    std::vector<double> xs, ys, targets;
    void add(double x, double y, double target) {
        xs.push_back(x);
        ys.push_back(y);
        targets.push_back(target);
    }
    Dataset finish(const std::string& name, int classes) const {
        Dataset d;
        const auto n = static_cast<Index>(xs.size());
        d.x.resize(n, 2);
        d.y.resize(n, 1);
        for (Index i = 0; i < n; ++i) {
            const auto s = static_cast<std::size_t>(i);
            d.x(i, 0) = static_cast<Scalar>(xs[s]);
            d.x(i, 1) = static_cast<Scalar>(ys[s]);
            d.y(i, 0) = static_cast<Scalar>(targets[s]);
        }
        d.feature_names = {"x", "y"};
        if (classes > 0) {
            for (int c = 0; c < classes; ++c) d.class_names.push_back(std::to_string(c));
            d.target_name = "label";
        } else {
            d.target_name = "target";
        }
        d.source = name;
        return d;
    }
};

struct Params {
    Index samples;
    double noise;
    int classes;  // 0 for regression
    std::uint64_t seed;
};

Dataset seed_curves(const Params& p) {
    Rng rng(p.seed);
    Builder b;
    const double shift[2] = {0.8, -0.8};
    for (int c = 0; c < 2; ++c) {
        for (double x : linspace(0.0, 2.0 * kPi, class_count(p.samples, 2, c))) {
            double y = std::cos(1.2 * x) + shift[c];
            if (p.noise > 0) y += rng.normal(0.0, p.noise);
            b.add(x, y, c);
        }
    }
    return b.finish("seed-curves", 2);
}

// Adds N(0, noise) to both coordinates (skipped for noise 0, so no draws).
void jitter(Rng& rng, double noise, double& x, double& y) {
    if (noise > 0) {
        x += rng.normal(0.0, noise);
        y += rng.normal(0.0, noise);
    }
}

Dataset moons(const Params& p) {
    Rng rng(p.seed);
    Builder b;
    for (double t : linspace(0.0, kPi, class_count(p.samples, 2, 0))) {
        double x = std::cos(t), y = std::sin(t);
        jitter(rng, p.noise, x, y);
        b.add(x, y, 0);
    }
    for (double t : linspace(0.0, kPi, class_count(p.samples, 2, 1))) {
        double x = 1.0 - std::cos(t), y = 1.0 - std::sin(t) - 0.5;
        jitter(rng, p.noise, x, y);
        b.add(x, y, 1);
    }
    return b.finish("moons", 2);
}

Dataset circles(const Params& p) {
    Rng rng(p.seed);
    Builder b;
    for (int c = 0; c < 2; ++c) {
        const double radius = c == 0 ? 1.0 : kCirclesFactor;
        for (double t : linspace(0.0, 2.0 * kPi, class_count(p.samples, 2, c), false)) {
            double x = std::cos(t) * radius, y = std::sin(t) * radius;
            jitter(rng, p.noise, x, y);
            b.add(x, y, c);
        }
    }
    return b.finish("circles", 2);
}

Dataset spirals(const Params& p) {
    Rng rng(p.seed);
    Builder b;
    for (int c = 0; c < p.classes; ++c) {
        const double offset = 2.0 * kPi * c / p.classes;
        for (double t : linspace(0.0, 1.0, class_count(p.samples, p.classes, c))) {
            const double r = kSpiralInnerRadius + (kSpiralOuterRadius - kSpiralInnerRadius) * t;
            const double angle = offset + 2.0 * kPi * kSpiralTurns * t;
            double x = r * std::cos(angle), y = r * std::sin(angle);
            jitter(rng, p.noise, x, y);
            b.add(x, y, c);
        }
    }
    return b.finish("spirals", p.classes);
}

Dataset xor_quadrants(const Params& p) {
    Rng rng(p.seed);
    Builder b;
    auto coordinate = [&rng] {
        double v = rng.uniform(-1.0, 1.0);
        while (std::abs(v) < kXorMargin) v = rng.uniform(-1.0, 1.0);
        return v;
    };
    for (int c = 0; c < 2; ++c) {
        for (Index i = 0; i < class_count(p.samples, 2, c); ++i) {
            double x = 0, y = 0;
            do {
                x = coordinate();
                y = coordinate();
            } while (((x < 0) != (y < 0)) != (c == 1));
            jitter(rng, p.noise, x, y);
            b.add(x, y, c);
        }
    }
    return b.finish("xor", 2);
}

Dataset gaussians(const Params& p) {
    Rng rng(p.seed);
    Builder b;
    for (int c = 0; c < p.classes; ++c) {
        const double angle = 2.0 * kPi * c / p.classes;
        const double cx = kGaussianRing * std::cos(angle), cy = kGaussianRing * std::sin(angle);
        for (Index i = 0; i < class_count(p.samples, p.classes, c); ++i) {
            double x = cx, y = cy;
            jitter(rng, p.noise, x, y);
            b.add(x, y, c);
        }
    }
    return b.finish("gaussians", p.classes);
}

Dataset linear(const Params& p) {
    Rng rng(p.seed);
    Builder b;
    const double norm = std::sqrt(1.0 + kLinearSlope * kLinearSlope);
    for (int c = 0; c < 2; ++c) {
        for (Index i = 0; i < class_count(p.samples, 2, c); ++i) {
            double x = 0, y = 0, distance = 0;  // signed, positive above the line
            do {
                x = rng.uniform(-1.0, 1.0);
                y = rng.uniform(-1.0, 1.0);
                distance = (y - kLinearSlope * x) / norm;
            } while (c == 1 ? distance < kLinearMargin : distance > -kLinearMargin);
            jitter(rng, p.noise, x, y);
            b.add(x, y, c);
        }
    }
    return b.finish("linear", 2);
}

Dataset regression_2d(const Params& p) {
    Rng rng(p.seed);
    Builder b;
    for (Index i = 0; i < p.samples; ++i) {
        const double x = rng.uniform(-kRegressionRange, kRegressionRange);
        const double y = rng.uniform(-kRegressionRange, kRegressionRange);
        double target = std::sin(x) * std::cos(y);
        if (p.noise > 0) target += rng.normal(0.0, p.noise);
        b.add(x, y, target);
    }
    return b.finish("regression-2d", 0);
}

struct Entry {
    DatasetInfo info;
    Dataset (*make)(const Params&);
    bool variable_classes;
};

const std::vector<Entry>& registry() {
    static const std::vector<Entry> entries = {
        {{"seed-curves", "classification",
          "two cosine curves y = cos(1.2x) +/- 0.8 on [0, 2pi] (the seed problem)", 512, 0.0, 2},
         seed_curves, false},
        {{"moons", "classification", "two interleaving half circles (sklearn make_moons)", 400, 0.1, 2},
         moons, false},
        {{"circles", "classification",
          "a small circle inside a large one (sklearn make_circles, factor 0.5)", 400, 0.05, 2},
         circles, false},
        {{"spirals", "classification", "interleaved spiral arms, one turn each (classes = arms)", 400, 0.1,
          2},
         spirals, true},
        {{"xor", "classification", "uniform square, class 1 where sign(x) != sign(y)", 400, 0.0, 2},
         xor_quadrants, false},
        {{"gaussians", "classification", "Gaussian blobs on a circle of radius 3 (classes = blobs)", 450,
          0.5, 3},
         gaussians, true},
        {{"linear", "classification", "two classes on either side of the line y = 0.5x", 400, 0.1, 2},
         linear, false},
        {{"regression-2d", "regression", "target = sin(x) cos(y) + noise on [-3, 3]^2", 400, 0.05, 0},
         regression_2d, false},
    };
    return entries;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0u : 1u)});
            diag = up;
        }
    }
    return row[b.size()];
}

}  // namespace

std::vector<DatasetInfo> list_datasets() {
    std::vector<DatasetInfo> out;
    for (const auto& e : registry()) out.push_back(e.info);
    return out;
}

Dataset make_dataset(const std::string& name, const DatasetOptions& options) {
    const Entry* entry = nullptr;
    for (const auto& e : registry()) {
        if (e.info.name == name) entry = &e;
    }
    if (entry == nullptr) {
        std::string valid, closest;
        std::size_t best = 3;  // suggest only close misspellings
        for (const auto& e : registry()) {
            valid += (valid.empty() ? "" : ", ") + e.info.name;
            const std::size_t d = edit_distance(name, e.info.name);
            if (d < best) {
                best = d;
                closest = e.info.name;
            }
        }
        throw ConfigError("unknown dataset '" + name + "'; valid: " + valid +
                          (closest.empty() ? "" : " (did you mean '" + closest + "'?)"));
    }
    const DatasetInfo& info = entry->info;
    const std::string where = "dataset '" + name + "': ";

    Params p{info.default_samples, info.default_noise, info.default_classes, options.seed};
    if (options.classes) {
        if (!entry->variable_classes) {
            throw ConfigError(where + "option classes = " + std::to_string(*options.classes) +
                              " is not supported; only spirals (arms) and gaussians (blobs) take classes");
        }
        if (*options.classes < 2) {
            throw ConfigError(where + "option classes = " + std::to_string(*options.classes) +
                              " is too small; use at least 2");
        }
        p.classes = *options.classes;
    }
    if (options.noise) {
        if (!std::isfinite(*options.noise) || *options.noise < 0) {
            char text[32];
            const auto end = std::to_chars(text, text + sizeof text, *options.noise).ptr;
            throw ConfigError(where + "option noise = " + std::string(text, end) +
                              " is invalid; use a standard deviation >= 0");
        }
        p.noise = *options.noise;
    }
    if (options.samples) p.samples = *options.samples;
    const Index per_class = std::max(p.classes, 1);
    const Index minimum = 2 * per_class;
    if (p.samples < minimum) {
        throw ConfigError(where + "option samples = " + std::to_string(p.samples) + " is too few; use at least " +
                          std::to_string(minimum) +
                          (p.classes > 0 ? " (2 per class for " + std::to_string(p.classes) + " classes)" : ""));
    }
    if (p.samples > kMaxDatasetSamples) {
        throw ConfigError(where + "option samples = " + std::to_string(p.samples) + " is too many; use at most " +
                          std::to_string(kMaxDatasetSamples));
    }
    return entry->make(p);
}

}  // namespace plexus
