// Downloads from a Hugging Face-like server (app/hf_download.h) and the cache listing (app/hf_cache.h).
// HubServer below is a tiny HTTP/1.1 server on 127.0.0.1 (an ephemeral port, plain sockets, a thread per
// connection) that serves a checkpoint in the hub's URL layout, with the hub's headers:
//   HEAD/GET /{repo}/resolve/{rev}/{file}
//     a small file kept in git: 200, ETag "<git blob sha1>", X-Repo-Commit, Content-Length
//     an LFS file: 302 to http://127.0.0.1:<port>/cdn/<sha256>, X-Linked-Etag "<sha256>", X-Linked-Size,
//                  X-Repo-Commit (and an unrelated ETag, as the hub's redirect has)
//     a missing file: 404 X-Error-Code: EntryNotFound; an unknown repo: 401 X-Error-Code: RepoNotFound
//     a renamed repo: 307 to the new /{repo}/resolve/… (a relative redirect)
//   GET /cdn/<sha256>: the bytes, with Range: bytes=N- (206 + Content-Range, or 416)
// Options: drop a connection after K bytes, corrupt the bytes, ignore Range, throttle, stall. No test reaches
// the internet. Expected hashes are known test vectors or come from coreutils' sha256sum.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <vector>

#include "digest.h"
#include "hf_cache.h"
#include "hf_download.h"

using namespace attn;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

const std::string kCommit = "4b3bf3cdd8b8f1e7a7d2f4e0c6a1b9d8e7f6a5b4";

std::string random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = char(rng() & 0xff);
  return s;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& p, const std::string& s) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << s;
}

// coreutils, independent of the OpenSSL code under test.
std::string sha256sum(const std::string& bytes) {
  const fs::path tmp = fs::temp_directory_path() / ("sha_in_" + std::to_string(::getpid()));
  write_file(tmp, bytes);
  FILE* p = ::popen(("sha256sum " + tmp.string()).c_str(), "r");
  char buf[65] = {0};
  const size_t n = p ? std::fread(buf, 1, 64, p) : 0;
  if (p) ::pclose(p);
  fs::remove(tmp);
  return std::string(buf, n);
}

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("attn_hf_" + std::to_string(::getpid()) + "_" +
                                         std::to_string(Clock::now().time_since_epoch().count()));
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

class HubServer {
 public:
  struct File {
    std::string content;
    bool lfs = false;
    std::string etag;  // "" = the right one (sha256 for LFS, git blob sha1 otherwise)
    int64_t linked_size = -1;  // X-Linked-Size to announce (-1: the real size)
  };
  struct Logged {
    std::string method, path, range;
    int status = 0;
    int64_t sent = 0;  // body bytes written
  };

  std::string repo = "gpt2";
  std::string renamed_from;  // requests for this repo get a relative redirect to `repo`
  std::map<std::string, File> files;
  std::atomic<int64_t> drop_after{-1};  // GET /cdn: close the connection on reaching this offset in the file…
  std::atomic<int> drops_left{0};       // …this many times (the network failing at one place)
  std::atomic<int64_t> throttle_bps{0};
  std::atomic<int64_t> stall_after{-1};  // GET /cdn: after this many bytes, send nothing more (until stopped)
  std::atomic<bool> corrupt{false};      // GET /cdn: flip one byte
  std::atomic<bool> ignore_range{false};
  std::atomic<bool> send_commit{true};   // X-Repo-Commit on resolve answers (a plain file server has none)

  HubServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(listen_fd_, 16) != 0) std::abort();
    socklen_t len = sizeof a;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    accept_thread_ = std::thread([this] { accept_loop(); });
  }
  ~HubServer() {
    stop_ = true;
    accept_thread_.join();
    for (std::thread& t : conns_) t.join();
    ::close(listen_fd_);
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string sha(const std::string& name) const { return digest_hex(DigestKind::Sha256, files.at(name).content); }
  // Waits (2 s at most) for connections still finishing: a client may read the last byte before the server
  // thread has logged its request.
  std::vector<Logged> log() const {
    for (auto t0 = Clock::now(); active_ > 0 && Clock::now() - t0 < std::chrono::seconds(2);)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::lock_guard<std::mutex> lk(mu_);
    return log_;
  }
  std::vector<Logged> gets_of_cdn() const {
    std::vector<Logged> out;
    for (const Logged& l : log())
      if (l.method == "GET" && l.path.rfind("/cdn/", 0) == 0) out.push_back(l);
    return out;
  }
  // The usual tiny GPT-2 folder: config, tokenizer (git files) and weights (LFS).
  void add_gpt2(size_t weight_bytes = 300000) {
    files["config.json"] = {R"({"model_type": "gpt2", "n_embd": 8, "n_head": 2, "n_layer": 1})", false, ""};
    files["vocab.json"] = {R"({"a": 0, "b": 1, "ab": 2})", false, ""};
    files["merges.txt"] = {"#version: 0.2\na b\n", false, ""};
    files["model.safetensors"] = {random_bytes(weight_bytes, 7), true, ""};
  }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      ++active_;
      conns_.emplace_back([this, fd] {
        serve(fd);
        ::close(fd);
        --active_;
      });
    }
  }

  static std::string header_value(const std::string& req, const std::string& name) {
    std::string lower = req;
    for (char& c : lower) c = char(std::tolower((unsigned char)c));
    const size_t p = lower.find("\r\n" + name + ":");
    if (p == std::string::npos) return "";
    const size_t b = req.find_first_not_of(' ', p + name.size() + 3);
    return req.substr(b, req.find("\r\n", b) - b);
  }

  bool send_all(int fd, const char* p, size_t n) {
    while (n > 0) {
      const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
      if (w <= 0) return false;
      p += w, n -= size_t(w);
    }
    return true;
  }

  void respond(int fd, Logged& lg, int status, const std::string& reason, const std::vector<std::string>& headers,
               const std::string& body, bool head, bool cdn, int64_t from = 0) {
    std::string h = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nConnection: close\r\n";
    for (const std::string& x : headers) h += x + "\r\n";
    h += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
    lg.status = status;
    if (!send_all(fd, h.data(), h.size()) || head) return;
    const int64_t bps = cdn ? throttle_bps.load() : 0;
    const size_t chunk = bps > 0 ? size_t(std::max<int64_t>(1, bps / 50)) : 16384;
    bool drop = cdn && drop_after >= 0 && drops_left > 0;
    if (drop) --drops_left;
    for (size_t off = 0; off < body.size() && !stop_;) {
      size_t n = std::min(chunk, body.size() - off);
      if (drop && from + int64_t(off + n) > drop_after) n = size_t(std::max<int64_t>(0, drop_after - from - int64_t(off)));
      if (cdn && stall_after >= 0 && int64_t(off + n) > stall_after) n = size_t(std::max<int64_t>(0, stall_after - int64_t(off)));
      if (n > 0 && !send_all(fd, body.data() + off, n)) return;
      off += n;
      lg.sent += int64_t(n);
      if (drop && from + int64_t(off) >= drop_after) return;  // the connection closes mid-body
      if (cdn && stall_after >= 0 && int64_t(off) >= stall_after) {
        while (!stop_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        return;
      }
      if (bps > 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  void serve(int fd) {
    std::string req;
    char buf[4096];
    while (req.find("\r\n\r\n") == std::string::npos && !stop_) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return;
      req.append(buf, size_t(n));
    }
    std::istringstream line(req.substr(0, req.find("\r\n")));
    Logged lg;
    line >> lg.method >> lg.path;
    lg.range = header_value(req, "range");
    const bool head = lg.method == "HEAD";
    handle(fd, lg, head);
    std::lock_guard<std::mutex> lk(mu_);
    log_.push_back(lg);
  }

  void handle(int fd, Logged& lg, bool head) {
    const std::string commit = send_commit ? "X-Repo-Commit: " + kCommit : "X-Plain: 1";
    if (lg.path.rfind("/cdn/", 0) == 0) {
      const std::string sha_hex = lg.path.substr(5);
      for (const auto& [name, f] : files) {
        if (!f.lfs || sha(name) != sha_hex) continue;
        std::string body = f.content;
        if (corrupt) body[body.size() / 2] ^= 1;
        const int64_t size = int64_t(body.size());
        if (!lg.range.empty() && !ignore_range) {
          const int64_t from = std::strtoll(lg.range.c_str() + 6, nullptr, 10);  // "bytes=N-"
          if (from >= size) return respond(fd, lg, 416, "Range Not Satisfiable", {"Content-Range: bytes */" + std::to_string(size)}, "", head, true);
          return respond(fd, lg, 206, "Partial Content",
                         {"Content-Range: bytes " + std::to_string(from) + "-" + std::to_string(size - 1) + "/" + std::to_string(size),
                          "ETag: \"" + sha_hex + "\""},
                         body.substr(size_t(from)), head, true, from);
        }
        return respond(fd, lg, 200, "OK", {"ETag: \"" + sha_hex + "\"", "Accept-Ranges: bytes"}, body, head, true);
      }
      return respond(fd, lg, 404, "Not Found", {}, "no such blob", head, false);
    }
    // /{repo}/resolve/{rev}/{file}; the repo may hold one '/'
    const size_t r = lg.path.find("/resolve/");
    if (r == std::string::npos) return respond(fd, lg, 404, "Not Found", {}, "", head, false);
    const std::string repo_id = lg.path.substr(1, r - 1), rest = lg.path.substr(r + 9);
    const std::string rev = rest.substr(0, rest.find('/')), file = rest.substr(rest.find('/') + 1);
    if (!renamed_from.empty() && repo_id == renamed_from)
      return respond(fd, lg, 307, "Temporary Redirect", {"Location: /" + repo + "/resolve/" + rest}, "", head, false);
    if (repo_id != repo) return respond(fd, lg, 401, "Unauthorized", {"X-Error-Code: RepoNotFound"}, "Repository not found", head, false);
    if (rev != "main" && rev != kCommit)
      return respond(fd, lg, 404, "Not Found", {"X-Error-Code: RevisionNotFound"}, "Invalid rev id", head, false);
    auto it = files.find(file);
    if (it == files.end()) return respond(fd, lg, 404, "Not Found", {"X-Error-Code: EntryNotFound", commit}, "Entry not found", head, false);
    const File& f = it->second;
    if (f.lfs) {
      const std::string etag = f.etag.empty() ? sha(file) : f.etag;
      return respond(fd, lg, 302, "Found",
                     {"Location: " + base() + "/cdn/" + sha(file), "X-Linked-Etag: \"" + etag + "\"",
                      "X-Linked-Size: " + std::to_string(f.linked_size >= 0 ? f.linked_size : int64_t(f.content.size())), commit, "ETag: \"redirect-etag-not-the-content\""},
                     "Found. Redirecting", head, false);
    }
    const std::string etag = f.etag.empty() ? digest_hex(DigestKind::GitBlobSha1, f.content) : f.etag;
    return respond(fd, lg, 200, "OK", {"ETag: \"" + etag + "\"", commit}, f.content, head, false);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> active_{0};  // connections accepted and not yet logged
  std::thread accept_thread_;
  std::vector<std::thread> conns_;  // joined at the end (only the accept thread adds)
  mutable std::mutex mu_;
  std::vector<Logged> log_;
};

DownloadRequest request(const HubServer& s, const TempDir& t, const std::string& id = "gpt2") {
  DownloadRequest r;
  r.model_id = id;
  r.base_url = s.base();
  r.cache_dir = (t.path / "hub").string();
  return r;
}

struct Recorder {
  std::vector<DownloadStatus> seen;
  std::function<void(const DownloadStatus&)> fn() {
    return [this](const DownloadStatus& s) { seen.push_back(s); };
  }
};

// Every file in `dir` (recursively) whose name does not end in .incomplete.
std::vector<std::string> final_files(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!fs::is_directory(it->symlink_status()) && name.find(".incomplete") == std::string::npos) out.push_back(name);
  }
  return out;
}

}  // namespace

