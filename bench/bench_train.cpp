// bench_train: training speed on one core. Steps per second for each task's recommended configuration, and the
// wall time for reverse (length 8, 10 symbols) to reach 99% whole-sequence accuracy on held-out data, checked
// every 100 steps on 500 held-out examples (greedy decoding; the checks are included in the time).
// Run: bash bench/run Train   (see README, Performance).
#include <benchmark/benchmark.h>

#include <chrono>

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

}  // namespace

BENCHMARK(BM_TrainStep)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReverseTo99)->Iterations(1)->Unit(benchmark::kSecond);
BENCHMARK_MAIN();
