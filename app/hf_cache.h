// hf_cache.h: models already in the Hugging Face cache, laid out as huggingface_hub writes it:
//   <hub cache>/models--{org}--{name}/blobs/{sha256 or git sha1}          the file contents
//                                    /snapshots/{commit}/{file} -> ../../blobs/{…}   a symlink (or a copy)
//                                    /refs/{branch}                       holds the commit the branch pointed to
// The hub cache folder: $HF_HUB_CACHE, else $HUGGINGFACE_HUB_CACHE, else $HF_HOME/hub, else
// $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub (huggingface_hub's constants.py).
#pragma once
#include <string>
#include <vector>

namespace attn {

struct HfCachedModel {
  std::string id;                 // "gpt2", "openai-community/gpt2"
  std::string revision;           // the snapshot folder's name: a commit hash
  std::vector<std::string> refs;  // branches or tags whose refs/ file names this commit ("main")
  std::string path;               // the snapshot folder (absolute)
  bool has_tokenizer = false;     // vocab.json + merges.txt, or tokenizer.json
};

// Where huggingface_hub reads and writes (the first rule above that applies). "" when even $HOME is unset.
std::string hf_hub_cache_dir();
// The folders to list: hf_hub_cache_dir(), and $HF_HOME/hub (or the default) when HF_HUB_CACHE points elsewhere.
std::vector<std::string> hf_cache_roots();
// "gpt2" → "models--gpt2", "org/name" → "models--org--name".
std::string hf_repo_folder_name(const std::string& model_id);

// Every snapshot folder holding config.json and model.safetensors (each a regular file, through symlinks;
// a symlink to a missing blob does not count), sorted by id, then refs first, then revision. Missing roots are skipped.
std::vector<HfCachedModel> list_hf_cache(const std::vector<std::string>& roots);
inline std::vector<HfCachedModel> list_hf_cache() { return list_hf_cache(hf_cache_roots()); }

}  // namespace attn
