// Learning curves: panels, dashed validation curves, log scale and doctor markers.
#include <gtest/gtest.h>

#include <cmath>

#include "plot_test_util.hpp"

using namespace plot_test;
namespace plot = plexus::plot;

namespace {

plot::CurvesSpec history(int epochs) {
    plot::Curve loss{"loss", {}, false}, val_loss{"val_loss", {}, true};
    plot::Curve acc{"accuracy", {}, false}, val_acc{"val_accuracy", {}, true};
    for (int e = 1; e <= epochs; ++e) {
        loss.values.push_back(std::exp(-0.15 * e));
        val_loss.values.push_back(std::exp(-0.12 * e) + 0.01 * e);
        acc.values.push_back(1 - 0.5 * std::exp(-0.2 * e));
        val_acc.values.push_back(1 - 0.55 * std::exp(-0.18 * e));
    }
    plot::CurvesSpec spec;
    spec.panels = {{loss, val_loss}, {acc, val_acc}};
    spec.panel_titles = {"loss", "accuracy"};
    return spec;
}

int count(const Image& image, bool (*pred)(Pixel)) {
    int n = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) n += pred(image.at(x, y));
    return n;
}

}  // namespace

TEST(LearningCurves, RendersPanelsWithCurves) {
    TempDir dir;
    plot::Style style;
    style.width = 480, style.height = 220, style.title = "Training";
    plot::learning_curves(history(30), style, dir.file("curves.png"));
    Image image(dir.file("curves.png"));
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image.width(), 480);
    EXPECT_EQ(image.height(), 220);
    // Blue curves (Okabe-Ito blue) in the left panel, green in the right one.
    int left_blue = 0, right_green = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const Pixel p = image.at(x, y);
            if (x < 240 && distance(p, {0x00, 0x72, 0xB2}) < 60) ++left_blue;
            if (x >= 240 && distance(p, {0x00, 0x9E, 0x73}) < 60) ++right_green;
        }
    EXPECT_GT(left_blue, 150);
    EXPECT_GT(right_green, 150);
}

TEST(LearningCurves, LogScaleWithMarkersRenders) {
    TempDir dir;
    auto spec = history(40);
    spec.log_y = true;
    spec.panels[0][0].values[5] = std::nan("");  // a gap
    spec.panels[0][1].values[7] = -1;            // not drawable on a log axis: a gap
    spec.markers = {{12, "plateau", "warning"}, {30, "overfitting", "error"}};
    plot::Style style;
    style.width = 400, style.height = 200;
    for (const char* name : {"log.png", "log.svg", "log.pdf"})
        plot::learning_curves(spec, style, dir.file(name));
    Image image(dir.file("log.png"));
    ASSERT_TRUE(image.ok());
    // Both markers show in their severity colours.
    EXPECT_GT(count(image, [](Pixel p) { return distance(p, {0xE6, 0x9F, 0x00}) < 60; }), 40);
    EXPECT_GT(count(image, [](Pixel p) { return distance(p, {0xD5, 0x5E, 0x00}) < 60; }), 40);
    EXPECT_EQ(read_all(dir.file("log.pdf")).rfind("%PDF", 0), 0u);
}

TEST(LearningCurves, SingleEpochAndManyPanels) {
    TempDir dir;
    plot::CurvesSpec spec;
    for (int i = 0; i < 5; ++i) {
        std::string name = "q";
        name += std::to_string(i);  // not "q" + ...: GCC 12 -Wrestrict false positive at -O3
        spec.panels.push_back({{name, {0.5}, false}});
    }
    plot::Style style;
    style.width = 300, style.height = 240;
    plot::learning_curves(spec, style, dir.file("many.png"));
    EXPECT_TRUE(Image(dir.file("many.png")).ok());
}

TEST(LearningCurves, RejectsBadSpecs) {
    TempDir dir;
    plot::Style style;
    EXPECT_THROW(plot::learning_curves({}, style, dir.file("a.png")), plexus::ConfigError);
    auto spec = history(3);
    spec.panel_titles = {"only one"};
    EXPECT_THROW(plot::learning_curves(spec, style, dir.file("a.png")), plexus::ConfigError);
    EXPECT_TRUE(dir.files().empty());
}
