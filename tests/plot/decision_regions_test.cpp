// Decision regions are checked by what the picture shows: class colours where the
// classifier is sure, a hatched veil outside the support, filled and hollow markers.
#include <gtest/gtest.h>

#include "plot_test_util.hpp"

using namespace plot_test;
namespace plot = plexus::plot;

TEST(DecisionRegions, FullLayoutHasRequestedSizeAndBothClassColours) {
    TempDir dir;
    auto spec = regions_spec();
    spec.points.push_back(points({{-1.5, 0.5}, {1.5, -0.5}}, {0, 1}, false, "training"));
    spec.points.push_back(points({{-1.0, -0.5}}, {0}, true, "validation"));
    plot::Style style;
    style.width = 320, style.height = 200, style.title = "Two classes";
    const std::string path = dir.file("regions.png");
    plot::decision_regions(spec, style, path);
    Image image(path);
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image.width(), 320);
    EXPECT_EQ(image.height(), 200);
    // Along the middle row: a long run of blue, then (to its right) a long run of orange.
    int blue = 0, orange = 0, first_blue = -1, last_blue = -1, first_orange = -1;
    for (int x = 0; x < image.width(); ++x) {
        const Pixel p = image.at(x, image.height() / 2);
        if (bluish(p)) ++blue, last_blue = x, first_blue = first_blue < 0 ? x : first_blue;
        if (orangish(p)) ++orange, first_orange = first_orange < 0 ? x : first_orange;
    }
    EXPECT_GT(blue, 40);
    EXPECT_GT(orange, 20);
    EXPECT_LT(first_blue, first_orange);
    EXPECT_LE(last_blue, first_orange + 2);
}

TEST(DecisionRegions, ClassColoursDeepInsideEachRegion) {
    TempDir dir;
    for (bool sigmoid : {false, true}) {
        auto spec = regions_spec();
        if (sigmoid) spec.predict = sigmoid_probability;
        spec.in_support = nullptr;
        const std::string path = dir.file(sigmoid ? "sigmoid.png" : "softmax.png");
        plot::decision_regions(spec, bare_style(), path);
        Image image(path);
        ASSERT_TRUE(image.ok());
        const Pixel inside0 = image.at(px(-1, 200), py(0.5, 100));
        const Pixel inside1 = image.at(px(1, 200), py(0.5, 100));
        EXPECT_TRUE(bluish(inside0)) << inside0.r << "," << inside0.g << "," << inside0.b;
        EXPECT_TRUE(orangish(inside1)) << inside1.r << "," << inside1.g << "," << inside1.b;
        // Near the boundary (x = 0) the dark contour line is drawn.
        int darkest = 3 * 255;
        for (int x = px(0, 200) - 3; x <= px(0, 200) + 3; ++x) {
            const Pixel p = image.at(x, py(0.5, 100));
            darkest = std::min(darkest, p.r + p.g + p.b);
        }
        EXPECT_LT(darkest, 200);
    }
}

TEST(DecisionRegions, LightnessFollowsConfidence) {
    TempDir dir;
    auto spec = regions_spec();
    spec.in_support = nullptr;
    // Class 0 everywhere; confident on the left, barely above 1/2 on the right.
    spec.predict = [](const Matrix& in) {
        Matrix p(in.rows(), 2);
        for (plexus::Index i = 0; i < in.rows(); ++i) {
            const Scalar p0 = in(i, 0) < 0 ? Scalar(0.99) : Scalar(0.55);
            p(i, 0) = p0, p(i, 1) = 1 - p0;
        }
        return p;
    };
    const std::string path = dir.file("confidence.png");
    plot::decision_regions(spec, bare_style(), path);
    Image image(path);
    const Pixel sure = image.at(px(-1, 200), 50), unsure = image.at(px(1, 200), 50);
    EXPECT_TRUE(bluish(sure));
    EXPECT_GT(unsure.r + unsure.g + unsure.b, sure.r + sure.g + sure.b + 150);  // paler
    EXPECT_GT(unsure.b, unsure.r);  // still tinted with class 0's colour
}

