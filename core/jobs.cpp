#include "jobs.h"

namespace attn {

void JobHub::set_wake(std::function<void()> wake) {
  std::lock_guard<std::mutex> lk(mu_);
  wake_ = std::move(wake);
}

int JobHub::in_flight() const {
  std::lock_guard<std::mutex> lk(mu_);
  return in_flight_;
}

uint64_t JobHub::published() const {
  std::lock_guard<std::mutex> lk(mu_);
  return published_;
}

bool JobHub::wait_idle(double timeout_s) const {
  std::unique_lock<std::mutex> lk(mu_);
  return idle_.wait_for(lk, std::chrono::duration<double>(timeout_s), [this] { return in_flight_ == 0; });
}

void JobHub::begin() {
  std::lock_guard<std::mutex> lk(mu_);
  ++in_flight_;
}

void JobHub::end(bool published) {
  std::lock_guard<std::mutex> lk(mu_);
  --in_flight_;
  if (published) ++published_;
  // Under the lock: once set_wake({}) returns (app/ before glfwTerminate) no worker calls the old callback.
  if (published && wake_) wake_();
  idle_.notify_all();
}

void JobHub::wake() const {
  std::lock_guard<std::mutex> lk(mu_);
  if (wake_) wake_();
}

}  // namespace attn
