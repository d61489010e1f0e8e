#include "parallel.h"

#include "blas.h"

#include <algorithm>
#include <cassert>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace attn {

namespace {

// Helpers sleep on a condition variable (no spinning: the machine may be shared) and take parts of the current
// parallel_for until none is left.
class Pool {
 public:
  explicit Pool(int helpers) {
    for (int i = 0; i < helpers; ++i) threads_.emplace_back([this] { loop(); });
  }
  ~Pool() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  int helpers() const { return int(threads_.size()); }

  // False when another caller holds the helpers (the caller then runs every part itself).
  bool try_acquire() {
    bool expected = false;
    return !threads_.empty() && !busy_.load(std::memory_order_relaxed) && busy_.compare_exchange_strong(expected, true);
  }

  void run(int parts, const std::function<void(int)>& body) {
    std::unique_lock<std::mutex> lk(mu_);
    body_ = &body, parts_ = parts, next_ = 0, done_ = 0, error_ = nullptr;
    wake_.notify_all();
    work(lk);  // the caller takes parts too
    finished_.wait(lk, [this] { return done_ == parts_; });
    parts_ = 0, body_ = nullptr;  // no helper holds `body` any more
    std::exception_ptr e = error_;
    lk.unlock();
    busy_.store(false);
    if (e) std::rethrow_exception(e);
  }

 private:
  // Under mu_: takes parts until none is left, running each outside the lock.
  void work(std::unique_lock<std::mutex>& lk) {
    while (next_ < parts_) {
      const int i = next_++;
      const std::function<void(int)>* body = body_;
      lk.unlock();
      std::exception_ptr e;
      try {
        (*body)(i);
      } catch (...) {
        e = std::current_exception();
      }
      lk.lock();
      if (e && !error_) error_ = e;
      if (++done_ == parts_) finished_.notify_all();
    }
  }

  void loop() {
    std::unique_lock<std::mutex> lk(mu_);
    for (;;) {
      wake_.wait(lk, [this] { return stop_ || next_ < parts_; });
      if (stop_) return;
      work(lk);
    }
  }

  std::atomic<bool> busy_{false};
  std::mutex mu_;
  std::condition_variable wake_, finished_;
  const std::function<void(int)>* body_ = nullptr;
  int parts_ = 0, next_ = 0, done_ = 0;
  std::exception_ptr error_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

int configured_threads() {
  int n = int(std::max(1u, std::thread::hardware_concurrency()));
  if (const char* env = std::getenv("ATTN_THREADS")) {
    const int v = std::atoi(env);
    if (v >= 1) n = std::min(n, v);
  }
  return std::min(n, 8);  // a 128-row product does not split usefully further
}

Pool& pool() {
  static Pool p(configured_threads() - 1);  // started on first use, joined at exit
  return p;
}

// Splits C's columns into one block per thread, at multiples of 16 floats (one AVX-512 register).
template <class Product>
void split_columns(const MatRef& A, Eigen::Index n, Mat* C, const Product& product) {
  C->resize(A.rows(), n);
  const int threads = double(A.rows()) * double(A.cols()) * double(n) < kParallelMinMacs ? 1 : parallel_threads();
  if (threads <= 1) {
    product(0, n);
    return;
  }
  const Eigen::Index block = std::max<Eigen::Index>(16, (n / threads + 15) / 16 * 16);
  const int parts = int((n + block - 1) / block);
  parallel_for(parts, [&](int p) {
    const Eigen::Index c0 = p * block;
    product(c0, std::min(block, n - c0));
  });
}

}  // namespace

int parallel_threads() { return 1 + pool().helpers(); }

void parallel_for(int parts, const std::function<void(int)>& body) {
  if (parts > 1 && pool().try_acquire()) {
    pool().run(parts, body);
    return;
  }
  for (int i = 0; i < parts; ++i) body(i);
}

// A product big enough to split also runs on the BLAS (core/blas.h), block by block; the rest stay on Eigen.
// Strides are checked because a one-row Ref may report any outer stride, and BLAS wants stride ≥ row length.
static bool on_blas(const MatRef& A, const MatRef& B, Eigen::Index n, const Mat& C) {
  return A.rows() > 0 && A.cols() > 0 && n > 0 && A.outerStride() >= A.cols() && B.outerStride() >= B.cols() &&
         C.outerStride() >= n && double(A.rows()) * double(A.cols()) * double(n) >= kBlasMinMacs &&
         std::max({A.rows(), A.cols(), n, A.outerStride(), B.outerStride()}) < (Eigen::Index(1) << 31);
}

// C = A·B (+ bias on every row). With a bias the BLAS accumulates onto it (beta = 1), which spares both its pass
// that zeroes C and a second pass adding the bias.
static void product(const MatRef& A, const MatRef& B, const RowVec* bias, Mat* C) {
  C->resize(A.rows(), B.cols());
  const bool blas = on_blas(A, B, B.cols(), *C);
  split_columns(A, B.cols(), C, [&](Eigen::Index c0, Eigen::Index w) {
    auto block = C->middleCols(c0, w);
    if (blas) {
      if (bias) block.rowwise() = bias->segment(c0, w);
      if (blas_sgemm(false, int(A.rows()), int(w), int(A.cols()), A.data(), int(A.outerStride()), B.data() + c0,
                     int(B.outerStride()), bias ? 1.0f : 0.0f, C->data() + c0, int(C->outerStride())))
        return;
    }
    block.noalias() = A * B.middleCols(c0, w);
    if (bias) block.rowwise() += bias->segment(c0, w);
  });
}

void matmul(const MatRef& A, const MatRef& B, Mat* C) { product(A, B, nullptr, C); }

void matmul(const MatRef& A, const MatRef& B, const RowVec& bias, Mat* C) {
  assert(bias.size() == B.cols());
  product(A, B, &bias, C);
}

void matmul_bt(const MatRef& A, const MatRef& B, Mat* C) {
  C->resize(A.rows(), B.rows());
  const bool blas = on_blas(A, B, B.rows(), *C);
  split_columns(A, B.rows(), C, [&](Eigen::Index c0, Eigen::Index w) {
    if (blas && blas_sgemm(true, int(A.rows()), int(w), int(A.cols()), A.data(), int(A.outerStride()),
                           B.data() + c0 * B.outerStride(), int(B.outerStride()), 0.0f, C->data() + c0,
                           int(C->outerStride())))
      return;
    C->middleCols(c0, w).noalias() = A * B.middleRows(c0, w).transpose();
  });
}

void matmul_tn_add(const MatRef& A, const MatRef& B, Eigen::Ref<Mat, 0, Eigen::OuterStride<>> C) {
  assert(C.rows() == A.cols() && C.cols() == B.cols() && A.rows() == B.rows());
  const bool blas = A.size() > 0 && B.cols() > 0 && double(A.rows()) * double(A.cols()) * double(B.cols()) >= kBlasMinMacs &&
                    A.outerStride() >= A.cols() && B.outerStride() >= B.cols() && C.outerStride() >= C.cols();
  if (blas && blas_sgemm_tn_add(int(A.cols()), int(B.cols()), int(A.rows()), A.data(), int(A.outerStride()), B.data(),
                                int(B.outerStride()), C.data(), int(C.outerStride())))
    return;
  C.noalias() += A.transpose() * B;
}

}  // namespace attn
