#include "model_library.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "hf_checkpoint.h"
#include "utf8.h"
#include "weights_file.h"

namespace attn {

namespace fs = std::filesystem;

std::string find_assets_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "attention-lab" / "assets";
    if (fs::is_directory(installed, ec)) return installed.string();
    fs::path dir = exe.parent_path();
    for (int up = 0; up < 3 && !dir.empty(); ++up, dir = dir.parent_path())
      if (fs::is_directory(dir / "assets" / "models", ec)) return (dir / "assets").string();
  }
#ifdef ATTN_SOURCE_ASSETS_DIR
  if (fs::is_directory(fs::path(ATTN_SOURCE_ASSETS_DIR) / "models", ec)) return ATTN_SOURCE_ASSETS_DIR;
#endif
  return {};
}

std::string find_models_dir() {
  if (const char* e = std::getenv("ATTN_MODELS_DIR"); e && *e) return e;
  const std::string assets = find_assets_dir();
  return assets.empty() ? "" : assets + "/models";
}

std::vector<std::string> load_models_dir(const std::string& dir, std::vector<ModelEntry>* out) {
  std::vector<std::string> problems;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return problems;
  std::vector<fs::path> files, folders;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == kWeightsExtension) files.push_back(e.path());
    else if (fs::is_regular_file(e.path() / "config.json", ec)) folders.push_back(e.path());  // a GPT-2 checkpoint
  }
  std::sort(files.begin(), files.end());
  std::sort(folders.begin(), folders.end());
  auto taken = [&](const std::string& name, const fs::path& where) {
    if (!find_model(*out, name) && !find_checkpoint(*out, name)) return false;
    problems.push_back(untrusted_text(where.string(), 240) + ": a model called \"" + untrusted_text(name) +
                       "\" is already loaded");
    return true;
  };
  for (const fs::path& f : files) {
    auto m = std::make_shared<TrainedModel>();
    const std::string e = load_weights(f.string(), m.get());
    if (!e.empty()) {
      problems.push_back(e);
      continue;
    }
    if (m->name.empty()) m->name = f.stem().string();
    if (!taken(m->name, f)) out->push_back({std::move(m), f.string(), nullptr});
  }
  for (const fs::path& f : folders) {
    std::shared_ptr<const Model> m;
    const std::string e = load_hf_checkpoint(f.string(), &m, nullptr);
    if (!e.empty()) problems.push_back(e);
    else if (!taken(m->name, f)) out->push_back({nullptr, f.string(), m});
  }
  return problems;
}

std::shared_ptr<const TrainedModel> find_model(const std::vector<ModelEntry>& models, const std::string& name) {
  for (const ModelEntry& e : models)
    if (e.model && e.model->name == name) return e.model;
  return nullptr;
}

std::shared_ptr<const Model> find_checkpoint(const std::vector<ModelEntry>& models, const std::string& name) {
  for (const ModelEntry& e : models)
    if (e.checkpoint && e.checkpoint->name == name) return e.checkpoint;
  return nullptr;
}

std::string unique_model_name(const std::vector<ModelEntry>& models, const std::string& base) {
  if (!find_model(models, base) && !find_checkpoint(models, base)) return base;
  for (int k = 2;; ++k) {
    const std::string n = base + "-" + std::to_string(k);
    if (!find_model(models, n) && !find_checkpoint(models, n)) return n;
  }
}

}  // namespace attn
