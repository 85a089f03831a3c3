// Training animations: a PNG grid of frames and a looping GIF with one frame per epoch.
#include <gif_lib.h>
#include <gtest/gtest.h>

#include "plot_test_util.hpp"

using namespace plot_test;
namespace plot = plexus::plot;

namespace {

// The boundary moves from x = -1 to x = +1 over the epochs.
plot::AnimationSpec moving_boundary(int frames) {
    plot::AnimationSpec spec;
    for (int f = 0; f < frames; ++f) {
        const Scalar edge = frames > 1 ? Scalar(-1 + 2.0 * f / (frames - 1)) : 0;
        spec.epochs.push_back(1 + 5 * f);
        spec.predict_at.push_back([edge](const Matrix& in) {
            Matrix p(in.rows(), 1);
            for (plexus::Index i = 0; i < in.rows(); ++i)
                p(i, 0) = in(i, 0) < edge ? Scalar(0.1) : Scalar(0.9);
            return p;
        });
    }
    spec.base = regions_spec();
    spec.base.resolution = 50;
    spec.base.points.push_back(points({{-1.5, 0}, {1.5, 0}}, {0, 1}, false, "training"));
    return spec;
}

}  // namespace

TEST(Animation, GridHasOneCellPerFrame) {
    TempDir dir;
    plot::Style style;
    style.width = 160, style.height = 120;
    auto spec = moving_boundary(5);  // auto: 3 columns, 2 rows
    plot::animation_grid(spec, style, dir.file("grid.png"));
    Image image(dir.file("grid.png"));
    ASSERT_TRUE(image.ok());
    EXPECT_EQ(image.width(), 3 * 160);
    EXPECT_EQ(image.height(), 2 * 120);
    spec.columns = 5;
    plot::animation_grid(spec, style, dir.file("row.png"));
    Image row(dir.file("row.png"));
    EXPECT_EQ(row.width(), 5 * 160);
    EXPECT_EQ(row.height(), 120);
    // The last cell is orange on the right of its field only at the far right
    // (boundary at x = +1): the middle of the cell is still blue.
    EXPECT_TRUE(bluish(row.at(4 * 160 + 80, 60))) << "last frame, centre";
    EXPECT_TRUE(orangish(row.at(80, 60))) << "first frame, centre";
}

TEST(Animation, GifHasOneFramePerEpochAndLoops) {
    TempDir dir;
    plot::Style style;
    style.width = 160, style.height = 110;
    auto spec = moving_boundary(4);
    spec.frame_delay_cs = 20;
    const std::string path = dir.file("train.gif");
    plot::animation_gif(spec, style, path);
    int error = 0;
    GifFileType* gif = DGifOpenFileName(path.c_str(), &error);
    ASSERT_NE(gif, nullptr);
    ASSERT_EQ(DGifSlurp(gif), GIF_OK);
    EXPECT_EQ(gif->ImageCount, 4);
    EXPECT_EQ(gif->SWidth, 160);
    EXPECT_EQ(gif->SHeight, 110);
    GraphicsControlBlock gcb;
    ASSERT_EQ(DGifSavedExtensionToGCB(gif, 0, &gcb), GIF_OK);
    EXPECT_EQ(gcb.DelayTime, 20);
    bool loops = false;
    for (int i = 0; i < gif->ExtensionBlockCount; ++i)
        loops |= gif->ExtensionBlocks[i].ByteCount == 11 &&
                 std::string(reinterpret_cast<char*>(gif->ExtensionBlocks[i].Bytes), 11) == "NETSCAPE2.0";
    for (int f = 0; f < gif->ImageCount && !loops; ++f)
        for (int i = 0; i < gif->SavedImages[f].ExtensionBlockCount; ++i)
            loops |= gif->SavedImages[f].ExtensionBlocks[i].ByteCount == 11 &&
                     std::string(reinterpret_cast<char*>(gif->SavedImages[f].ExtensionBlocks[i].Bytes), 11) ==
                         "NETSCAPE2.0";
    EXPECT_TRUE(loops);
    // Frames differ: the boundary moves.
    const auto& a = gif->SavedImages[0].RasterBits;
    const auto& b = gif->SavedImages[3].RasterBits;
    int different = 0;
    for (int i = 0; i < 160 * 110; ++i) different += a[i] != b[i];
    EXPECT_GT(different, 1000);
    DGifCloseFile(gif, &error);
}

TEST(Animation, RejectsBadSpecsAndPaths) {
    TempDir dir;
    plot::Style style;
    style.width = 100, style.height = 80;
    auto spec = moving_boundary(3);
    spec.epochs.pop_back();
    EXPECT_THROW(plot::animation_gif(spec, style, dir.file("a.gif")), plexus::ConfigError);
    EXPECT_THROW(plot::animation_gif(moving_boundary(2), style, dir.file("a.png")), plexus::ConfigError);
    EXPECT_THROW(plot::animation_gif(moving_boundary(2), style, dir.file("missing/a.gif")), plexus::IoError);
    EXPECT_THROW(plot::animation_grid(moving_boundary(2), style, dir.file("missing/a.png")), plexus::IoError);
    EXPECT_TRUE(dir.files().empty());
}