// --- hashes -------------------------------------------------------------------------------------------------

TEST(Digest, KnownVectors) {
  // FIPS 180-2's "abc" and the empty string; git's ids: `printf 'hello\n' | git hash-object --stdin`, and the
  // empty blob e69de29.
  EXPECT_EQ(digest_hex(DigestKind::Sha256, "abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(digest_hex(DigestKind::Sha256, ""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(digest_hex(DigestKind::GitBlobSha1, "hello\n"), "ce013625030ba8dba906f756967f9e9ca394464a");
  EXPECT_EQ(digest_hex(DigestKind::GitBlobSha1, ""), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

TEST(Digest, FileMatchesCoreutilsAndCancels) {
  TempDir t;
  const std::string bytes = random_bytes(3 << 20, 3);  // several read chunks
  write_file(t.path / "f", bytes);
  std::string err;
  EXPECT_EQ(file_digest_hex(DigestKind::Sha256, (t.path / "f").string(), &err), sha256sum(bytes)) << err;
  write_file(t.path / "h", "hello\n");
  EXPECT_EQ(file_digest_hex(DigestKind::GitBlobSha1, (t.path / "h").string(), &err), "ce013625030ba8dba906f756967f9e9ca394464a");
  std::atomic<bool> cancel{true};
  EXPECT_EQ(file_digest_hex(DigestKind::Sha256, (t.path / "f").string(), &err, &cancel), "");
  EXPECT_EQ(err, "cancelled");
  EXPECT_EQ(file_digest_hex(DigestKind::Sha256, (t.path / "missing").string(), &err), "");
  EXPECT_NE(err.find("cannot read"), std::string::npos) << err;
}

// --- names and URLs -----------------------------------------------------------------------------------------

TEST(HfDownload, ResolveUrlAndModelIds) {
  EXPECT_EQ(hf_resolve_url("https://huggingface.co", "gpt2", "main", "config.json"), "https://huggingface.co/gpt2/resolve/main/config.json");
  // huggingface_hub's quote(revision, safe=""): a PR ref's slashes are encoded
  EXPECT_EQ(hf_resolve_url("http://h/", "org/m", "refs/pr/1", "model.safetensors"), "http://h/org/m/resolve/refs%2Fpr%2F1/model.safetensors");
  EXPECT_EQ(check_model_id("gpt2"), "");
  EXPECT_EQ(check_model_id("openai-community/gpt2-medium"), "");
  EXPECT_EQ(check_model_id("EleutherAI/pythia-70m.v1_x"), "");
  for (const char* bad : {"", "a/b/c", "../etc", "a--b", "/gpt2", "gpt2/", "gp t2", "-x", "x."})
    EXPECT_NE(check_model_id(bad), "") << bad;
  EXPECT_EQ(hf_repo_folder_name("gpt2"), "models--gpt2");
  EXPECT_EQ(hf_repo_folder_name("openai-community/gpt2"), "models--openai-community--gpt2");
}

// --- downloads ----------------------------------------------------------------------------------------------

TEST(HfDownload, FetchesIntoTheCacheLayoutWithMonotonicProgressAndTheListingFindsIt) {
  HubServer s;
  s.add_gpt2();
  TempDir t;
  Recorder rec;
  const DownloadResult r = download_model(request(s, t), nullptr, rec.fn());
  ASSERT_TRUE(r.ok()) << r.error;
  const fs::path repo = t.path / "hub" / "models--gpt2";
  EXPECT_EQ(fs::path(r.folder), repo / "snapshots" / kCommit);
  for (const char* f : {"config.json", "vocab.json", "merges.txt", "model.safetensors"})
    EXPECT_EQ(read_file(fs::path(r.folder) / f), s.files[f].content) << f;
  // The hub's layout: a relative symlink into blobs/, the blob named by its hash; refs/main names the commit.
  EXPECT_TRUE(fs::is_symlink(fs::path(r.folder) / "model.safetensors"));
  EXPECT_EQ(fs::read_symlink(fs::path(r.folder) / "model.safetensors").string(), "../../blobs/" + sha256sum(s.files["model.safetensors"].content));
  EXPECT_EQ(fs::read_symlink(fs::path(r.folder) / "config.json").string(),
            "../../blobs/" + digest_hex(DigestKind::GitBlobSha1, s.files["config.json"].content));
  EXPECT_EQ(read_file(repo / "refs" / "main"), kCommit);
  for (const auto& e : fs::directory_iterator(repo / "blobs")) EXPECT_EQ(e.path().extension(), "") << e.path();  // no .incomplete

  // Progress: bytes never go back, and end at the total, which is the sum of the four files.
  const int64_t total = int64_t(s.files["config.json"].content.size() + s.files["vocab.json"].content.size() +
                                s.files["merges.txt"].content.size() + s.files["model.safetensors"].content.size());
  ASSERT_FALSE(rec.seen.empty());
  int64_t prev = 0;
  for (const DownloadStatus& st : rec.seen) {
    EXPECT_GE(st.done, prev);
    if (st.total > 0) {
      EXPECT_LE(st.done, st.total);
    }
    prev = st.done;
  }
  EXPECT_EQ(rec.seen.back().phase, DownloadStatus::Phase::Done);
  EXPECT_EQ(rec.seen.back().done, total);
  EXPECT_EQ(rec.seen.back().total, total);
  EXPECT_EQ(rec.seen.back().file_count, 4);
  EXPECT_EQ(rec.seen.back().folder, r.folder);

  // As huggingface_hub does: config.json is resolved at the branch, the other files at the commit its answer named
  // (which they can only know from it). The server logs a request when it has answered it, and connections are
  // served by their own threads, so the log's order is not the requests' order (it flaked under load).
  std::multiset<std::string> heads;
  for (const auto& l : s.log())
    if (l.method == "HEAD") heads.insert(l.path);
  const std::string at_commit = "/gpt2/resolve/" + kCommit + "/";
  EXPECT_EQ(heads, (std::multiset<std::string>{"/gpt2/resolve/main/config.json", at_commit + "vocab.json",
                                                at_commit + "merges.txt", at_commit + "model.safetensors"}));

  const std::vector<HfCachedModel> cached = list_hf_cache({(t.path / "hub").string()});
  ASSERT_EQ(cached.size(), 1u);
  EXPECT_EQ(cached[0].id, "gpt2");
  EXPECT_EQ(cached[0].revision, kCommit);
  EXPECT_EQ(cached[0].refs, std::vector<std::string>{"main"});
  EXPECT_EQ(cached[0].path, r.folder);
  EXPECT_TRUE(cached[0].has_tokenizer);

  // A second download finds every blob in place and transfers nothing.
  const size_t gets_before = s.gets_of_cdn().size();
  const DownloadResult again = download_model(request(s, t), nullptr, {});
  ASSERT_TRUE(again.ok()) << again.error;
  EXPECT_EQ(s.gets_of_cdn().size(), gets_before);
}

TEST(HfDownload, ResumesAfterADroppedConnectionFetchingOnlyTheRest) {
  HubServer s;
  s.add_gpt2(400000);
  s.drop_after = 150000, s.drops_left = 1;
  TempDir t;
  const DownloadResult r = download_model(request(s, t), nullptr, {});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(read_file(fs::path(r.folder) / "model.safetensors"), s.files["model.safetensors"].content);
  const auto gets = s.gets_of_cdn();
  ASSERT_EQ(gets.size(), 2u);
  EXPECT_EQ(gets[0].range, "");
  EXPECT_EQ(gets[0].sent, 150000);
  EXPECT_EQ(gets[1].range, "bytes=150000-");
  EXPECT_EQ(gets[1].status, 206);
  EXPECT_EQ(gets[1].sent, 400000 - 150000);  // only the rest
  // The retry asked the hub again (a CDN's signed URL expires), at the commit, keeping the range.
  std::vector<HubServer::Logged> resolves;
  for (const auto& l : s.log())
    if (l.method == "GET" && l.path.find("/resolve/") != std::string::npos) resolves.push_back(l);
  ASSERT_FALSE(resolves.empty());
  EXPECT_EQ(resolves.back().path, "/gpt2/resolve/" + kCommit + "/model.safetensors");
  EXPECT_EQ(resolves.back().range, "bytes=150000-");
}

TEST(HfDownload, ABrokenDownloadIsResumedByTheNextOne) {
  HubServer s;
  s.add_gpt2(400000);
  s.drop_after = 120000, s.drops_left = 100;
  TempDir t;
  DownloadRequest req = request(s, t);
  req.retries = 0;  // give up after the first drop
  DownloadResult r = download_model(req, nullptr, {});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("keeps dropping: model.safetensors stopped at 0.1 MB of 0.4 MB"), std::string::npos) << r.error;
  const fs::path blob = t.path / "hub" / "models--gpt2" / "blobs" / s.sha("model.safetensors");
  EXPECT_FALSE(fs::exists(blob));
  EXPECT_EQ(fs::file_size(blob.string() + ".incomplete"), 120000u);
  EXPECT_FALSE(fs::exists(t.path / "hub" / "models--gpt2" / "snapshots"));  // nothing placed
  EXPECT_TRUE(list_hf_cache({(t.path / "hub").string()}).empty());

  s.drops_left = 0;
  r = download_model(req, nullptr, {});
  ASSERT_TRUE(r.ok()) << r.error;
  const auto gets = s.gets_of_cdn();
  EXPECT_EQ(gets.back().range, "bytes=120000-");
  EXPECT_EQ(gets.back().sent, 400000 - 120000);
  EXPECT_EQ(read_file(blob), s.files["model.safetensors"].content);
  EXPECT_FALSE(fs::exists(blob.string() + ".incomplete"));
}

TEST(HfDownload, AServerIgnoringTheRangeStartsOver) {
  // 200 instead of 206 to a Range request: the part is thrown away, not appended to.
  HubServer s;
  s.add_gpt2(200000);
  s.ignore_range = true;
  TempDir t;
  const fs::path blob = t.path / "hub" / "models--gpt2" / "blobs" / s.sha("model.safetensors");
  write_file(blob.string() + ".incomplete", s.files["model.safetensors"].content.substr(0, 50000));
  Recorder rec;
  const DownloadResult r = download_model(request(s, t), nullptr, rec.fn());
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(read_file(blob), s.files["model.safetensors"].content);
  EXPECT_EQ(s.gets_of_cdn().back().range, "bytes=50000-");
  EXPECT_EQ(s.gets_of_cdn().back().status, 200);
  EXPECT_EQ(rec.seen.back().done, rec.seen.back().total);  // the discarded part is not counted twice
}

TEST(HfDownload, AWrongChecksumIsRefusedAndNothingIsPlaced) {
  HubServer s;
  s.add_gpt2();
  s.corrupt = true;
  TempDir t;
  const DownloadResult r = download_model(request(s, t), nullptr, {});
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("checksum mismatch for model.safetensors"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find(s.sha("model.safetensors").substr(0, 12)), std::string::npos) << r.error;
  const fs::path repo = t.path / "hub" / "models--gpt2";
  EXPECT_FALSE(fs::exists(repo / "blobs" / s.sha("model.safetensors")));
  EXPECT_FALSE(fs::exists(repo / "blobs" / (s.sha("model.safetensors") + ".incomplete")));  // not resumed from
  EXPECT_FALSE(fs::exists(repo / "snapshots"));
  EXPECT_TRUE(list_hf_cache({(t.path / "hub").string()}).empty());
}

TEST(HfDownload, AWrongGitChecksumIsRefusedToo) {
  HubServer s;
  s.add_gpt2();
  s.files["vocab.json"].etag = digest_hex(DigestKind::GitBlobSha1, "something else");
  TempDir t;
  const DownloadResult r = download_model(request(s, t), nullptr, {});
  EXPECT_NE(r.error.find("checksum mismatch for vocab.json: the hub says git SHA-1"), std::string::npos) << r.error;
}

TEST(HfDownload, AnEtagThatIsNoHashIsRefusedBeforeDownloading) {
  HubServer s;
  s.add_gpt2();
  s.files["model.safetensors"].etag = "v1-abc";
  TempDir t;
  const DownloadResult r = download_model(request(s, t), nullptr, {});
  EXPECT_NE(r.error.find("model.safetensors: 127.0.0.1:"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("the ETag \"v1-abc\", neither a SHA-256 nor a git SHA-1"), std::string::npos) << r.error;
  for (const auto& l : s.log()) EXPECT_EQ(l.method, "HEAD") << l.path;  // nothing fetched
}

TEST(HfDownload, MissingFilesAndModelsGiveClearMessages) {
  HubServer s;
  s.add_gpt2();
  s.files.erase("model.safetensors");
  TempDir t;
  DownloadResult r = download_model(request(s, t), nullptr, {});
  EXPECT_NE(r.error.find("gpt2: model.safetensors not found at " + s.base() + "/gpt2/resolve/" + kCommit + "/model.safetensors (HTTP 404)"),
            std::string::npos) << r.error;
  r = download_model(request(s, t, "someone/nothing"), nullptr, {});
  EXPECT_NE(r.error.find("someone/nothing: no such model on 127.0.0.1:"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("HTTP 401"), std::string::npos) << r.error;
  DownloadRequest bad_rev = request(s, t);
  bad_rev.revision = "v9";
  r = download_model(bad_rev, nullptr, {});
  EXPECT_EQ(r.error, "gpt2: revision 'v9' not found (HTTP 404)");
  r = download_model(request(s, t, "../up"), nullptr, {});
  EXPECT_NE(r.error.find("invalid model id '../up'"), std::string::npos) << r.error;
  EXPECT_EQ(s.log().size(), 4u + 1u + 1u) << "the invalid id made no request";  // 4 HEADs, then 1 and 1
}

TEST(HfDownload, TokenizerJsonWhenVocabAndMergesAreAbsent) {
  HubServer s;
  s.add_gpt2();
  s.files.erase("merges.txt");
  s.files["tokenizer.json"] = {R"({"model": {"type": "BPE"}})", false, ""};
  TempDir t;
  DownloadResult r = download_model(request(s, t), nullptr, {});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_TRUE(fs::exists(fs::path(r.folder) / "tokenizer.json"));
  EXPECT_FALSE(fs::exists(fs::path(r.folder) / "vocab.json"));  // half of a pair is not used
  s.files.erase("tokenizer.json");
  TempDir t2;
  r = download_model(request(s, t2), nullptr, {});
  EXPECT_NE(r.error.find("gpt2 has neither vocab.json + merges.txt nor tokenizer.json"), std::string::npos) << r.error;
}

TEST(HfDownload, ARenamedRepoIsFollowedThroughItsRelativeRedirect) {
  HubServer s;
  s.repo = "openai-community/gpt2";
  s.renamed_from = "gpt2";
  s.add_gpt2();
  TempDir t;
  const DownloadResult r = download_model(request(s, t, "gpt2"), nullptr, {});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(fs::path(r.folder), t.path / "hub" / "models--gpt2" / "snapshots" / kCommit);  // the id asked for, as the hub names it
  const DownloadResult org = download_model(request(s, t, "openai-community/gpt2"), nullptr, {});
  ASSERT_TRUE(org.ok()) << org.error;
  const auto cached = list_hf_cache({(t.path / "hub").string()});
  ASSERT_EQ(cached.size(), 2u);
  EXPECT_EQ(cached[0].id, "gpt2");
  EXPECT_EQ(cached[1].id, "openai-community/gpt2");
}

TEST(HfDownload, AnUnreachableHostSaysSo) {
  int port = 0;
  {
    HubServer closed;  // a port that was just free: nothing listens there once the server is gone
    port = std::stoi(closed.base().substr(closed.base().rfind(':') + 1));
  }
  TempDir t;
  DownloadRequest req;
  req.model_id = "gpt2";
  req.base_url = "http://127.0.0.1:" + std::to_string(port);
  req.cache_dir = (t.path / "hub").string();
  const DownloadResult r = download_model(req, nullptr, {});
  EXPECT_NE(r.error.find("cannot connect to 127.0.0.1:" + std::to_string(port)), std::string::npos) << r.error;
}

TEST(HfDownload, AWriteErrorMidwaySaysSoAndPlacesNothing) {
  // A disk that fills up, simulated by a file size limit (EFBIG instead of ENOSPC: the same write path).
  HubServer s;
  s.add_gpt2(400000);
  TempDir t;
  rlimit old{};
  ::getrlimit(RLIMIT_FSIZE, &old);
  rlimit small = old;
  small.rlim_cur = 200000;
  auto* old_handler = ::signal(SIGXFSZ, SIG_IGN);  // else the kernel ends the process
  ::setrlimit(RLIMIT_FSIZE, &small);
  const DownloadResult r = download_model(request(s, t), nullptr, {});
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_NE(r.error.find("cannot write " + (t.path / "hub" / "models--gpt2" / "blobs" / s.sha("model.safetensors")).string() +
                         ".incomplete: File too large"), std::string::npos) << r.error;
  EXPECT_FALSE(fs::exists(t.path / "hub" / "models--gpt2" / "snapshots"));
}

TEST(HfDownload, NotEnoughDiskSpaceIsRefusedBeforeDownloading) {
  HubServer s;
  s.add_gpt2();
  s.files["model.safetensors"].linked_size = int64_t(1) << 60;  // an exabyte: no disk has it
  TempDir t;
  const DownloadResult r = download_model(request(s, t), nullptr, {});
  EXPECT_NE(r.error.find("not enough disk space in " + (t.path / "hub" / "models--gpt2" / "blobs").string() +
                         ": the download needs 1152921504606.8 MB, "), std::string::npos) << r.error;
  EXPECT_TRUE(s.gets_of_cdn().empty());
}

TEST(HfDownload, WithoutACommitOnlyIntoAPlainFolder) {
  HubServer s;
  s.add_gpt2();
  s.send_commit = false;
  TempDir t;
  DownloadRequest req = request(s, t);
  DownloadResult r = download_model(req, nullptr, {});
  EXPECT_NE(r.error.find("gave no commit (X-Repo-Commit) for config.json: not a Hugging Face hub?"), std::string::npos) << r.error;
  req.dest_dir = (t.path / "plain").string();
  r = download_model(req, nullptr, {});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(read_file(t.path / "plain" / "model.safetensors"), s.files["model.safetensors"].content);
}

TEST(HfDownload, IntoAPlainFolder) {
  HubServer s;
  s.add_gpt2();
  TempDir t;
  DownloadRequest req = request(s, t);
  req.dest_dir = (t.path / "gpt2").string();
  const DownloadResult r = download_model(req, nullptr, {});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.folder, req.dest_dir);
  std::vector<std::string> names = final_files(t.path / "gpt2");
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"config.json", "merges.txt", "model.safetensors", "vocab.json"}));
  EXPECT_EQ(read_file(t.path / "gpt2" / "model.safetensors"), s.files["model.safetensors"].content);
  EXPECT_FALSE(fs::is_symlink(t.path / "gpt2" / "model.safetensors"));
  // Again: the files there are checked, not fetched.
  const size_t gets = s.gets_of_cdn().size();
  ASSERT_TRUE(download_model(req, nullptr, {}).ok());
  EXPECT_EQ(s.gets_of_cdn().size(), gets);
}

// --- the worker thread --------------------------------------------------------------------------------------

TEST(HfDownloader, CancelStopsWithinASecondAndPlacesNothing) {
  HubServer s;
  s.add_gpt2(2000000);
  s.throttle_bps = 400000;  // 5 s for the weights
  TempDir t;
  std::atomic<int> wakes{0};
  Downloader d([&] { ++wakes; });
  ASSERT_TRUE(d.start(request(s, t)));
  EXPECT_FALSE(d.start(request(s, t)));  // one at a time
  const auto t0 = Clock::now();
  while (d.status().done < 300000 && Clock::now() - t0 < std::chrono::seconds(10)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const DownloadStatus mid = d.status();
  ASSERT_EQ(mid.phase, DownloadStatus::Phase::Downloading);
  EXPECT_EQ(mid.file, "model.safetensors");
  EXPECT_EQ(mid.file_index, 4);
  // Speed over the last seconds: about the server's rate (loopback buffers make the first samples fast).
  EXPECT_GT(mid.speed, 0.4 * 400000);
  EXPECT_LT(mid.speed, 3.0 * 400000);
  const auto c0 = Clock::now();
  d.cancel();
  ASSERT_TRUE(d.wait(5));
  const double took = std::chrono::duration<double>(Clock::now() - c0).count();
  EXPECT_LT(took, 1.0);
  EXPECT_EQ(d.status().phase, DownloadStatus::Phase::Cancelled);
  EXPECT_GT(wakes.load(), 3);
  const fs::path repo = t.path / "hub" / "models--gpt2";
  EXPECT_FALSE(fs::exists(repo / "blobs" / s.sha("model.safetensors")));
  EXPECT_GT(fs::file_size(repo / "blobs" / (s.sha("model.safetensors") + ".incomplete")), 300000u);  // kept to resume
  EXPECT_FALSE(fs::exists(repo / "snapshots"));
}

TEST(HfDownloader, CancelOnAStalledConnection) {
  // No byte arrives after the first 100 kB: libcurl's progress callback still runs (about once a second).
  HubServer s;
  s.add_gpt2(400000);
  s.stall_after = 100000;
  TempDir t;
  Downloader d;
  ASSERT_TRUE(d.start(request(s, t)));
  const auto t0 = Clock::now();
  while (d.status().done < 100000 && Clock::now() - t0 < std::chrono::seconds(10)) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  ASSERT_EQ(d.status().phase, DownloadStatus::Phase::Downloading);  // stalled, not failed
  EXPECT_EQ(d.status().speed, d.status().speed);                    // defined (no NaN) while nothing flows
  const auto c0 = Clock::now();
  d.cancel();
  ASSERT_TRUE(d.wait(5));
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - c0).count(), 1.5);
  EXPECT_EQ(d.status().phase, DownloadStatus::Phase::Cancelled);
}

