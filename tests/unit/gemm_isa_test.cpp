// The copies of Eigen's GEMM behind kernels/gemm_isa.hpp (the library's own, and the
// x86-64-v3 and -v4 copies a portable build picks from at run time): each copy this
// CPU can run computes the four transpose cases of C += op(A)·op(B) like a plain
// double-precision loop, on strided operands, with an imposed depth blocking, and
// copies agree with each other to rounding.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "plexus/core/rng.hpp"
#include "plexus/kernels/gemm_isa.hpp"

namespace plexus {
namespace {

namespace isa = kernels::PLEXUS_GEMM_NAMESPACE;

bool cpu_runs(const std::string& name) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12
    __builtin_cpu_init();
    if (name == "x86-64-v3") return __builtin_cpu_supports("x86-64-v3");
    if (name == "x86-64-v4") return __builtin_cpu_supports("x86-64-v4");
#endif
    return name == "base";
}

std::vector<const isa::Kernels*> runnable() {
    std::vector<const isa::Kernels*> out;
    for (const isa::Kernels* k : {isa::base(), isa::v3(), isa::v4()})
        if (k && cpu_runs(k->name)) out.push_back(k);
    return out;
}

// C (m, n) += op(A) · op(B) with row strides, in double.
std::vector<double> reference(bool ta, bool tb, isa::Index m, isa::Index n, isa::Index k, const std::vector<isa::Scalar>& a,
                              isa::Index lda, const std::vector<isa::Scalar>& b, isa::Index ldb, std::vector<double> c,
                              isa::Index ldc) {
    for (isa::Index i = 0; i < m; ++i)
        for (isa::Index j = 0; j < n; ++j) {
            double s = 0;
            for (isa::Index p = 0; p < k; ++p) {
                const double av = ta ? a[static_cast<std::size_t>(p * lda + i)] : a[static_cast<std::size_t>(i * lda + p)];
                const double bv = tb ? b[static_cast<std::size_t>(j * ldb + p)] : b[static_cast<std::size_t>(p * ldb + j)];
                s += av * bv;
            }
            c[static_cast<std::size_t>(i * ldc + j)] += s;
        }
    return c;
}

TEST(GemmIsa, EveryRunnableCopyMatchesAPlainLoop) {
    const auto copies = runnable();
    ASSERT_FALSE(copies.empty());
    EXPECT_EQ(copies.front()->name, std::string("base"));
#if defined(__x86_64__) && !defined(PLEXUS_USE_CBLAS)
    EXPECT_TRUE(isa::v3() && isa::v4()) << "x86-64 builds carry the AVX2 and AVX-512 copies";
#endif
    Rng rng(11);
    const isa::Index m = 131, n = 97, k = 300;  // not multiples of any register block
    for (const bool ta : {false, true})
        for (const bool tb : {false, true}) {
            const isa::Index lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 5, ldc = n + 2;
            std::vector<isa::Scalar> a(static_cast<std::size_t>((ta ? k : m) * lda)), b(static_cast<std::size_t>((tb ? n : k) * ldb)),
                c0(static_cast<std::size_t>(m * ldc));
            for (auto& v : a) v = static_cast<isa::Scalar>(rng.normal());
            for (auto& v : b) v = static_cast<isa::Scalar>(rng.normal());
            for (auto& v : c0) v = static_cast<isa::Scalar>(rng.normal());
            const std::vector<double> want = reference(ta, tb, m, n, k, a, lda, b, ldb, std::vector<double>(c0.begin(), c0.end()), ldc);
            for (const isa::Kernels* kernels : copies) {
                EXPECT_EQ(kernels->register_rows % 4, 0) << kernels->name;
                for (const isa::Index kc : {isa::Index{0}, kernels->depth_blocking(m, n, k), isa::Index{64}}) {
                    std::vector<isa::Scalar> c = c0;
                    kernels->gemm(ta, tb, m, n, k, a.data(), lda, b.data(), ldb, c.data(), ldc, kc, 0, kernels->caller_scratch(), 3);
                    double worst = 0;
                    for (std::size_t i = 0; i < c.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(c[i]) - want[i]));
                    EXPECT_LT(worst, 2e-3) << kernels->name << " ta=" << ta << " tb=" << tb << " kc=" << kc;
                }
            }
        }
}

}  // namespace
}  // namespace plexus
