// DoctorOptions::on_finding: each finding is handed over as it is raised
// (pre-flight ones before epoch 1, the others at the end, reconciled); each
// final finding exactly once; the web playground streams them this way.
#include <gtest/gtest.h>

#include <algorithm>

#include "plexus/callbacks/callbacks.hpp"
#include "plexus/run/fit.hpp"
#include "seed.hpp"

namespace plexus {
namespace {

TEST(DoctorOnFinding, HandsOverEachFindingWhenRaised) {
    auto [x, y] = testing::seed_data();
    Sequential model = testing::seed_model();
    int epochs_done = 0;
    std::vector<std::pair<std::string, int>> raised;  // id, epochs finished when it came
    FitOptions options{.epochs = 30, .batch_size = 8, .validation_split = 0.2, .split = Split::tail, .seed = 0, .verbose = 0};
    options.callbacks.push_back(std::make_shared<LambdaCallback>(
        LambdaCallbackOptions{.on_epoch_end = [&](Sequential&, int, Logs&) { ++epochs_done; }}));
    const DiagnosedFit fit = fit_with_doctor(model, x, y, options,
                                             {.on_finding = [&](const Finding& f) { raised.emplace_back(f.id, epochs_done); }});
    // Each final finding was handed over exactly once (the final list is reconciled: root causes first).
    ASSERT_EQ(raised.size(), fit.findings.size());
    std::vector<std::string> raised_ids, final_ids;
    for (const auto& r : raised) raised_ids.push_back(r.first);
    for (const auto& f : fit.findings) final_ids.push_back(f.id);
    std::sort(raised_ids.begin(), raised_ids.end());
    std::sort(final_ids.begin(), final_ids.end());
    EXPECT_EQ(raised_ids, final_ids);
    ASSERT_FALSE(raised.empty());
    EXPECT_EQ(raised.front().first, "split.label_shift");
    EXPECT_EQ(raised.front().second, 0);  // before epoch 1
    for (const auto& [id, when] : raised) {
        if (id.rfind("fit.", 0) == 0) {
            EXPECT_EQ(when, 30) << id;  // judged after the last epoch
        }
    }
}

}  // namespace
}  // namespace plexus
