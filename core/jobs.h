// jobs.h: the one background-job mechanism: derived data that can take longer than a frame is computed here,
// never on the UI thread (standard library only; no GUI).
//
//   owner (UI thread)                        worker (one thread per Job, started on the first start)
//   job.start(hub, key, work) ─────────────▶ work(token) runs for the newest key only
//     same key as the last start: nothing      token.cancelled(): stop early; the result is dropped
//     another key: the running work is         token.progress(done, total)
//     cancelled, a queued one replaced
//   job.poll() ◀──────────────────── publish: the result and its key; hub.wake() (the event loop redraws)
//   job.result(): the last finished result, kept on screen until the next one is ready
//
// A JobHub is shared by the jobs of one app: the wake callback (app/window.cpp sets glfwPostEmptyEvent: core/ and
// ui/ never see GLFW) and a count of work in flight, which scripted runs wait on before a screenshot.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace attn {

class JobHub {
 public:
  // Called on a worker thread whenever a result is published (must be thread-safe and must not start or poll a
  // job: glfwPostEmptyEvent is fine). Called under the hub's lock, so set_wake({}) makes sure it is no longer used.
  void set_wake(std::function<void()> wake);
  int in_flight() const;                 // works queued or running, over every job of the hub
  uint64_t published() const;            // results published so far (a frame that saw no change is complete)
  void wake() const;                     // calls the wake callback (for workers outside Job: training)
  // Blocks until no work is queued or running, or `timeout_s` passed (returns false then).
  bool wait_idle(double timeout_s) const;

  // For Job: one more work queued; one finished (published or dropped).
  void begin();
  void end(bool published);

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable idle_;
  int in_flight_ = 0;
  uint64_t published_ = 0;
  std::function<void()> wake_;
};

// What a work function sees: its own cancel flag (set when a newer key is started or the job is destroyed) and
// a place to report progress.
class JobToken {
 public:
  JobToken(std::shared_ptr<const std::atomic<bool>> cancel, std::atomic<int>* done, std::atomic<int>* total)
      : cancel_(std::move(cancel)), done_(done), total_(total) {}
  bool cancelled() const { return cancel_->load(std::memory_order_relaxed); }
  const std::atomic<bool>* flag() const { return cancel_.get(); }  // for core functions taking `const atomic<bool>*`
  void progress(int done, int total) const { total_->store(total), done_->store(done); }

 private:
  std::shared_ptr<const std::atomic<bool>> cancel_;
  std::atomic<int>* done_;
  std::atomic<int>* total_;
};

// Key: the identity of the inputs (compared with ==; a struct or a std::tuple). Result: movable.
template <class Key, class Result>
class Job {
 public:
  using Work = std::function<Result(const JobToken&)>;