TEST(HfDownloader, ReportsTheFolderWhenDone) {
  HubServer s;
  s.add_gpt2();
  TempDir t;
  Downloader d;
  ASSERT_TRUE(d.start(request(s, t)));
  ASSERT_TRUE(d.wait(20));
  const DownloadStatus st = d.status();
  EXPECT_EQ(st.phase, DownloadStatus::Phase::Done) << st.error;
  EXPECT_EQ(st.folder, (t.path / "hub" / "models--gpt2" / "snapshots" / kCommit).string());
  EXPECT_EQ(st.serial, 1u);
  ASSERT_TRUE(d.start(request(s, t)));  // the next one may start once this one finished
  ASSERT_TRUE(d.wait(20));
  EXPECT_EQ(d.status().serial, 2u);
}

// --- the cache listing --------------------------------------------------------------------------------------

TEST(HfCache, ListsSnapshotsWithConfigAndWeightsThroughSymlinks) {
  TempDir t;
  const fs::path hub = t.path / "hub";
  const std::string c1 = std::string(40, 'a'), c2 = std::string(40, 'b'), c3 = std::string(40, 'c');
  // org/model: one complete snapshot (symlinks into blobs, as the hub writes them), one without weights.
  const fs::path m = hub / "models--org--tiny-gpt";
  write_file(m / "blobs" / "cfg", "{}");
  write_file(m / "blobs" / "w", "weights");
  write_file(m / "blobs" / "tok", "{}");
  fs::create_directories(m / "snapshots" / c1);
  fs::create_directory_symlink("../../blobs", m / "snapshots" / "unused");  // not a snapshot: no config inside
  fs::create_symlink("../../blobs/cfg", m / "snapshots" / c1 / "config.json");
  fs::create_symlink("../../blobs/w", m / "snapshots" / c1 / "model.safetensors");
  fs::create_symlink("../../blobs/tok", m / "snapshots" / c1 / "tokenizer.json");
  fs::create_directories(m / "snapshots" / c2);
  fs::create_symlink("../../blobs/cfg", m / "snapshots" / c2 / "config.json");
  write_file(m / "refs" / "main", c1);
  write_file(m / "refs" / "pr" / "1", c1 + "\n");
  // gpt2: plain files (symlinks unsupported); a third snapshot whose weights' blob is missing (dangling link).
  write_file(hub / "models--gpt2" / "snapshots" / c2 / "config.json", "{}");
  write_file(hub / "models--gpt2" / "snapshots" / c2 / "model.safetensors", "w");
  fs::create_directories(hub / "models--gpt2" / "snapshots" / c3);
  write_file(hub / "models--gpt2" / "snapshots" / c3 / "config.json", "{}");
  fs::create_symlink("../../blobs/gone", hub / "models--gpt2" / "snapshots" / c3 / "model.safetensors");
  // Not models.
  write_file(hub / "datasets--x--y" / "snapshots" / c1 / "config.json", "{}");
  write_file(hub / "datasets--x--y" / "snapshots" / c1 / "model.safetensors", "{}");
  fs::create_directories(hub / ".locks" / "models--gpt2");

  const std::vector<HfCachedModel> got = list_hf_cache({hub.string(), (t.path / "absent").string()});
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].id, "gpt2");
  EXPECT_EQ(got[0].revision, c2);
  EXPECT_TRUE(got[0].refs.empty());
  EXPECT_FALSE(got[0].has_tokenizer);
  EXPECT_EQ(got[0].path, (hub / "models--gpt2" / "snapshots" / c2).string());
  EXPECT_EQ(got[1].id, "org/tiny-gpt");
  EXPECT_EQ(got[1].revision, c1);
  EXPECT_EQ(got[1].refs, (std::vector<std::string>{"main", "pr/1"}));
  EXPECT_TRUE(got[1].has_tokenizer);
  EXPECT_EQ(read_file(fs::path(got[1].path) / "model.safetensors"), "weights");
}

