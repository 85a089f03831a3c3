// The float build (plexus) against the PyTorch float64 reference on the large golden
// cases (Dense's GEMM path): the same shapes, inputs and weights as
// tests/f64/torch_agreement_test.cpp, where the double build agrees to 1e-10. Here
// every sampled element must agree to float accuracy relative to its tensor's scale,
// so float and double agree with each other on these shapes.
#include <gtest/gtest.h>

#include <cmath>

#include "golden.hpp"

namespace plexus {
namespace {

static_assert(sizeof(Scalar) == sizeof(float), "this test checks the float build");

// |got - want| <= 2e-5 · (RMS of the tensor) + 2e-5 · |want|: float's 6e-8 unit
// roundoff grown over sums of up to 300 terms and three layers. Norms: 2e-5 relative.
constexpr double kTolerance = 2e-5;

void check_sample(const Scalar* got, std::size_t size, const nlohmann::json& want, const std::string& what) {
    const double rms = want["norm"].get<double>() / std::sqrt(static_cast<double>(size));
    testing::compare_sample(got, size, want, what, [&](double g, double w, const std::string& at) {
        const double scale = at.ends_with(" norm") ? 0.0 : rms;
        EXPECT_LE(std::abs(g - w), kTolerance * (scale + std::abs(w))) << at << ": " << g << " vs " << w;
    });
}

TEST(FloatReference, LargeLayersAgreeWithTheFloat64Reference) {
    const auto& cases = testing::golden()["large_cases"];
    ASSERT_EQ(cases.size(), 2u);
    for (const auto& c : cases) {
        const std::string name = c["name"];
        const testing::LargeCase data(c);
        const Matrix x = data.x.cast<Scalar>(), y = data.y.cast<Scalar>();
        Sequential model = data.model({.name = "sgd"}, c);
        const Matrix out = model.predict(x);
        check_sample(out.data(), static_cast<std::size_t>(out.size()), c["output"], name + " output");
        const double loss = model.compute_gradients(x, y);
        EXPECT_NEAR(loss, c["loss_value"].get<double>(), kTolerance * c["loss_value"].get<double>()) << name;
        const auto grads = model.gradients();
        std::size_t offset = 0;
        for (std::size_t l = 0; l < c["grads"].size(); ++l)
            for (int part = 0; part < 2; ++part) {
                const auto n = static_cast<std::size_t>(model.get_weights(l)[static_cast<std::size_t>(part)].size());
                check_sample(grads.data() + offset, n, c["grads"][l][part == 0 ? "kernel" : "bias"],
                             name + " grad layer " + std::to_string(l) + (part == 0 ? " kernel" : " bias"));
                offset += n;
            }
        // Two plain steps (sgd or momentum): the weights follow the reference.
        for (const auto& [opt, run] : c["optimizers"].items()) {
            if (run["config"]["name"] != "sgd") continue;
            Sequential m = data.model(optimizer_options_from_json(run["config"]), c);
            for (const auto& step : run["steps"]) {
                m.train_on_batch(x, y);
                for (std::size_t l = 0; l < step["weights"].size(); ++l) {
                    const auto w = m.get_weights(l);
                    check_sample(w[0].data(), static_cast<std::size_t>(w[0].size()), step["weights"][l]["kernel"],
                                 name + " " + opt + " kernel " + std::to_string(l));
                }
            }
        }
    }
}

}  // namespace
}  // namespace plexus
