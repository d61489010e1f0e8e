#include "hf_download.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include "atomic_file.h"
#include "digest.h"
#include "hf_cache.h"
#include "translate.h"

namespace attn {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

bool all_hex(const std::string& s, size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string host_of(const std::string& url) {
  const size_t s = url.find("://");
  const size_t b = s == std::string::npos ? 0 : s + 3;
  return url.substr(b, url.find('/', b) - b);
}

std::string origin_of(const std::string& url) {
  const size_t s = url.find("://");
  const size_t b = s == std::string::npos ? 0 : s + 3;
  const size_t e = url.find('/', b);
  return e == std::string::npos ? url : url.substr(0, e);
}

std::string mb(int64_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / 1e6);
  return buf;
}

int64_t file_size_or_0(const std::string& path) {
  std::error_code ec;
  const auto n = fs::file_size(path, ec);
  return ec ? 0 : int64_t(n);
}

// A revision or commit used as a folder name: no path tricks (a branch may hold '/', as refs/pr/1).
bool safe_ref(const std::string& r) {
  if (r.empty() || r.size() > 255 || r.front() == '/' || r.back() == '/') return false;
  if (r.find("..") != std::string::npos || r.find("//") != std::string::npos) return false;
  return std::all_of(r.begin(), r.end(), [](char c) { return std::isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' || c == '/'; });
}

struct Headers {
  long status = 0;
  std::map<std::string, std::string> h;  // lowercase names, of the last response only
  std::string get(const std::string& k) const {
    auto it = h.find(k);
    return it == h.end() ? std::string() : it->second;
  }
};

size_t on_header(char* buf, size_t size, size_t n, void* ud) {
  auto* hd = static_cast<Headers*>(ud);
  std::string line(buf, size * n);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  if (line.rfind("HTTP/", 0) == 0) {  // a new response (after a redirect or a 100 Continue)
    hd->h.clear();
    const size_t sp = line.find(' ');
    hd->status = sp == std::string::npos ? 0 : std::strtol(line.c_str() + sp + 1, nullptr, 10);
  } else if (const size_t colon = line.find(':'); colon != std::string::npos) {
    std::string k = line.substr(0, colon), v = line.substr(colon + 1);
    for (char& c : k) c = char(std::tolower((unsigned char)c));
    const size_t b = v.find_first_not_of(" \t");
    v = b == std::string::npos ? "" : v.substr(b);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
    hd->h[k] = v;
  }
  return size * n;
}

// huggingface_hub's _normalize_etag: ETag: W/"<v>" or "<v>".
std::string normalize_etag(std::string e) {
  if (e.rfind("W/", 0) == 0) e = e.substr(2);
  if (e.size() >= 2 && e.front() == '"' && e.back() == '"') e = e.substr(1, e.size() - 2);
  return e;
}

struct FileMeta {
  std::string name;
  std::string etag;      // 64 hex (sha256) or 40 hex (git blob sha1)
  std::string commit;    // X-Repo-Commit
  int64_t size = -1;
  std::string location;  // what to GET first (a CDN's signed URL after the hub's redirect)
  std::string resolve_url;  // what to GET after a dropped connection: redirects to a freshly signed URL
  DigestKind kind = DigestKind::Sha256;
  std::string staging, final_path;  // X.incomplete and where it goes once checked
  bool present = false;             // already in place and checked (nothing to fetch)
};

struct CurlHandle {
  CURL* c = curl_easy_init();
  ~CurlHandle() {
    if (c) curl_easy_cleanup(c);
  }
};

// One download: its request, cancel flag, the status it reports and the speed window.
class Run {
 public:
  Run(const DownloadRequest& req, const std::atomic<bool>* cancel, const std::function<void(const DownloadStatus&)>& fn)
      : req_(req), cancel_(cancel), fn_(fn) {
    st_.model_id = req.model_id;
  }
  const DownloadRequest& req() const { return req_; }
  bool cancelled() const { return cancel_ && cancel_->load(std::memory_order_relaxed); }
  const std::atomic<bool>* cancel_flag() const { return cancel_; }
  DownloadStatus& st() { return st_; }

  void phase(DownloadStatus::Phase p, const std::string& file = "", int index = 0) {
    st_.phase = p;
    if (!file.empty()) st_.file = file, st_.file_index = index;
    if (p != DownloadStatus::Phase::Downloading) st_.speed = 0, samples_.clear();
    emit(true);
  }
  void add(int64_t bytes) {  // bytes received (negative: a partial file thrown away)
    st_.done += bytes;
    if (bytes > 0) transferred_ += bytes;
    emit(false);
  }
  // Speed over the last 3 s of samples; emitted at most every 50 ms unless forced.
  void emit(bool force) {
    const auto now = Clock::now();
    if (!force && now - last_emit_ < std::chrono::milliseconds(50)) return;
    last_emit_ = now;
    if (st_.phase == DownloadStatus::Phase::Downloading) {
      samples_.emplace_back(now, transferred_);
      while (samples_.size() > 2 && now - samples_[1].first >= std::chrono::seconds(3)) samples_.pop_front();
      const double dt = std::chrono::duration<double>(now - samples_.front().first).count();
      if (dt >= 0.25) st_.speed = double(transferred_ - samples_.front().second) / dt;
    }
    if (fn_) fn_(st_);
  }

 private:
  const DownloadRequest& req_;
  const std::atomic<bool>* cancel_;
  const std::function<void(const DownloadStatus&)>& fn_;
  DownloadStatus st_;
  int64_t transferred_ = 0;
  std::deque<std::pair<Clock::time_point, int64_t>> samples_;
  Clock::time_point last_emit_{};
};

std::string curl_error(CURLcode rc, const char* errbuf, const std::string& url, const std::string& file) {
  const std::string host = host_of(url), detail = errbuf && *errbuf ? errbuf : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST: return "cannot resolve host " + host + " (offline, or no DNS?)";
    case CURLE_COULDNT_CONNECT: return "cannot connect to " + host + ": " + detail;
    case CURLE_OPERATION_TIMEDOUT: return host + " stopped answering while fetching " + file + " (" + detail + ")";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE: return "secure connection to " + host + " failed: " + detail;
    default: return file + " from " + host + ": " + detail;
  }
}

// The hub's error headers (X-Error-Code) first, as huggingface_hub's hf_raise_for_status reads them.
std::string http_error(const Headers& hd, const Run& run, const std::string& file, const std::string& url) {
  const std::string code = hd.get("x-error-code"), msg = hd.get("x-error-message"), id = run.req().model_id;
  const std::string status = "HTTP " + std::to_string(hd.status);
  if (code == "RevisionNotFound")
    return printf_text(_("%s: revision '%s' not found (%s)"), id.c_str(), run.req().revision.c_str(),
                       status.c_str());
  if (code == "GatedRepo")
    return printf_text(
        _("%s is gated: accept its terms on huggingface.co, then download it with huggingface-cli and a token (%s)"),
        id.c_str(), status.c_str());
  if (code == "RepoNotFound" || (hd.status == 401 && code.empty()))
    return printf_text(_("%s: no such model on %s, or it is private or gated (%s; no token is sent)"), id.c_str(),
                       host_of(url).c_str(), status.c_str());
  if (code == "EntryNotFound" || hd.status == 404)
    return printf_text(_("%s: %s not found at %s (%s)"), id.c_str(), file.c_str(), url.c_str(), status.c_str());
  return file + ": " + status + " from " + host_of(url) + (msg.empty() ? "" : " (" + msg + ")");
}

int on_head_progress(void* ud, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Run*>(ud)->cancelled() ? 1 : 0;
}

// 1. The HEAD of a resolve URL. Returns "" and fills `m`, else the error; *not_found when the file is absent.
std::string resolve(CURL* c, Run& run, const std::string& revision, FileMeta& m, bool* not_found) {
  *not_found = false;
  std::string url = hf_resolve_url(run.req().base_url, run.req().model_id, revision, m.name);
  Headers hd;
  char errbuf[CURL_ERROR_SIZE];
  for (int hops = 0;; ++hops) {
    curl_easy_reset(c);
    errbuf[0] = 0;
    curl_slist* hdrs = curl_slist_append(nullptr, "Accept-Encoding: identity");
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hd);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "attention-lab/0.1");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(run.req().connect_timeout_seconds * 1000));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, long(std::max(run.req().stall_seconds, run.req().connect_timeout_seconds) * 1000));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_head_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &run);
    const CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(hdrs);
    if (run.cancelled()) return "cancelled";
    if (rc != CURLE_OK) return curl_error(rc, errbuf, url, m.name);
    if (hd.status >= 300 && hd.status < 400) {
      const std::string loc = hd.get("location");
      if (!loc.empty() && loc[0] == '/' && (loc.size() < 2 || loc[1] != '/')) {  // relative: a renamed repo
        if (hops >= 10)
          return printf_text(_("%s: too many redirects from %s"), m.name.c_str(), host_of(url).c_str());
        url = origin_of(url) + loc.substr(0, loc.find('?'));
        continue;
      }
      if (loc.empty())
        return printf_text(_("%s: HTTP %s without a Location from %s"), m.name.c_str(),
                           std::to_string(hd.status).c_str(), host_of(url).c_str());
      m.location = loc;  // the CDN: fetched by the GET, which follows every redirect
    } else if (hd.status >= 400) {
      *not_found = hd.status == 404 || hd.get("x-error-code") == "EntryNotFound";
      return http_error(hd, run, m.name, url);
    } else {
      m.location = url;
    }
    break;
  }
  m.resolve_url = url;
  std::string etag = hd.get("x-linked-etag");
  if (etag.empty()) etag = hd.get("etag");
  m.etag = normalize_etag(etag);
  m.commit = hd.get("x-repo-commit");
  std::string size = hd.get("x-linked-size");
  if (size.empty() && !(hd.status >= 300 && hd.status < 400)) size = hd.get("content-length");
  char* end = nullptr;
  m.size = size.empty() ? -1 : std::strtoll(size.c_str(), &end, 10);
  if (size.empty() || *end != 0 || m.size < 0)
    return printf_text(_("%s: %s gave no size for it (no X-Linked-Size or Content-Length)"), m.name.c_str(),
                       host_of(url).c_str());
  if (all_hex(m.etag, 64)) m.kind = DigestKind::Sha256;
  else if (all_hex(m.etag, 40)) m.kind = DigestKind::GitBlobSha1;
  else
    return printf_text(
        _("%s: %s gave %s, neither a SHA-256 nor a git SHA-1, so the file could not be checked: not downloaded"),
        m.name.c_str(), host_of(url).c_str(),
        (m.etag.empty() ? std::string(_("no ETag")) : printf_text(_("the ETag \"%s\""), m.etag.c_str())).c_str());
  return "";
}

