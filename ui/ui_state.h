// ui_state.h: what the user is looking at (selection, view options). Plain data, owned by app/.
#pragma once
#include <string>

#include "colormap.h"

namespace attn {

struct UiState {
  int layer = 0, head = 0;
  int pinned_q = -1, pinned_k = -1;  // clicked cell, shown in every view
  Colormap weights_cmap = Colormap::Viridis;
  Colormap scores_cmap = Colormap::RdBu;
  float ui_scale = 1.0f;
  std::string status;  // one line at the bottom: errors and notes
};

}  // namespace attn
