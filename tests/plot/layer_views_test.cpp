// Layer views: a row per hidden layer with the mapped grid and points (direct, PCA
// or 1-D) and one heatmap per unit.
#include <gtest/gtest.h>

#include <cmath>

#include "plot_test_util.hpp"

using namespace plot_test;
namespace plot = plexus::plot;

namespace {

// Three hidden layers of 2, 5 and 1 units: a rotation, a tanh lift and a sum.
std::vector<Matrix> three_layers(const Matrix& in) {
    Matrix a(in.rows(), 2), b(in.rows(), 5), c(in.rows(), 1);
    for (plexus::Index i = 0; i < in.rows(); ++i) {
        const Scalar x = in(i, 0), y = in(i, 1);
        a(i, 0) = std::tanh(x + y), a(i, 1) = std::tanh(x - y);
        for (int u = 0; u < 5; ++u)
            b(i, u) = std::tanh(Scalar(u - 2) * a(i, 0) + Scalar(0.5) * a(i, 1) * Scalar(u));
        c(i, 0) = b.row(i).sum();
    }
    return {a, b, c};
}

plot::LayersSpec layers_spec() {
    plot::LayersSpec spec;
    spec.layer_outputs = three_layers;
    spec.layer_names = {"dense 1 (tanh)", "dense 2 (tanh)", "dense 3 (linear)"};
    spec.points = points({{-1.5, 0.5}, {-1, -0.5}, {1, 0.2}, {1.5, -0.8}}, {0, 0, 1, 1}, false, "training");
    spec.class_names = {"blue", "orange"};
    spec.input_range = kRange;
    spec.grid_lines = 8;
    spec.heatmap_resolution = 20;
    return spec;
}

}  // namespace

TEST(LayerViews, RendersOneRowPerLayerWithHeatmaps) {
    TempDir dir;
    plot::Style style;
    style.width = 420, style.height = 420, style.title = "Layers";
    plot::layer_views(layers_spec(), style, dir.file("layers.png"));
    Image image(dir.file("layers.png"));
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image.width(), 420);
    EXPECT_EQ(image.height(), 420);
    // Heatmaps use both sides of the diverging palette.
    int blue = 0, orange = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = image.width() / 2; x < image.width(); ++x) {
            blue += bluish(image.at(x, y));
            orange += orangish(image.at(x, y));
        }
    EXPECT_GT(blue, 500);
    EXPECT_GT(orange, 500);
    for (const char* name : {"layers.svg", "layers.pdf"})
        plot::layer_views(layers_spec(), style, dir.file(name));
    const std::string svg = read_all(dir.file("layers.svg"));
    EXPECT_NE(svg.find("<svg"), std::string::npos);
}

TEST(LayerViews, RejectsBadSpecs) {
    TempDir dir;
    plot::Style style;
    style.width = 200, style.height = 200;
    auto spec = layers_spec();
    spec.layer_names.pop_back();
    EXPECT_THROW(plot::layer_views(spec, style, dir.file("a.png")), plexus::ConfigError);
    spec = layers_spec();
    spec.layer_outputs = [](const Matrix&) { return std::vector<Matrix>{}; };
    EXPECT_THROW(plot::layer_views(spec, style, dir.file("a.png")), plexus::ConfigError);
    spec = layers_spec();
    spec.layer_outputs = [](const Matrix& in) { return std::vector<Matrix>{Matrix::Zero(in.rows() - 1, 3)}; };
    spec.layer_names.clear();
    EXPECT_THROW(plot::layer_views(spec, style, dir.file("a.png")), plexus::ShapeError);
    spec = layers_spec();
    spec.input_range = {1, 0, 0, 1};
    EXPECT_THROW(plot::layer_views(spec, style, dir.file("a.png")), plexus::ConfigError);
    EXPECT_TRUE(dir.files().empty());
}