// 2. The transfer into m.staging, resumed after dropped connections.
struct Xfer {
  Run* run = nullptr;
  Headers* hd = nullptr;
  int fd = -1;
  int64_t have = 0;       // bytes in the file when this request started
  bool started = false;   // the first body byte arrived (the range decision is made)
  std::string bad_range;  // a 206 that does not continue our file
  int write_errno = 0;
};

size_t on_write(char* p, size_t size, size_t n, void* ud) {
  auto* x = static_cast<Xfer*>(ud);
  const size_t len = size * n;
  if (!x->started) {
    x->started = true;
    if (x->have > 0 && x->hd->status == 200) {  // the server ignored the range: start over
      if (::ftruncate(x->fd, 0) != 0 || ::lseek(x->fd, 0, SEEK_SET) != 0) return x->write_errno = errno, 0;
      x->run->add(-x->have);
      x->have = 0;
    } else if (x->have > 0) {  // 206: "bytes <first>-<last>/<size>" must continue our file
      const std::string cr = x->hd->get("content-range");
      const size_t sp = cr.find(' ');
      if (sp == std::string::npos || std::strtoll(cr.c_str() + sp + 1, nullptr, 10) != x->have) {
        x->bad_range = cr.empty() ? "no Content-Range" : cr;
        return 0;
      }
    }
  }
  for (size_t off = 0; off < len;) {
    const ssize_t w = ::write(x->fd, p + off, len - off);
    if (w < 0) {
      if (errno == EINTR) continue;
      x->write_errno = errno;
      return 0;
    }
    off += size_t(w);
  }
  x->run->add(int64_t(len));
  return len;
}

