// settings_table_impl.h: the template operations declared in settings_table.h (included from there only).
#pragma once
#include <algorithm>
#include <cmath>
#include <limits>

#include "translate.h"
#include "utf8.h"

namespace attn {

template <class S>
std::string field_expects(const Field<S>& f) {
  switch (f.type) {
    case FieldType::Int:
    case FieldType::UInt64: {
      const std::string hi = f.type == FieldType::UInt64 && f.max >= 1.8e19 ? "18446744073709551615" : number_text(f.max);
      return printf_text(_("a whole number between %s and %s"), number_text(f.min).c_str(), hi.c_str());
    }
    case FieldType::Float:
      return printf_text(_("a number between %s and %s"), number_text(f.min).c_str(), number_text(f.max).c_str());
    case FieldType::Bool:
      return _("true or false");
    case FieldType::Enum: {
      std::string c;
      for (size_t k = 0; k < f.choices.size(); ++k)
        c += (k == 0 ? "" : k + 1 == f.choices.size() ? _(" or ") : _(", ")) + f.choices[k];
      return printf_text(_("one of %s"), c.c_str());
    }
    case FieldType::OptText:
      return _("a text, or null for none");
  }
  return "";
}

template <class S>
std::string field_text(const Field<S>& f, const S& s) {
  switch (f.type) {
    case FieldType::Int: return std::to_string(s.*f.i);
    case FieldType::UInt64: return std::to_string(s.*f.u);
    case FieldType::Float: return number_text(double(s.*f.f));
    case FieldType::Bool: return s.*f.b ? "true" : "false";
    case FieldType::Enum: return f.choices[size_t(f.get_choice(s))];
    case FieldType::OptText: return (s.*f.text).value_or("");
  }
  return "";
}

template <class S>
double field_number(const Field<S>& f, const S& s) {
  switch (f.type) {
    case FieldType::Int: return s.*f.i;
    case FieldType::UInt64: return double(s.*f.u);
    case FieldType::Float: return s.*f.f;
    case FieldType::Bool: return s.*f.b ? 1 : 0;
    case FieldType::Enum: return f.get_choice(s);
    case FieldType::OptText: return 0;
  }
  return 0;
}

template <class S>
std::string field_set_number(const Field<S>& f, S& s, double v) {
  const std::string got = printf_text(_(" (got %s)"), number_text(v).c_str());
  const std::string needs = printf_text(_("%s needs %s"), f.name, field_expects(f).c_str());
  switch (f.type) {
    case FieldType::Int:
    case FieldType::UInt64:
      if (!std::isfinite(v) || v != std::floor(v) || v < f.min || v > f.max) return needs + got;
      if (f.type == FieldType::Int) s.*f.i = int(v);
      else s.*f.u = v >= 1.8446744073709552e19 ? std::numeric_limits<uint64_t>::max() : uint64_t(v);
      return {};
    case FieldType::Float:
      if (!std::isfinite(v) || v < f.min || v > f.max) return needs + got;
      s.*f.f = float(v);
      return {};
    default:
      return needs + _(", not a number") + got;
  }
}

template <class S>
std::string field_set_text(const Field<S>& f, S& s, const std::string& text) {
  const std::string needs =
      printf_text(_("%s needs %s (got '%s')"), f.name, field_expects(f).c_str(), untrusted_text(text).c_str());
  switch (f.type) {
    case FieldType::Int:
    case FieldType::UInt64: {
      long double v = 0;
      if (!parse_whole(text, &v)) {
        double r = 0;
        if (parse_real(text, &r))
          return printf_text(_("%s needs a whole number written without a decimal point or exponent (got '%s')"),
                             f.name, untrusted_text(text).c_str());
        return needs;
      }
      if (v < f.min || v > (f.type == FieldType::UInt64 && f.max >= 1.8e19 ? 18446744073709551615.0L : (long double)f.max))
        return needs;
      if (f.type == FieldType::Int) s.*f.i = int(v);
      else s.*f.u = std::stoull(text);  // exact: a double would round seeds above 2^53
      return {};
    }
    case FieldType::Float: {
      double v = 0;
      if (!parse_real(text, &v) || v < f.min || v > f.max) return needs;
      s.*f.f = float(v);
      return {};
    }
    case FieldType::Bool:
      if (text == "true" || text == "1") s.*f.b = true;
      else if (text == "false" || text == "0") s.*f.b = false;
      else return needs;
      return {};
    case FieldType::Enum:
      for (size_t k = 0; k < f.choices.size(); ++k)
        if (text == f.choices[k]) {
          f.set_choice(s, int(k));
          return {};
        }
      return needs;
    case FieldType::OptText: s.*f.text = text; return {};
  }
  return needs;
}

template <class S>
std::string field_set_bool(const Field<S>& f, S& s, bool v) {
  if (f.type != FieldType::Bool)
    return printf_text(_("%s needs %s (got %s)"), f.name, field_expects(f).c_str(), v ? "true" : "false");
  s.*f.b = v;
  return {};
}

template <class S>
std::string field_set_none(const Field<S>& f, S& s) {
  if (f.type != FieldType::OptText) return printf_text(_("%s needs %s (got null)"), f.name, field_expects(f).c_str());
  (s.*f.text).reset();
  return {};
}

template <class S>
std::string field_check(const Field<S>& f, const S& s) {
  if (f.type == FieldType::Float) {
    const double v = s.*f.f;
    if (!std::isfinite(v) || v < f.min || v > f.max)
      return printf_text(_("%s must be between %s and %s (got %s)"), f.name, number_text(f.min).c_str(),
                         number_text(f.max).c_str(), number_text(v).c_str());
  } else if (f.type == FieldType::Int) {
    const int v = s.*f.i;
    if (v < f.min || v > f.max)
      return printf_text(_("%s must be between %s and %s (got %s)"), f.name, number_text(f.min).c_str(),
                         number_text(f.max).c_str(), std::to_string(v).c_str());
  }
  return {};
}

template <class S>
void field_clamp(const Field<S>& f, S& s) {
  if (f.type == FieldType::Int) s.*f.i = std::clamp(s.*f.i, int(f.min), int(f.max));
  else if (f.type == FieldType::Float) {
    float& v = s.*f.f;
    v = std::isfinite(v) ? std::clamp(v, float(f.min), float(f.max)) : float(f.min);
  }
}

template <class S>
void field_copy(const Field<S>& f, const S& from, S& to) {
  switch (f.type) {
    case FieldType::Int: to.*f.i = from.*f.i; break;
    case FieldType::UInt64: to.*f.u = from.*f.u; break;
    case FieldType::Float: to.*f.f = from.*f.f; break;
    case FieldType::Bool: to.*f.b = from.*f.b; break;
    case FieldType::Enum: f.set_choice(to, f.get_choice(from)); break;
    case FieldType::OptText: to.*f.text = from.*f.text; break;
  }
}

}  // namespace attn
