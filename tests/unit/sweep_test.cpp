// Sweep grids (parsing, combinations, sampling), trial results and the leaderboard.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "plexus/core/error.hpp"
#include "plexus/sweep/grid.hpp"
#include "plexus/sweep/trial.hpp"

namespace plexus {
namespace {

using Values = std::vector<std::string>;

TEST(SweepGrid, ParsesTheIssueExample) {
    const SweepGrid g = parse_grid("lr=0.001,0.01,0.1;layers=16,16|32,32;activation=tanh,relu");
    ASSERT_EQ(g.size(), 3u);
    EXPECT_EQ(g[0].key, "lr");
    EXPECT_EQ(g[0].values, (Values{"0.001", "0.01", "0.1"}));
    EXPECT_EQ(g[1].values, (Values{"16,16", "32,32"}));  // '|' present: commas belong to the values
    EXPECT_EQ(g[2].values, (Values{"tanh", "relu"}));
    EXPECT_EQ(grid_size(g), 12u);
}

TEST(SweepGrid, TrimsSpacesAndIgnoresEmptyParts) {
    const SweepGrid g = parse_grid(" lr = 0.1 , 0.2 ;; layers=8 ;");
    ASSERT_EQ(g.size(), 2u);
    EXPECT_EQ(g[0].values, (Values{"0.1", "0.2"}));
    EXPECT_EQ(g[1].values, (Values{"8"}));
}

TEST(SweepGrid, CombinationsInMixedRadixOrder) {
    const SweepGrid g = parse_grid("a=1,2,3;b=x|y");
    const auto all = expand_grid(g);
    ASSERT_EQ(all.size(), 6u);
    EXPECT_EQ(format_config(all[0]), "a=1;b=x");
    EXPECT_EQ(format_config(all[1]), "a=1;b=y");
    EXPECT_EQ(format_config(all[5]), "a=3;b=y");
    std::set<std::string> distinct;
    for (const auto& c : all) distinct.insert(format_config(c));
    EXPECT_EQ(distinct.size(), 6u);
    EXPECT_THROW(grid_config(g, 6), ConfigError);
}

TEST(SweepGrid, SamplingIsDistinctAndSeeded) {
    const SweepGrid g = parse_grid("a=1,2,3,4,5;b=1,2,3,4");
    const auto s1 = sample_grid(g, 7, 42), s2 = sample_grid(g, 7, 42), s3 = sample_grid(g, 7, 43);
    ASSERT_EQ(s1.size(), 7u);
    EXPECT_EQ(s1, s2);
    EXPECT_NE(s1, s3);
    std::set<std::string> distinct;
    for (const auto& c : s1) distinct.insert(format_config(c));
    EXPECT_EQ(distinct.size(), 7u);
    EXPECT_EQ(sample_grid(g, 20, 1).size(), 20u);  // all of them, in a random order
    EXPECT_THROW(sample_grid(g, 21, 1), ConfigError);
    EXPECT_THROW(sample_grid(g, 0, 1), ConfigError);
}

TEST(SweepGrid, RejectsMalformedGrids) {
    for (const char* bad : {"", ";", "lr", "=1,2", "lr=", "lr=1,,2", "lr=1,1", "lr=1;lr=2", "a=1|"}) {
        try {
            parse_grid(bad);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find("--grid"), std::string::npos) << e.what();
        }
    }
}

TEST(SweepTrials, RecordHistoryFindsTheBestEpoch) {
    History h;
    h.epoch = {0, 1, 2, 3};
    h.history["val_loss"] = {0.9, 0.5, 0.6, 0.7};
    h.history["val_accuracy"] = {0.5, 0.7, 0.9, 0.8};
    TrialResult r;
    record_history(r, h, "val_loss");
    EXPECT_TRUE(r.ok);
    EXPECT_DOUBLE_EQ(r.best, 0.5);
    EXPECT_EQ(r.best_epoch, 1);
    EXPECT_EQ(r.epochs, 4);
    record_history(r, h, "val_accuracy");
    EXPECT_DOUBLE_EQ(r.best, 0.9);
    EXPECT_EQ(r.best_epoch, 2);
    EXPECT_THROW(record_history(r, h, "val_f1"), ConfigError);
}

TEST(SweepTrials, LocalRunnerKeepsGoingAfterAFailure) {
    const auto results = run_trials_locally(3, [](std::size_t i) {
        if (i == 1) throw ConfigError("bad trial");
        TrialResult r{.index = i, .ok = true, .metric = "val_loss", .best = 1.0 / static_cast<double>(i + 1)};
        return r;
    });
    ASSERT_EQ(results.size(), 3u);
    EXPECT_TRUE(results[0].ok);
    EXPECT_FALSE(results[1].ok);
    EXPECT_EQ(results[1].error, "bad trial");
    EXPECT_TRUE(results[2].ok);
}

TEST(SweepTrials, LeaderboardRanksQuotesAndListsFailuresLast) {
    std::vector<TrialResult> results = {
        {.index = 0, .config = {{"lr", "0.1"}, {"layers", "16,16"}}, .ok = true, .metric = "val_loss", .best = 0.5,
         .best_epoch = 3, .epochs = 5, .seconds = 1.25, .findings = {"curve.overfitting", "data.sorted_by_label"}},
        {.index = 1, .config = {{"lr", "0.01"}, {"layers", "8"}}, .ok = false, .error = "diverged, \"nan\""},
        {.index = 2, .config = {{"lr", "0.01"}, {"layers", "16,16"}}, .ok = true, .metric = "val_loss", .best = 0.25,
         .best_epoch = 4, .epochs = 5, .seconds = 2, .run_dir = "out/trial-002"},
    };
    EXPECT_EQ(leaderboard_csv(results),
              "place,trial,lr,layers,best_val_loss,best_epoch,epochs,seconds,rank,findings,status,run\n"
              "1,2,0.01,\"16,16\",0.25,4,5,2.000,0,,ok,out/trial-002\n"
              "2,0,0.1,\"16,16\",0.5,3,5,1.250,0,curve.overfitting data.sorted_by_label,ok,\n"
              ",1,0.01,8,,,0,0.000,0,,\"failed: diverged, \"\"nan\"\"\",\n");
    results[0].metric = "val_accuracy";
    EXPECT_THROW(leaderboard_csv(results), ConfigError);
}

TEST(SweepTrials, HigherIsBetterForScoresOnly) {
    EXPECT_TRUE(higher_is_better("val_accuracy"));
    EXPECT_TRUE(higher_is_better("r2"));
    EXPECT_FALSE(higher_is_better("val_loss"));
    EXPECT_FALSE(higher_is_better("mae"));
}

TEST(SweepTrials, JsonRoundTrip) {
    const TrialResult r{.index = 7, .config = {{"layers", "16,16"}}, .ok = true, .metric = "val_loss", .best = 0.125,
                        .best_epoch = 2, .epochs = 3, .seconds = 0.5, .findings = {"a.b"}, .run_dir = "d", .rank = 1};
    const TrialResult back = trial_from_json(nlohmann::json::parse(trial_to_json(r).dump()));
    EXPECT_EQ(back.index, 7u);
    EXPECT_EQ(back.config, r.config);
    EXPECT_EQ(back.best, 0.125);
    EXPECT_EQ(back.findings, r.findings);
    EXPECT_EQ(back.rank, 1);
    const TrialResult failed = trial_from_json(trial_to_json(TrialResult{.index = 1, .error = "x"}));
    EXPECT_TRUE(std::isnan(failed.best));
    EXPECT_THROW(trial_from_json(nlohmann::json::object()), DataError);
}

}  // namespace
}  // namespace plexus