int on_xferinfo(void* ud, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* x = static_cast<Xfer*>(ud);
  if (x->run->cancelled()) return 1;  // CURLE_ABORTED_BY_CALLBACK
  x->run->emit(false);
  return 0;
}

bool sleep_unless_cancelled(Run& run, double seconds) {
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < until) {
    if (run.cancelled()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return !run.cancelled();
}

std::string fetch(CURL* c, Run& run, const FileMeta& m) {
  int fruitless = 0;        // reconnects in a row that brought no byte
  bool restarted = false;   // a 416 or a foreign 206 already made us start over once
  for (int attempt = 0;; ++attempt) {
    const std::string& url = attempt == 0 ? m.location : m.resolve_url;  // a signed URL may have expired
    int64_t have = file_size_or_0(m.staging);
    if (have > m.size) {  // not a prefix of this file (counted as m.size bytes done)
      fs::remove(m.staging);
      run.add(-m.size);
      have = 0;
    }
    if (have == m.size) return "";
    const int fd = ::open(m.staging.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
      return printf_text(_("cannot write %s: %s"), m.staging.c_str(),
                         std::strerror(errno));
    Headers hd;
    Xfer x;
    x.run = &run, x.hd = &hd, x.fd = fd, x.have = have;
    char errbuf[CURL_ERROR_SIZE];
    errbuf[0] = 0;
    curl_easy_reset(c);
    const std::string range = std::to_string(have) + "-";
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");  // a redirect never reaches file:// or ftp://
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);  // an error page never lands in the file
    if (have > 0) curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hd);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_xferinfo);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &x);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "attention-lab/0.1");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, long(run.req().connect_timeout_seconds * 1000));
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);  // a stalled connection is dropped, then resumed
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, std::max(1L, long(run.req().stall_seconds)));
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(c);
    ::close(fd);
    if (hd.status == 0) curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &hd.status);  // FAILONERROR may stop before the header callback
    if (run.cancelled()) return "cancelled";
    const int64_t now = file_size_or_0(m.staging);
    if (!x.bad_range.empty() || hd.status == 416) {  // the server's file is not the one our part came from
      fs::remove(m.staging);
      run.add(-now);
      if (restarted)
        return printf_text(
            _("%s: %s answered a resumed request with %s"), m.name.c_str(), host_of(url).c_str(),
            (hd.status == 416 ? std::string("HTTP 416") : printf_text(_("the range %s"), x.bad_range.c_str())).c_str());
      restarted = true;
      continue;
    }
    if (x.write_errno)
      return printf_text(_("cannot write %s: %s"), m.staging.c_str(),
                         std::strerror(x.write_errno));
    if (rc == CURLE_HTTP_RETURNED_ERROR) return http_error(hd, run, m.name, url);
    const bool dropped = rc == CURLE_PARTIAL_FILE || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR ||
                         rc == CURLE_GOT_NOTHING || rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_HTTP2 ||
                         rc == CURLE_HTTP2_STREAM || (rc == CURLE_OK && now < m.size);
    if (rc != CURLE_OK && !dropped) return curl_error(rc, errbuf, url, m.name);
    if (rc == CURLE_OK && now == m.size) return "";
    if (now > m.size) {
      fs::remove(m.staging);
      run.add(-now);
      return printf_text(_("%s: %s sent more than the %s bytes it announced"), m.name.c_str(),
                         host_of(url).c_str(), std::to_string(m.size).c_str());
    }
    fruitless = now > have ? 0 : fruitless + 1;
    if (fruitless > run.req().retries)
      return printf_text(_("the connection to %s keeps dropping: %s stopped at %s of %s (Download again to resume)"),
                         host_of(url).c_str(), m.name.c_str(), mb(now).c_str(),
                         mb(m.size).c_str());
    if (!sleep_unless_cancelled(run, 0.2 * fruitless)) return "cancelled";
  }
}

