// session_json.h: the document (settings + sentences) and view preferences as versioned JSON.
// Used for the settings that persist between runs and for saved sessions.
// Reading validates everything: a bad file is refused with a message and changes nothing.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

#include "document.h"
#include "ui_state.h"

namespace attn {

constexpr int kSessionVersion = 1;

nlohmann::ordered_json session_to_json(const Document& doc, const UiState& ui);
// Returns "" and fills doc/ui, or an error message and leaves them untouched.
std::string session_from_json(const nlohmann::ordered_json& j, Document* doc, UiState* ui);
std::string load_session_file(const std::string& path, Document* doc, UiState* ui);
std::string save_session_file(const std::string& path, const Document& doc, const UiState& ui);

}  // namespace attn
