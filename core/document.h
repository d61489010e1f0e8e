// document.h: what the user edits and what a session saves: the settings and the sentence(s).
#pragma once
#include <string>

#include "settings.h"

namespace attn {

struct Document {
  Settings settings;
  std::string text = "The animal didn't cross the street because it was too tired";
  std::string batch_text = "Cats like to sleep";  // the second, shorter sentence of the padding-mask batch
  std::string model;  // the selected trained model's name (TrainedModel::name); "" = random weights from the settings
  std::string model_folder;  // a checkpoint's folder (opened again when a saved session names it); "" otherwise
};

}  // namespace attn
