// timing_job.h: runs core's measure_scaling on a background thread for the complexity and paths panels,
// with a progress bar and a cancel button; the UI never waits for it.
#pragma once
#include "ui_state.h"

namespace attn {

// Draws Start/Cancel and the progress; collects a finished result into ui.timing_result.
void timing_job_controls(UiState& ui, int d);
// What the Measure button does: n = 64 … 4096 at width d, on a new background thread.
void start_timing_job(UiState& ui, int d);
// The width the complexity and paths panels measure at (their labels say d = 64).
constexpr int kTimingWidth = 64;

}  // namespace attn
