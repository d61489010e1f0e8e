// The download panel (ui/download_panel.h): its text, and real headless frames in every phase.
#include <gtest/gtest.h>
#include <imgui.h>

#include <cmath>

#include "download_panel.h"

using namespace attn;

TEST(DownloadPanel, ProgressText) {
  DownloadStatus s;
  s.phase = DownloadStatus::Phase::Downloading;
  s.done = 12'345'678, s.total = 548'105'171, s.speed = 4'200'000;
  EXPECT_EQ(download_progress_text(s), "12.3 MB of 548.1 MB · 4.2 MB/s");
  s.phase = DownloadStatus::Phase::Verifying;  // no speed once nothing flows
  EXPECT_EQ(download_progress_text(s), "12.3 MB of 548.1 MB");
}

namespace {
struct Frames {
  Frames() {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(800, 600);
    io.DeltaTime = 1.0f / 60;
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
  }
  ~Frames() { ImGui::DestroyContext(); }
  DownloadPanelEvent frame(DownloadPanelState& st) {
    ImGui::NewFrame();
    ImGui::Begin("download");
    DownloadPanelEvent ev = draw_download_panel(st);
    ImGui::End();
    ImGui::Render();
    return ev;
  }
};
}  // namespace

TEST(DownloadPanel, DrawsEveryPhaseAndHandsTheFolderOverOnce) {
  Frames f;
  DownloadPanelState st;
  EXPECT_STREQ(st.model_id, "gpt2");
  using P = DownloadStatus::Phase;
  for (P p : {P::Idle, P::Resolving, P::Downloading, P::Verifying, P::Failed, P::Cancelled}) {
    st.status.phase = p;
    st.status.total = p == P::Resolving ? 0 : 100;  // total unknown while resolving: an empty bar, no NaN
    st.status.done = 150;                            // more than the total: clamped
    st.status.error = "gpt2: model.safetensors not found (HTTP 404)";
    const DownloadPanelEvent ev = f.frame(st);
    EXPECT_FALSE(ev.start || ev.cancel) << int(p);
    EXPECT_TRUE(ev.finished_folder.empty());
    const ImDrawData* dd = ImGui::GetDrawData();
    for (int l = 0; l < dd->CmdListsCount; ++l)
      for (const ImDrawVert& v : dd->CmdLists[l]->VtxBuffer) ASSERT_TRUE(std::isfinite(v.pos.x) && std::isfinite(v.pos.y));
  }
  st.status.phase = P::Done;
  st.status.folder = "/cache/models--gpt2/snapshots/abc";
  st.status.serial = 1;
  EXPECT_EQ(f.frame(st).finished_folder, "/cache/models--gpt2/snapshots/abc");
  EXPECT_EQ(f.frame(st).finished_folder, "");  // once
  st.status.serial = 2;                         // the next download finishing in the same folder
  EXPECT_EQ(f.frame(st).finished_folder, "/cache/models--gpt2/snapshots/abc");
}
