// The regression pictures, checked by what they show: where the training (filled,
// blue) and validation (hollow, orange) points land relative to the line of a
// perfect model, the fit numbers of the title strip, and the value surface's
// colours, colour bar, target-coloured points and hatched outside region.
#include <gtest/gtest.h>

#include <tuple>

#include "plot_test_util.hpp"

using namespace plot_test;
namespace plot = plexus::plot;

namespace {

// Mean pixel position of the pixels matching `pred`, and how many there are.
template <class Pred>
std::tuple<double, double, int> centroid(const Image& image, Pred pred) {
    double sx = 0, sy = 0;
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (pred(image.at(x, y))) sx += x, sy += y, ++n;
    return {n ? sx / n : 0, n ? sy / n : 0, n};
}

// Training on the diagonal (perfect), validation far below it (predicting 0 for large targets).
plot::FitSpec two_sets() {
    plot::FitSpec spec;
    spec.sets.push_back({.actual = {0, 1, 2, 3, 4, 5, 6, 7, 8}, .predicted = {0, 1, 2, 3, 4, 5, 6, 7, 8}, .label = "training"});
    spec.sets.push_back({.actual = {7, 8}, .predicted = {0, 0.5}, .hollow = true, .label = "validation"});
    spec.target_name = "progression";
    return spec;
}

double luminance(Pixel p) { return 0.2126 * p.r + 0.7152 * p.g + 0.0722 * p.b; }

}  // namespace

TEST(RegressionFit, SummaryHasR2AndMaeOfEachSetValidationFirst) {
    plot::FitSpec spec;
    // R² = 1 - 1/5 = 0.8, MAE = 0.25; training is perfect.
    spec.sets.push_back({.actual = {1, 2}, .predicted = {1, 2}, .label = "training"});
    spec.sets.push_back({.actual = {1, 2, 3, 4}, .predicted = {1, 2, 3, 5}, .hollow = true, .label = "validation"});
    EXPECT_EQ(plot::fit_summary(spec), "validation: R\u00b2 0.800, MAE 0.25 \u00b7 training: R\u00b2 1.000, MAE 0");
    // A constant target has no R²; non-finite pairs are skipped.
    spec.sets = {{.actual = {3, 3, NAN}, .predicted = {2, 4, 1}, .label = "data"}};
    EXPECT_EQ(plot::fit_summary(spec), "data: R\u00b2 n/a, MAE 1");
}

TEST(RegressionFit, PredictedVsActualPutsPerfectRowsOnTheDiagonal) {
    TempDir dir;
    const std::string path = dir.file("pva.png");
    plot::predicted_vs_actual(two_sets(), {.width = 400, .height = 400, .title = "fit", .legend = false}, path);
    Image image(path);
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image.width(), 400);
    // Training markers (blue) lie along a line rising to the right: x and y pixel
    // positions strongly anti-correlated (image y grows downwards).
    double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
    int n = 0;
    for (int y = 60; y < image.height(); ++y)  // below the title strip
        for (int x = 0; x < image.width(); ++x)
            if (bluish(image.at(x, y)) && image.at(x, y).b > 150) sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y, ++n;
    ASSERT_GT(n, 100);
    const double cov = sxy / n - sx / n * sy / n, corr = cov / std::sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n));
    EXPECT_LT(corr, -0.95);
    // The validation rows (actual 7-8, predicted ~0) sit at the bottom right, below and right of the training centre.
    const auto [ox, oy, on] = centroid(image, orangish);
    EXPECT_GT(on, 20);
    EXPECT_GT(ox, sx / n + 50);
    EXPECT_GT(oy, sy / n + 50);
}

TEST(RegressionFit, ResidualsAboveZeroForUnderpredictedRows) {
    TempDir dir;
    plot::FitSpec spec;
    // Training over-predicted (residual -1), validation under-predicted (residual +2).
    spec.sets.push_back({.actual = {0, 1, 2, 3}, .predicted = {1, 2, 3, 4}, .label = "training"});
    spec.sets.push_back({.actual = {3, 4, 5}, .predicted = {1, 2, 3}, .hollow = true, .label = "validation"});
    const std::string path = dir.file("res.png");
    plot::residuals(spec, {.width = 400, .height = 300, .legend = false}, path);
    Image image(path);
    ASSERT_TRUE(image.ok());
    const auto [bx, by, bn] = centroid(image, [](Pixel p) { return bluish(p) && p.b > 150; });
    const auto [ox, oy, on] = centroid(image, orangish);
    ASSERT_GT(bn, 20);
    ASSERT_GT(on, 20);
    EXPECT_LT(oy + 40, by) << "positive residuals are drawn above negative ones";
    // The dashed zero line lies between them: a row of dark pixels at the midpoint's height.
    int dark = 0;
    const int zero_row = static_cast<int>(std::lround(by - (by - oy) / 3));  // residual 0 on a -1..2 spread
    for (int y = zero_row - 3; y <= zero_row + 3; ++y)
        for (int x = 0; x < image.width(); ++x) dark += luminance(image.at(x, y)) < 160;
    EXPECT_GT(dark, 120) << "no dashed line at the zero row " << zero_row;
}

