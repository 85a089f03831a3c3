// Labels as std::vector<int> / std::span<const int> as well as (n, 1) matrices:
// to_categorical, label_column, Dataset::labels and confusion_matrix.
#include <gtest/gtest.h>

#include <array>
#include <span>
#include <vector>

#include "plexus/core/error.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/losses/loss.hpp"
#include "plexus/metrics/metrics.hpp"
#include "plexus/model/sequential.hpp"
#include "plexus/layers/dense.hpp"

namespace plexus {
namespace {

TEST(Labels, ToCategoricalFromVectorMatchesMatrix) {
    const std::vector<int> labels = {0, 2, 1, 2};
    Matrix as_matrix(4, 1);
    as_matrix << 0, 2, 1, 2;
    const Matrix from_vector = to_categorical(labels, 3);
    ASSERT_EQ(from_vector.rows(), 4);
    ASSERT_EQ(from_vector.cols(), 3);
    EXPECT_EQ(from_vector, to_categorical(as_matrix, 3));
    EXPECT_EQ(from_vector(1, 2), 1);
    EXPECT_EQ(from_vector.row(1).sum(), 1);
}

TEST(Labels, ToCategoricalFromSpanAndArray) {
    const std::array<int, 3> labels = {1, 0, 1};
    const Matrix y = to_categorical(std::span<const int>(labels), 2);
    EXPECT_EQ(y(0, 1), 1);
    EXPECT_EQ(y(1, 0), 1);
    EXPECT_EQ(to_categorical(labels, 2), y);
}

TEST(Labels, ToCategoricalRejectsOutOfRangeLabels) {
    try {
        to_categorical(std::vector<int>{0, 3}, 3);
        FAIL() << "no error";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("label 3 in row 1"), std::string::npos) << e.what();
    }
    EXPECT_THROW(to_categorical(std::vector<int>{-1}, 2), DataError);
    EXPECT_THROW(to_categorical(std::vector<int>{0}, 0), ConfigError);
}

TEST(Labels, ToCategoricalRejectsAMatrixOfSeveralColumns) {
    const Matrix one_hot = to_categorical(std::vector<int>{0, 1}, 2);
    try {
        to_categorical(one_hot, 2);
        FAIL() << "no error";
    } catch (const ShapeError& e) {
        EXPECT_NE(std::string(e.what()).find("(2, 2)"), std::string::npos) << e.what();
    }
}

TEST(Labels, LabelColumnAndDatasetLabels) {
    const Dataset data = make_dataset("gaussians", {.samples = 30, .seed = 3, .classes = 3});
    const std::vector<int> labels = data.labels();
    ASSERT_EQ(labels.size(), 30u);
    for (Index i = 0; i < data.rows(); ++i) EXPECT_EQ(labels[static_cast<std::size_t>(i)], data.label(i));
    EXPECT_EQ(label_column(labels), data.y);
}

TEST(Labels, FitTakesLabelVectorsThroughTheHelpers) {
    const Dataset data = make_dataset("moons", {.samples = 40, .seed = 1});
    Sequential model({Dense({.units = 4, .activation = "tanh", .input_dim = 2}), Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = {.name = "adam"}, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
    const History h = model.fit(data.x, label_column(data.labels()), {.epochs = 2, .seed = 1, .verbose = 0});
    EXPECT_EQ(h.epoch.size(), 2u);
}

TEST(Labels, ConfusionMatrixTakesSpans) {
    const std::vector<int> truth = {0, 1, 1, 2};
    const std::array<int, 4> predicted = {0, 1, 2, 2};
    const Eigen::MatrixXi m = confusion_matrix(truth, predicted, 3);
    EXPECT_EQ(m(1, 2), 1);
    EXPECT_EQ(m(2, 2), 1);
    EXPECT_EQ(m.sum(), 4);
}

}  // namespace
}  // namespace plexus