TEST(HfCache, CacheFolderFromTheEnvironmentAsHuggingfaceHubReadsIt) {
  struct Env {  // sets variables for one test and restores them
    std::map<std::string, std::optional<std::string>> saved;
    void set(const char* k, const char* v) {
      if (!saved.count(k)) saved[k] = std::getenv(k) ? std::optional<std::string>(std::getenv(k)) : std::nullopt;
      v ? ::setenv(k, v, 1) : ::unsetenv(k);
    }
    ~Env() {
      for (auto& [k, v] : saved) v ? ::setenv(k.c_str(), v->c_str(), 1) : ::unsetenv(k.c_str());
    }
  } env;
  env.set("HF_HUB_CACHE", nullptr), env.set("HUGGINGFACE_HUB_CACHE", nullptr), env.set("HF_HOME", nullptr);
  env.set("XDG_CACHE_HOME", nullptr), env.set("HOME", "/home/u");
  EXPECT_EQ(hf_hub_cache_dir(), "/home/u/.cache/huggingface/hub");
  EXPECT_EQ(hf_cache_roots(), std::vector<std::string>{"/home/u/.cache/huggingface/hub"});
  env.set("XDG_CACHE_HOME", "/xdg");
  EXPECT_EQ(hf_hub_cache_dir(), "/xdg/huggingface/hub");
  env.set("HF_HOME", "~/hf");
  EXPECT_EQ(hf_hub_cache_dir(), "/home/u/hf/hub");
  env.set("HF_HUB_CACHE", "/big/disk/hub");
  EXPECT_EQ(hf_hub_cache_dir(), "/big/disk/hub");
  EXPECT_EQ(hf_cache_roots(), (std::vector<std::string>{"/big/disk/hub", "/home/u/hf/hub"}));  // also HF_HOME's
  env.set("HF_HUB_CACHE", "/home/u/hf/hub");
  EXPECT_EQ(hf_cache_roots(), std::vector<std::string>{"/home/u/hf/hub"});  // once
}
