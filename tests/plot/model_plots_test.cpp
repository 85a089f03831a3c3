// The model-level pictures on the seed experiment: the decision regions of the
// tail-split run show the never-trained region hatched, the animation has one
// frame per recorded epoch, and the other pictures render.
#include <gif_lib.h>

#include "plexus/data/datasets.hpp"
#include "plexus/plexus.hpp"
#include "plexus/plot/model_plots.hpp"
#include "plot_test_util.hpp"

namespace {

using namespace plot_test;
using namespace plexus;

struct SeedRun {
    Sequential model;
    History history;
    plot::RunData run;
    std::shared_ptr<plot::SnapshotRecorder> snapshots;
};

SeedRun train_seed(Split split) {
    const Dataset data = make_dataset("seed-curves");
    SeedRun r;
    r.model = Sequential({Dense({.units = 4, .activation = "tanh", .input_dim = 2}), Dense({.units = 4, .activation = "tanh"}),
                          Dense({.units = 4, .activation = "tanh"}), Dense({.units = 4, .activation = "tanh"}),
                          Dense({.units = 2, .activation = "softmax"})});
    r.model.compile({.optimizer = {.name = "sgd"}, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    r.snapshots = std::make_shared<plot::SnapshotRecorder>(plot::SnapshotRecorder::spread(300, 6));
    r.history = r.model.fit(data.x, data.y, {.epochs = 300, .batch_size = 8, .validation_split = 0.2, .split = split,
                                             .verbose = 0, .callbacks = {r.snapshots}});
    r.run = plot::run_data(data, r.history.split);
    return r;
}

// Bare field over [0, 3π] × [-1, 2.2]: pixel coordinates follow directly.
constexpr double kXmax = 3 * 3.14159265358979, kYmin = -1, kYmax = 2.2;
int to_px(double x, int w) { return static_cast<int>(std::lround(x / kXmax * w)); }
int to_py(double y, int h) { return static_cast<int>(std::lround((kYmax - y) / (kYmax - kYmin) * h)); }

TEST(ModelPlots, SeedTailSplitShowsTheNeverTrainedRegion) {
    TempDir dir;
    SeedRun r = train_seed(Split::tail);
    EXPECT_EQ(r.run.x_train.rows(), 409);
    EXPECT_EQ(r.run.x_val.rows(), 103);
    const std::string path = dir.file("boundary.png");
    const int w = 600, h = 200;
    plot::decision_regions(r.model, r.run, {.width = w, .height = h, .axes = false, .legend = false}, path,
                           plot::Range{0, kXmax, kYmin, kYmax});
    Image image(path);
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image.width(), w);
    EXPECT_EQ(image.height(), h);
    // Just above the upper curve near x = 0 the model is sure of class 0 (blue), inside the support.
    EXPECT_TRUE(bluish(image.at(to_px(0.15, w), to_py(1.9, h))));
    // Past the data (x > 2π) the field is hatched and veiled: in a patch there, dark
    // hatch lines, and every pixel differs from the same class's colour inside the support.
    const Pixel inside = image.at(to_px(0.15, w), to_py(1.9, h));
    int hatch = 0, greyer = 0;
    for (int dx = -10; dx < 10; ++dx)
        for (int dy = -10; dy < 10; ++dy) {
            const Pixel p = image.at(to_px(8.3, w) + dx, to_py(0.6, h) + dy);
            hatch += p.r + p.g + p.b < inside.r + inside.g + inside.b - 60;
            greyer += p.b - p.r < inside.b - inside.r - 15;
        }
    EXPECT_GT(hatch, 10);
    EXPECT_GT(greyer, 20 * 20 * 3 / 4);
}

TEST(ModelPlots, CurvesLayersConfusionAndAnimation) {
    TempDir dir;
    SeedRun r = train_seed(Split::stratified);
    plot::learning_curves(r.history, {.width = 500, .height = 300}, dir.file("curves.svg"));
    EXPECT_NE(read_all(dir.file("curves.svg")).find("<svg"), std::string::npos);
    plot::layer_views(r.model, r.run, {.width = 900, .height = 700}, dir.file("layers.png"));
    EXPECT_TRUE(Image(dir.file("layers.png")).ok());
    plot::confusion_matrix(r.model, r.run.x_val, r.run.y_val, r.run.class_names, {.width = 300, .height = 300},
                           dir.file("confusion.pdf"));
    EXPECT_EQ(read_all(dir.file("confusion.pdf")).rfind("%PDF", 0), 0u);
    ASSERT_EQ(r.snapshots->recorded_epochs().size(), 6u);
    plot::animation(r.model, *r.snapshots, r.run, {.width = 200, .height = 150}, dir.file("frames.png"), dir.file("train.gif"));
    int error = 0;
    GifFileType* gif = DGifOpenFileName(dir.file("train.gif").c_str(), &error);
    ASSERT_NE(gif, nullptr);
    ASSERT_EQ(DGifSlurp(gif), GIF_OK);
    EXPECT_EQ(gif->ImageCount, 6);
    DGifCloseFile(gif, &error);
    Image frames(dir.file("frames.png"));
    EXPECT_EQ(frames.width(), 3 * 200);  // ceil(sqrt(6)) = 3 columns
    EXPECT_EQ(frames.height(), 2 * 150);
}

}  // namespace
