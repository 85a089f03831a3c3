// Unit tests of the web playground's pieces that need no HTTP: the request
// checks and caps (settings.hpp), the finding -> settings table (fixes.hpp),
// the command line, the pictures (picture.hpp), the asset table, and a run
// followed through LiveRun's event stream.
#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "assets.hpp"
#include "fixes.hpp"
#include "live.hpp"
#include "picture.hpp"
#include "runs.hpp"
#include "plexus/model/split.hpp"
#include "plexus/run/data_source.hpp"
#include "plexus/run/recipe.hpp"
#include "server.hpp"
#include "settings.hpp"

namespace plexus::web {
namespace {
using json = nlohmann::json;

json seed_config() {
    return {{"data", {{"data", "seed-curves"}}},
            {"model", {{"layers", "4,4,4,4"}, {"activation", "tanh"}, {"optimizer", "sgd"}, {"lr", 0.01}}},
            {"fit", {{"batch_size", 8}, {"epochs", 300}, {"split", "tail"}}}};
}

std::string usage_error(const json& config, bool upload = false) {
    try {
        config_from_request(config, upload);
    } catch (const run::UsageError& e) {
        return e.what();
    }
    return "";
}

TEST(WebSettings, ReadsARunConfig) {
    const run::RunConfig c = config_from_request(seed_config(), false);
    EXPECT_EQ(c.data.data, "seed-curves");
    EXPECT_EQ(c.model.layers, "4,4,4,4");
    EXPECT_EQ(*c.model.lr, 0.01);
    EXPECT_EQ(c.fit.batch_size, 8);
    EXPECT_EQ(c.fit.split, "tail");
    EXPECT_EQ(c.fit.epochs, 300);
}

TEST(WebSettings, NamesTheSettingExpectedAndReceived) {
    json c = seed_config();
    c["fit"]["epoch"] = 3;
    EXPECT_NE(usage_error(c).find("unknown setting 'fit.epoch'; did you mean 'fit.epochs'?"), std::string::npos);
    c = seed_config();
    c["fit"]["epochs"] = "many";
    EXPECT_NE(usage_error(c).find("fit.epochs must be an integer, received \"many\" (string)"), std::string::npos);
    c = seed_config();
    c["fit"]["epochs"] = 2.5;
    EXPECT_NE(usage_error(c).find("fit.epochs must be an integer"), std::string::npos);
    c = seed_config();
    c["model"]["lr"] = true;
    EXPECT_NE(usage_error(c).find("model.lr must be a number or null"), std::string::npos);
    c = seed_config();
    c["fit"]["seed"] = -1;
    EXPECT_NE(usage_error(c).find("fit.seed must be 0 or more"), std::string::npos);
    c = seed_config();
    c["fitt"] = json::object();
    EXPECT_NE(usage_error(c).find("did you mean 'fit'"), std::string::npos);
    c = seed_config();
    c["model"]["activation"] = "tanhh";  // run::validate's message
    EXPECT_NE(usage_error(c).find("did you mean 'tanh'"), std::string::npos);
    EXPECT_NE(usage_error(json::array()).find("\"config\" must be an object"), std::string::npos);
}

TEST(WebSettings, NoFilesOfTheServer) {
    json c = seed_config();
    c["data"]["data"] = "/etc/passwd";
    EXPECT_NE(usage_error(c).find("is not a built-in dataset"), std::string::npos);
    EXPECT_NE(usage_error(c, true).find("leave data.data empty"), std::string::npos);
    c = seed_config();
    c["model"]["model_spec"] = "/etc/passwd";
    EXPECT_NE(usage_error(c).find("files on the server"), std::string::npos);
    c = seed_config();
    c["data"]["data"] = "";
    EXPECT_EQ(usage_error(c, true), "");  // the server sets the upload's path
}

TEST(WebSettings, CapsBeforeAnythingLarge) {
    Limits limits;
    run::RunConfig c = config_from_request(seed_config(), false);
    c.data.samples = limits.max_rows + 1;
    EXPECT_THROW(check_caps_before_load(c, limits), run::UsageError);
    c.data.samples.reset();
    c.fit.epochs = limits.max_epochs + 1;
    EXPECT_THROW(check_caps_before_load(c, limits), run::UsageError);
    c.fit.epochs = 10;
    const Dataset data = run::load_dataset(c.data, 0);
    EXPECT_NO_THROW(check_caps(c, data, limits));
    c.model.layers = "1000,1000";
    EXPECT_THROW(check_caps(c, data, limits), run::UsageError);
}

TEST(WebSettings, CountsParametersAsTheRecipeBuilds) {
    for (const auto& [dataset, layers, output] : std::vector<std::tuple<std::string, std::string, std::string>>{
             {"seed-curves", "4,4,4,4", ""}, {"moons", "16,16", "sigmoid"}, {"gaussians", "8", ""}, {"regression-2d", "none", ""}}) {
        run::RunConfig c;
        c.data.data = dataset;
        c.model.layers = layers;
        c.model.output = output;
        const Dataset data = run::load_dataset(c.data, 0);
        run::ModelConfig m = c.model;
        EXPECT_EQ(count_parameters(c, data), run::build_model(m, data, 0).count_params()) << dataset;
    }
}

TEST(WebSettings, CommandLine) {
    run::RunConfig c = config_from_request(seed_config(), false);
    EXPECT_EQ(train_command(c, "seed-curves"),
              "plexus train --data seed-curves --layers 4,4,4,4 --activation tanh --optimizer sgd --lr 0.01 --epochs 300 "
              "--batch-size 8 --validation-split 0.2 --split tail --seed 0");
    c.fit.standardize = true;
    c.fit.shuffle = false;
    c.model.clipnorm = 1.5;
    const std::string cmd = train_command(c, "my data's.csv");
    EXPECT_NE(cmd.find("--data 'my data'\\''s.csv'"), std::string::npos) << cmd;
    EXPECT_NE(cmd.find("--clipnorm 1.5"), std::string::npos);
    EXPECT_NE(cmd.find("--standardize --no-shuffle"), std::string::npos);
    EXPECT_EQ(shell_quote("a;b"), "'a;b'");
    EXPECT_EQ(shell_quote("0.001"), "0.001");
}

Finding finding(const std::string& id, json evidence = json::object()) {
    return {.id = id, .severity = "warning", .message = "", .evidence = std::move(evidence), .fix = ""};
}

TEST(WebFixes, MapsFindingsToSettings) {
    run::RunConfig c = config_from_request(seed_config(), false);
    const FixContext cls{.classification = true, .learning_rate = 0.01};
    auto fix = settings_fix(finding("split.label_shift"), c, cls);
    ASSERT_TRUE(fix);
    EXPECT_EQ(fix->change, (json{{"fit", {{"split", "stratified"}}}}));
    EXPECT_EQ(settings_fix(finding("split.covariate_shift"), c, {.classification = false})->change, (json{{"fit", {{"split", "random"}}}}));
    EXPECT_EQ(settings_fix(finding("data.unscaled"), c, cls)->change, (json{{"fit", {{"standardize", true}}}}));
    EXPECT_EQ(settings_fix(finding("data.class_imbalance"), c, cls)->change, (json{{"fit", {{"class_weight", "balanced"}}}}));
    EXPECT_DOUBLE_EQ(settings_fix(finding("train.diverging"), c, cls)->change["model"]["lr"].get<double>(), 0.001);
    EXPECT_DOUBLE_EQ(settings_fix(finding("train.stalled"), c, cls)->change["model"]["lr"].get<double>(), 0.1);
    EXPECT_EQ(settings_fix(finding("model.dead_units"), c, cls)->change, (json{{"model", {{"activation", "leaky_relu"}}}}));
    EXPECT_EQ(settings_fix(finding("model.exploding_gradients"), c, cls)->change, (json{{"model", {{"clipnorm", 1.0}}}}));
    EXPECT_EQ(settings_fix(finding("fit.underfitting"), c, cls)->change, (json{{"fit", {{"epochs", 600}}}}));
    EXPECT_EQ(settings_fix(finding("fit.validation_gap", {{"explained_by", {"split.label_shift"}}}), c, cls)->change,
              (json{{"fit", {{"split", "stratified"}}}}));
    EXPECT_EQ(settings_fix(finding("fit.overfitting", {{"explained_by", json::array()}}), c, cls)->change,
              (json{{"fit", {{"early_stopping", 10}, {"restore_best_weights", true}}}}));
    for (const char* id : {"data.duplicates_across_split", "data.constant_feature", "predict.extrapolation", "no.such_id"})
        EXPECT_FALSE(settings_fix(finding(id), c, cls)) << id;
}

TEST(WebFixes, NoFixWhenAlreadyApplied) {
    run::RunConfig c = config_from_request(seed_config(), false);
    c.fit.split = "stratified";
    EXPECT_FALSE(settings_fix(finding("split.label_shift"), c, {}));
    c.fit.split = "auto";
    EXPECT_FALSE(settings_fix(finding("data.sorted_by_label"), c, {}));
    c.fit.shuffle = false;
    EXPECT_EQ(settings_fix(finding("data.sorted_by_label"), c, {})->change, (json{{"fit", {{"shuffle", true}}}}));
    c.fit.standardize = true;
    EXPECT_FALSE(settings_fix(finding("data.unscaled"), c, {}));
    c.fit.epochs = 10'000;
    EXPECT_FALSE(settings_fix(finding("fit.underfitting"), c, {.max_epochs = 10'000}));
}

TEST(WebFixes, ApplyChangeMerges) {
    const json merged = apply_change(seed_config(), {{"fit", {{"split", "stratified"}}}, {"model", {{"lr", 0.001}}}});
    EXPECT_EQ(merged["fit"]["split"], "stratified");
    EXPECT_EQ(merged["fit"]["batch_size"], 8);
    EXPECT_EQ(merged["model"]["lr"], 0.001);
    EXPECT_EQ(merged["model"]["layers"], "4,4,4,4");
}

TEST(WebPicture, SceneAndSnapshotOfAClassifier) {
    run::RunConfig c;
    c.data.data = "gaussians";
    const Dataset data = run::load_dataset(c.data, 0);
    run::ModelConfig m;
    m.layers = "8,3";
    Sequential model = run::build_model(m, data, 0);
    RowList train, val;
    for (Index i = 0; i < data.rows(); ++i) (i % 5 ? train : val).push_back(i);
    const Plane plane(data, train, val, std::nullopt);
    const json scene = plane.scene();
    EXPECT_TRUE(scene["drawable"]);
    EXPECT_EQ(scene["support"].get<std::string>().size(), static_cast<std::size_t>(kCells * kCells));
    EXPECT_EQ(scene["points"]["train"].size(), train.size());
    EXPECT_EQ(scene["points"]["validation"].size(), val.size());
    const json snap = plane.snapshot(model);
    ASSERT_EQ(snap["cells"].size(), static_cast<std::size_t>(kCells * kCells));
    for (const int cell : snap["cells"]) {
        EXPECT_GE(cell, 0);
        EXPECT_LT(cell / 100, 3);
        EXPECT_LE(cell % 100, 99);
    }
    ASSERT_EQ(snap["units"].size(), 2u);
    EXPECT_EQ(snap["units"][0]["units"].size(), 8u);
    EXPECT_EQ(snap["units"][1]["units"][0].size(), static_cast<std::size_t>(kUnitCells * kUnitCells));
}

TEST(WebPicture, RegressionAndStandardizedInputs) {
    run::RunConfig c;
    c.data.data = "regression-2d";
    const Dataset data = run::load_dataset(c.data, 0);
    run::ModelConfig m;
    Sequential model = run::build_model(m, data, 0);
    RowList rows(static_cast<std::size_t>(data.rows()));
    for (Index i = 0; i < data.rows(); ++i) rows[static_cast<std::size_t>(i)] = i;
    Standardizer s;
    s.fit(data.x);
    const Plane plane(data, rows, {}, s);
    EXPECT_EQ(plane.scene()["task"], "regression");
    const auto snapshot = plane.snapshot(model);  // not a temporary: the loop reads into it
    for (const int cell : snapshot["cells"]) {
        EXPECT_GE(cell, 0);
        EXPECT_LE(cell, 999);
    }
}

TEST(WebAssets, OnlyTheTable) {
    ASSERT_NE(find_asset("/"), nullptr);
    EXPECT_EQ(find_asset("/")->path, "/index.html");
    EXPECT_NE(find_asset("/app.js"), nullptr);
    EXPECT_EQ(find_asset("/../index.html"), nullptr);
    EXPECT_EQ(find_asset("/assets/app.js"), nullptr);
    EXPECT_EQ(find_asset("app.js"), nullptr);
    const std::string page = index_page();
    EXPECT_NE(page.find("<option value=\"seed-curves\""), std::string::npos);
    EXPECT_EQ(page.find("plexus:dataset-options"), std::string::npos);
    for (const char* id : {"dataset", "upload", "layers", "start", "stop", "reset", "epoch", "val-accuracy", "boundary", "findings"})
        EXPECT_NE(page.find(std::string("data-testid=\"") + id + "\""), std::string::npos) << id;
}

TEST(WebLive, StreamsARun) {
    run::RunConfig c = config_from_request(seed_config(), false);
    c.fit.epochs = 20;
    const Dataset data = run::load_dataset(c.data, 0);
    auto live = std::make_shared<LiveRun>(c, data, FixContext{}, false);
    const auto folder = std::filesystem::temp_directory_path() / ("plexus-web-test-" + random_id());
    run::TrainRequest request{.config = c, .out_dir = folder.string(), .callbacks = {live->callback()}};
    request.on_finding = [live](const Finding& f) { live->on_finding(f); };
    LiveRun::Cursor cursor;
    EXPECT_FALSE(live->done(cursor));
    live->finish(run::run_training(request));
    std::filesystem::remove_all(folder);
    const std::string events = live->next(cursor, std::chrono::milliseconds(0));
    for (const char* name : {"event: scene\n", "event: epochs\n", "event: finding\n", "event: snapshot\n", "event: state\n"})
        EXPECT_NE(events.find(name), std::string::npos) << name;
    EXPECT_NE(events.find("\"id\":\"split.label_shift\""), std::string::npos);
    EXPECT_NE(events.find("\"apply\":{\"fit\":{\"split\":\"stratified\"}}"), std::string::npos);
    EXPECT_NE(events.find("\"state\":\"finished\""), std::string::npos);
    EXPECT_TRUE(live->done(cursor));
    EXPECT_EQ(live->status()["epoch"], 20);
}

TEST(WebLive, StepPausesAndStopEndsAPause) {
    run::RunConfig c = config_from_request(seed_config(), false);
    c.fit.epochs = 50;
    const Dataset data = run::load_dataset(c.data, 0);
    auto live = std::make_shared<LiveRun>(c, data, FixContext{}, true);
    const auto folder = std::filesystem::temp_directory_path() / ("plexus-web-test-" + random_id());
    std::thread worker([&] {
        run::TrainRequest request{.config = c, .out_dir = folder.string(), .callbacks = {live->callback()}};
        live->finish(run::run_training(request));
    });
    auto wait_for = [&](const std::string& state, int epoch) {
        for (int i = 0; i < 2000 && !(live->state() == state && live->status()["epoch"] == epoch); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        return live->state() == state && live->status()["epoch"] == epoch;
    };
    EXPECT_TRUE(wait_for("paused", 1));
    live->step();
    EXPECT_TRUE(wait_for("paused", 2));
    live->stop();
    worker.join();
    EXPECT_EQ(live->state(), "stopped");
    EXPECT_EQ(live->status()["epoch"], 2);
    std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace plexus::web
