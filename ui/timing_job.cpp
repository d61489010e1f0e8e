#include "timing_job.h"

#include <imgui.h>

#include <string>

namespace attn {

void start_timing_job(UiState& ui, int d) {
  auto job = std::make_shared<TimingJob>();
  const std::vector<int> ns = {64, 128, 256, 512, 1024, 2048, 4096};
  job->total = int(ns.size());
  TimingJob* j = job.get();  // the job outlives its thread: its destructor cancels and joins
  job->thread = std::thread([j, ns, d] {
    j->result = measure_scaling(ns, d, &j->cancel, [j](int k, int) { j->done = k; });
    j->finished = true;
  });
  ui.timing = job;
}

void timing_job_controls(UiState& ui, int d) {
  if (ui.timing && ui.timing->finished) {
    ui.timing->thread.join();
    ui.timing_result = ui.timing->result;
    ui.timing.reset();
  }
  if (!ui.timing) {
    if (ImGui::Button("Measure n = 64 … 4096")) start_timing_job(ui, d);
    if (ImGui::IsItemHovered())
      ui.explain = "Times the engine's real attention (one head, d_k as shown) and an RNN for growing n, in the background.";
  } else {
    const int done = ui.timing->done;
    ImGui::ProgressBar(float(done) / float(ui.timing->total), ImVec2(ImGui::GetFontSize() * 10, 0),
                       (std::to_string(done) + " / " + std::to_string(ui.timing->total) + " sizes").c_str());
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ui.timing->cancel = true;
  }
}

}  // namespace attn