  Job() = default;
  ~Job() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
      drop_queued_locked();
      if (running_cancel_) running_cancel_->store(true);
    }
    wake_worker_.notify_all();
    if (thread_.joinable()) thread_.join();  // waits for a running work to see its cancel flag
  }
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  // Asks for the result of `key`, computed by `work` on the worker. Returns true when work was queued: false when
  // `key` is the key of the last start (running, or already shown). Work must own copies of its inputs.
  bool start(const std::shared_ptr<JobHub>& hub, const Key& key, Work work) {
    if (requested_ && *requested_ == key) return false;
    requested_ = key;
    std::lock_guard<std::mutex> lk(mu_);
    if (running_cancel_) running_cancel_->store(true);  // stale now: its result is never published
    drop_queued_locked();
    // A finished result not yet polled stays: it is newer than what is on screen, and poll() delivers it.
    const Key* shown = ready_ ? &ready_->first : result_key_ ? &*result_key_ : nullptr;
    if (shown && *shown == key) return false;            // back to what is (or is about to be) on screen
    hub_ = hub;
    if (hub_) hub_->begin();
    queued_.emplace(Task{key, std::move(work), std::make_shared<std::atomic<bool>>(false)});
    if (!thread_.joinable()) thread_ = std::thread([this] { loop(); });
    wake_worker_.notify_one();
    return true;
  }

  // Cancels whatever runs or waits; the shown result stays.
  void cancel() {
    std::lock_guard<std::mutex> lk(mu_);
    if (running_cancel_) running_cancel_->store(true);
    drop_queued_locked();
    if (ready_) requested_ = ready_->first;
    else requested_ = result_key_;
  }

  // UI thread, before drawing: takes a published result. Returns true when result() changed.
  bool poll() {
    std::lock_guard<std::mutex> lk(mu_);
    if (!ready_) return false;
    result_key_ = std::move(ready_->first);
    result_ = std::move(ready_->second);
    ready_.reset();
    return true;
  }

  // True when `key` is the key of the last start: the caller skips building a work (and copying its inputs).
  bool started(const Key& key) const { return requested_ && *requested_ == key; }
  const Result* result() const { return result_ ? &*result_ : nullptr; }  // last finished (null before the first)
  Result* result() { return result_ ? &*result_ : nullptr; }              // the owner may move parts out
  const Key* result_key() const { return result_key_ ? &*result_key_ : nullptr; }
  // Started and its result not yet taken by poll(): the view shows the previous result (or "computing…").
  bool pending() const { return requested_.has_value() && !(result_key_ && *result_key_ == *requested_); }
  bool current() const { return requested_ && result_key_ && *result_key_ == *requested_; }
  float progress() const {  // of the running work, 0 … 1
    const int t = total_.load(), d = done_.load();
    return t > 0 ? float(d) / float(t) : 0.0f;
  }
  // Blocks until nothing is queued or running (tests, scripts). Returns false on the timeout.
  bool wait(double timeout_s) const {
    std::unique_lock<std::mutex> lk(mu_);
    return idle_.wait_for(lk, std::chrono::duration<double>(timeout_s), [this] { return !queued_ && !running_; });
  }

 private:
  struct Task {
    Key key;
    Work work;
    std::shared_ptr<std::atomic<bool>> cancel;
  };

  void drop_queued_locked() {
    if (!queued_) return;
    queued_.reset();
    if (hub_) hub_->end(false);
    idle_.notify_all();
  }

  void loop() {
    for (;;) {
      std::unique_lock<std::mutex> lk(mu_);
      wake_worker_.wait(lk, [this] { return stop_ || queued_; });
      if (stop_) return;
      Task task = std::move(*queued_);
      queued_.reset();
      running_ = true;
      running_cancel_ = task.cancel;
      done_ = 0, total_ = 0;
      std::shared_ptr<JobHub> hub = hub_;
      lk.unlock();
      std::optional<Result> r;
      try {
        r.emplace(task.work(JobToken(task.cancel, &done_, &total_)));
      } catch (...) {  // e.g. bad_alloc on a huge model: no result, the previous one stays
      }
      lk.lock();
      // Published under the lock that start() cancels under: a cancelled work never publishes.
      const bool publish = r && !task.cancel->load();
      if (publish) ready_.emplace(std::move(task.key), std::move(*r));
      running_ = false;
      running_cancel_.reset();
      idle_.notify_all();
      lk.unlock();
      if (hub) hub->end(publish);
    }
  }

  // UI thread only.
  std::optional<Key> requested_;
  std::optional<Key> result_key_;
  std::optional<Result> result_;
  // Shared with the worker, under mu_.
  mutable std::mutex mu_;
  std::condition_variable wake_worker_;
  mutable std::condition_variable idle_;
  std::optional<Task> queued_;
  std::optional<std::pair<Key, Result>> ready_;
  std::shared_ptr<std::atomic<bool>> running_cancel_;
  std::shared_ptr<JobHub> hub_;
  bool running_ = false, stop_ = false;
  std::atomic<int> done_{0}, total_{0};
  std::thread thread_;
};

}  // namespace attn