std::string check_disk_space(const std::string& dir, int64_t need) {
  struct statvfs s;
  if (::statvfs(dir.c_str(), &s) != 0) return "";
  const int64_t avail = int64_t(s.f_bavail) * int64_t(s.f_frsize);
  if (avail >= need) return "";
  return printf_text(_("not enough disk space in %s: the download needs %s, %s free"), dir.c_str(),
                     mb(need).c_str(), mb(avail).c_str());
}

std::string make_dirs(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  return ec ? "cannot create " + dir + ": " + ec.message() : "";
}

// 4. The cache layout's pointer: a relative symlink, or a copy where the file system has none (as the hub does).
std::string link_pointer(const FileMeta& m, const std::string& pointer) {
  std::error_code ec;
  fs::remove(pointer, ec);
  fs::create_symlink("../../blobs/" + m.etag, pointer, ec);
  if (!ec) return "";
  fs::copy_file(m.final_path, pointer, fs::copy_options::overwrite_existing, ec);
  return ec ? "cannot place " + pointer + ": " + ec.message() : "";
}

DownloadResult download(Run& run, CURL* c) {
  using Phase = DownloadStatus::Phase;
  const DownloadRequest& req = run.req();
  DownloadResult res;
  auto fail = [&](const std::string& e) {
    if (e == "cancelled" || run.cancelled()) res.cancelled = true;
    else res.error = e;
    return res;
  };
  if (std::string e = check_model_id(req.model_id); !e.empty()) return fail(e);
  if (!safe_ref(req.revision)) return fail(printf_text(_("invalid revision '%s'"), req.revision.c_str()));
  run.phase(Phase::Resolving, "config.json", 1);

  // 1. Metadata of every file, at one commit.
  std::vector<FileMeta> files;
  bool not_found = false;
  FileMeta cfg;
  cfg.name = "config.json";
  if (std::string e = resolve(c, run, req.revision, cfg, &not_found); !e.empty()) return fail(e);
  const std::string at = all_hex(cfg.commit, 40) ? cfg.commit : req.revision;
  files.push_back(cfg);
  auto add = [&](const std::string& name, bool* missing) -> std::string {
    FileMeta m;
    m.name = name;
    run.st().file = name;
    run.emit(true);
    bool nf = false;
    std::string e = resolve(c, run, at, m, &nf);
    if (missing) *missing = nf;
    if (e.empty()) files.push_back(m);
    return nf && missing ? "" : e;
  };
  bool no_vocab = false, no_merges = false, no_tok = false;
  if (std::string e = add("vocab.json", &no_vocab); !e.empty()) return fail(e);
  if (std::string e = add("merges.txt", &no_merges); !e.empty()) return fail(e);
  if (no_vocab || no_merges) {
    files.erase(std::remove_if(files.begin(), files.end(), [](const FileMeta& m) { return m.name != "config.json"; }), files.end());
    if (std::string e = add("tokenizer.json", &no_tok); !e.empty()) return fail(e);
    if (no_tok)
      return fail(printf_text(_("%s has neither vocab.json + merges.txt nor tokenizer.json at %s"), req.model_id.c_str(),
                              req.base_url.c_str()));
  }
  if (std::string e = add("model.safetensors", nullptr); !e.empty())
    return fail(e + (e.find("not found") != std::string::npos ? " (only safetensors checkpoints are supported)" : ""));

  // Where each file goes.
  const bool cache = req.dest_dir.empty();
  const std::string snapshot_name = cfg.commit;
  std::string repo_dir, folder;
  if (cache) {
    if (!all_hex(cfg.commit, 40))  // the cache's snapshot folder is named by it (huggingface_hub refuses too)
      return fail(printf_text(_("%s gave no commit (X-Repo-Commit) for config.json: not a Hugging Face hub?"),
                              host_of(req.base_url).c_str()));
    const std::string root = req.cache_dir.empty() ? hf_hub_cache_dir() : req.cache_dir;
    if (root.empty()) return fail(_("no Hugging Face cache folder: set HF_HOME or HOME"));
    repo_dir = root + "/" + hf_repo_folder_name(req.model_id);
    folder = repo_dir + "/snapshots/" + snapshot_name;
    if (std::string e = make_dirs(repo_dir + "/blobs"); !e.empty()) return fail(e);
  } else {
    folder = req.dest_dir;
    if (std::string e = make_dirs(folder); !e.empty()) return fail(e);
  }
  int64_t total = 0, need = 0;
  for (FileMeta& m : files) {
    m.final_path = cache ? repo_dir + "/blobs/" + m.etag : folder + "/" + m.name;
    m.staging = m.final_path + ".incomplete";
    total += m.size;
  }
  run.st().total = total;
  run.st().file_count = int(files.size());
  // A blob already in the cache is named by its checked hash (by us or by huggingface_hub): used when its size
  // matches. A plain destination folder's file is hashed again.
  for (FileMeta& m : files) {
    const int64_t have = file_size_or_0(m.final_path);
    if (cache && have == m.size && fs::is_regular_file(m.final_path)) m.present = true;
    const int64_t part = m.present ? m.size : std::min(file_size_or_0(m.staging), m.size);
    run.st().done += part;
    need += m.size - part;
  }
  if (std::string e = check_disk_space(cache ? repo_dir + "/blobs" : folder, need); !e.empty()) return fail(e);
  run.emit(true);

  // 2 and 3. Transfer and check each file.
  for (size_t i = 0; i < files.size(); ++i) {
    FileMeta& m = files[i];
    if (m.present) continue;
    if (!cache && fs::is_regular_file(m.final_path) && file_size_or_0(m.final_path) == m.size) {
      std::string err;
      run.phase(Phase::Verifying, m.name, int(i) + 1);
      if (file_digest_hex(m.kind, m.final_path, &err, run.cancel_flag()) == m.etag) {
        m.present = true;
        run.add(m.size - std::min(file_size_or_0(m.staging), m.size));
        continue;
      }
      if (run.cancelled()) return fail("cancelled");
    }
    run.phase(Phase::Downloading, m.name, int(i) + 1);
    if (std::string e = fetch(c, run, m); !e.empty()) return fail(e);
    run.phase(Phase::Verifying, m.name, int(i) + 1);
    std::string err;
    const std::string got = file_digest_hex(m.kind, m.staging, &err, run.cancel_flag());
    if (run.cancelled()) return fail("cancelled");
    if (got.empty()) return fail(err);
    if (got != m.etag) {
      fs::remove(m.staging);
      run.add(-m.size);
      const char* algo = m.kind == DigestKind::Sha256 ? "SHA-256" : "git SHA-1";
      return fail(printf_text(_("checksum mismatch for %s: the hub says %s %s…, the download hashes to %s… (deleted; try again)"),
                              m.name.c_str(), algo, m.etag.substr(0, 12).c_str(), got.substr(0, 12).c_str()));
    }
    if (cache) {  // a checked blob: named by its hash, unused until a snapshot points to it
      std::error_code ec;
      fs::rename(m.staging, m.final_path, ec);
      if (ec) return fail(printf_text(_("cannot place %s: %s"), m.final_path.c_str(), ec.message().c_str()));
      m.present = true;
    }
  }

  // 4. Into place, config.json last: a folder with a config.json is complete.
  if (cache)
    if (std::string e = make_dirs(folder); !e.empty()) return fail(e);
  std::rotate(files.begin(), files.begin() + 1, files.end());
  for (const FileMeta& m : files) {
    if (cache) {
      if (std::string e = link_pointer(m, folder + "/" + m.name); !e.empty()) return fail(e);
    } else if (!m.present) {
      std::error_code ec;
      fs::rename(m.staging, m.final_path, ec);
      if (ec) return fail(printf_text(_("cannot place %s: %s"), m.final_path.c_str(), ec.message().c_str()));
    }
  }
  if (cache && snapshot_name != req.revision) {
    const std::string ref = repo_dir + "/refs/" + req.revision;
    if (std::string e = make_dirs(fs::path(ref).parent_path().string()); !e.empty()) return fail(e);
    if (std::string e = write_file_atomic(ref, snapshot_name); !e.empty()) return fail(e);
  }
  res.folder = folder;
  return res;
}

}  // namespace

