// GPT-2's BPE tokenizer (core/bpe.h): loading vocab.json + merges.txt, and encoding 100 kB of English (the GPL-3 text
// repeated) with a warm piece cache and with a cold one.
// Run: ./build/bench/bench_bpe --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "bpe.h"

namespace {

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// 100,000 bytes of the GPL version 3 (35 kB, repeated).
std::string long_text() {
  const std::string gpl = read_file("/usr/share/common-licenses/GPL-3");
  std::string t;
  while (!gpl.empty() && t.size() < 100000) t += gpl;
  t.resize(gpl.empty() ? 0 : 100000);
  return t;
}

bool load(attn::BpeTokenizer* tok, benchmark::State& state) {
  const std::string err = attn::BpeTokenizer::from_files_text(read_file(ATTN_GPT2_BPE_DIR "/encoder.json"),
                                                              read_file(ATTN_GPT2_BPE_DIR "/vocab.bpe"), tok);
  if (!err.empty()) state.SkipWithError(("GPT-2's vocabulary (bash .ci/setup.sh installs it): " + err).c_str());
  return err.empty();
}

void BM_Gpt2BpeLoad(benchmark::State& state) {
  for (auto _ : state) {
    attn::BpeTokenizer tok;
    if (!load(&tok, state)) return;
    benchmark::DoNotOptimize(tok.size());
  }
}

void BM_Gpt2BpeEncodeWarm(benchmark::State& state) {
  attn::BpeTokenizer tok;
  const std::string text = long_text();
  if (!load(&tok, state) || text.empty()) return;
  size_t n = tok.encode(text).size();  // fills the cache
  for (auto _ : state) benchmark::DoNotOptimize(n = tok.encode(text).size());
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
  state.counters["tokens"] = double(n);
}

void BM_Gpt2BpeEncodeCold(benchmark::State& state) {
  const std::string text = long_text();
  for (auto _ : state) {
    state.PauseTiming();
    attn::BpeTokenizer tok;  // a fresh tokenizer: empty cache
    if (!load(&tok, state) || text.empty()) return;
    state.ResumeTiming();
    benchmark::DoNotOptimize(tok.encode(text).size());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(text.size()));
}

}  // namespace

BENCHMARK(BM_Gpt2BpeLoad)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Gpt2BpeEncodeWarm)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Gpt2BpeEncodeCold)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK_MAIN();
