// The copies of the GEMM behind kernels/gemm_isa.hpp (the library's own, and the
// x86-64-v3 and -v4 copies a portable build picks from at run time), each with Eigen's
// GEMM and, for float in copies built for AVX-512, Plexus's own (gemm_avx512.hpp): each
// one this CPU can run computes the four transpose cases of C += op(A)·op(B) like a
// plain double-precision loop, on strided operands, at edge sizes of every tile, with
// an imposed depth blocking; and Plexus's own gives the same bits however the product
// is cut into chunks.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <type_traits>
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
    for (const isa::Kernels* k : {isa::base(), isa::v3(), isa::v4(), isa::base_eigen(), isa::v3_eigen(), isa::v4_eigen()})
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

struct Product {
    bool ta, tb;
    isa::Index m, n, k, lda, ldb, ldc;
    std::vector<isa::Scalar> a, b, c0;
};

// Random operands with row strides past their widths.
Product random_product(Rng& rng, bool ta, bool tb, isa::Index m, isa::Index n, isa::Index k) {
    Product p{ta, tb, m, n, k, (ta ? m : k) + 3, (tb ? k : n) + 5, n + 2, {}, {}, {}};
    p.a.resize(static_cast<std::size_t>((ta ? k : m) * p.lda));
    p.b.resize(static_cast<std::size_t>((tb ? n : k) * p.ldb));
    p.c0.resize(static_cast<std::size_t>(m * p.ldc));
    for (auto* v : {&p.a, &p.b, &p.c0})
        for (auto& x : *v) x = static_cast<isa::Scalar>(rng.normal());
    return p;
}

std::string label(const isa::Kernels* kernels) { return std::string(kernels->name) + "/" + kernels->gemm_name; }

TEST(GemmIsa, EveryRunnableCopyMatchesAPlainLoop) {
    const auto copies = runnable();
    ASSERT_FALSE(copies.empty());
    EXPECT_EQ(copies.front()->name, std::string("base"));
#if defined(__x86_64__) && !defined(PLEXUS_USE_CBLAS)
    EXPECT_TRUE(isa::v3() && isa::v4()) << "x86-64 builds carry the AVX2 and AVX-512 copies";
    EXPECT_EQ(std::string(isa::v3()->gemm_name), "eigen");
    EXPECT_EQ(std::string(isa::v4()->gemm_name), (std::is_same_v<isa::Scalar, float> ? "plexus-avx512" : "eigen"));
    EXPECT_EQ(std::string(isa::v4_eigen()->gemm_name), "eigen");
#endif
    Rng rng(11);
    // Not multiples of any register block (131 = 10·12 + 11 rows, 97 = 3·32 + 1 columns, depth
    // past one block), and shapes smaller than one tile or one vector.
    const isa::Index shapes[][3] = {{131, 97, 300}, {3, 5, 7}, {12, 16, 1}, {13, 17, 33}, {1, 40, 520}, {250, 33, 64}};
    for (const auto& shape : shapes)
        for (const bool ta : {false, true})
            for (const bool tb : {false, true}) {
                const Product p = random_product(rng, ta, tb, shape[0], shape[1], shape[2]);
                const std::vector<double> want =
                    reference(ta, tb, p.m, p.n, p.k, p.a, p.lda, p.b, p.ldb, std::vector<double>(p.c0.begin(), p.c0.end()), p.ldc);
                for (const isa::Kernels* kernels : copies) {
                    EXPECT_EQ(kernels->register_rows % 4, 0) << label(kernels);
                    for (const isa::Index kc : {isa::Index{0}, kernels->depth_blocking(p.m, p.n, p.k), isa::Index{64}}) {
                        std::vector<isa::Scalar> c = p.c0;
                        kernels->gemm(ta, tb, p.m, p.n, p.k, p.a.data(), p.lda, p.b.data(), p.ldb, c.data(), p.ldc, kc, 0,
                                      kernels->caller_scratch(), 3);
                        double worst = 0;
                        for (std::size_t i = 0; i < c.size(); ++i)
                            worst = std::max(worst, std::abs(static_cast<double>(c[i]) - want[i]));
                        EXPECT_LT(worst, 2e-3) << label(kernels) << " m=" << p.m << " n=" << p.n << " k=" << p.k
                                               << " ta=" << ta << " tb=" << tb << " kc=" << kc;
                    }
                }
            }
}

// Plexus's own AVX-512 GEMM sums every element in the same order wherever its tile falls,
// so chunks cut anywhere along m or n, with the whole product's depth blocking, give the
// whole product's bits (Eigen's only where the cuts fall on its register blocks).
TEST(GemmIsa, OwnAvx512GemmGivesTheSameBitsCutAnywhere) {
    std::vector<const isa::Kernels*> own;
    for (const isa::Kernels* k : runnable())
        if (std::string(k->gemm_name) == "plexus-avx512") own.push_back(k);
    if (own.empty()) GTEST_SKIP() << "no copy of Plexus's AVX-512 GEMM runs here (not float, or no AVX-512)";
    Rng rng(12);
    for (const isa::Kernels* kernels : own)
        for (const bool ta : {false, true})
            for (const bool tb : {false, true}) {
                const Product p = random_product(rng, ta, tb, 150, 170, 600);
                const isa::Index kc = kernels->depth_blocking(p.m, p.n, p.k);
                std::vector<isa::Scalar> whole = p.c0, by_rows = p.c0, by_cols = p.c0;
                kernels->gemm(ta, tb, p.m, p.n, p.k, p.a.data(), p.lda, p.b.data(), p.ldb, whole.data(), p.ldc, kc, 0,
                              kernels->caller_scratch(), 0);
                for (const auto& [r0, r1] : {std::pair<isa::Index, isa::Index>{0, 37}, {37, 101}, {101, 150}}) {
                    const isa::Scalar* a = ta ? p.a.data() + r0 : p.a.data() + r0 * p.lda;
                    kernels->gemm(ta, tb, r1 - r0, p.n, p.k, a, p.lda, p.b.data(), p.ldb, by_rows.data() + r0 * p.ldc, p.ldc,
                                  kc, 0, kernels->caller_scratch(), 1);
                }
                for (const auto& [c0, c1] : {std::pair<isa::Index, isa::Index>{0, 45}, {45, 61}, {61, 170}}) {
                    const isa::Scalar* b = tb ? p.b.data() + c0 * p.ldb : p.b.data() + c0;
                    kernels->gemm(ta, tb, p.m, c1 - c0, p.k, p.a.data(), p.lda, b, p.ldb, by_cols.data() + c0, p.ldc, kc, 0,
                                  kernels->caller_scratch(), 2);
                }
                EXPECT_EQ(std::memcmp(whole.data(), by_rows.data(), whole.size() * sizeof(isa::Scalar)), 0)
                    << label(kernels) << " ta=" << ta << " tb=" << tb;
                EXPECT_EQ(std::memcmp(whole.data(), by_cols.data(), whole.size() * sizeof(isa::Scalar)), 0)
                    << label(kernels) << " ta=" << ta << " tb=" << tb;
            }
}

}  // namespace
}  // namespace plexus
