// The seams the front ends build on: one fit plan shared by fit, the doctor's
// pre-flight and the run layer; the gradient hook (before clipping); data
// sharding (two in-process "ranks" that average gradients through the hook
// train like one process); stop_training within an epoch; from_config as the
// inverse of config().
#include <gtest/gtest.h>

#include <barrier>
#include <thread>

#include "plexus/data/datasets.hpp"
#include "plexus/plexus.hpp"

namespace plexus {
namespace {

Sequential seed_model(std::uint64_t seed = 3, OptimizerOptions opt = {.name = "sgd", .learning_rate = 0.05}) {
    Sequential model({Dense({.units = 6, .activation = "tanh", .input_dim = 2}), Dense({.units = 2, .activation = "softmax"})});
    model.compile({.optimizer = opt, .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}, .seed = seed});
    return model;
}

// Calls `hook` for every training step's gradients (unless it says it uses none).
class GradientProbe final : public Callback {
public:
    explicit GradientProbe(std::function<void(Sequential&, const GradientStep&)> hook, bool uses = true)
        : hook_(std::move(hook)), uses_(uses) {}
    void on_gradients(Sequential& model, const GradientStep& step) override { hook_(model, step); }
    bool uses_gradients() const override { return uses_; }

private:
    std::function<void(Sequential&, const GradientStep&)> hook_;
    bool uses_;
};

TEST(FitPlan, FitPreflightAndPlanSplitAgree) {
    const Dataset d = make_dataset("moons", {.samples = 200, .seed = 4});
    for (const Split split : {Split::tail, Split::random, Split::stratified}) {
        Sequential model = seed_model();
        const FitOptions options{.epochs = 1, .validation_split = 0.25, .split = split, .seed = 11, .verbose = 0};
        const FitContext plan = plan_fit(model, d.x, d.y, options);
        const SplitIndices parts = plan_split(model, d.y, options);
        EXPECT_EQ(plan.train_rows, parts.train);
        EXPECT_EQ(plan.validation_rows, parts.validation);
        RowList seen_train, seen_val;
        auto spy = std::make_shared<LambdaCallback>(LambdaCallbackOptions{.on_train_begin = [&](Sequential& m) {
            seen_train = m.fit_context()->train_rows;
            seen_val = m.fit_context()->validation_rows;
        }});
        FitOptions with_spy = options;
        with_spy.callbacks = {spy};
        const History h = model.fit(d.x, d.y, with_spy);
        EXPECT_EQ(seen_train, parts.train);
        EXPECT_EQ(seen_val, parts.validation);
        EXPECT_EQ(h.split.validation_indices, parts.validation);
        // The streams: a different seed moves the random splits, never the tail split.
        FitOptions other = options;
        other.seed = 12;
        if (split != Split::tail) EXPECT_NE(plan_split(model, d.y, other).validation, parts.validation);
        else EXPECT_EQ(plan_split(model, d.y, other).validation, parts.validation);
    }
}

TEST(FitPlan, SeedStreamsAreIndependentAndDeterministic) {
    const SeedStreams a = seed_streams(5), b = seed_streams(5), c = seed_streams(6);
    EXPECT_EQ(a.split, b.split);
    EXPECT_EQ(a.dropout, b.dropout);
    EXPECT_NE(a.split, c.split);
    EXPECT_NE(a.initialization, a.split);
    EXPECT_NE(a.shuffle, a.dropout);
}

TEST(GradientHook, SeesEveryStepBeforeTheOptimizerAndCanChangeIt) {
    const Dataset d = make_dataset("moons", {.samples = 64, .seed = 1});
    Sequential model = seed_model();
    model.build(2, 3);
    const std::vector<Scalar> before(model.parameters().begin(), model.parameters().end());
    int steps = 0;
    auto zero = std::make_shared<GradientProbe>([&](Sequential& m, const GradientStep& step) {
        ++steps;
        EXPECT_EQ(step.gradients.data(), m.gradients().data());
        EXPECT_EQ(step.rows, step.global_rows);  // no sharding
        double norm = 0;
        for (const Scalar g : step.gradients) norm += static_cast<double>(g) * g;
        EXPECT_GT(norm, 0.0);
        std::fill(step.gradients.begin(), step.gradients.end(), Scalar(0));
    });
    model.fit(d.x, d.y, {.epochs = 2, .batch_size = 16, .verbose = 0, .callbacks = {zero}});
    EXPECT_EQ(steps, 2 * 4);
    // Zeroed gradients: plain SGD leaves every weight where it was.
    const std::vector<Scalar> after(model.parameters().begin(), model.parameters().end());
    EXPECT_EQ(before, after);
}

TEST(GradientHook, IsNotCalledForACallbackThatUsesNoGradients) {
    const Dataset d = make_dataset("moons", {.samples = 64, .seed = 1});
    int used = 0, unused = 0;
    auto counts = std::make_shared<GradientProbe>([&](Sequential&, const GradientStep&) { ++used; });
    auto skipped = std::make_shared<GradientProbe>([&](Sequential&, const GradientStep&) { ++unused; }, false);
    Sequential model = seed_model();
    model.fit(d.x, d.y, {.epochs = 2, .batch_size = 16, .verbose = 0, .callbacks = {skipped, counts, skipped}});
    EXPECT_EQ(used, 2 * 4);
    EXPECT_EQ(unused, 0);
    // The library's callbacks say so (the doctor is one): fit spares them the call per batch.
    EXPECT_FALSE(make_doctor()->uses_gradients());
    EXPECT_FALSE(EarlyStopping().uses_gradients());
}

TEST(GradientHook, RunsBeforeGlobalClipping) {
    // Doubling the gradients in the hook changes nothing once global_clipnorm clips to a norm
    // far below theirs: the clip sees the hook's gradients.
    const Dataset d = make_dataset("moons", {.samples = 64, .seed = 2});
    auto train = [&](bool doubled) {
        Sequential model = seed_model(3, {.name = "sgd", .learning_rate = 0.1, .global_clipnorm = 1e-3});
        auto twice = std::make_shared<GradientProbe>([](Sequential&, const GradientStep& step) {
            for (Scalar& g : step.gradients) g *= 2;
        });
        FitOptions options{.epochs = 2, .batch_size = 16, .seed = 1, .verbose = 0};
        if (doubled) options.callbacks = {twice};
        model.fit(d.x, d.y, options);
        return std::vector<Scalar>(model.parameters().begin(), model.parameters().end());
    };
    const auto plain = train(false), doubled = train(true);
    ASSERT_EQ(plain.size(), doubled.size());
    for (std::size_t i = 0; i < plain.size(); ++i) EXPECT_NEAR(plain[i], doubled[i], 1e-6) << i;
}

// Two shards trained in two threads, averaging gradients through the hook (what MPI's
// allreduce does), end with the weights of one process that sees whole batches.
TEST(Sharding, TwoShardsAveragingGradientsTrainLikeOne) {
    const Dataset d = make_dataset("moons", {.samples = 90, .seed = 5});  // 72 training rows: batches of 15 split 7/8, a short last one
    const FitOptions base{.epochs = 3, .batch_size = 15, .validation_split = 0.2, .seed = 9, .verbose = 0};
    Sequential single = seed_model(7);
    single.fit(d.x, d.y, base);

    Sequential ranks[2] = {seed_model(7), seed_model(7)};
    std::vector<Scalar> sum;
    std::barrier sync(2);
    std::vector<Scalar> shares[2];
    auto run_rank = [&](int rank) {
        auto allreduce = std::make_shared<GradientProbe>([&, rank](Sequential&, const GradientStep& step) {
            const double w = static_cast<double>(step.rows) / static_cast<double>(step.global_rows);
            shares[rank].assign(step.gradients.size(), 0);
            for (std::size_t i = 0; i < step.gradients.size(); ++i) shares[rank][i] = static_cast<Scalar>(w * step.gradients[i]);
            sync.arrive_and_wait();
            for (std::size_t i = 0; i < step.gradients.size(); ++i) step.gradients[i] = shares[0][i] + shares[1][i];
            sync.arrive_and_wait();
        });
        FitOptions options = base;
        options.shard_index = rank;
        options.shard_count = 2;
        options.callbacks = {allreduce};
        ranks[rank].fit(d.x, d.y, options);
    };
    std::thread other(run_rank, 1);
    run_rank(0);
    other.join();
    const auto want = single.parameters();
    for (const auto& r : ranks) {
        const auto got = r.parameters();
        ASSERT_EQ(got.size(), want.size());
        for (std::size_t i = 0; i < want.size(); ++i)
            EXPECT_NEAR(got[i], want[i], 1e-5 * std::max<double>(1.0, std::abs(want[i]))) << i;
    }
}

TEST(Sharding, RejectsAnInvalidShard) {
    const Dataset d = make_dataset("moons", {.samples = 20});
    Sequential model = seed_model();
    EXPECT_THROW(model.fit(d.x, d.y, {.verbose = 0, .shard_index = 2, .shard_count = 2}), ConfigError);
    EXPECT_THROW(model.fit(d.x, d.y, {.verbose = 0, .shard_index = 0, .shard_count = 0}), ConfigError);
}

TEST(StopTraining, IsHonouredWithinAnEpoch) {
    const Dataset d = make_dataset("moons", {.samples = 200});
    Sequential model = seed_model();
    int batches = 0, epochs_ended = 0;
    auto stopper = std::make_shared<LambdaCallback>(LambdaCallbackOptions{
        .on_train_batch_end = [&](Sequential& m, int batch, const Logs&) {
            ++batches;
            if (batch == 2) m.stop_training = true;
        },
        .on_epoch_end = [&](Sequential&, int, Logs&) { ++epochs_ended; }});
    const History h = model.fit(d.x, d.y, {.epochs = 5, .batch_size = 10, .verbose = 0, .callbacks = {stopper}});
    EXPECT_EQ(batches, 3);        // batches 0, 1, 2, then it stopped
    EXPECT_EQ(epochs_ended, 1);   // the cut epoch still ends (validation, logs), as in Keras
    EXPECT_EQ(h.epoch.size(), 1u);
    EXPECT_TRUE(std::isfinite(h.last("loss")));
}

TEST(FromConfig, IsTheInverseOfConfig) {
    Sequential model({Dense({.units = 5, .activation = "relu", .input_dim = 3}), Dropout({.rate = 0.25}),
                      Dense({.units = 3, .activation = "softmax", .use_bias = false})});
    model.compile({.optimizer = {.name = "adam", .learning_rate = 0.003}, .loss = "categorical_crossentropy", .metrics = {"accuracy"}});
    const nlohmann::json config = model.config();
    Sequential again = Sequential::from_config(config);
    EXPECT_EQ(again.config(), config);
    EXPECT_TRUE(again.compiled());
    EXPECT_EQ(again.input_dim(), 3);
    // A bare list of layers: uncompiled, input width from the first layer.
    Sequential bare = Sequential::from_config(config["layers"]);
    EXPECT_FALSE(bare.compiled());
    EXPECT_EQ(bare.layers().size(), 3u);
}

TEST(FromConfig, NamesTheBadLayer) {
    const auto bad = nlohmann::json::parse(R"([{"type": "Dense", "units": 4}, {"type": "Dense", "units": "four"}])");
    try {
        Sequential::from_config(bad);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("layer 2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(Sequential::from_config(nlohmann::json::parse("[]")), ConfigError);
    EXPECT_THROW(Sequential::from_config(nlohmann::json::parse(R"({"layers": [{"type": "Dense", "units": 2}], "input_dim": "x"})")),
                 ConfigError);
}

}  // namespace
}  // namespace plexus
