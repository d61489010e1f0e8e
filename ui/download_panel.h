// download_panel.h: "Download from Hugging Face" and "Open model…", a self-contained panel. It starts nothing
// itself (ui/ links no network code): it shows a DownloadStatus the caller copies from its downloader
// (app/hf_download.h's Downloader::status()) and returns what the user asked for. The caller owns the state.
//
//   DownloadPanelState st;                                    // in the caller's state, lives across frames
//   st.status = downloader.status();                          // every frame, before drawing
//   DownloadPanelEvent ev = draw_download_panel(st);
//   if (ev.start)  downloader.start({.model_id = ev.model_id});
//   if (ev.cancel) downloader.cancel();
//   if (!ev.finished_folder.empty()) open it;                 // reported once per finished download
//   if (!ev.open_path.empty())       open it;                 // typed in "Open model…"
#pragma once
#include <cstdint>
#include <string>

namespace attn {

// What a download reports while it runs and after (plain data, copied across threads).
struct DownloadStatus {
  enum class Phase { Idle, Resolving, Downloading, Verifying, Done, Failed, Cancelled };
  Phase phase = Phase::Idle;
  std::string model_id;
  std::string file;              // the file being fetched or checked
  int file_index = 0;            // 1-based, of file_count
  int file_count = 0;
  int64_t done = 0, total = 0;   // bytes over all files, including those already on disk (a resumed part)
  double speed = 0;              // bytes per second over the last few seconds (0 while not transferring)
  std::string error;             // one sentence when Failed
  std::string folder;            // when Done: the folder holding config.json, model.safetensors and the tokenizer
  uint64_t serial = 0;           // counts downloads started: tells one finished download from the next

  bool running() const { return phase == Phase::Resolving || phase == Phase::Downloading || phase == Phase::Verifying; }
};

struct DownloadPanelState {
  char model_id[128] = "gpt2";
  char open_path[1024] = "";
  DownloadStatus status;          // the caller's copy of its downloader's status
  uint64_t reported_serial = 0;   // the download whose folder was already handed to the caller
};

struct DownloadPanelEvent {
  bool start = false;             // Download pressed: fetch `model_id`
  std::string model_id;
  bool cancel = false;            // Cancel pressed
  std::string finished_folder;    // a download just finished: its folder (once)
  std::string open_path;          // "Open" pressed with a path typed in
};

// Draws inside the current window (the caller chooses where: a popup, a child, a section of the Weights selector).
DownloadPanelEvent draw_download_panel(DownloadPanelState& st);

// "12.3 MB of 548.1 MB · 4.2 MB/s" (the text beside the progress bar; tested).
std::string download_progress_text(const DownloadStatus& s);

}  // namespace attn