std::string hf_resolve_url(const std::string& base, const std::string& id, const std::string& revision, const std::string& file) {
  std::string rev;
  for (unsigned char ch : revision) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~') rev += char(ch);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      rev += buf;
    }
  }
  std::string b = base;
  while (!b.empty() && b.back() == '/') b.pop_back();
  return b + "/" + id + "/resolve/" + rev + "/" + file;
}

std::string check_model_id(const std::string& id) {
  const std::string bad = printf_text(_("invalid model id '%s': "), id.c_str());
  if (id.empty()) return _("no model id given (e.g. gpt2 or openai-community/gpt2)");
  if (id.size() > 96) return printf_text(_("%slonger than 96 characters"), bad.c_str());
  if (id.find("--") != std::string::npos || id.find("..") != std::string::npos)
    return printf_text(_("%s'--' and '..' are not allowed"), bad.c_str());
  const size_t slash = id.find('/');
  if (slash != std::string::npos && id.find('/', slash + 1) != std::string::npos)
    return printf_text(_("%sat most one '/' (org/name)"), bad.c_str());
  for (const std::string& part : {id.substr(0, slash), slash == std::string::npos ? std::string("x") : id.substr(slash + 1)}) {
    if (part.empty()) return printf_text(_("%san empty part around '/'"), bad.c_str());
    if (part.front() == '-' || part.front() == '.' || part.back() == '-' || part.back() == '.')
      return printf_text(_("%sa part starts or ends with '-' or '.'"), bad.c_str());
    for (unsigned char ch : part)
      if (!std::isalnum(ch) && ch != '-' && ch != '_' && ch != '.')
        return printf_text(_("%sonly letters, digits, '-', '_', '.' and one '/'"), bad.c_str());
  }
  return "";
}

