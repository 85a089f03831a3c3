#include "plexus/kernels/small_dense.hpp"

namespace plexus::kernels {
namespace {

constexpr Index kSmallPerRow = 256;     // in * units at most, any number of rows,
constexpr Index kSmallTotal = 1 << 13;  // or rows * in * units at most

// z (n, u) = x (n, k) · w (k, u) + b (b may be null). U is u when > 0; then each
// output row is accumulated in local variables (registers) and stored once.
template <int U>
void small_forward(Rows x, Index n, Index k, Index u_dyn, const Scalar* __restrict w, const Scalar* __restrict b,
                   MutRows z) {
    if constexpr (U > 0) {
        for (Index i = 0; i < n; ++i) {
            const Scalar* __restrict xi = x.data + i * x.stride;
            Scalar acc[U];
            for (int j = 0; j < U; ++j) acc[j] = b ? b[j] : Scalar(0);
            for (Index p = 0; p < k; ++p) {
                const Scalar xv = xi[p];
                for (int j = 0; j < U; ++j) acc[j] += xv * w[p * U + j];
            }
            Scalar* __restrict zi = z.data + i * z.stride;
            for (int j = 0; j < U; ++j) zi[j] = acc[j];
        }
    } else {
        const Index u = u_dyn;
        for (Index i = 0; i < n; ++i) {
            const Scalar* __restrict xi = x.data + i * x.stride;
            Scalar* __restrict zi = z.data + i * z.stride;
            for (Index j = 0; j < u; ++j) zi[j] = b ? b[j] : Scalar(0);
            for (Index p = 0; p < k; ++p) {
                const Scalar xv = xi[p];
                const Scalar* __restrict wp = w + p * u;
                for (Index j = 0; j < u; ++j) zi[j] += xv * wp[j];
            }
        }
    }
}

// Rows p .. p+P-1 of gw (k, U) = xᵀ·dz, each summed over the batch rows in order.
template <int U, int P>
void small_kernel_rows(Rows x, Index n, Index p, Rows dz, Scalar* __restrict gw) {
    Scalar acc[P][U] = {};
    for (Index i = 0; i < n; ++i) {
        const Scalar* __restrict xi = x.data + i * x.stride + p;
        const Scalar* __restrict di = dz.data + i * dz.stride;
        for (int q = 0; q < P; ++q)
            for (int j = 0; j < U; ++j) acc[q][j] += xi[q] * di[j];
    }
    for (int q = 0; q < P; ++q)
        for (int j = 0; j < U; ++j) gw[(p + q) * U + j] = acc[q][j];
}

// Columns p .. p+P-1 of row dx_i = dz_i · wᵀ, each summed over the U units in order:
// P independent accumulation chains instead of one.
template <int U, int P>
void small_dx_cols(const Scalar* __restrict di, const Scalar* __restrict w, Index p, Scalar* __restrict dxi) {
    Scalar acc[P] = {};
    for (int j = 0; j < U; ++j)
        for (int q = 0; q < P; ++q) acc[q] += di[j] * w[(p + q) * U + j];
    for (int q = 0; q < P; ++q) dxi[p + q] = acc[q];
}

// From dz (n, u): gw (k, u) = xᵀ·dz, gb (u) = column sums of dz (if gb), dx (n, k) = dz·wᵀ (if dx.data).
// Every sum runs over the rows in order.
template <int U>
void small_backward(Rows x, Index n, Index k, Index u_dyn, Rows dz, const Scalar* __restrict w, Scalar* __restrict gw,
                    Scalar* __restrict gb, MutRows dx) {
    const Index u = U > 0 ? U : u_dyn;
    if constexpr (U > 0) {
        // Kernel rows in groups of 4 (then 2, then 1): independent accumulation chains.
        Index p = 0;
        for (; p + 4 <= k; p += 4) small_kernel_rows<U, 4>(x, n, p, dz, gw);
        for (; p + 2 <= k; p += 2) small_kernel_rows<U, 2>(x, n, p, dz, gw);
        for (; p < k; ++p) small_kernel_rows<U, 1>(x, n, p, dz, gw);
        if (gb) {
            Scalar acc[U] = {};
            for (Index i = 0; i < n; ++i)
                for (int j = 0; j < U; ++j) acc[j] += dz.data[i * dz.stride + j];
            for (int j = 0; j < U; ++j) gb[j] = acc[j];
        }
    } else {
        for (Index q = 0; q < k * u; ++q) gw[q] = Scalar(0);
        if (gb)
            for (Index j = 0; j < u; ++j) gb[j] = Scalar(0);
        for (Index i = 0; i < n; ++i) {
            const Scalar* __restrict xi = x.data + i * x.stride;
            const Scalar* __restrict di = dz.data + i * dz.stride;
            for (Index p = 0; p < k; ++p) {
                const Scalar xv = xi[p];
                Scalar* __restrict gp = gw + p * u;
                for (Index j = 0; j < u; ++j) gp[j] += xv * di[j];
            }
            if (gb)
                for (Index j = 0; j < u; ++j) gb[j] += di[j];
        }
    }
    if (!dx.data) return;
    if constexpr (U > 0) {
        for (Index i = 0; i < n; ++i) {
            const Scalar* di = dz.data + i * dz.stride;
            Scalar* dxi = dx.data + i * dx.stride;
            Index p = 0;
            for (; p + 4 <= k; p += 4) small_dx_cols<U, 4>(di, w, p, dxi);
            for (; p < k; ++p) small_dx_cols<U, 1>(di, w, p, dxi);
        }
    } else {
        for (Index i = 0; i < n; ++i) {
            const Scalar* __restrict di = dz.data + i * dz.stride;
            Scalar* __restrict dxi = dx.data + i * dx.stride;
            for (Index p = 0; p < k; ++p) {
                const Scalar* __restrict wp = w + p * u;
                Scalar s = 0;
                for (Index j = 0; j < u; ++j) s += di[j] * wp[j];
                dxi[p] = s;
            }
        }
    }
}

}  // namespace

bool small_layer(Index rows, Index in, Index units) {
    return in * units <= kSmallPerRow || rows * in * units <= kSmallTotal;
}

void small_forward_any(Rows x, Index n, Index k, Index u, const Scalar* w, const Scalar* b, MutRows z) {
    switch (u) {
        case 1: return small_forward<1>(x, n, k, u, w, b, z);
        case 2: return small_forward<2>(x, n, k, u, w, b, z);
        case 3: return small_forward<3>(x, n, k, u, w, b, z);
        case 4: return small_forward<4>(x, n, k, u, w, b, z);
        case 8: return small_forward<8>(x, n, k, u, w, b, z);
        case 16: return small_forward<16>(x, n, k, u, w, b, z);
        default: return small_forward<0>(x, n, k, u, w, b, z);
    }
}

void small_backward_any(Rows x, Index n, Index k, Index u, Rows dz, const Scalar* w, Scalar* gw, Scalar* gb, MutRows dx) {
    switch (u) {
        case 1: return small_backward<1>(x, n, k, u, dz, w, gw, gb, dx);
        case 2: return small_backward<2>(x, n, k, u, dz, w, gw, gb, dx);
        case 3: return small_backward<3>(x, n, k, u, dz, w, gw, gb, dx);
        case 4: return small_backward<4>(x, n, k, u, dz, w, gw, gb, dx);
        case 8: return small_backward<8>(x, n, k, u, dz, w, gw, gb, dx);
        case 16: return small_backward<16>(x, n, k, u, dz, w, gw, gb, dx);
        default: return small_backward<0>(x, n, k, u, dz, w, gw, gb, dx);
    }
}

}  // namespace plexus::kernels
