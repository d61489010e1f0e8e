// timing_job.h: background jobs in the UI: the timing measurement's controls (core's measure_scaling in a job, for
// the complexity and paths panels, with a progress bar and a cancel button), and the "computing…" note a view shows
// while its job runs. The UI never waits for a job.
#pragma once
#include <string>

#include "translate.h"
#include "ui_state.h"

namespace attn {

// Draws Start/Cancel and the progress; collects a finished measurement into ui.timing_result.
void timing_job_controls(UiState& ui, int d);
// The width the complexity and paths panels measure at (their labels say d = 64).
constexpr int kTimingWidth = 64;

// " — computing… 40 %" while `job` runs (for a title; the previous result is drawn meanwhile), else "".
template <class K, class R>
std::string computing_note(const Job<K, R>& job) {
  if (!job.pending()) return {};
  const int pct = int(job.progress() * 100.0f + 0.5f);
  return pct > 0 ? printf_text(_(" — computing… %d %%"), pct) : std::string(_(" — computing…"));
}

}  // namespace attn
