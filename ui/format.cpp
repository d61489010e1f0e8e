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

}  // namespace attn
