// Confusion matrix: renders in every format and the fullest cell is darkest.
#include <gtest/gtest.h>

#include "plot_test_util.hpp"

using namespace plot_test;
namespace plot = plexus::plot;

namespace {
int brightness(Pixel p) { return p.r + p.g + p.b; }
}  // namespace

TEST(ConfusionMatrix, MaxCountCellIsDarkest) {
    TempDir dir;
    plot::ConfusionSpec spec;
    spec.counts.resize(3, 3);
    // clang-format off
    spec.counts << 50, 2, 0,
                   5, 30, 5,
                   1, 9, 20;
    // clang-format on
    spec.class_names = {"circle", "moon", "spiral"};
    for (bool normalize : {false, true}) {
        spec.normalize = normalize;
        plot::Style style;
        style.width = 300, style.height = 300, style.axes = false;
        const std::string path = dir.file(normalize ? "norm.png" : "counts.png");
        plot::confusion_matrix(spec, style, path);
        Image image(path);
        ASSERT_TRUE(image.ok());
        EXPECT_EQ(image.width(), 300);
        // Without axes the 3x3 grid is centred in a square picture with 8 px padding.
        const double cell = (300 - 16) / 3.0;
        auto sample = [&](int i, int j) {  // near the corner, away from the text
            return image.at(static_cast<int>(8 + cell * j + 6), static_cast<int>(8 + cell * i + 6));
        };
        const int darkest = brightness(sample(0, 0));
        for (int i = 0; i < 3; ++i) {
            for (int j = 0; j < 3; ++j) {
                if (i != 0 || j != 0) {
                    EXPECT_LT(darkest, brightness(sample(i, j))) << i << "," << j;
                }
            }
        }
        EXPECT_GT(brightness(sample(0, 2)), 3 * 250);  // zero count: white
    }
}

TEST(ConfusionMatrix, RendersAllFormatsWithLabels) {
    TempDir dir;
    plot::ConfusionSpec spec;
    spec.counts = Eigen::MatrixXi::Identity(4, 4) * 10;
    spec.counts(1, 2) = 3;
    spec.class_names = {"a rather long class name", "b", "c", "d"};
    plot::Style style;
    style.width = 320, style.height = 280, style.title = "Confusion";
    for (const char* name : {"cm.png", "cm.svg", "cm.pdf"})
        plot::confusion_matrix(spec, style, dir.file(name));
    EXPECT_EQ(Image(dir.file("cm.png")).height(), 280);
    EXPECT_NE(read_all(dir.file("cm.svg")).find("<svg"), std::string::npos);
}

TEST(ConfusionMatrix, RejectsBadSpecs) {
    TempDir dir;
    plot::ConfusionSpec spec;
    spec.counts = Eigen::MatrixXi::Zero(2, 3);
    EXPECT_THROW(plot::confusion_matrix(spec, {}, dir.file("a.png")), plexus::ShapeError);
    spec.counts = Eigen::MatrixXi::Zero(2, 2);
    spec.class_names = {"one"};
    EXPECT_THROW(plot::confusion_matrix(spec, {}, dir.file("a.png")), plexus::ConfigError);
    EXPECT_TRUE(dir.files().empty());
}
