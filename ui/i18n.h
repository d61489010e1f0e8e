// i18n.h: the UI's language. The lookup (_(), N_(), P_(), tr, set_language, printf_text) is core/translate.h,
// shared by core, app and ui; this adds what belongs to the UI.
#pragma once
#include <string>

#include "translate.h"

namespace attn {

// "label###id": a translated label with an ImGui ID that does not change with the language (tree nodes, headers
// and windows keep their state by ID).
std::string stable_label(const char* translated, const char* id);

// The app's choice: sets ui.language (remembered in settings.json) and switches to it ("": the environment's), and
// asks for a new font atlas when the language changed. False, and nothing changed, for a language we lack.
struct UiState;
bool apply_language(UiState& ui, const std::string& code);

}  // namespace attn
