// settings_table.h: every setting declared once — name, type, range, unit, help — and the readers that use it.
//
//  Sections: Field (one setting), the operations on a field (text, set, check), settings_table() (Settings).
//
// A table is a list of Field<S> for one struct S. The defaults are S's own member initialisers (a default-constructed
// S), so they are written in one place too. Settings' table is here; the view settings (UiState) have their own table
// in ui/view_settings.h, built with the same Field type, because core knows nothing of the UI.
// Readers: validate() (ranges), the session file, the script's "set", the export CLI's options, the controls' widgets,
// docs/script.md (a test checks every name is listed there).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "settings.h"

// N_("…") marks a string for translation without translating it (core has no UI language): xgettext collects the
// help texts and choice names, and the UI translates them where it shows them (ui/i18n.h).
#ifndef N_
#define N_(s) s
#endif

namespace attn {

enum class FieldType { Int, UInt64, Float, Bool, Enum, OptText };

template <class S>
struct Field {
  const char* name = "";  // session, script and docs name; the CLI option is --name with '_' written '-'
  FieldType type = FieldType::Int;
  double min = 0, max = 0;  // Int, UInt64, Float: the valid range, inclusive
  const char* unit = "";    // "tokens", "" …
  const char* help = "";    // one sentence: the CLI's help and the controls' tooltip
  bool user_over_model = false;  // a trained model keeps the user's value (scale, τ …), not its own (shapes, task)
  bool fixed_by_checkpoint = false;  // a pretrained checkpoint fixes it (its shapes, positions, norm, no decoder)
  // One accessor, by type.
  int S::*i = nullptr;
  uint64_t S::*u = nullptr;
  float S::*f = nullptr;
  bool S::*b = nullptr;
  std::optional<std::string> S::*text = nullptr;  // OptText: null = none
  std::vector<std::string> choices;               // Enum: names, in the order of the enum's values
  int (*get_choice)(const S&) = nullptr;
  void (*set_choice)(S&, int) = nullptr;
};

template <class S>
Field<S> int_field(const char* name, int S::*p, int lo, int hi, const char* unit, const char* help) {
  Field<S> f;
  f.name = name, f.type = FieldType::Int, f.min = lo, f.max = hi, f.unit = unit, f.help = help, f.i = p;
  return f;
}
template <class S>
Field<S> float_field(const char* name, float S::*p, double lo, double hi, const char* unit, const char* help) {
  Field<S> f;
  f.name = name, f.type = FieldType::Float, f.min = lo, f.max = hi, f.unit = unit, f.help = help, f.f = p;
  return f;
}
template <class S>
Field<S> bool_field(const char* name, bool S::*p, const char* help) {
  Field<S> f;
  f.name = name, f.type = FieldType::Bool, f.max = 1, f.help = help, f.b = p;
  return f;
}

// ---- Operations. Each returns "" or one sentence naming the field; on error the struct is left as it was.

// What the field accepts: "a whole number between 1 and 256", "true or false", "one of none, causal, …".
template <class S>
std::string field_expects(const Field<S>& f);
// The value as text: "64", "1.5", "true", "causal"; OptText: the text, or "" for none.
template <class S>
std::string field_text(const Field<S>& f, const S& s);
// The value as a number (Enum: its index, Bool: 0/1; OptText: 0). For sliders and range checks.
template <class S>
double field_number(const Field<S>& f, const S& s);
// Sets from text as typed (the CLI, the GUI's inputs): whole numbers must be written as such ("1e3" is refused).
template <class S>
std::string field_set_text(const Field<S>& f, S& s, const std::string& text);
// Sets from a number (a JSON number, a slider): refused outside the range or, for whole-number fields, when not whole.
template <class S>
std::string field_set_number(const Field<S>& f, S& s, double v);
// Sets a bool field (the only kind a JSON true/false may set).
template <class S>
std::string field_set_bool(const Field<S>& f, S& s, bool v);
// Sets an OptText field to none.
template <class S>
std::string field_set_none(const Field<S>& f, S& s);
// Checks the current value against the range: "NAME must be between LO and HI (got V)" (validate's sentence).
template <class S>
std::string field_check(const Field<S>& f, const S& s);
// Clamps a number into the field's range (the controls: a typed value never leaves it).
template <class S>
void field_clamp(const Field<S>& f, S& s);

// Copies the field's value from one struct to another.
template <class S>
void field_copy(const Field<S>& f, const S& from, S& to);

template <class S>
const Field<S>* find_field(const std::vector<Field<S>>& table, const std::string& name) {
  for (const Field<S>& f : table)
    if (name == f.name) return &f;
  return nullptr;
}

std::string cli_option_name(const char* name);  // "d_model" → "--d-model"
std::string number_text(double v);               // 64 → "64", 0.5 → "0.5", 1e9 → "1000000000"
// Strict parsers: the whole text, no spaces, whole numbers with no '.' or exponent. false when not such a number.
bool parse_whole(const std::string& text, long double* out);
bool parse_real(const std::string& text, double* out);

// The Settings table, in the order of the CLI's help and docs/script.md. custom_mask and head_enabled are not in it
// (edited on the Masks and Interventions tabs; the session file stores them beside the table's fields).
const std::vector<Field<Settings>>& settings_table();

}  // namespace attn

#include "settings_table_impl.h"
