#include "core/figure/ticks.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace attnlab {
namespace {

constexpr const char* kMinus = "\xE2\x88\x92";  // U+2212 MINUS SIGN
constexpr const char* kTimes = "\xC3\x97";      // U+00D7 MULTIPLICATION SIGN

// Fixed-point text with `decimals` digits, trailing zeros kept (ticks line up) or trimmed.
std::string fixed(double v, int decimals, bool trim) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", std::clamp(decimals, 0, 17), std::abs(v));
  std::string s = buffer;
  if (trim && s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  // Rounded to zero: no sign ("−0" would confuse).
  const bool zero = s.find_first_not_of("0.") == std::string::npos;
  return (v < 0 && !zero) ? kMinus + s : s;
}

int floorLog10(double v) { return static_cast<int>(std::floor(std::log10(std::abs(v)))); }

// a×10ⁿ with `decimals` digits of mantissa; exactly 10ⁿ when the mantissa is ±1.
std::string scientific(double v, int decimals) {
  int e = floorLog10(v);
  double m = v / std::pow(10.0, e);
  // Rounding may carry the mantissa to 10 (9.996 → "10.00"): renormalise.
  if (std::abs(std::round(m * std::pow(10.0, decimals))) >= 10.0 * std::pow(10.0, decimals)) {
    ++e;
    m /= 10.0;
  }
  std::string mant = fixed(m, decimals, true);
  if (mant == "1") return powerOfTen(e);
  if (mant == std::string(kMinus) + "1") return kMinus + powerOfTen(e);
  return mant + kTimes + powerOfTen(e);
}

// Stride between labelled decades: 1, 2, 3, 5, 10, 20, … so labels stay few.
int decadeStride(int decades, int targetCount) {
  static constexpr std::array<int, 6> kStrides = {1, 2, 3, 5, 10, 20};
  for (int s : kStrides)
    if (decades / s + 1 <= std::max(targetCount, 2)) return s;
  int s = 50;
  while (decades / s + 1 > std::max(targetCount, 2)) s *= 2;
  return s;
}

}  // namespace

double niceNumber(double x, bool round) {
  if (!(x > 0.0) || !std::isfinite(x)) return 1.0;
  const double e = std::floor(std::log10(x));
  const double p = std::pow(10.0, e);
  const double f = x / p;
  double nice;
  if (round)
    nice = f < 1.5 ? 1.0 : f < 3.0 ? 2.0 : f < 7.0 ? 5.0 : 10.0;
  else
    nice = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0;
  return nice * p;
}

double niceStep(Range range, int targetCount) {
  const double span = std::abs(range.span());
  if (!(span > 0.0) || !std::isfinite(span)) return 1.0;
  return niceNumber(span / std::max(targetCount - 1, 1), true);
}

std::string superscript(int n) {
  static constexpr std::array<const char*, 10> kDigits = {
      "\xE2\x81\xB0", "\xC2\xB9",     "\xC2\xB2",     "\xC2\xB3",     "\xE2\x81\xB4",
      "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};
  std::string digits = std::to_string(std::abs(n));
  std::string out = n < 0 ? "\xE2\x81\xBB" : "";  // U+207B SUPERSCRIPT MINUS
  for (char c : digits) out += kDigits[static_cast<std::size_t>(c - '0')];
  return out;
}

std::string powerOfTen(int exponent) { return "10" + superscript(exponent); }

std::string formatTickValue(double value, double step, double magnitude) {
  if (!std::isfinite(value)) return formatNumber(value);
  if (std::abs(value) < std::abs(step) * 1e-9) return "0";
  magnitude = std::abs(magnitude);
  if (magnitude >= 1e5 || magnitude < 1e-3) {
    // Enough mantissa digits to tell ticks one step apart.
    const int decimals = std::max(0, floorLog10(value) - floorLog10(step));
    return scientific(value, decimals);
  }
  const int decimals = std::max(0, -static_cast<int>(std::floor(std::log10(std::abs(step)) + 1e-9)));
  return fixed(value, decimals, false);
}

std::string formatNumber(double value, int significant) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "\xE2\x88\x9E" : std::string(kMinus) + "\xE2\x88\x9E";
  if (value == 0.0) return "0";
  significant = std::clamp(significant, 1, 17);
  const int e = floorLog10(value);
  if (e < -3 || e >= 5) return scientific(value, significant - 1);
  return fixed(value, std::max(0, significant - 1 - e), true);
}

