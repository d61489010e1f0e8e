#include "i18n.h"
#include "download_panel.h"
#include "text_flow.h"

#include <imgui.h>

#include <cstdio>
#include <cstring>

namespace attn {
namespace {

std::string megabytes(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / 1e6);
  return buf;
}

// Trims spaces a paste often brings along.
std::string trimmed(const char* s) {
  std::string t(s);
  const size_t b = t.find_first_not_of(" \t\r\n"), e = t.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? std::string() : t.substr(b, e - b + 1);
}

}  // namespace

std::string download_progress_text(const DownloadStatus& s) {
  std::string t = printf_text(_("%s of %s"), megabytes(s.done).c_str(), megabytes(s.total).c_str());
  if (s.phase == DownloadStatus::Phase::Downloading && s.speed > 0) t += " · " + megabytes(int64_t(s.speed)) + "/s";
  return t;
}

DownloadPanelEvent draw_download_panel(DownloadPanelState& st) {
  using Phase = DownloadStatus::Phase;
  DownloadPanelEvent ev;
  const DownloadStatus& s = st.status;
  ImGui::PushID("download_panel");

  ImGui::TextUnformatted(_("Download from Hugging Face"));
  const bool busy = s.running();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
  const bool enter = ImGui::InputText(stable_label(_("model id"), "model_id").c_str(), st.model_id, sizeof st.model_id, ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(_("A GPT-2-family model on huggingface.co: gpt2, distilgpt2, openai-community/gpt2-medium.\n"
                             "Saved in the Hugging Face cache, where other tools find it too."));
    ImGui::EndTooltip();
  }
  ImGui::SameLine();
  if (busy) {
    if (ImGui::Button(_("Cancel"))) ev.cancel = true;
  } else if ((ImGui::Button(_("Download")) || enter)) {
    ev.model_id = trimmed(st.model_id);
    ev.start = !ev.model_id.empty();
  }

  if (s.phase != Phase::Idle) {
    const float frac = s.total > 0 ? float(double(s.done) / double(s.total)) : 0.0f;
    const std::string text = download_progress_text(s);
    ImGui::ProgressBar(frac < 0 ? 0 : frac > 1 ? 1 : frac, ImVec2(ImGui::GetFontSize() * 22, 0), text.c_str());
    switch (s.phase) {
      case Phase::Resolving: ImGui::Text(_("%s: looking up %s…"), s.model_id.c_str(), s.file.c_str()); break;
      case Phase::Downloading: ImGui::Text(_("%s (file %d of %d)"), s.file.c_str(), s.file_index, s.file_count); break;
      case Phase::Verifying: ImGui::Text(_("checking %s against the hub's checksum…"), s.file.c_str()); break;
      case Phase::Done: text_wrapped(_("%s is in %s"), s.model_id.c_str(), s.folder.c_str()); break;
      case Phase::Cancelled: ImGui::TextUnformatted(_("cancelled: Download again to resume")); break;
      case Phase::Failed:  // wrapped: an error names a URL or a path
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.9f, 0.3f, 0.2f, 1));
        text_wrapped("%s", s.error.c_str());
        ImGui::PopStyleColor();
        break;
      case Phase::Idle: break;
    }
  }
  // Hands the finished folder over once per download.
  if (s.phase == Phase::Done && s.serial != st.reported_serial && !s.folder.empty()) {
    st.reported_serial = s.serial;
    ev.finished_folder = s.folder;
  }

  ImGui::Spacing();
  ImGui::TextUnformatted(_("Open model…"));
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 22);
  const bool open_enter = ImGui::InputTextWithHint("##open_path", _("path to a model folder"), st.open_path, sizeof st.open_path,
                                                   ImGuiInputTextFlags_EnterReturnsTrue);
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(_("A folder holding config.json, model.safetensors and vocab.json + merges.txt (or tokenizer.json).\n"
                             "Dropping the folder on the window works too."));
    ImGui::EndTooltip();
  }
  ImGui::SameLine();
  if ((ImGui::Button(_("Open")) || open_enter))
 ev.open_path = trimmed(st.open_path);

  ImGui::PopID();
  return ev;
}

}  // namespace attn
