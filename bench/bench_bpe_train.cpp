// The BPE trainer (core/bpe_train.h) on the real corpus: WordNet's glosses (core/corpus.h, training part), 4,096 ids.
// One iteration each: a run takes seconds. Counters: the corpus in characters (code points) and lines, the
// training text in tokens after training (and encoded again by BpeTokenizer: the same count), the held-out text in
// tokens.
// Run: ./build/bench/bench_bpe_train
#include <benchmark/benchmark.h>

#include "bpe.h"
#include "bpe_train.h"
#include "corpus.h"
#include "utf8.h"

namespace {

void BM_BuildWordnetCorpus(benchmark::State& state) {
  attn::Corpus c;
  for (auto _ : state) {
    if (std::string err = attn::build_wordnet_corpus(attn::kWordnetDir, &c); !err.empty()) state.SkipWithError(err.c_str());
  }
  state.counters["train_chars"] = double(attn::decode_utf8(c.train).size());
  state.counters["held_out_chars"] = double(attn::decode_utf8(c.held_out).size());
  state.counters["train_bytes"] = double(c.train.size());
  state.counters["held_out_bytes"] = double(c.held_out.size());
  state.counters["train_lines"] = double(c.lines_train);
  state.counters["held_out_lines"] = double(c.lines_held_out);
}
BENCHMARK(BM_BuildWordnetCorpus)->Iterations(1)->Unit(benchmark::kSecond);

void BM_TrainBpeWordnet(benchmark::State& state) {
  attn::Corpus c;
  if (std::string err = attn::build_wordnet_corpus(attn::kWordnetDir, &c); !err.empty()) {
    state.SkipWithError(err.c_str());
    return;
  }
  attn::BpeFiles f;
  attn::BpeTrainReport r;
  for (auto _ : state) attn::train_byte_bpe(c.train, int(state.range(0)), &f, &r);
  state.counters["vocab"] = r.vocab_size;
  state.counters["pieces"] = double(r.pieces);
  state.counters["distinct_pieces"] = double(r.distinct_pieces);
  state.counters["train_tokens"] = double(r.tokens);
  attn::BpeTokenizer t;  // the files read back: the held-out part in tokens, and the training part once more
  if (std::string err = attn::BpeTokenizer::from_files_text(f.vocab_json, f.merges_txt, &t); !err.empty()) {
    state.SkipWithError(err.c_str());
    return;
  }
  state.counters["train_tokens_encoded"] = double(t.encode(c.train).size());
  state.counters["held_out_tokens"] = double(t.encode(c.held_out).size());
}
BENCHMARK(BM_TrainBpeWordnet)->Arg(2048)->Arg(4096)->Arg(8192)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

BENCHMARK_MAIN();