std::vector<Tick> linearTicks(Range range, int targetCount) {
  std::vector<Tick> ticks;
  double lo = std::min(range.min, range.max);
  double hi = std::max(range.min, range.max);
  if (!std::isfinite(lo) || !std::isfinite(hi)) return ticks;
  if (hi - lo <= 0.0) {
    ticks.push_back({lo, formatNumber(lo), true});
    return ticks;
  }
  double step = niceStep({lo, hi}, targetCount);
  // A range that straddles few nice values (−1..1 asked for 2 ticks) could show only one:
  // step down the 1-2-5 ladder until at least two ticks fall inside.
  while (std::floor(hi / step + 1e-9) - std::ceil(lo / step - 1e-9) < 1.0) {
    const double p = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    const double m = std::round(step / p);
    step = m == 1.0 ? 0.5 * p : m == 2.0 ? p : 2.0 * p;
  }
  const double first = std::ceil(lo / step - 1e-9);
  const double last = std::floor(hi / step + 1e-9);
  const double magnitude = std::max(std::abs(lo), std::abs(hi));
  for (double k = first; k <= last; k += 1.0) {
    const double v = k * step;  // k·step, not an accumulated sum: no drift
    ticks.push_back({v, formatTickValue(v, step, magnitude), true});
  }
  return ticks;
}

std::vector<Tick> logTicks(Range range, int targetCount) {
  std::vector<Tick> ticks;
  const double lo = std::min(range.min, range.max);
  const double hi = std::max(range.min, range.max);
  if (!(lo > 0.0) || !std::isfinite(hi)) return ticks;
  const double l0 = std::log10(lo);
  const double l1 = std::log10(hi);
  const int d0 = static_cast<int>(std::ceil(l0 - 1e-9));
  const int d1 = static_cast<int>(std::floor(l1 + 1e-9));
  const auto inside = [&](double v) { return v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9); };

  if (d1 - d0 + 1 >= 2) {
    const int stride = decadeStride(d1 - d0, targetCount);
    // Minor ticks at 2..9 only while decades are wide enough to show them.
    const bool mantissaMinors = stride == 1 && (d1 - d0) <= 3 * std::max(targetCount, 2);
    for (int d = d0 - 1; d <= d1; ++d) {
      const double p = std::pow(10.0, d);
      if (d >= d0) {
        const bool labelled = ((d % stride) + stride) % stride == 0;
        if (labelled)
          ticks.push_back({p, powerOfTen(d), true});
        else
          ticks.push_back({p, "", false});
      }
      if (mantissaMinors)
        for (int m = 2; m <= 9; ++m)
          if (inside(m * p)) ticks.push_back({m * p, "", false});
    }
    std::sort(ticks.begin(), ticks.end(), [](const Tick& a, const Tick& b) { return a.value < b.value; });
    return ticks;
  }

  // Less than two decades in view: label the mantissas themselves.
  for (const std::array<int, 9>& mantissas :
       {std::array<int, 9>{1, 2, 3, 4, 5, 6, 7, 8, 9}, std::array<int, 9>{1, 2, 5, 0, 0, 0, 0, 0, 0}}) {
    ticks.clear();
    for (int d = static_cast<int>(std::floor(l0)); d <= static_cast<int>(std::ceil(l1)); ++d)
      for (int m : mantissas)
        if (m > 0 && inside(m * std::pow(10.0, d)))
          ticks.push_back({m * std::pow(10.0, d), formatNumber(m * std::pow(10.0, d), 3), true});
    if (static_cast<int>(ticks.size()) <= std::max(targetCount, 2) + targetCount / 2) break;
  }
  if (ticks.size() >= 2) return ticks;
  return linearTicks({lo, hi}, targetCount);  // a sliver of a decade: plain values
}

std::vector<Tick> computeTicks(Range range, Scale scale, int targetCount) {
  return scale == Scale::Log10 ? logTicks(range, targetCount) : linearTicks(range, targetCount);
}

}  // namespace attnlab
