// lm_training_job.h: the language-model trainer (core/lm_train.h) on a worker thread for the Training tab, the same
// pipeline as `attention-lab train-lm` (WordNet's glosses, a byte-level BPE, a GPT-2-shaped model), so a class can
// watch the loss fall and the heads form (no ImGui here).
//
//   worker: builds the corpus and the tokenizer, then LmTrainer::step() in a loop; every ~0.3 s (and at each held-out
//           evaluation, pause and the end) it publishes a snapshot under the mutex: the loss points, the held-out
//           curve, every head's scores on held-out text (core/head_report.h: the Head gallery's scores) and a copy
//           of the weights.
//   UI:     latest() copies only what changed; it never waits for a step.
//   scripts: run_until(N) stops at exactly step N.
#pragma once
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "head_report.h"
#include "jobs.h"
#include "lm_train.h"

namespace attn {

struct LmTrainingSnapshot {
  uint64_t version = 0;          // bumped on every publish
  std::string status;            // what the worker is doing, an English msgid ("training", …): the view translates it
  std::string error;             // why it stopped before training ("" when fine)
  int step = 0, total = 0;
  bool paused = false, finished = false;
  double elapsed_s = 0, tokens_per_second = 0;
  int vocab = 0;                 // of the trained tokenizer
  size_t train_tokens = 0, held_out_tokens = 0;
  std::vector<double> steps, loss;             // one point per step (append-only)
  std::vector<double> eval_steps, eval_loss;   // held-out loss per token, every few steps (append-only)
  HeadReport heads;              // every head on held-out windows, with the weights of `heads_step`
  int heads_step = -1;
  std::shared_ptr<const Model> model;  // the weights at `step` (null before training starts)
};

// The Training tab's defaults: small enough to train in about half a minute on two cores, so a class sees the loss
// fall and a previous-token head appear (the shipped wordnet-lm is train-lm's defaults: 25 minutes).
LmConfig classroom_lm_config();

class LmTrainingJob {
 public:
  // c must validate. corpus: a WordNet folder (core/corpus.h).
  LmTrainingJob(const LmConfig& c, std::string corpus, bool start_paused = false);
  ~LmTrainingJob();  // stops the worker and joins it
  LmTrainingJob(const LmTrainingJob&) = delete;
  LmTrainingJob& operator=(const LmTrainingJob&) = delete;

  void set_hub(std::shared_ptr<JobHub> hub) {
    std::lock_guard<std::mutex> lock(mu_);
    hub_ = std::move(hub);
  }
  void request_stop();
  bool exited() const { return exited_; }
  void set_paused(bool p);
  // Lets the worker run to exactly `step` steps and pause there (to the end when step ≥ the total); blocks until that
  // snapshot is published, the run failed, or timeout_s passed. Returns false on the timeout.
  bool run_until(int step, double timeout_s);
  bool latest(LmTrainingSnapshot* out) const;  // true when something changed
  const LmConfig& config() const { return cfg_; }

 private:
  void run();
  void publish(const LmTrainer* tr, bool with_heads);  // on the worker

  const LmConfig cfg_;
  const std::string corpus_;
  std::vector<int> held_;            // the held-out stream (worker only)
  std::string held_text_;            // its text, for the head scores
  mutable std::mutex mu_;
  std::condition_variable cv_, published_;
  LmTrainingSnapshot pub_;
  std::vector<double> pending_;      // losses since the last publish (worker only)
  std::shared_ptr<const BpeTokenizer> bpe_;
  std::shared_ptr<JobHub> hub_;
  bool paused_ = false;
  int pause_at_ = 0;
  std::atomic<bool> stop_{false}, exited_{false};
  std::thread worker_;
};

}  // namespace attn
