// Radix-2 FFT of a real sequence, in double precision.
//
// An n-point real FFT is computed as an n/2-point complex FFT of the even/odd interleaved
// samples followed by the usual split step (X[k] = E[k] + e^{-2 pi i k/n} O[k]). The
// filterbank only needs n = 512 (25 ms at 16 kHz rounded up), so a plain iterative
// radix-2 transform with precomputed twiddles is ample (~2 us per frame).
#pragma once

#include <complex>
#include <vector>

namespace funasr::frontend {

class RealFft {
 public:
  // n must be a power of two, n >= 2. Throws InvalidArgument otherwise.
  explicit RealFft(int n);

  int size() const { return n_; }

  // Unnormalised forward transform X[k] = sum_j x[j] e^{-2 pi i jk/n}, k = 0..n/2.
  // `x` has n values; `out` receives n/2 + 1 values. Thread-safe (no mutable state).
  void Forward(const double* x, std::complex<double>* out) const;

 private:
  void ComplexFft(std::complex<double>* z) const;  // in place, size n/2

  int n_;
  int half_;
  std::vector<int> bit_reverse_;                 // permutation of the n/2-point transform
  std::vector<std::complex<double>> twiddle_;    // e^{-2 pi i j/(n/2)}, j < n/4
  std::vector<std::complex<double>> split_;      // e^{-2 pi i k/n}, k <= n/4
};

}  // namespace funasr::frontend
