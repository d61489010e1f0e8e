// train_lm.h: `attention-lab train-lm`, the project's own language model from a free corpus in one command (issue 13).
//
//   1. corpus     WordNet's glosses (core/corpus.h) from a folder, or any UTF-8 text file, split 95/5 by blocks
//   2. tokenizer  byte-level BPE trained on the training part (core/bpe_train.h)
//   3. model      GPT-2's shape trained on the token stream (core/lm_train.h), held-out loss every eval_every steps
//   4. folder     config.json, model.safetensors, vocab.json, merges.txt (app/hf_checkpoint_write.h) and
//                 training.json (the configuration, the corpus and token counts, the held-out curve, the unigram and
//                 bigram baselines): nothing in them depends on the time or the machine, so a rerun on the same
//                 build gives the same bytes
// Ctrl+C stops after the current step and writes DIR/train-state.safetensors (weights, Adam's moments, the step, the
// configuration); `--resume` continues from it exactly as an unbroken run would have gone on.
#pragma once
#include <atomic>
#include <iosfwd>
#include <string>

#include "lm_train.h"

namespace attn {

struct TrainLmOptions {
  std::string corpus;  // a WordNet folder (data.noun …) or a text file
  std::string out;     // the folder written
  LmConfig config;
  int eval_every = 250;       // steps between held-out evaluations
  int eval_windows = 200;     // windows of context + 1 tokens per periodic evaluation (the final one reads all)
  std::string dtype = "F16";  // of model.safetensors
  bool resume = false;
  int stop_after = 0;         // > 0: stop after this many steps of this run as Ctrl+C would (state saved)
};

constexpr const char* kTrainStateFile = "train-state.safetensors";

// Runs the whole pipeline. Progress goes to `progress` (one line redrawn with '\r' when tty, else a line per
// evaluation), the summary to `out`. `stop`, when set (by SIGINT), ends the run after the current step and saves the
// state. Returns "" on success, "interrupted" after saving the state, or one sentence naming the problem.
std::string train_lm(const TrainLmOptions& o, std::ostream& out, std::ostream& progress, bool tty,
                     const std::atomic<bool>* stop);

}  // namespace attn
