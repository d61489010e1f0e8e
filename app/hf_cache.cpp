#include "hf_cache.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace attn {
namespace fs = std::filesystem;
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

// huggingface_hub expands "~" in these variables.
std::string expand_home(const std::string& p) {
  if (p.size() >= 1 && p[0] == '~' && (p.size() == 1 || p[1] == '/')) return env("HOME") + p.substr(1);
  return p;
}

std::string default_hf_home() {
  if (!env("HF_HOME").empty()) return expand_home(env("HF_HOME"));
  if (!env("XDG_CACHE_HOME").empty()) return expand_home(env("XDG_CACHE_HOME")) + "/huggingface";
  if (!env("HOME").empty()) return env("HOME") + "/.cache/huggingface";
  return "";
}

bool is_regular(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);  // follows symlinks: a dangling one is not a file
}

std::string read_small(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string hf_hub_cache_dir() {
  if (!env("HF_HUB_CACHE").empty()) return expand_home(env("HF_HUB_CACHE"));
  if (!env("HUGGINGFACE_HUB_CACHE").empty()) return expand_home(env("HUGGINGFACE_HUB_CACHE"));
  const std::string home = default_hf_home();
  return home.empty() ? "" : home + "/hub";
}

std::vector<std::string> hf_cache_roots() {
  std::vector<std::string> roots;
  for (const std::string& r : {hf_hub_cache_dir(), default_hf_home().empty() ? std::string() : default_hf_home() + "/hub"}) {
    if (r.empty()) continue;
    std::error_code ec;
    const fs::path canon = fs::weakly_canonical(r, ec);
    const std::string key = ec ? r : canon.string();
    if (std::find(roots.begin(), roots.end(), key) == roots.end()) roots.push_back(key);
  }
  return roots;
}

std::string hf_repo_folder_name(const std::string& model_id) {
  std::string name = "models";
  size_t start = 0;
  for (;;) {
    const size_t slash = model_id.find('/', start);
    name += "--" + model_id.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return name;
}

std::vector<HfCachedModel> list_hf_cache(const std::vector<std::string>& roots) {
  std::vector<HfCachedModel> out;
  for (const std::string& root : roots) {
    std::error_code ec;
    for (fs::directory_iterator repo(root, ec), end; !ec && repo != end; repo.increment(ec)) {
      const std::string folder = repo->path().filename().string();
      if (folder.rfind("models--", 0) != 0 || folder.size() <= 8) continue;  // datasets--, spaces--, .locks
      // The hub forbids "--" inside a repo id, so each "--" was a "/".
      std::string id = folder.substr(8);
      for (size_t p; (p = id.find("--")) != std::string::npos;) id.replace(p, 2, "/");
      // refs/<name> (a branch may hold a slash: refs/pr/1) → commit
      std::vector<std::pair<std::string, std::string>> refs;
      const fs::path refs_dir = repo->path() / "refs";
      std::error_code ec2;
      for (fs::recursive_directory_iterator r(refs_dir, ec2), rend; !ec2 && r != rend; r.increment(ec2))
        if (is_regular(r->path())) refs.emplace_back(fs::relative(r->path(), refs_dir, ec2).string(), read_small(r->path()));
      ec2.clear();
      for (fs::directory_iterator snap(repo->path() / "snapshots", ec2), send; !ec2 && snap != send; snap.increment(ec2)) {
        const fs::path& p = snap->path();
        if (!is_regular(p / "config.json") || !is_regular(p / "model.safetensors")) continue;
        HfCachedModel m;
        m.id = id;
        m.revision = p.filename().string();
        for (const auto& [name, commit] : refs)
          if (commit == m.revision) m.refs.push_back(name);
        std::sort(m.refs.begin(), m.refs.end());
        std::error_code ec3;
        const fs::path abs = fs::absolute(p, ec3);
        m.path = (ec3 ? p : abs).string();
        m.has_tokenizer = (is_regular(p / "vocab.json") && is_regular(p / "merges.txt")) || is_regular(p / "tokenizer.json");
        out.push_back(std::move(m));
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const HfCachedModel& a, const HfCachedModel& b) {
    if (a.id != b.id) return a.id < b.id;
    if (a.refs.empty() != b.refs.empty()) return !a.refs.empty();
    if (a.revision != b.revision) return a.revision < b.revision;
    return a.path < b.path;
  });
  return out;
}

}  // namespace attn
