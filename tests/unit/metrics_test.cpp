// Metric values against hand-computed numbers (src/plexus/metrics/).
#include <gtest/gtest.h>

#include "plexus/plexus.hpp"

namespace plexus {
namespace {

Matrix rows(Index n, Index k, std::initializer_list<double> values) {
    Matrix m(n, k);
    Index i = 0;
    for (double v : values) m.data()[i++] = static_cast<Scalar>(v);
    return m;
}

constexpr double kEps = 1e-6;  // float build: the inputs are floats, the sums doubles

// Three classes, truth 0 0 1 1 2 2, predicted 0 1 1 1 0 2. Confusion (rows true):
// [1 1 0; 0 2 0; 1 0 1]. Precision 1/2, 2/3, 1 -> 13/18; recall 1/2, 1, 1/2 -> 2/3;
// F1 1/2, 4/5, 2/3 -> 59/90; accuracy 4/6.
TEST(Metrics, MulticlassMacroPrecisionRecallF1) {
    const Matrix truth = rows(6, 3, {1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1});
    const Matrix pred = rows(6, 3, {.7, .2, .1, .3, .5, .2, .1, .8, .1, .2, .6, .2, .5, .2, .3, .1, .1, .8});
    MetricSet m({"accuracy", "precision", "recall", "f1"}, 3, true);
    m.update(pred.topRows(4), truth.topRows(4));  // two batches accumulate
    m.update(pred.bottomRows(2), truth.bottomRows(2));
    const Logs r = m.result();
    EXPECT_NEAR(r.at("accuracy"), 4.0 / 6, kEps);
    EXPECT_NEAR(r.at("precision"), 13.0 / 18, kEps);
    EXPECT_NEAR(r.at("recall"), 2.0 / 3, kEps);
    EXPECT_NEAR(r.at("f1"), 59.0 / 90, kEps);
    Eigen::MatrixXd want(3, 3);
    want << 1, 1, 0, 0, 2, 0, 1, 0, 1;
    EXPECT_EQ(m.confusion(), want);
}

// The same with sparse (class-index) targets gives the same numbers.
TEST(Metrics, SparseTargetsAreClassIndices) {
    const Matrix truth = rows(6, 1, {0, 0, 1, 1, 2, 2});
    const Matrix pred = rows(6, 3, {.7, .2, .1, .3, .5, .2, .1, .8, .1, .2, .6, .2, .5, .2, .3, .1, .1, .8});
    MetricSet m({"acc", "f1_score"}, 3, true);
    m.update(pred, truth);
    EXPECT_NEAR(m.result().at("accuracy"), 4.0 / 6, kEps);
    EXPECT_NEAR(m.result().at("f1"), 59.0 / 90, kEps);
}

// One sigmoid unit: of the positive class (Keras). Truth 1 0 1 1 0, p .9 .6 .4 .7 .55
// -> predicted 1 1 0 1 1: TP 2, FP 2, FN 1, TN 0. Precision 1/2, recall 2/3, F1 4/7,
// accuracy 2/5. p = 0.5 counts as positive.
TEST(Metrics, SingleSigmoidUnitScoresThePositiveClass) {
    const Matrix truth = rows(5, 1, {1, 0, 1, 1, 0}), pred = rows(5, 1, {.9, .6, .4, .7, .55});
    MetricSet m({"accuracy", "precision", "recall", "f1"}, 1, true);
    m.update(pred, truth);
    const Logs r = m.result();
    EXPECT_NEAR(r.at("accuracy"), 2.0 / 5, kEps);
    EXPECT_NEAR(r.at("precision"), 1.0 / 2, kEps);
    EXPECT_NEAR(r.at("recall"), 2.0 / 3, kEps);
    EXPECT_NEAR(r.at("f1"), 4.0 / 7, kEps);
    MetricSet edge({"precision"}, 1, true);
    edge.update(rows(1, 1, {0.5}), rows(1, 1, {1}));
    EXPECT_EQ(edge.result().at("precision"), 1.0);
}

// Weights (sample weights, or class weights turned into per-row weights by fit) weight
// every count: with weights 1 2 1 1 3 on the case above, correct rows weigh 2 of 8,
// TP 2, FP 2 + 3, FN 1: accuracy 1/4, precision 2/7, recall 2/3.
TEST(Metrics, WeightsWeightTheCounts) {
    const Matrix truth = rows(5, 1, {1, 0, 1, 1, 0}), pred = rows(5, 1, {.9, .6, .4, .7, .55});
    const std::vector<Scalar> w = {1, 2, 1, 1, 3};
    MetricSet m({"accuracy", "precision", "recall"}, 1, true);
    m.update(pred, truth, w.data());
    const Logs r = m.result();
    EXPECT_NEAR(r.at("accuracy"), 1.0 / 4, kEps);
    EXPECT_NEAR(r.at("precision"), 2.0 / 7, kEps);
    EXPECT_NEAR(r.at("recall"), 2.0 / 3, kEps);
}

// Regression, two outputs. y = [1 10; 2 20; 3 30], prediction = [1.5 10; 2 18; 2 33]:
// errors .5 0 / 0 -2 / -1 3. mse = (.25 + 4 + 1 + 9)/6 = 14.25/6, mae = 6.5/6.
// Column means 2 and 20: SST = 2 + 200 = 202, r2 = 1 - 14.25/202.
TEST(Metrics, MultiOutputRegression) {
    const Matrix y = rows(3, 2, {1, 10, 2, 20, 3, 30}), pred = rows(3, 2, {1.5, 10, 2, 18, 2, 33});
    MetricSet m({"mse", "mae", "r2"}, 2, false);
    m.update(pred.topRows(1), y.topRows(1));
    m.update(pred.bottomRows(2), y.bottomRows(2));
    const Logs r = m.result();
    EXPECT_NEAR(r.at("mse"), 14.25 / 6, kEps);
    EXPECT_NEAR(r.at("mae"), 6.5 / 6, kEps);
    EXPECT_NEAR(r.at("r2"), 1 - 14.25 / 202, kEps);
    m.reset();
    m.update(y, y);
    EXPECT_EQ(m.result().at("r2"), 1.0);
    EXPECT_EQ(m.result().at("mae"), 0.0);
}

// Weighted regression: weights 1 0 3 on the rows above (row 2 ignored): mae = (.5 + 3·4)/(2·4)
// and r2 with the weighted column means 2.5 and 25: SST = 3 + 300, SSE = .25 + 3·10 = 30.25.
TEST(Metrics, WeightedRegression) {
    const Matrix y = rows(3, 2, {1, 10, 2, 20, 3, 30}), pred = rows(3, 2, {1.5, 10, 2, 18, 2, 33});
    const std::vector<Scalar> w = {1, 0, 3};
    MetricSet m({"mae", "r2"}, 2, false);
    m.update(pred, y, w.data());
    EXPECT_NEAR(m.result().at("mae"), 12.5 / 8, kEps);
    EXPECT_NEAR(m.result().at("r2"), 1 - 30.25 / 303, kEps);
}

// mse/mae/r2 with a classification loss used to report 0.0 every epoch; now compile refuses.
TEST(Metrics, RegressionMetricsWithAClassificationLossAreRefusedAtCompile) {
    for (const char* metric : {"mse", "mae", "r2"}) {
        Sequential model({Dense({.units = 2, .activation = "softmax", .input_dim = 2})});
        try {
            model.compile({.loss = "categorical_crossentropy", .metrics = {"accuracy", metric}});
            ADD_FAILURE() << metric << " was accepted";
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(std::string("metric '") + metric + "'"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("accuracy"), std::string::npos) << e.what();
        }
    }
    Sequential model({Dense({.units = 1, .input_dim = 2})});
    EXPECT_THROW(model.compile({.loss = "mse", .metrics = {"f1"}}), ConfigError);
}

// Through fit: the logged values are the metrics of the whole epoch.
TEST(Metrics, FitLogsTheEpochsMetrics) {
    Sequential model({Dense({.units = 2, .input_dim = 2})});
    model.compile({.optimizer = {.name = "sgd", .learning_rate = 1e-9}, .loss = "mse", .metrics = {"mae", "r2"}});
    model.build(2, 1);
    const Matrix x = rows(4, 2, {1, 0, 0, 1, 1, 1, 0, 0}), y = rows(4, 2, {1, 2, 3, 4, 5, 6, 7, 8});
    const History h = model.fit(x, y, {.epochs = 1, .batch_size = 4, .shuffle = false, .verbose = 0});
    MetricSet m({"mae", "r2"}, 2, false);
    m.update(model.predict(x), y);  // lr 1e-9: the weights barely moved
    EXPECT_NEAR(h.history.at("mae")[0], m.result().at("mae"), 1e-5);
    EXPECT_NEAR(h.history.at("r2")[0], m.result().at("r2"), 1e-5);
    EXPECT_NE(h.history.at("mae")[0], 0.0);
}

}  // namespace
}  // namespace plexus
