#include "format.h"

#include <cmath>
#include <cstdio>

namespace attn {

std::string fmt_value(float v) {
  if (std::isnan(v)) return "NaN (undefined)";
  if (std::isinf(v)) return v < 0 ? "-inf" : "+inf";
  if (v <= -1e8f) {
    char b[32];
    std::snprintf(b, sizeof b, "%.0e", double(v));
    return b;
  }
  char b[32];
  std::snprintf(b, sizeof b, "%.4g", double(v));
  return b;
}

std::string fmt_fixed(double v, int digits) {
  if (std::isnan(v)) return "NaN (undefined)";
  if (std::isinf(v)) return v < 0 ? "-inf" : "+inf";
  char b[48];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

std::string fmt_percent(double p) {
  if (std::isnan(p)) return "NaN (undefined)";
  char b[48];
  const double pc = 100.0 * p;
  if (pc >= 9.95) std::snprintf(b, sizeof b, "%.0f%%", pc);
  else if (pc >= 0.095) std::snprintf(b, sizeof b, "%.1f%%", pc);
  else if (pc > 0) std::snprintf(b, sizeof b, "%.1g%%", pc);  // never a bare "0.0%" for a small probability
  else std::snprintf(b, sizeof b, "0%%");
  return b;
}

}  // namespace attn
