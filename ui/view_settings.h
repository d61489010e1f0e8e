// view_settings.h: the view settings (UiState fields each tab's controls edit) as a table of core Fields, and the
// one widget that draws any table entry.
//
// The same Field type as Settings' table (core/settings_table.h): the script's "set" and docs/script.md read both.
// A range here is what the app can compute safely (e.g. lab_dk ≤ 1024, kernel_k ≥ 2); a view may show a narrower
// slider (setting_slider's lo/hi), never a wider one, and every widget clamps what is typed (Ctrl+click) into it.
#pragma once
#include <cmath>
#include <vector>

#include "settings_table.h"
#include "ui_state.h"

namespace attn {

const std::vector<Field<UiState>>& view_settings_table();

// Draws f's widget labelled `label` (default: its name), with f.help as the hover explanation: a slider for Int and
// Float, a checkbox for Bool, a combo for Enum. lo/hi narrow the slider (NaN: the table's range); `log` uses a
// logarithmic slider. What is typed (Ctrl+click) is clamped into [lo, hi]; a value set elsewhere (another tab's wider
// slider, a script) is left alone unless it is outside the table's range. True when edited.
bool setting_slider(const Field<Settings>& f, Settings& s, UiState& ui, const char* label = nullptr,
                    double lo = NAN, double hi = NAN, bool log = false, const char* format = nullptr);
bool setting_slider(const Field<UiState>& f, UiState& ui, const char* label = nullptr, double lo = NAN,
                    double hi = NAN, bool log = false, const char* format = nullptr);
// The table entry called `name` (an assertion: a typo is a programming error).
const Field<Settings>& setting(const char* name);
const Field<UiState>& view_setting(const char* name);

}  // namespace attn
