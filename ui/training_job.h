// training_job.h: a core Trainer running on a worker thread for the Training tab (no ImGui here).
//
//   worker: Trainer::step() in a loop; every ~0.2 s (and when it pauses or ends) it publishes a snapshot under the
//           mutex: a copy of the weights, the new metrics points, the held-out curve and the chosen example's
//           trace, prediction and answer (built on the worker, so the UI never runs the model).
//   UI:     latest() copies only what changed since its own copy; it never waits for a step.
//   scripts: run_until(N) stops at exactly step N, so a screenshot shows a reproducible state.
#pragma once
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "jobs.h"
#include "trace.h"
#include "train.h"

namespace attn {

struct TrainingSnapshot {
  uint64_t version = 0;        // bumped on every publish (0: nothing published yet)
  int step = 0, total = 0;     // optimiser steps done, steps asked for
  bool paused = false, finished = false, evaluating = false;
  double elapsed_s = 0;        // training time, pauses excluded
  double steps_per_second = 0; // over the last publish interval
  float lr = 0;                // the learning rate of the last step (warm-up)
  // One point per step: the batch's teacher-forced metrics (append-only).
  std::vector<double> steps, loss, token_acc, seq_acc;
  // Held-out examples scored by greedy prediction (evaluate), every few steps (append-only).
  std::vector<double> eval_steps, eval_token_acc, eval_seq_acc;
  Metrics held_out;            // the latest held-out evaluation (1000 examples once finished)
  std::shared_ptr<const Model> model;  // the weights at `step`
  // The chosen example, run through the snapshot's weights.
  std::vector<int> input, prediction, answer;
  std::shared_ptr<const Trace> trace;  // build_trace(task_settings(config), input) with `model`
  std::string trace_error;
};

class TrainingJob {
 public:
  // Starts the worker. `c` must validate; `example` is the input whose attention is shown. `start_paused`: the worker
  // publishes step 0 and waits for set_paused(false) or run_until (scripts: exact, reproducible stops).
  TrainingJob(const TrainConfig& c, std::vector<int> example, bool start_paused = false);
  ~TrainingJob();  // stops the worker and joins it (waits for the step or evaluation in progress)
  TrainingJob(const TrainingJob&) = delete;
  TrainingJob& operator=(const TrainingJob&) = delete;

  // The hub whose wake callback runs after every publish (app/: glfwPostEmptyEvent). Call before or while running.
  void set_hub(std::shared_ptr<JobHub> hub) {
    std::lock_guard<std::mutex> lock(mu_);
    hub_ = std::move(hub);
  }
  void request_stop();                          // the worker ends after its current step, without waiting here
  bool exited() const { return exited_; }       // the worker has returned: destroying the job will not wait
  void set_paused(bool p);
  void set_example(std::vector<int> input);    // rebuilt on the worker, also while paused
  // Scripts: lets the worker run to exactly `step` steps and pause there (or run to the end when step ≥ the total),
  // and blocks until that snapshot is published or `timeout_s` passed. Returns false on the timeout.
  bool run_until(int step, double timeout_s);

  int steps_done() const { return done_; }
  bool finished() const { return finished_; }
  bool paused() const { return paused_; }
  const TrainConfig& config() const { return cfg_; }

  // Brings *out up to date with the latest publish: new history points are appended, the rest replaced.
  // *out must only ever be filled from this job. Returns true when something changed.
  bool latest(TrainingSnapshot* out) const;

 private:
  void run();
  void publish(const Trainer& tr);  // on the worker: the example is rebuilt with the current weights

  const TrainConfig cfg_;
  mutable std::mutex mu_;
  std::condition_variable cv_;       // wakes the worker (resume, new example, stop)
  std::condition_variable published_;  // wakes run_until
  TrainingSnapshot pub_;             // guarded by mu_
  std::vector<int> example_;         // guarded by mu_
  bool example_changed_ = true;      // guarded by mu_
  int pause_at_ = 0;                 // guarded by mu_
  std::shared_ptr<JobHub> hub_;      // guarded by mu_
  std::atomic<bool> stop_{false}, paused_{false}, finished_{false}, exited_{false};
  std::atomic<int> done_{0};
  // Worker-only bookkeeping.
  std::vector<Metrics> pending_;     // points not yet published
  double last_publish_s_ = 0, last_publish_step_ = 0;
  std::thread thread_;               // last: started after every member above exists
};

// Stops a job without making the UI wait for its current step: it is kept in `retired` until its worker has
// returned (reap_jobs, once a frame, destroys those).
// (Any job with request_stop() and exited(): the toy-task and the language-model trainers.)
template <class Job>
void retire_job(std::shared_ptr<Job>& job, std::vector<std::shared_ptr<Job>>& retired) {
  if (!job) return;
  job->request_stop();
  retired.push_back(std::move(job));
  job.reset();
}
template <class Job>
void reap_jobs(std::vector<std::shared_ptr<Job>>& retired) {
  retired.erase(std::remove_if(retired.begin(), retired.end(), [](const auto& j) { return j->exited(); }),
                retired.end());
}

// The snapshot's weights as a TrainedModel (unnamed: app/ names it), or null before the first step.
std::shared_ptr<TrainedModel> snapshot_model(const TrainingJob& job, const TrainingSnapshot& s);

// The default input shown while training: the first example of make_example(task, Rng(stream_seed(seed, "show"))).
std::vector<int> first_example_input(const TrainConfig& c);

}  // namespace attn
