// Calibration of the doctor's split.covariate_shift rule: its false-positive
// rate on random and stratified splits of i.i.d. data, over many seeds and
// data sets, for the calibrated rule (a binomial test against the training
// rows' own cross-validated outside rate) and for the old fixed-share rule
// (>= 10% of validation rows outside the support); and whether the seed's
// tail split (and a sorted data set's tail split) still triggers it.
//
//   build/bench/covariate_shift_calibration [--seeds 100] [--csv tests/data/wine/wine.csv ...]
//
// Every data set is shuffled (rows in random order), so every split is of
// i.i.d. rows; any firing on it is a false positive. docs/doctor.md records
// the output.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "plexus/core/rng.hpp"
#include "plexus/data/csv.hpp"
#include "plexus/data/datasets.hpp"
#include "plexus/doctor/record.hpp"
#include "plexus/doctor/rules.hpp"
#include "plexus/model/fit_plan.hpp"
#include "plexus/run/evaluation.hpp"
#include "plexus/run/recipe.hpp"

using namespace plexus;

namespace {

struct Outcome {
    bool calibrated = false, fixed_share = false;
};

Outcome check(const Dataset& data, Split split, std::uint64_t seed) {
    run::ModelConfig mc;
    mc.layers = "4";
    Sequential model = run::build_model(mc, data, seed);
    const Matrix y = run::encode_targets(data, model.loss().name(), model.output_dim());
    const FitOptions options{.validation_split = 0.2, .split = split, .seed = seed};
    const FitContext ctx = plan_fit(model, data.x, y, options);
    const doctor::TrainingRecord r = doctor::make_preflight_record(ctx, model);
    Outcome o;
    o.calibrated = !doctor::split_covariate_shift(r).empty();
    const double share = r.data.validation_outside_support;
    o.fixed_share = share >= 0.10 && share * static_cast<double>(r.data.validation_rows_checked) >= 3;
    return o;
}

Dataset shuffled(Dataset d, std::uint64_t seed) {
    Rng rng(seed ^ 0x9e3779b97f4a7c15ull);
    RowList order(static_cast<std::size_t>(d.rows()));
    for (Index i = 0; i < d.rows(); ++i) order[static_cast<std::size_t>(i)] = i;
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<std::size_t>(rng.uniform_int(i))]);
    d.x = take_rows(d.x, order);
    d.y = take_rows(d.y, order);
    return d;
}

// n rows of d i.i.d. features (gaussian, heavy-tailed t3, or uniform), two classes by the sign of x0 + noise.
Dataset synthetic(const std::string& kind, Index n, Index d, std::uint64_t seed) {
    Rng rng(seed * 7919 + static_cast<std::uint64_t>(n * 31 + d));
    Dataset data;
    data.x.resize(n, d);
    data.y.resize(n, 1);
    for (Index i = 0; i < n; ++i) {
        for (Index j = 0; j < d; ++j) {
            double v = rng.normal();
            if (kind == "t3") {
                double chi = 0;
                for (int k = 0; k < 3; ++k) chi += std::pow(rng.normal(), 2);
                v /= std::sqrt(chi / 3.0);
            } else if (kind == "uniform") {
                v = rng.uniform() * 2 - 1;
            }
            data.x(i, j) = static_cast<Scalar>(v);
        }
        data.y(i, 0) = static_cast<Scalar>(data.x(i, 0) + 0.5 * rng.normal() > 0 ? 1 : 0);
    }
    for (Index j = 0; j < d; ++j) data.feature_names.push_back("x" + std::to_string(j));
    data.class_names = {"0", "1"};
    data.source = kind;
    return data;
}

struct Tally {
    int runs = 0, calibrated = 0, fixed_share = 0;
    void add(const Outcome& o) {
        ++runs;
        calibrated += o.calibrated;
        fixed_share += o.fixed_share;
    }
};

void report(const std::string& name, const Tally& t) {
    std::printf("%-34s %5d runs  calibrated %5.2f%%  fixed-share %6.2f%%\n", name.c_str(), t.runs, 100.0 * t.calibrated / t.runs,
                100.0 * t.fixed_share / t.runs);
}

}  // namespace

int main(int argc, char** argv) {
    int seeds = 100;
    std::vector<std::string> csvs;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--seeds" && i + 1 < argc) seeds = std::atoi(argv[++i]);
        else if (a == "--csv" && i + 1 < argc) csvs.push_back(argv[++i]);
        else {
            std::fprintf(stderr, "usage: covariate_shift_calibration [--seeds N] [--csv FILE]...\n");
            return 2;
        }
    }
    Tally total;
    auto run_set = [&](const std::string& name, auto make) {
        Tally t;
        for (int s = 0; s < seeds; ++s) {
            const Dataset d = make(static_cast<std::uint64_t>(s));
            t.add(check(d, Split::random, static_cast<std::uint64_t>(s)));
            if (d.is_classification()) t.add(check(d, Split::stratified, static_cast<std::uint64_t>(s)));
        }
        report(name, t);
        total.runs += t.runs;
        total.calibrated += t.calibrated;
        total.fixed_share += t.fixed_share;
    };
    for (const char* kind : {"gaussian", "t3", "uniform"})
        for (Index n : {60, 178, 500, 1000})
            for (Index d : {2, 5, 13, 30}) {
                if (std::string(kind) != "gaussian" && (d == 30 || n == 1000)) continue;
                run_set(std::string(kind) + " n=" + std::to_string(n) + " d=" + std::to_string(d),
                        [&](std::uint64_t s) { return synthetic(kind, n, d, s); });
            }
    for (const char* name : {"moons", "circles", "gaussians", "spirals", "xor", "linear", "regression-2d"})
        run_set(name, [&](std::uint64_t s) { return shuffled(make_dataset(name, {.seed = s}), s); });
    for (const auto& path : csvs) {
        const Dataset d = read_csv(path);
        run_set(path, [&](std::uint64_t s) { return shuffled(d, s); });
    }
    report("ALL i.i.d. splits", total);

    // Sensitivity: tail splits that really shift (the rows are ordered).
    int tail_hits = 0, tail_runs = 0;
    for (int s = 0; s < 10; ++s) {
        tail_runs += 2;
        tail_hits += check(make_dataset("seed-curves", {.seed = static_cast<std::uint64_t>(s)}), Split::tail, static_cast<std::uint64_t>(s)).calibrated;
        tail_hits += check(make_dataset("moons", {.seed = static_cast<std::uint64_t>(s)}), Split::tail, static_cast<std::uint64_t>(s)).calibrated;
    }
    std::printf("tail splits of seed-curves and sorted moons: fires in %d of %d\n", tail_hits, tail_runs);
    const bool ok = total.calibrated * 100 <= total.runs && tail_hits == tail_runs;
    std::printf("RESULT calibrated false-positive rate %.3f%% (<= 1%%: %s), tail splits detected %d/%d\n",
                100.0 * total.calibrated / total.runs, ok ? "yes" : "no", tail_hits, tail_runs);
    return ok ? 0 : 1;
}
