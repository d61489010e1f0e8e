#include "i18n.h"

#include "ui_state.h"

namespace attn {

bool apply_language(UiState& ui, const std::string& code) {
  const std::string before = language();
  if (!set_language(code.empty() ? language_from_env() : code)) return false;
  ui.language = code.empty() ? "" : language();
  if (language() != before) ui.ui_scale_changed = true;
  return true;
}

std::string stable_label(const char* translated, const char* id) { return std::string(translated) + "###" + id; }

}  // namespace attn