TEST(DecisionRegions, OutsideSupportIsHatchedAndVeiled) {
    TempDir dir;
    const auto spec = regions_spec();  // support: x < 1, class 1 on both sides of it
    const std::string path = dir.file("support.png");
    plot::decision_regions(spec, bare_style(400, 200), path);
    Image image(path);
    const int y0 = py(0.6, 200);
    const Pixel ref = image.at(px(0.5, 400), y0);  // class 1, inside the support
    // In a 24 x 24 patch: pixels that differ from the in-support colour, and dark
    // grey ones (hatch lines: much darker, less saturated than the orange field).
    auto patch = [&](double x) {
        int hatch = 0, distinct = 0;
        for (int dy = 0; dy < 24; ++dy)
            for (int dx = 0; dx < 24; ++dx) {
                const Pixel p = image.at(px(x, 400) - 12 + dx, y0 - 12 + dy);
                hatch += p.r + p.g + p.b < ref.r + ref.g + ref.b - 120 && p.r - p.b < ref.r - ref.b - 40;
                distinct += distance(p, ref) > 30;
            }
        return std::make_pair(hatch, distinct);
    };
    const auto outside = patch(1.5), inside = patch(0.5);
    EXPECT_EQ(inside.first, 0);
    EXPECT_EQ(inside.second, 0);
    EXPECT_GT(outside.first, 24);        // hatch lines cross the patch
    EXPECT_GT(outside.second, 24 * 20);  // and the veil greys every pixel
    const Pixel veiled = image.at(px(1.5, 400), py(-0.9, 200));
    EXPECT_LT(veiled.r - veiled.b, ref.r - ref.b) << "greyer than the same class inside the support";
}

TEST(DecisionRegions, HollowMarkerShowsFieldInsideAndClassColourOnRing) {
    TempDir dir;
    auto spec = regions_spec();
    spec.in_support = nullptr;
    // An orange (class 1) validation point inside the blue region, and a blue
    // training point inside the orange region.
    spec.points.push_back(points({{1.0, -0.4}}, {0}, false, "training"));
    spec.points.push_back(points({{-1.0, -0.4}}, {1}, true, "validation"));
    const std::string path = dir.file("markers.png");
    plot::decision_regions(spec, bare_style(), path);
    Image image(path);
    const int cy = py(-0.4, 100);
    const Pixel field = image.at(px(-1.5, 200), cy);
    const Pixel centre = image.at(px(-1.0, 200), cy);
    const Pixel ring = image.at(px(-1.0, 200) + 5, cy);
    EXPECT_LE(distance(centre, field), 12) << "hollow centre shows the field";
    EXPECT_TRUE(orangish(ring)) << ring.r << "," << ring.g << "," << ring.b;
    const Pixel filled = image.at(px(1.0, 200), cy);
    EXPECT_TRUE(bluish(filled));
    EXPECT_LE(distance(filled, {0x00, 0x72, 0xB2}), 12) << "filled marker is the full class colour";
}

TEST(DecisionRegions, MultiClassAndDefaultRange) {
    TempDir dir;
    plot::DecisionRegionsSpec spec;
    spec.predict = [](const Matrix& in) {  // three vertical bands
        Matrix p = Matrix::Constant(in.rows(), 3, Scalar(0.1));
        for (plexus::Index i = 0; i < in.rows(); ++i)
            p(i, in(i, 0) < -0.7 ? 0 : in(i, 0) < 0.7 ? 1 : 2) = Scalar(0.8);
        return p;
    };
    spec.points.push_back(points({{-2, -1}, {0, 0}, {2, 1}}, {0, 1, 2}, false, "training"));
    spec.resolution = 60;
    const std::string path = dir.file("three.png");
    plot::Style style = bare_style(240, 120);
    plot::decision_regions(spec, style, path);
    Image image(path);
    // Default range: points' box [-2, 2] + 10% = [-2.4, 2.4]; x = 1.5 is the green band.
    const Pixel green = image.at(static_cast<int>((1.5 + 2.4) / 4.8 * 240), 30);
    EXPECT_GT(green.g, green.r + 20);
    EXPECT_GT(green.g, green.b);
}

TEST(DecisionRegions, RejectsBadSpecs) {
    TempDir dir;
    auto spec = regions_spec();
    spec.predict = nullptr;
    EXPECT_THROW(plot::decision_regions(spec, bare_style(), dir.file("a.png")), plexus::ConfigError);
    spec = regions_spec();
    spec.class_names = {"a", "b", "c"};  // predict gives 2 classes
    EXPECT_THROW(plot::decision_regions(spec, bare_style(), dir.file("a.png")), plexus::ShapeError);
    spec = regions_spec();
    spec.points.push_back(points({{0, 0}}, {5}, false, "training"));
    EXPECT_THROW(plot::decision_regions(spec, bare_style(), dir.file("a.png")), plexus::ConfigError);
    spec = regions_spec();
    spec.range.reset();  // and no points
    EXPECT_THROW(plot::decision_regions(spec, bare_style(), dir.file("a.png")), plexus::ConfigError);
    EXPECT_TRUE(dir.files().empty());
}
