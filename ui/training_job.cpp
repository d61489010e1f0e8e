#include "training_job.h"

#include <algorithm>
#include <chrono>

namespace attn {

namespace {

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

constexpr double kPublishInterval = 0.2;  // seconds: ~5 snapshots a second
constexpr int kEvalExamples = 100;        // held-out examples per point of the curve
constexpr int kFinalEvalExamples = 1000;  // once finished (TrainedModel::held_out)

int eval_every(int steps) { return std::max(25, steps / 60); }

}  // namespace

std::vector<int> first_example_input(const TrainConfig& c) {
  Rng rng(stream_seed(c.seed, "show"));
  return make_example(c.task, rng).src;
}

std::shared_ptr<TrainedModel> snapshot_model(const TrainingJob& job, const TrainingSnapshot& s) {
  if (!s.model || s.step == 0) return nullptr;
  auto m = std::make_shared<TrainedModel>();
  m->config = job.config();
  m->model = *s.model;
  m->steps = s.step;
  m->held_out = s.held_out;
  return m;
}

TrainingJob::TrainingJob(const TrainConfig& c, std::vector<int> example, bool start_paused)
    : cfg_(c), example_(std::move(example)) {
  pub_.total = c.steps;
  paused_ = start_paused;
  thread_ = std::thread([this] { run(); });
}

TrainingJob::~TrainingJob() {
  request_stop();
  if (thread_.joinable()) thread_.join();
}

void TrainingJob::request_stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
}

void TrainingJob::set_paused(bool p) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    paused_ = p;
    if (!p && pause_at_ > 0 && done_ >= pause_at_) pause_at_ = 0;  // resuming past a scripted stop
  }
  cv_.notify_all();
}

void TrainingJob::set_example(std::vector<int> input) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    example_ = std::move(input);
    example_changed_ = true;
  }
  cv_.notify_all();
}

bool TrainingJob::run_until(int step, double timeout_s) {
  std::unique_lock<std::mutex> lock(mu_);
  const bool to_end = step >= cfg_.steps;
  pause_at_ = to_end ? 0 : step;
  paused_ = false;
  cv_.notify_all();
  return published_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] {
    return (pub_.finished && !pub_.evaluating) || (!to_end && pub_.paused && pub_.step >= step);
  });
}

bool TrainingJob::latest(TrainingSnapshot* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (out->version == pub_.version) return false;
  auto append = [](std::vector<double>& dst, const std::vector<double>& src) {
    if (dst.size() > src.size()) dst.clear();
    dst.insert(dst.end(), src.begin() + std::ptrdiff_t(dst.size()), src.end());
  };
  append(out->steps, pub_.steps);
  append(out->loss, pub_.loss);
  append(out->token_acc, pub_.token_acc);
  append(out->seq_acc, pub_.seq_acc);
  append(out->eval_steps, pub_.eval_steps);
  append(out->eval_token_acc, pub_.eval_token_acc);
  append(out->eval_seq_acc, pub_.eval_seq_acc);
  out->version = pub_.version;
  out->step = pub_.step, out->total = pub_.total;
  out->paused = pub_.paused, out->finished = pub_.finished, out->evaluating = pub_.evaluating;
  out->elapsed_s = pub_.elapsed_s;
  out->steps_per_second = pub_.steps_per_second;
  out->lr = pub_.lr;
  out->held_out = pub_.held_out;
  out->model = pub_.model;
  out->input = pub_.input, out->prediction = pub_.prediction, out->answer = pub_.answer;
  out->trace = pub_.trace;
  out->trace_error = pub_.trace_error;
  return true;
}

