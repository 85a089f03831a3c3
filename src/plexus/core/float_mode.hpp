// Denormal (subnormal) floats during training: flushed to zero, as TensorFlow's
// executors do (Keras users train this way), rather than computed slowly.
//
// A value below FLT_MIN (1.2e-38) costs x86 a microcode assist of ~100 cycles
// per operation. Training makes them: Adam's first moment of a weight whose
// gradient has become exactly zero (a dead ReLU unit) decays by beta_1 every
// step and spends ~150 steps among the denormals on its way to zero. On the
// tabular workload (issue 11) that made Adam's update 3x slower after ~700 steps.
// With flush-to-zero (results that would be denormal become 0) and
// denormals-are-zero (denormal inputs read as 0) every such operation runs at
// full speed; no normal value changes.
//
//   { FlushDenormals scope;  ... training ... }   // the caller's mode is restored after
//
// The mode is the calling thread's (MXCSR): parallel_for gives its helpers the
// caller's mode for each job (core/parallel.cpp), so results do not depend on
// the thread count. A no-op where the CPU has no such mode.
#pragma once

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace plexus {

// True when the calling thread flushes denormal results and reads denormal inputs as zero.
inline bool flushing_denormals() {
#if defined(__SSE2__)
    constexpr unsigned kFtzDaz = 0x8040;  // MXCSR bit 15 (flush to zero), bit 6 (denormals are zero)
    return (_mm_getcsr() & kFtzDaz) == kFtzDaz;
#else
    return false;
#endif
}

class FlushDenormals {
public:
    FlushDenormals() {
#if defined(__SSE2__)
        saved_ = _mm_getcsr();
        _mm_setcsr(saved_ | 0x8040u);
#endif
    }
    ~FlushDenormals() {
#if defined(__SSE2__)
        _mm_setcsr((_mm_getcsr() & ~0x8040u) | (saved_ & 0x8040u));  // the caller's FTZ/DAZ bits back
#endif
    }
    FlushDenormals(const FlushDenormals&) = delete;
    FlushDenormals& operator=(const FlushDenormals&) = delete;

private:
    [[maybe_unused]] unsigned saved_ = 0;
};

}  // namespace plexus