DownloadResult download_model(const DownloadRequest& req, const std::atomic<bool>* cancel,
                              const std::function<void(const DownloadStatus&)>& progress) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  Run run(req, cancel, progress);
  CurlHandle h;
  DownloadResult res;
  if (!h.c) res.error = _("cannot start libcurl");
  else res = download(run, h.c);
  DownloadStatus& st = run.st();
  st.speed = 0;
  st.error = res.error;
  st.folder = res.folder;
  st.phase = res.cancelled ? DownloadStatus::Phase::Cancelled
             : res.ok()   ? DownloadStatus::Phase::Done
                          : DownloadStatus::Phase::Failed;
  if (progress) progress(st);
  return res;
}

Downloader::Downloader(std::function<void()> wake) : wake_(std::move(wake)) {}

Downloader::~Downloader() {
  cancel_ = true;
  if (thread_.joinable()) thread_.join();
}

bool Downloader::start(const DownloadRequest& req) {
  if (running_.load()) return false;
  if (thread_.joinable()) thread_.join();  // the previous download has finished: its thread is ending
  cancel_ = false;
  running_ = true;
  {
    std::lock_guard<std::mutex> lk(mu_);
    status_ = DownloadStatus{};
    status_.phase = DownloadStatus::Phase::Resolving;
    status_.model_id = req.model_id;
    status_.serial = ++serial_;
  }
  thread_ = std::thread([this, req] {
    download_model(req, &cancel_, [this](const DownloadStatus& s) {
      {
        std::lock_guard<std::mutex> lk(mu_);
        const uint64_t serial = status_.serial;
        status_ = s;
        status_.serial = serial;
      }
      if (wake_) wake_();
    });
    {
      std::lock_guard<std::mutex> lk(mu_);
      running_ = false;
    }
    finished_.notify_all();
    if (wake_) wake_();
  });
  return true;
}

void Downloader::cancel() { cancel_ = true; }

DownloadStatus Downloader::status() const {
  std::lock_guard<std::mutex> lk(mu_);
  return status_;
}

bool Downloader::wait(double timeout_s) {
  std::unique_lock<std::mutex> lk(mu_);
  return finished_.wait_for(lk, std::chrono::duration<double>(timeout_s), [this] { return !running_.load(); });
}

}  // namespace attn
