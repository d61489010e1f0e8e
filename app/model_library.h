// model_library.h: the trained models the explorer offers (explorer.h's ModelEntry): the shipped ones, loaded at
// start-up from assets/models/*.safetensors, and those trained in the app's Training tab ("Use in explorer").
//
// The assets folder (models/, and what else ships with the app) is, first found:
// <exe dir>/../share/attention-lab/assets (installed: cmake --install, the .deb); assets/ next to the executable or
// one or two folders above it (build/app/attention-lab in the source tree); the source tree's assets (compiled in as
// ATTN_SOURCE_ASSETS_DIR).
// The installed copy comes before the source tree, so an installed binary never reads a checkout it was built from.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "explorer.h"
#include "train.h"

namespace attn {

std::string find_assets_dir();  // "" when there is none
std::string find_models_dir();  // $ATTN_MODELS_DIR, else find_assets_dir()/models; "" when there is none

// The project's own language model (issue 13), shipped as assets/models/wordnet-lm: the explorer's default weights
// for English text on a first start (app_init), until the user picks others.
constexpr const char* kDefaultLanguageModel = "wordnet-lm";

// Loads every *.safetensors file of `dir` (a task model) and every subfolder holding a config.json (a GPT-2-family
// checkpoint, such as the project's own language model, assets/models/wordnet-lm), each sorted by name, into *out.
// Returns one line per file or folder that was refused (the others still load); a missing folder is not an error.
std::vector<std::string> load_models_dir(const std::string& dir, std::vector<ModelEntry>* out);

// The model called `name`, or null.
std::shared_ptr<const TrainedModel> find_model(const std::vector<ModelEntry>& models, const std::string& name);

// The checkpoint called `name`, or null.
std::shared_ptr<const Model> find_checkpoint(const std::vector<ModelEntry>& models, const std::string& name);

// `base`, or base-2, base-3, … : the first name no model in the list has.
std::string unique_model_name(const std::vector<ModelEntry>& models, const std::string& base);

}  // namespace attn
