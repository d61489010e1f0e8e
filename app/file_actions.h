// file_actions.h: carries out the file requests the UI makes (sessions, PNG/CSV/trace.json exports).
// Every write is atomic; every failure becomes a message in the status line and changes nothing.
#pragma once
#include <string>

#include "app_state.h"

namespace attn {

// Performs ui.request (if any), clears it and sets ui.status. Returns the message.
std::string perform_file_request(AppState& s);

// The CSV of a matrix with token headers: first row "query\\key,tok0,tok1,…", then one row per query.
std::string matrix_csv(const Mat& m, const std::vector<std::string>& rows, const std::vector<std::string>& cols);

// ~/attention-lab (or ./attention-lab without HOME).
std::string default_io_dir();

}  // namespace attn
