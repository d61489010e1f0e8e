// hf_download.h: fetch a model's files from the Hugging Face hub (libcurl), resumably and checked.
//
// Files: config.json, model.safetensors, and vocab.json + merges.txt (or tokenizer.json when either is missing).
// Each file, as huggingface_hub's file_download.py does it:
//   1. HEAD {base}/{id}/resolve/{revision}/{file}, following only relative redirects (a renamed repo: /gpt2/… →
//      /openai-community/gpt2/…); an absolute redirect goes to the CDN and is not followed by the HEAD.
//      etag   = X-Linked-Etag, else ETag, without W/ and quotes; for an LFS file the SHA-256 of its content (64
//               hex), for a small file kept in git its git blob SHA-1 (40 hex).
//      size   = X-Linked-Size, else Content-Length (not that of a redirect).   commit = X-Repo-Commit.
//      The files after config.json are resolved at config.json's commit, so all of them come from one commit.
//   2. GET the redirect's Location (or the resolve URL) into `X.incomplete`; after a dropped connection, again
//      with `Range: bytes=<have>-` (206: append; 200: the server ignored the range, start over; 416: start over).
//   3. Check the whole file against the etag: SHA-256 (64 hex) or git blob SHA-1 (40 hex). Any other etag, or
//      none, is refused before downloading: a file that cannot be checked is never used. (huggingface_hub itself
//      checks only the size; it names the blob by the etag.)
//   4. Only when every file is checked are they put in place, config.json last:
//      cache layout (default): blobs/{etag} renamed from blobs/{etag}.incomplete; snapshots/{commit}/{file} → a
//        relative symlink ../../blobs/{etag}; refs/{revision} = commit (so hf_cache.h lists it, and
//        huggingface_hub and transformers find it too);
//      dest_dir: {dest}/{file}.incomplete renamed to {dest}/{file}.
// A cancelled or failed download leaves only `.incomplete` files, which the next download of the same files
// resumes (except after a checksum mismatch, which deletes the file). No token is sent: gated and private
// models are refused with the reason.
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "download_panel.h"  // DownloadStatus (plain data shared with the panel)

namespace attn {

struct DownloadRequest {
  std::string model_id;                            // "gpt2", "openai-community/gpt2"
  std::string revision = "main";                   // branch, tag or commit
  std::string base_url = "https://huggingface.co";  // tests point it at 127.0.0.1
  std::string cache_dir;                           // the hub cache to write into ("" = hf_hub_cache_dir())
  std::string dest_dir;                            // a plain folder instead of the cache layout
  int retries = 5;                                 // reconnects in a row that bring no new byte, then give up
  double stall_seconds = 30;                       // under 1 byte/s for this long: the connection is dropped
  double connect_timeout_seconds = 15;
};

struct DownloadResult {
  std::string folder;      // success: the folder with the files
  std::string error;       // failure: one sentence
  bool cancelled = false;
  bool ok() const { return error.empty() && !cancelled; }
};

// "{base}/{id}/resolve/{revision}/{file}", the revision percent-encoded as huggingface_hub does (quote(safe="")).
std::string hf_resolve_url(const std::string& base, const std::string& id, const std::string& revision,
                           const std::string& file);

// "" when `id` is a valid hub model id ("name" or "org/name": letters, digits, '-', '_', '.'; no "--" or "..";
// at most 96 characters), else the reason.
std::string check_model_id(const std::string& id);

// Runs on the calling thread. `progress` gets the status at every phase change and at most every 50 ms while
// bytes flow (including the final Done / Failed / Cancelled status). `cancel` is polled by libcurl's progress
// callback and the hashing loop: a cancel returns within about a second even on a stalled connection.
DownloadResult download_model(const DownloadRequest& req, const std::atomic<bool>* cancel,
                              const std::function<void(const DownloadStatus&)>& progress);

// download_model on a worker thread, one download at a time. status() is safe from any thread (the UI reads it
// every frame); `wake` is called (from the worker) when the status changes, e.g. glfwPostEmptyEvent.
class Downloader {
 public:
  explicit Downloader(std::function<void()> wake = {});
  ~Downloader();  // cancels a running download and waits for it (about a second at most)
  Downloader(const Downloader&) = delete;
  Downloader& operator=(const Downloader&) = delete;

  bool start(const DownloadRequest& req);  // false, and nothing changes, while a download runs
  void cancel();                           // returns at once; the status becomes Cancelled shortly after
  DownloadStatus status() const;
  bool running() const { return running_.load(); }
  bool wait(double timeout_s);             // until no download runs; false on the timeout

 private:
  std::function<void()> wake_;
  mutable std::mutex mu_;
  std::condition_variable finished_;
  DownloadStatus status_;
  uint64_t serial_ = 0;
  std::atomic<bool> cancel_{false}, running_{false};
  std::thread thread_;
};

}  // namespace attn
