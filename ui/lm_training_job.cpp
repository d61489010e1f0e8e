#include "lm_training_job.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "bpe.h"
#include "bpe_train.h"
#include "corpus.h"
#include "translate.h"

namespace attn {

namespace {
double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
constexpr double kPublishInterval = 0.3;  // seconds
constexpr int kEvalWindows = 20;          // held-out windows per evaluation (the whole split takes seconds)
constexpr int kHeadWindows = 8;           // held-out windows the heads are scored on
int eval_every(int steps) { return std::max(10, steps / 25); }
}  // namespace

LmConfig classroom_lm_config() {
  LmConfig c;
  c.layers = 1, c.heads = 4, c.d_model = 64, c.d_ff = 256, c.context = 32, c.vocab = 1024;
  c.batch = 32, c.steps = 1500, c.warmup = 100, c.lr = 3e-3f, c.min_lr = 3e-4f;
  return c;
}

LmTrainingJob::LmTrainingJob(const LmConfig& c, std::string corpus, bool start_paused)
    : cfg_(c), corpus_(std::move(corpus)), paused_(start_paused) {
  pub_.total = c.steps;
  worker_ = std::thread([this] { run(); });
}

LmTrainingJob::~LmTrainingJob() {
  request_stop();
  if (worker_.joinable()) worker_.join();
}

void LmTrainingJob::request_stop() {
  stop_ = true;
  cv_.notify_all();
}

void LmTrainingJob::set_paused(bool p) {
  std::lock_guard<std::mutex> lock(mu_);
  paused_ = p;
  pause_at_ = 0;
  cv_.notify_all();
}

bool LmTrainingJob::run_until(int step, double timeout_s) {
  std::unique_lock<std::mutex> lock(mu_);
  const bool to_end = step >= cfg_.steps;
  pause_at_ = to_end ? 0 : step;
  paused_ = false;
  cv_.notify_all();
  return published_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] {
    return !pub_.error.empty() || pub_.finished || (!to_end && pub_.paused && pub_.step >= step);
  });
}

bool LmTrainingJob::latest(LmTrainingSnapshot* out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (out->version == pub_.version) return false;
  *out = pub_;  // a few thousand points at most; the model and the heads are shared or small
  return true;
}

void LmTrainingJob::publish(const LmTrainer* tr, bool with_heads) {
  std::shared_ptr<const Model> model;
  HeadReport heads;
  bool scored = false;
  if (tr) {
    model = std::make_shared<const Model>(tr->model());
    if (with_heads) scored = head_report(model, held_text_, kHeadWindows, &heads).empty();
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (double l : pending_) {
    pub_.steps.push_back(double(pub_.steps.size() + 1));
    pub_.loss.push_back(l);
  }
  pending_.clear();
  if (tr) {
    pub_.step = tr->steps_done();
    pub_.model = std::move(model);
    if (scored) pub_.heads = std::move(heads), pub_.heads_step = pub_.step;
  }
  pub_.paused = paused_;
  ++pub_.version;
  published_.notify_all();
  if (hub_) hub_->wake();
}

void LmTrainingJob::run() {
  struct Exit {
    std::atomic<bool>& flag;
    ~Exit() { flag = true; }
  } on_exit{exited_};
  auto fail = [&](const std::string& e) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      pub_.error = e;
      pub_.status = N_("stopped");
    }
    publish(nullptr, false);
  };
  auto status = [&](const std::string& s) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      pub_.status = s;
    }
    publish(nullptr, false);
  };
  // 1–2. The corpus and the tokenizer, as train-lm builds them.
  status(N_("reading WordNet's glosses…"));
  Corpus corpus;
  if (const std::string e = build_wordnet_corpus(corpus_, &corpus); !e.empty()) return fail(e);
  if (stop_) return;
  status(N_("training the byte-level BPE tokenizer…"));
  BpeFiles files;
  BpeTrainReport report;
  LmConfig c = cfg_;
  if (const std::string e = train_byte_bpe(corpus.train, c.vocab, &files, &report); !e.empty()) return fail(e);
  auto bpe = std::make_shared<BpeTokenizer>();
  if (const std::string e = BpeTokenizer::from_files_text(files.vocab_json, files.merges_txt, bpe.get()); !e.empty())
    return fail(printf_text(_("the trained tokenizer does not load: %s"), e.c_str()));
  c.vocab = report.vocab_size;
  if (stop_) return;
  status(N_("encoding the corpus…"));
  auto train = std::make_shared<std::vector<int>>(bpe->encode(corpus.train));
  held_ = bpe->encode(corpus.held_out);
  held_text_ = std::move(corpus.held_out);
  if (train->size() <= size_t(c.context) + 1 || held_.size() <= size_t(c.context) + 1)
    return fail(printf_text(_("the corpus is too small for a context of %d tokens"), c.context));
  {
    std::lock_guard<std::mutex> lock(mu_);
    pub_.vocab = c.vocab;
    pub_.train_tokens = train->size();
    pub_.held_out_tokens = held_.size();
    pub_.status = N_("training");
  }
  // 3. Training.
  LmTrainer tr(c, train, init_lm(c, bpe));
  const int every = eval_every(c.steps);
  double train_s = 0, last_publish = now_s();
  int last_step = 0;
  publish(&tr, true);  // step 0: the untrained heads
  while (!stop_) {
    std::unique_lock<std::mutex> lock(mu_);
    if (pause_at_ > 0 && tr.steps_done() >= pause_at_ && !paused_) paused_ = true;
    if (paused_) {
      if (!pub_.paused || pub_.step != tr.steps_done()) {
        lock.unlock();
        publish(&tr, true);
        continue;
      }
      cv_.wait(lock, [&] { return stop_.load() || !paused_; });
      last_publish = now_s(), last_step = tr.steps_done();
      continue;
    }
    lock.unlock();
    if (tr.steps_done() >= c.steps) break;
    const double t0 = now_s();
    pending_.push_back(tr.step());
    train_s += now_s() - t0;
    const bool last = tr.steps_done() == c.steps, eval = tr.steps_done() % every == 0 || last;
    if (eval) {
      const double l = lm_evaluate(tr.model(), held_, c.context, kEvalWindows).loss;
      std::lock_guard<std::mutex> g(mu_);
      pub_.eval_steps.push_back(tr.steps_done());
      pub_.eval_loss.push_back(l);
    }
    const double t = now_s();
    {
      std::lock_guard<std::mutex> g(mu_);
      pub_.elapsed_s = train_s;
      if (t > last_publish) pub_.tokens_per_second = double(tr.steps_done() - last_step) * c.batch * c.context / (t - last_publish);
      if (last) pub_.finished = true, pub_.status = N_("finished");
    }
    if (t - last_publish >= kPublishInterval || eval || last) {
      publish(&tr, eval);
      last_publish = now_s(), last_step = tr.steps_done();
    }
  }
}

}  // namespace attn
