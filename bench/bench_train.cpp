// bench_train: training speed on one core. Steps per second for each task's recommended configuration, and the
// wall time for reverse (length 8, 10 symbols) to reach 99% whole-sequence accuracy on held-out data, checked
// every 100 steps on 500 held-out examples (greedy decoding; the checks are included in the time).
// Run: bash bench/run Train   (see README, Performance).
#include <benchmark/benchmark.h>

#include <chrono>
#include <memory>

#include "lm_train.h"
#include "rng.h"
#include "train.h"

using namespace attn;

namespace {

void BM_TrainStep(benchmark::State& st) {
  const TrainConfig c = recommended_config(TaskKind(st.range(0)));
  Trainer t(c);
  for (auto _ : st) benchmark::DoNotOptimize(t.step().loss);
  st.SetLabel(to_string(c.task.kind));
  st.counters["steps/s"] = benchmark::Counter(double(st.iterations()), benchmark::Counter::kIsRate);
  st.counters["examples/s"] = benchmark::Counter(double(st.iterations()) * c.batch, benchmark::Counter::kIsRate);
}

void BM_ReverseTo99(benchmark::State& st) {
  const TrainConfig c = recommended_config(TaskKind::Reverse);
  for (auto _ : st) {
    const auto t0 = std::chrono::steady_clock::now();
    Trainer t(c);
    Metrics held;
    while (t.steps_done() < 20000) {
      for (int i = 0; i < 100; ++i) t.step();
      held = evaluate(t.model(), c, 500, 99);
      if (held.seq_acc >= 0.99) break;
    }
    st.counters["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    st.counters["steps"] = t.steps_done();
    st.counters["heldout_seq_acc"] = held.seq_acc;
  }
}

// Language-model training throughput (issue 13 §7), both cores: tokens per second for (layers, d_model, context,
// batch) at a 4,096-token vocabulary, d_ff = 4·d_model, on a random token stream (speed does not depend on the text).
// PyTorch 1.13 on this machine: 4,800 tokens/s for (4, 128, 128, 32), 8,200 for (2, 128, 64, 64). (2, 192, 64, 64)
// is the shipped wordnet-lm's configuration.
void BM_LmStep(benchmark::State& st) {
  LmConfig c;
  c.layers = int(st.range(0)), c.d_model = int(st.range(1)), c.context = int(st.range(2)), c.batch = int(st.range(3));
  c.d_ff = 4 * c.d_model, c.vocab = 4096, c.heads = 4, c.steps = 1000000, c.warmup = 10;
  auto data = std::make_shared<std::vector<int>>();
  Rng r(1);
  for (int i = 0; i < 1 << 20; ++i) data->push_back(int(r.next_u64() % 4096));
  LmTrainer t(c, data, init_lm(c));
  t.step();  // warm-up: first touch of every buffer
  for (auto _ : st) benchmark::DoNotOptimize(t.step());
  st.counters["tokens/s"] =
      benchmark::Counter(double(st.iterations()) * c.batch * c.context, benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_LmStep)->Args({4, 128, 128, 32})->Args({2, 128, 64, 64})->Args({2, 192, 64, 64})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TrainStep)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReverseTo99)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_MAIN();
