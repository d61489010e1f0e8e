// format.h: numbers for the screen. Never prints a bare "nan"/"inf": they are labelled.
#pragma once
#include <string>

namespace attn {

std::string fmt_value(float v);               // 4 significant digits; "−∞", "+∞", "NaN (undefined)"
std::string fmt_fixed(double v, int digits);  // fixed decimals, same labelling
std::string fmt_percent(double p);            // a probability: "65%", "7.0%", "0.03%", "4e-05%" (never "0.0%" for p > 0)

}  // namespace attn
