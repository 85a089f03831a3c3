// The PyTorch golden fixture (tests/golden/torch_golden.json, made by
// tests/golden/make_torch_golden.py; schema in tests/golden/README.md), shared by the
// double-precision agreement test and the float-vs-reference test.
//
// Large cases store no inputs or weights: LargeCase rebuilds them with splitmix64 and
// exact arithmetic only, bit for bit as the script does, in either scalar build.
#pragma once

#include <cmath>
#include <cstdint>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "plexus/plexus.hpp"

namespace plexus::testing {

inline const nlohmann::json& golden() {
    static const nlohmann::json j = [] {
        std::ifstream in(std::string(PLEXUS_TEST_DATA_DIR) + "/golden/torch_golden.json");
        return nlohmann::json::parse(in);
    }();
    return j;
}

// A JSON matrix [rows][cols], or a vector [n] as one row.
inline Matrix to_matrix(const nlohmann::json& j) {
    if (!j.empty() && !j[0].is_array()) {
        Matrix m(1, static_cast<Index>(j.size()));
        for (std::size_t k = 0; k < j.size(); ++k) m(0, static_cast<Index>(k)) = static_cast<Scalar>(j[k].get<double>());
        return m;
    }
    Matrix m(static_cast<Index>(j.size()), static_cast<Index>(j[0].size()));
    for (Index i = 0; i < m.rows(); ++i)
        for (Index k = 0; k < m.cols(); ++k)
            m(i, k) = static_cast<Scalar>(j[static_cast<std::size_t>(i)][static_cast<std::size_t>(k)].get<double>());
    return m;
}

// splitmix64 (Steele, Lea & Flood 2014), as SplitMix64 in the script.
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    double symmetric(double scale) { return (2.0 * uniform() - 1.0) * scale; }

private:
    std::uint64_t state_;
};

// A large case's inputs, initial weights (double, exact) and targets; large_inputs in the script.
struct LargeCase {
    Eigen::MatrixXd x, y;
    std::vector<std::pair<Eigen::MatrixXd, Eigen::MatrixXd>> weights;  // kernel (in, out), bias (1, out)

    explicit LargeCase(const nlohmann::json& c) {
        SplitMix64 g(c["seed"].get<std::uint64_t>());
        const auto rows = c["rows"].get<Index>();
        auto fill = [&](Index r, Index k, double scale) {
            Eigen::MatrixXd m(r, k);
            for (Index i = 0; i < r; ++i)
                for (Index j = 0; j < k; ++j) m(i, j) = g.symmetric(scale);
            return m;
        };
        Index fan_in = c["input_dim"].get<Index>();
        x = fill(rows, fan_in, 1.0);
        for (const auto& layer : c["layers"]) {
            const auto units = layer["units"].get<Index>();
            Eigen::MatrixXd kernel = fill(fan_in, units, std::sqrt(6.0 / static_cast<double>(fan_in + units)));
            weights.emplace_back(std::move(kernel), fill(1, units, 0.1));
            fan_in = units;
        }
        const std::string loss = c["loss"];
        if (loss == "categorical_crossentropy" || loss == "sparse_categorical_crossentropy") {
            const bool sparse = loss == "sparse_categorical_crossentropy";
            y = Eigen::MatrixXd::Zero(rows, sparse ? 1 : fan_in);
            for (Index i = 0; i < rows; ++i) {
                const auto label = static_cast<Index>(g.next() % static_cast<std::uint64_t>(fan_in));
                if (sparse) y(i, 0) = static_cast<double>(label);
                else y(i, label) = 1.0;
            }
        } else if (loss == "binary_crossentropy") {
            y.resize(rows, fan_in);
            for (Index i = 0; i < rows; ++i)
                for (Index j = 0; j < fan_in; ++j) y(i, j) = g.uniform() >= 0.5 ? 1.0 : 0.0;
        } else {
            y = fill(rows, fan_in, 1.0);
        }
    }

    // A compiled model with these weights.
    Sequential model(const OptimizerOptions& optimizer, const nlohmann::json& c) const {
        Sequential m;
        for (const auto& layer : c["layers"])
            m.add(Dense({.units = layer["units"].get<Index>(), .activation = layer["activation"].get<std::string>()}));
        m.compile({.optimizer = optimizer, .loss = c["loss"].get<std::string>(), .from_logits = c.value("from_logits", false)});
        m.build(c["input_dim"].get<Index>());
        for (std::size_t l = 0; l < weights.size(); ++l)
            m.set_weights(l, {weights[l].first.cast<Scalar>(), weights[l].second.cast<Scalar>()});
        return m;
    }
};

// The elements of `got` (any shape, row-major flat index) that `sample` names, against
// its values, and the norm of all of `got` against its norm. `close(got, want, what)`
// reports each comparison.
template <typename Close>
void compare_sample(const Scalar* got, std::size_t size, const nlohmann::json& sample, const std::string& what,
                    Close&& close) {
    double sum = 0;
    for (std::size_t i = 0; i < size; ++i) sum += static_cast<double>(got[i]) * static_cast<double>(got[i]);
    close(std::sqrt(sum), sample["norm"].get<double>(), what + " norm");
    for (std::size_t k = 0; k < sample["index"].size(); ++k) {
        const auto i = sample["index"][k].get<std::size_t>();
        close(i < size ? static_cast<double>(got[i]) : NAN, sample["value"][k].get<double>(),
              what + "[" + std::to_string(i) + "]");
    }
}

}  // namespace plexus::testing
