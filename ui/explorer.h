// explorer.h: the main window: sentence input, settings, and the attention views of the selected head.
#pragma once
#include <string>

#include "settings.h"
#include "trace.h"
#include "ui_state.h"

namespace attn {

struct ExplorerInput {
  const Trace* trace;        // null before the first good trace
  const std::string& error;  // why the latest edit was refused
};

// Draws the explorer. Returns true when settings or text were edited (the caller recomputes once).
bool draw_explorer(const ExplorerInput& in, Settings& settings, std::string& text, UiState& ui);

}  // namespace attn
