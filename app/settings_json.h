// settings_json.h: a settings table's fields (core/settings_table.h) as JSON values, for the session file and the
// script's "set". One reader for every field: the types and ranges come from the table.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "settings_table.h"

namespace attn {

template <class J, class S>
J field_to_json(const Field<S>& f, const S& s) {
  switch (f.type) {
    case FieldType::Int: return s.*f.i;
    case FieldType::UInt64: return s.*f.u;
    case FieldType::Float: return double(s.*f.f);
    case FieldType::Bool: return s.*f.b;
    case FieldType::Enum: return field_text(f, s);
    case FieldType::OptText: return (s.*f.text) ? J(*(s.*f.text)) : J(nullptr);
  }
  return nullptr;
}

// Sets the field from a JSON value. "" or one sentence; on error `s` is unchanged. A number written as text ("12")
// is refused for a numeric field, as a JSON number is for a text field.
template <class J, class S>
std::string field_from_json(const Field<S>& f, S& s, const J& v) {
  const bool numeric = f.type == FieldType::Int || f.type == FieldType::UInt64 || f.type == FieldType::Float;
  if (v.is_boolean()) return field_set_bool(f, s, v.template get<bool>());
  if (v.is_null()) return field_set_none(f, s);
  if (v.is_number_unsigned() && f.type == FieldType::UInt64)
    return field_set_text(f, s, std::to_string(v.template get<uint64_t>()));  // exact above 2^53
  if (v.is_number()) return field_set_number(f, s, v.template get<double>());
  if (v.is_string()) {
    if (numeric || f.type == FieldType::Bool)
      return std::string(f.name) + " needs " + field_expects(f) + ", not the text " + v.dump(-1, ' ', false, J::error_handler_t::replace);
    return field_set_text(f, s, v.template get<std::string>());
  }
  return std::string(f.name) + " needs " + field_expects(f) + " (got " + v.dump(-1, ' ', false, J::error_handler_t::replace) + ")";
}

}  // namespace attn