// Called on the worker. The heavy parts (copying the weights, the example's trace) run outside the lock.
void TrainingJob::publish(const Trainer& tr) {
  std::vector<int> input;
  {
    std::lock_guard<std::mutex> lock(mu_);
    input = example_;
    example_changed_ = false;
  }
  auto model = std::make_shared<const Model>(tr.model());
  std::shared_ptr<const Trace> trace;
  std::vector<int> prediction, answer;
  std::string trace_error;
  if (!input.empty()) {
    auto t = std::make_shared<Trace>();
    trace_error = build_trace(task_settings(cfg_), ids_to_text(input), t.get(), model);
    if (trace_error.empty()) trace = std::move(t);
    prediction = predict(*model, cfg_, input);
    answer = task_answer(cfg_.task, input);
  }
  const double t = now_s();
  std::lock_guard<std::mutex> lock(mu_);
  for (const Metrics& m : pending_) {
    pub_.steps.push_back(double(pub_.steps.size() + 1));
    pub_.loss.push_back(m.loss);
    pub_.token_acc.push_back(m.token_acc);
    pub_.seq_acc.push_back(m.seq_acc);
  }
  pending_.clear();
  const int step = tr.steps_done();
  const double dt = t - last_publish_s_;
  if (step > last_publish_step_ && dt > 0) pub_.steps_per_second = (step - last_publish_step_) / dt;
  last_publish_s_ = t, last_publish_step_ = step;
  pub_.step = step;
  pub_.lr = tr.current_lr();
  pub_.paused = paused_;
  pub_.model = std::move(model);
  pub_.input = std::move(input);
  pub_.prediction = std::move(prediction);
  pub_.answer = std::move(answer);
  pub_.trace = std::move(trace);
  pub_.trace_error = std::move(trace_error);
  ++pub_.version;
  published_.notify_all();
  if (hub_) hub_->wake();  // the same wake-up as every other job: an idle window redraws now
}

void TrainingJob::run() {
  struct Exit {  // however run() returns
    std::atomic<bool>& flag;
    ~Exit() { flag = true; }
  } on_exit{exited_};
  Trainer tr(cfg_);
  const int every = eval_every(cfg_.steps);
  double train_s = 0;
  last_publish_s_ = now_s();
  publish(tr);  // step 0: the untrained model's attention
  while (!stop_) {
    std::unique_lock<std::mutex> lock(mu_);
    if (pause_at_ > 0 && tr.steps_done() >= pause_at_ && !paused_) paused_ = true;
    if (paused_) {
      if (!pub_.paused || example_changed_ || pub_.step != tr.steps_done()) {  // show the paused state first
        lock.unlock();
        publish(tr);
        continue;
      }
      cv_.wait(lock, [&] { return stop_.load() || !paused_ || example_changed_; });
      if (!paused_) {  // the pause does not count towards steps per second
        last_publish_s_ = now_s();
        last_publish_step_ = tr.steps_done();
      }
      continue;
    }
    const bool example_changed = example_changed_;
    lock.unlock();
    if (tr.steps_done() >= cfg_.steps) break;
    const double t0 = now_s();
    pending_.push_back(tr.step());
    train_s += now_s() - t0;
    done_ = tr.steps_done();
    const bool last = tr.steps_done() == cfg_.steps;
    if (tr.steps_done() % every == 0 || last) {
      const Metrics m = evaluate(tr.model(), cfg_, kEvalExamples, cfg_.seed);
      std::lock_guard<std::mutex> g(mu_);
      pub_.eval_steps.push_back(tr.steps_done());
      pub_.eval_token_acc.push_back(m.token_acc);
      pub_.eval_seq_acc.push_back(m.seq_acc);
      pub_.held_out = m;
    }
    {
      std::lock_guard<std::mutex> g(mu_);
      pub_.elapsed_s = train_s;
    }
    if (now_s() - last_publish_s_ >= kPublishInterval || example_changed || last) publish(tr);
  }
  if (stop_) return;
  // Finished: the held-out score the model keeps (TrainedModel::held_out), then the last snapshot.
  {
    std::lock_guard<std::mutex> g(mu_);
    pub_.finished = true;
    pub_.evaluating = true;
    pub_.paused = false;
    ++pub_.version;
  }
  const Metrics m = evaluate(tr.model(), cfg_, kFinalEvalExamples, cfg_.seed);
  {
    std::lock_guard<std::mutex> g(mu_);
    pub_.held_out = m;
    pub_.evaluating = false;
  }
  finished_ = true;
  publish(tr);
  // Stay available for new examples until the job is destroyed.
  while (!stop_) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return stop_.load() || example_changed_; });
    if (stop_) break;
    lock.unlock();
    publish(tr);
  }
}

}  // namespace attn
