#include "frontend/real_fft.h"

#include <cmath>

#include "core/check.h"

namespace funasr::frontend {

namespace {
bool IsPowerOfTwo(int n) { return n > 0 && (n & (n - 1)) == 0; }
}  // namespace

RealFft::RealFft(int n) : n_(n), half_(n / 2) {
  FUNASR_CHECK(n >= 2 && IsPowerOfTwo(n), ErrorCode::kInvalidArgument,
               "RealFft: size must be a power of two >= 2, got ", n);
  const double kPi = 3.14159265358979323846;
  bit_reverse_.resize(half_);
  int bits = 0;
  while ((1 << bits) < half_) ++bits;
  for (int i = 0; i < half_; ++i) {
    int r = 0;
    for (int b = 0; b < bits; ++b)
      if (i & (1 << b)) r |= 1 << (bits - 1 - b);
    bit_reverse_[i] = r;
  }
  twiddle_.resize(std::max(1, half_ / 2));
  for (size_t j = 0; j < twiddle_.size(); ++j)
    twiddle_[j] = std::polar(1.0, -2.0 * kPi * static_cast<double>(j) / half_);
  split_.resize(half_ / 2 + 1);
  for (int k = 0; k <= half_ / 2; ++k)
    split_[k] = std::polar(1.0, -2.0 * kPi * static_cast<double>(k) / n_);
}

void RealFft::ComplexFft(std::complex<double>* z) const {
  for (int i = 0; i < half_; ++i)
    if (i < bit_reverse_[i]) std::swap(z[i], z[bit_reverse_[i]]);
  // Iterative decimation in time: butterflies of length len use every (half_/len)-th
  // twiddle of the full table.
  for (int len = 2; len <= half_; len <<= 1) {
    const int step = half_ / len;
    const int h = len / 2;
    for (int start = 0; start < half_; start += len) {
      for (int j = 0; j < h; ++j) {
        const std::complex<double> t = twiddle_[j * step] * z[start + j + h];
        z[start + j + h] = z[start + j] - t;
        z[start + j] += t;
      }
    }
  }
}

void RealFft::Forward(const double* x, std::complex<double>* out) const {
  // z[j] = x[2j] + i x[2j+1]; Z = FFT_{n/2}(z).
  for (int j = 0; j < half_; ++j) out[j] = {x[2 * j], x[2 * j + 1]};
  ComplexFft(out);
  // Split: with E[k] = (Z[k] + conj Z[M-k]) / 2 and O[k] = (Z[k] - conj Z[M-k]) / 2i
  // (M = n/2), X[k] = E[k] + W^k O[k] and X[M-k] = conj(E[k] - W^k O[k]), W = e^{-2 pi i/n}.
  const std::complex<double> z0 = out[0];
  out[0] = {z0.real() + z0.imag(), 0.0};
  out[half_] = {z0.real() - z0.imag(), 0.0};
  for (int k = 1; k < half_ - k; ++k) {
    const std::complex<double> a = out[k];
    const std::complex<double> b = std::conj(out[half_ - k]);
    const std::complex<double> even = 0.5 * (a + b);
    const std::complex<double> odd = std::complex<double>(0.0, -0.5) * (a - b);
    const std::complex<double> w_odd = split_[k] * odd;
    out[k] = even + w_odd;
    out[half_ - k] = std::conj(even - w_odd);
  }
  // The middle bin k = M/2 pairs with itself: X[M/2] = conj(Z[M/2]).
  if (half_ >= 2) out[half_ / 2] = std::conj(out[half_ / 2]);
}

}  // namespace funasr::frontend
