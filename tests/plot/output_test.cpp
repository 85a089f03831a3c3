// Output formats and file handling shared by every plot: PNG/SVG/PDF by extension,
// sizes and DPI, atomic writes that leave no temporary files behind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "plot_test_util.hpp"

using namespace plot_test;
namespace plot = plexus::plot;

TEST(PlotOutput, SvgIsXmlWithAnSvgElement) {
    TempDir dir;
    auto spec = regions_spec();
    spec.points.push_back(points({{-1, 0}, {1, 0}}, {0, 1}, false, "training"));
    plot::Style style;
    style.width = 240, style.height = 160;
    plot::decision_regions(spec, style, dir.file("regions.svg"));
    const std::string svg = read_all(dir.file("regions.svg"));
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("</svg>"), std::string::npos);
    EXPECT_NE(svg.find("240"), std::string::npos);
}

TEST(PlotOutput, PdfStartsWithPdfMagic) {
    TempDir dir;
    plot::Style style;
    style.width = 240, style.height = 160, style.dpi = 144;
    plot::decision_regions(regions_spec(), style, dir.file("regions.PDF"));
    const std::string pdf = read_all(dir.file("regions.PDF"));
    EXPECT_EQ(pdf.rfind("%PDF", 0), 0u);
    EXPECT_NE(pdf.find("%%EOF"), std::string::npos);
}

TEST(PlotOutput, DpiScalesTextNotSize) {
    TempDir dir;
    plot::Style style;
    style.width = 300, style.height = 200;
    plot::CurvesSpec spec;
    spec.panels = {{{"loss", {1.0, 0.5, 0.3}, false}}};
    auto ink = [&](double dpi) {
        style.dpi = dpi;
        plot::learning_curves(spec, style, dir.file("dpi.png"));
        Image image(dir.file("dpi.png"));
        EXPECT_EQ(image.width(), 300);
        EXPECT_EQ(image.height(), 200);
        int dark = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) dark += image.at(x, y).r < 100;
        return dark;
    };
    EXPECT_GT(ink(192), ink(96) * 3 / 2);
}

TEST(PlotOutput, UnknownExtensionIsAConfigErrorListingFormats) {
    TempDir dir;
    try {
        plot::decision_regions(regions_spec(), bare_style(), dir.file("regions.jpg"));
        FAIL() << "expected ConfigError";
    } catch (const plexus::ConfigError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("regions.jpg"), std::string::npos);
        EXPECT_NE(what.find(".png"), std::string::npos);
        EXPECT_NE(what.find(".svg"), std::string::npos);
        EXPECT_NE(what.find(".pdf"), std::string::npos);
    }
    EXPECT_THROW(plot::decision_regions(regions_spec(), bare_style(), dir.file("noextension")),
                 plexus::ConfigError);
    EXPECT_TRUE(dir.files().empty());
}

TEST(PlotOutput, BadStyleIsAConfigError) {
    TempDir dir;
    plot::Style style = bare_style();
    style.width = 0;
    EXPECT_THROW(plot::decision_regions(regions_spec(), style, dir.file("a.png")), plexus::ConfigError);
    style = bare_style();
    style.dpi = 0;
    EXPECT_THROW(plot::decision_regions(regions_spec(), style, dir.file("a.png")), plexus::ConfigError);
}

TEST(PlotOutput, UnwritablePathIsAnIoErrorAndLeavesNoTempFiles) {
    TempDir dir;
    const std::string missing = dir.file("no/such/dir/regions.png");
    try {
        plot::decision_regions(regions_spec(), bare_style(), missing);
        FAIL() << "expected IoError";
    } catch (const plexus::IoError& e) {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos);
    }
    // A directory where the file should go: the rename fails after rendering.
    ASSERT_EQ(mkdir(dir.file("taken.png").c_str(), 0755), 0);
    EXPECT_THROW(plot::decision_regions(regions_spec(), bare_style(), dir.file("taken.png")),
                 plexus::IoError);
    EXPECT_EQ(dir.files(), std::vector<std::string>{"taken.png"});
    rmdir(dir.file("taken.png").c_str());
}

TEST(PlotOutput, FailedRenderLeavesNoTempFileAndKeepsOldFile) {
    TempDir dir;
    const std::string path = dir.file("regions.png");
    plot::decision_regions(regions_spec(), bare_style(), path);
    const std::string before = read_all(path);
    auto spec = regions_spec();
    spec.predict = [](const Matrix& in) -> Matrix {
        if (in.rows() > 1) throw std::runtime_error("model exploded");
        return two_class_probabilities(in);
    };
    EXPECT_THROW(plot::decision_regions(spec, bare_style(), path), std::runtime_error);
    EXPECT_EQ(dir.files(), std::vector<std::string>{"regions.png"});
    EXPECT_EQ(read_all(path), before);
}

TEST(PlotOutput, WrittenFileRespectsUmask) {
    TempDir dir;
    plot::decision_regions(regions_spec(), bare_style(), dir.file("mode.png"));
    struct stat st {};
    ASSERT_EQ(stat(dir.file("mode.png").c_str(), &st), 0);
    EXPECT_TRUE(st.st_mode & S_IRUSR);
    EXPECT_TRUE(st.st_mode & S_IWUSR);
    const mode_t mask = umask(0);
    umask(mask);
    EXPECT_EQ(st.st_mode & 0777, 0666 & ~mask);
}

TEST(PlotOutput, RenderToBytesWritesNoFileAndMatchesTheFile) {
    TempDir dir;
    plot::Style style;
    style.width = 240, style.height = 160;
    const auto spec = regions_spec();
    const std::string png = plot::render_to_bytes(".png", [&](const std::string& path) { plot::decision_regions(spec, style, path); });
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(png.substr(0, 4), "\x89PNG");
    plot::decision_regions(spec, style, dir.file("same.png"));
    EXPECT_EQ(png, read_all(dir.file("same.png")));
    const std::string svg = plot::render_to_bytes(".svg", [&](const std::string& path) { plot::decision_regions(spec, style, path); });
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    // Nothing named like the in-memory path reached the working folder.
    for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::current_path()))
        EXPECT_EQ(entry.path().filename().string().find("plexus-in-memory"), std::string::npos);
    // A draw that ignores its path is an error, not an empty picture.
    EXPECT_THROW(plot::render_to_bytes(".png", [](const std::string&) {}), plexus::IoError);
}
