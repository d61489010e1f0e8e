#include "timing_job.h"

#include <imgui.h>

#include <string>

#include "i18n.h"

namespace attn {

void timing_job_controls(UiState& ui, int d) {
  TimingJob& job = ui.timing;
  if (job.poll()) ui.timing_result = *job.result();
  const std::vector<int> ns = {64, 128, 256, 512, 1024, 2048, 4096};
  if (!job.pending()) {
    if (ImGui::Button(stable_label(_("Measure n = 64 … 4096"), "measure").c_str())) {
      const int run = job.result_key() ? *job.result_key() + 1 : 1;  // every press measures again
      job.start(ui.jobs, run, [ns, d](const JobToken& tok) {
        return measure_scaling(ns, d, tok.flag(), [&tok, total = int(ns.size())](int k, int) { tok.progress(k, total); });
      });
    }
    if (ImGui::IsItemHovered())
      ui.explain =
          _("Times the engine's real attention (one head, d_k as shown) and an RNN for growing n, in the background.");
  } else {
    const int total = int(ns.size()), done = int(job.progress() * float(total) + 0.5f);
    ImGui::ProgressBar(job.progress(), ImVec2(ImGui::GetFontSize() * 10, 0),
                       // TRANSLATORS: the timing measurement's progress: sizes of n measured, of how many.
                       printf_text(_("%d / %d sizes"), done, total).c_str());
    ImGui::SameLine();
    if (ImGui::Button(stable_label(_("Cancel"), "cancel").c_str())) job.cancel();
  }
}

}  // namespace attn
