// Keras semantics of fit: the split, shuffling, weights, early stopping,
// determinism, and the errors for bad options.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "plexus/data/atomic_file.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/plexus.hpp"

namespace plexus {
namespace {

Dataset seed_data() { return make_dataset("seed-curves"); }

Sequential small_model(const std::string& loss = "sparse_categorical_crossentropy", OptimizerOptions opt = {.name = "adam", .learning_rate = 0.01}) {
    Sequential model({Dense({.units = 8, .activation = "tanh", .input_dim = 2}), Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = opt, .loss = loss, .metrics = {"accuracy"}});
    return model;
}

TEST(Split, TailTakesExactlyFloorOfTrainingFraction) {
    Rng rng(0);
    for (const Index n : {512, 100, 7, 10}) {
        for (const double v : {0.2, 0.25, 0.5, 0.0}) {
            const auto parts = split_indices(n, v, Split::tail, {}, rng);
            const auto expected = static_cast<Index>(std::floor(static_cast<double>(n) * (1 - v)));
            ASSERT_EQ(static_cast<Index>(parts.train.size()), expected) << n << " " << v;
            for (Index i = 0; i < expected; ++i) EXPECT_EQ(parts.train[static_cast<std::size_t>(i)], i);
            for (std::size_t k = 0; k < parts.validation.size(); ++k) EXPECT_EQ(parts.validation[k], expected + static_cast<Index>(k));
        }
    }
}

TEST(Split, StratifiedKeepsClassProportions) {
    std::vector<int> labels(300);
    for (int i = 0; i < 300; ++i) labels[static_cast<std::size_t>(i)] = i < 200 ? 0 : 1;
    Rng rng(1);
    const auto parts = split_indices(300, 0.3, Split::stratified, labels, rng);
    EXPECT_EQ(parts.validation.size(), 90u);
    long ones = 0;
    for (const Index i : parts.validation) ones += labels[static_cast<std::size_t>(i)];
    EXPECT_EQ(ones, 30);
}

TEST(Split, RejectsFractionOutsideUnitInterval) {
    Rng rng(0);
    EXPECT_THROW(split_indices(10, 1.0, Split::tail, {}, rng), ConfigError);
    EXPECT_THROW(split_indices(10, -0.1, Split::random, {}, rng), ConfigError);
    EXPECT_THROW(split_from_string("tial"), ConfigError);
}

// A pass-through layer that records the first feature of every row it sees in training.
class RowSpy final : public Layer {
public:
    std::shared_ptr<std::set<int>> seen = std::make_shared<std::set<int>>();
    std::string type() const override { return "RowSpy"; }
    Index output_dim(Index d) const override { return d; }
    void forward(ConstMatrixRef x, MatrixRef y, bool training, Rng&) override {
        if (training)
            for (Index i = 0; i < x.rows(); ++i) seen->insert(static_cast<int>(x(i, 0)));
        y = x;
    }
    void backward(ConstMatrixRef, ConstMatrixRef, MatrixRef dy, MatrixRef dx, GradientOf) override {
        if (dx.rows() > 0) dx = dy;
    }
    nlohmann::json config() const override { return {{"type", "RowSpy"}}; }
};

TEST(Fit, ShufflingNeverMovesRowsBetweenTrainingAndValidation) {
    for (const Split split : {Split::tail, Split::random, Split::stratified}) {
        Matrix x(100, 2), y(100, 1);
        for (Index i = 0; i < 100; ++i) {
            x(i, 0) = static_cast<Scalar>(i);  // the row id
            x(i, 1) = static_cast<Scalar>(i % 3);
            y(i, 0) = static_cast<Scalar>(i % 2);
        }
        RowSpy spy;
        auto seen = spy.seen;
        Sequential model({spy, Dense({.units = 2, .activation = "softmax"})});
        model.compile({.optimizer = {.name = "sgd", .learning_rate = 1e-6}, .loss = "sparse_categorical_crossentropy"});
        RowList train_rows, validation_rows;
        model.fit(x, y, {.epochs = 5, .batch_size = 7, .shuffle = true, .validation_split = 0.3, .split = split, .verbose = 0,
                         .callbacks = {std::make_shared<LambdaCallback>(LambdaCallbackOptions{.on_train_begin = [&](Sequential& m) {
                             train_rows = m.fit_context()->train_rows;
                             validation_rows = m.fit_context()->validation_rows;
                         }})}});
        ASSERT_EQ(train_rows.size(), 70u);
        ASSERT_EQ(validation_rows.size(), 30u);
        std::set<int> expected;
        for (const Index i : train_rows) expected.insert(static_cast<int>(i));
        EXPECT_EQ(*seen, expected) << to_string(split);
    }
}

TEST(Fit, SameSeedGivesBitIdenticalHistories) {
    const Dataset data = make_dataset("moons", {.seed = 3});
    auto run = [&](std::uint64_t seed) {
        Sequential model({Dense({.units = 16, .activation = "relu", .input_dim = 2}), Dropout(0.3),
                          Dense({.units = 2, .activation = "softmax"})});
        model.compile({.optimizer = {.name = "adam"}, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
        return model.fit(data.x, data.y, {.epochs = 5, .batch_size = 16, .validation_split = 0.25, .seed = seed, .verbose = 0}).history;
    };
    const auto a = run(7), b = run(7), c = run(8);
    EXPECT_EQ(a, b);  // exact equality of every double
    EXPECT_NE(a, c);
}

TEST(Fit, ClassWeightScalesEachRowsLossAsKeras) {
    const Dataset data = seed_data();
    const Matrix x = data.x.topRows(40).eval(), y = data.y.topRows(40).eval();
    Matrix mixed = y;
    for (Index i = 0; i < 40; i += 2) mixed(i, 0) = 1;  // both classes present
    auto loss_with = [&](const std::map<int, double>& class_weight) {
        Sequential model = small_model("sparse_categorical_crossentropy", {.name = "sgd", .learning_rate = 1e-30});
        const History h = model.fit(x, mixed, {.epochs = 1, .batch_size = 40, .shuffle = false, .class_weight = class_weight, .seed = 5, .verbose = 0});
        return std::pair{h.last("loss"), model.predict(x)};
    };
    const auto [plain, p] = loss_with({});
    const auto [weighted, unused] = loss_with({{0, 3.0}, {1, 0.5}});
    // Keras: mean over rows of class_weight[y_i] * loss_i (divided by the row count, not the weight sum).
    double expected = 0, unweighted = 0;
    for (Index i = 0; i < 40; ++i) {
        const int c = static_cast<int>(mixed(i, 0));
        const double li = -std::log(static_cast<double>(p(i, c)));
        expected += (c == 0 ? 3.0 : 0.5) * li;
        unweighted += li;
    }
    EXPECT_NEAR(plain, unweighted / 40, 1e-5);
    EXPECT_NEAR(weighted, expected / 40, 1e-5);
    EXPECT_GT(std::abs(weighted - plain), 1e-3);
}

TEST(Callbacks, EarlyStoppingRestoresTheBestEpochsWeights) {
    const Dataset data = seed_data();
    Sequential model = small_model("sparse_categorical_crossentropy", {.name = "adam", .learning_rate = 0.05});
    std::vector<std::vector<Scalar>> weights_at_epoch;
    std::vector<double> val_loss;
    auto recorder = std::make_shared<LambdaCallback>(LambdaCallbackOptions{.on_epoch_end = [&](Sequential& m, int, Logs& logs) {
        weights_at_epoch.emplace_back(m.parameters().begin(), m.parameters().end());
        val_loss.push_back(logs.at("val_loss"));
    }});
    auto stopper = std::make_shared<EarlyStopping>(EarlyStoppingOptions{.patience = 3, .restore_best_weights = true});
    const History h = model.fit(data.x, data.y, {.epochs = 200, .batch_size = 8, .validation_split = 0.2, .split = Split::tail,
                                                 .verbose = 0, .callbacks = {recorder, stopper}});
    ASSERT_GT(stopper->stopped_epoch(), 0) << "the tail split's validation loss should rise and stop training";
    EXPECT_LT(h.epoch.size(), 200u);
    const auto best = static_cast<std::size_t>(std::min_element(val_loss.begin(), val_loss.end()) - val_loss.begin());
    EXPECT_EQ(static_cast<int>(best), stopper->best_epoch());
    EXPECT_EQ(h.epoch.size(), best + 4);  // patience 3 epochs after the best, then stop
    const std::vector<Scalar> now(model.parameters().begin(), model.parameters().end());
    EXPECT_EQ(now, weights_at_epoch[best]);
    EXPECT_NE(now, weights_at_epoch.back());
}

TEST(Callbacks, ReduceLROnPlateauAndTerminateOnNaN) {
    const Dataset data = seed_data();
    Sequential model = small_model("sparse_categorical_crossentropy", {.name = "sgd", .learning_rate = 0.1});
    auto reduce = std::make_shared<ReduceLROnPlateau>(ReduceLROnPlateauOptions{.factor = 0.5, .patience = 1});
    const History h = model.fit(data.x, data.y, {.epochs = 30, .batch_size = 32, .validation_split = 0.2, .split = Split::tail,
                                                 .verbose = 0, .callbacks = {reduce}});
    EXPECT_LT(h.history.at("learning_rate").back(), 0.1);

    Sequential wild({Dense({.units = 8, .activation = "relu", .input_dim = 2}), Dense({.units = 1})});
    wild.compile({.optimizer = {.name = "sgd", .learning_rate = 1e6}, .loss = "mse"});
    const Dataset reg = make_dataset("regression-2d");
    Matrix big = reg.y * 1e20f;
    const History nan_run = wild.fit(reg.x, big, {.epochs = 50, .batch_size = 8, .verbose = 0, .callbacks = {std::make_shared<TerminateOnNaN>()}});
    EXPECT_LT(nan_run.epoch.size(), 50u);
}

// A callback's batch_end_stride picks the batches it sees; a batch whose loss is not finite
// reaches every callback. The logs it sees are those of its batch.
TEST(Callbacks, BatchEndStrideChoosesTheBatchesACallbackSees) {
    struct Watcher final : Callback {
        int stride;
        std::vector<std::pair<int, int>> seen;  // (epoch, batch)
        std::vector<double> sizes;
        int epoch = 0;
        explicit Watcher(int s) : stride(s) {}
        void on_epoch_begin(Sequential&, int e) override { epoch = e; }
        int batch_end_stride(int e) override { return e == 1 ? 0 : stride; }  // none in epoch 1
        void on_train_batch_end(Sequential&, int batch, const Logs& logs) override {
            seen.emplace_back(epoch, batch);
            sizes.push_back(logs.at("size"));
        }
    };
    const Dataset data = seed_data();  // 512 rows: 409 training rows, batches of 32 -> 13, the last of 25
    auto every = std::make_shared<Watcher>(1), third = std::make_shared<Watcher>(3);
    Sequential model = small_model();
    model.fit(data.x, data.y, {.epochs = 3, .batch_size = 32, .validation_split = 0.2, .verbose = 0, .callbacks = {every, third}});
    std::vector<std::pair<int, int>> expect_every, expect_third;
    for (int e : {0, 2})
        for (int b = 0; b < 13; ++b) {
            expect_every.emplace_back(e, b);
            if (b % 3 == 0) expect_third.emplace_back(e, b);
        }
    EXPECT_EQ(every->seen, expect_every);
    EXPECT_EQ(third->seen, expect_third);
    EXPECT_EQ(third->sizes.back(), 25.0);  // batch 12, the short last one

    // A loss that overflows reaches a callback that asked for no batch, at its batch.
    Sequential wild({Dense({.units = 8, .activation = "relu", .input_dim = 2}), Dense({.units = 1})});
    wild.compile({.optimizer = {.name = "sgd", .learning_rate = 1e6}, .loss = "mse"});
    const Dataset reg = make_dataset("regression-2d");
    Matrix big = reg.y * 1e20f;
    auto none = std::make_shared<Watcher>(0);
    wild.fit(reg.x, big, {.epochs = 1, .batch_size = 8, .verbose = 0, .callbacks = {none, std::make_shared<TerminateOnNaN>()}});
    ASSERT_FALSE(none->seen.empty());
    EXPECT_EQ(none->seen.size(), 1u);  // TerminateOnNaN stops at the first such batch

    struct Negative final : Callback {
        int batch_end_stride(int) override { return -1; }
    };
    Sequential plain = small_model();
    try {
        plain.fit(data.x, data.y, {.epochs = 1, .verbose = 0, .callbacks = {std::make_shared<Negative>()}});
        FAIL() << "a negative stride must be refused";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("batch_end_stride"), std::string::npos) << e.what();
    }
}

TEST(Callbacks, CsvLoggerAndCheckpointWriteFiles) {
    const auto dir = std::filesystem::temp_directory_path() / "plexus_callbacks_test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const Dataset data = seed_data();
    Sequential model = small_model();
    model.fit(data.x, data.y, {.epochs = 3, .validation_split = 0.2, .verbose = 0,
                               .callbacks = {std::make_shared<CSVLogger>((dir / "log.csv").string()),
                                             std::make_shared<ModelCheckpoint>(ModelCheckpointOptions{.filepath = (dir / "best.plexus").string(), .save_best_only = true})}});
    std::ifstream csv(dir / "log.csv");
    std::string header;
    std::getline(csv, header);
    EXPECT_EQ(header, "epoch,accuracy,loss,val_accuracy,val_loss");
    int lines = 0;
    for (std::string line; std::getline(csv, line);) ++lines;
    EXPECT_EQ(lines, 3);
    EXPECT_TRUE(std::filesystem::exists(dir / "best.plexus"));
    std::filesystem::remove_all(dir);
}

TEST(Fit, ProgressGoesOnlyThroughTheSink) {
    const Dataset data = seed_data();
    Sequential model = small_model();
    std::string out;
    model.fit(data.x, data.y, {.epochs = 2, .validation_split = 0.2, .verbose = 2, .progress = [&](std::string_view s) { out += s; }});
    EXPECT_NE(out.find("Epoch 1/2 - "), std::string::npos);
    EXPECT_NE(out.find("val_accuracy: "), std::string::npos);
}

TEST(Errors, BadOptionsNameTheOptionAndTheFix) {
    const Dataset data = seed_data();
    Sequential model = small_model();
    auto message = [&](const FitOptions& o) {
        try {
            model.fit(data.x, data.y, o);
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_NE(message({.batch_size = 0}).find("batch_size must be a positive integer"), std::string::npos);
    EXPECT_NE(message({.validation_split = 1.0}).find("validation_split must be in [0, 1)"), std::string::npos);
    try {
        Dense({.units = 4, .activation = "tahn"});
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("did you mean 'tanh'"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("valid: linear, tanh"), std::string::npos);
    }
    EXPECT_THROW(Dense({.units = 0}), ConfigError);
    EXPECT_THROW(make_optimizer({.name = "adamm"}), ConfigError);
    EXPECT_THROW(make_loss({.name = "crossentropy"}), ConfigError);
    Sequential three({Dense({.units = 3, .activation = "softmax", .input_dim = 2})});
    three.compile({.loss = "categorical_crossentropy"});
    EXPECT_THROW(three.fit(data.x, data.y), ShapeError);  // class indices given to a one-hot loss
    Matrix bad = data.x;
    bad(5, 1) = std::numeric_limits<Scalar>::quiet_NaN();
    EXPECT_THROW(model.fit(bad, data.y), DataError);
}

TEST(ModelFile, RoundTripKeepsPredictionsAndCatchesCorruption) {
    const auto path = (std::filesystem::temp_directory_path() / "plexus_model_test.plexus").string();
    const Dataset data = seed_data();
    Sequential model = small_model();
    model.fit(data.x, data.y, {.epochs = 2, .verbose = 0});
    save_model(model, path, {.class_names = {"0", "1"}, .epoch = 2});
    LoadedModel loaded = load_model(path);
    EXPECT_EQ(loaded.metadata.epoch, 2);
    EXPECT_TRUE(loaded.model.predict(data.x).isApprox(model.predict(data.x)));
    EXPECT_EQ(loaded.model.optimizer().iterations(), model.optimizer().iterations());
    std::string bytes = read_file_bytes(path);
    bytes[bytes.size() - 5] = static_cast<char>(bytes[bytes.size() - 5] ^ 0x01);
    write_file_atomic(path, bytes);
    EXPECT_THROW(load_model(path), IoError);
    write_file_atomic(path, bytes.substr(0, bytes.size() / 2));
    EXPECT_THROW(load_model(path), IoError);
    std::filesystem::remove(path);
}

}  // namespace
}  // namespace plexus
