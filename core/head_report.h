// head_report.h: every head's scores (core/head_scores.h, the Head gallery's definitions) averaged over many
// windows of a text, for `attention-lab heads` and the README's table of the shipped language model's heads.
//
// The text's lines are grouped, in order, into windows of at most the model's context in tokens (a line longer than
// that is a window of its own, cut to the context); each window is traced with the causal mask and scored; each
// score is the mean over the windows where it is defined. The induction score comes from the gallery's probe
// (kProbeLength random words, then the same words again).
#pragma once
#include <memory>
#include <string>

#include "head_scores.h"
#include "model.h"

namespace attn {

struct HeadReport {
  HeadScores mean;  // induction from the probe
  int windows = 0;
  long tokens = 0;  // scored over all windows
};

// Returns "" or one sentence. `windows`: how many windows at most.
std::string head_report(std::shared_ptr<const Model> m, const std::string& text, int windows, HeadReport* out);

// CSV, one line per head: layer,head,previous,first,diagonal,entropy_norm,induction
std::string head_report_csv(const HeadReport& r);

}  // namespace attn