TEST(RegressionFit, BadSpecsAreRefused) {
    TempDir dir;
    plot::FitSpec spec;
    spec.sets.push_back({.actual = {1, 2}, .predicted = {1}});
    EXPECT_THROW(plot::predicted_vs_actual(spec, {}, dir.file("a.png")), plexus::ShapeError);
    spec.sets = {{.actual = {NAN}, .predicted = {1}}};
    EXPECT_THROW(plot::residuals(spec, {}, dir.file("b.png")), plexus::ConfigError);
    EXPECT_THROW(plot::residuals(two_sets(), {}, dir.file("c.txt")), plexus::ConfigError);
    EXPECT_TRUE(dir.files().empty()) << "a refused picture leaves no file";
    const std::string svg = plot::render_to_bytes(".svg", [](const std::string& p) { plot::residuals(two_sets(), {}, p); });
    EXPECT_NE(svg.find("<svg"), std::string::npos);
}

namespace {

// The value equals x over kRange: dark on the left, yellow on the right.
plot::ValueSurfaceSpec ramp_spec() {
    plot::ValueSurfaceSpec spec;
    spec.predict = [](const Matrix& in) { return Matrix(in.col(0)); };
    spec.range = kRange;
    spec.resolution = 80;
    return spec;
}

}  // namespace

TEST(ValueSurface, ColourFollowsThePredictionAndPointsTheirTarget) {
    TempDir dir;
    auto spec = ramp_spec();
    // A training point whose target (2, the top of the scale) is far above the field
    // around it (-1.5), and one whose target matches its field.
    plot::ValuePointSet set;
    set.xy.resize(2, 2);
    set.xy << Scalar(-1.5), Scalar(0.5), Scalar(1.0), Scalar(-0.5);
    set.values = {2.0, 1.0};
    spec.points.push_back(set);
    const std::string path = dir.file("surface.png");
    plot::value_surface(spec, bare_style(), path);
    Image image(path);
    ASSERT_TRUE(image.ok());
    // Lightness rises monotonically with x along a row free of points.
    double last = -1;
    for (double x = -1.9; x < 2; x += 0.3) {
        const double l = luminance(image.at(px(x, 200), py(0.0, 100)));
        EXPECT_GT(l, last) << "at x = " << x;
        last = l;
    }
    const Pixel low = image.at(px(-1.9, 200), py(0, 100)), high = image.at(px(1.9, 200), py(0, 100));
    EXPECT_GT(low.b, low.g) << "low values are purple";
    EXPECT_GT(high.r + high.g, 350) << "high values are yellow";
    // The mispredicted point shows its own (high) target colour over a dark field.
    const Pixel marker = image.at(px(-1.5, 200), py(0.5, 100)), around = image.at(px(-1.5, 200), py(0.0, 100));
    EXPECT_GT(luminance(marker), luminance(around) + 100);
    // The well-predicted point matches the field around it.
    const Pixel good = image.at(px(1.0, 200), py(-0.5, 100)), beside = image.at(px(1.0, 200), py(0.0, 100));
    EXPECT_LE(distance(good, beside), 30);
}

TEST(ValueSurface, OutsideSupportIsHatchedAndTheColourBarSpansTheScale) {
    TempDir dir;
    auto spec = ramp_spec();
    spec.in_support = [](double x, double) { return x < 1; };
    spec.value_name = "target";
    const std::string path = dir.file("support.png");
    plot::value_surface(spec, bare_style(400, 200), path);
    Image image(path);
    const int y0 = py(0.6, 200);
    auto changes = [&](double x) {  // colour changes along a short row: hatch lines cross it
        int n = 0;
        for (int dx = -12; dx < 12; ++dx) n += distance(image.at(px(x, 400) + dx, y0), image.at(px(x, 400) + dx + 1, y0)) > 25;
        return n;
    };
    EXPECT_EQ(changes(0.5), 0);
    EXPECT_GE(changes(1.5), 4);

    // With the full layout, a colour bar: yellow at its top, purple at its bottom.
    plot::Style style;
    style.width = 500, style.height = 300;
    plot::value_surface(spec, style, dir.file("full.png"));
    Image full(dir.file("full.png"));
    ASSERT_TRUE(full.ok());
    bool found = false;
    for (int x = full.width() - 1; x > full.width() / 2 && !found; --x) {
        int top = -1, bottom = -1;
        for (int y = 0; y < full.height(); ++y) {
            const Pixel p = full.at(x, y);
            if (top < 0 && p.r > 200 && p.g > 200 && p.b < 90) top = y;
            if (p.r > 50 && p.r < 90 && p.g < 20 && p.b > 70) bottom = y;
        }
        found = top >= 0 && bottom > top + 100;
    }
    EXPECT_TRUE(found) << "no vertical colour bar from yellow to purple in the right part";
}

TEST(ValueSurface, BadSpecsAreRefused) {
    TempDir dir;
    auto spec = ramp_spec();
    spec.predict = [](const Matrix& in) { return Matrix(Matrix::Zero(in.rows(), 2)); };
    EXPECT_THROW(plot::value_surface(spec, {}, dir.file("a.png")), plexus::ShapeError);
    spec = ramp_spec();
    spec.predict = nullptr;
    EXPECT_THROW(plot::value_surface(spec, {}, dir.file("b.png")), plexus::ConfigError);
    spec = ramp_spec();
    spec.range.reset();
    EXPECT_THROW(plot::value_surface(spec, {}, dir.file("c.png")), plexus::ConfigError);  // no points, no range
    plot::ValuePointSet set;
    set.xy = Matrix::Zero(3, 2);
    set.values = {1};
    spec.points = {set};
    EXPECT_THROW(plot::value_surface(spec, {}, dir.file("d.png")), plexus::ShapeError);
    EXPECT_TRUE(dir.files().empty());
}
