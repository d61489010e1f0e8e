// timing_job.h: runs core's measure_scaling on a background thread for the complexity and paths panels,
// with a progress bar and a cancel button; the UI never waits for it.
#pragma once
#include "ui_state.h"

namespace attn {

// Draws Start/Cancel and the progress; collects a finished result into ui.timing_result.
void timing_job_controls(UiState& ui, int d);

}  // namespace attn
