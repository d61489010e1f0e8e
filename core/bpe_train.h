// bpe_train.h: trains a GPT-2-style byte-level BPE on a text, written as GPT-2's vocab.json + merges.txt, which
// BpeTokenizer::from_files_text (core/bpe.h) reads back.
//   1. pieces: bpe_pretokenize (bpe.h steps 0-1, the very code encode runs), counted with their frequencies;
//      each piece is a word of byte symbols (step 2's table).
//   2. ids 0..255: the 256 byte symbols in GPT-2's order (encoder.json's: by the symbol's code point, "!" = 0,
//      "Ġ" = 220); each merge then adds one symbol with the next id; "<|endoftext|>" is the last id, so vocab.json
//      holds exactly vocab_size ids (fewer only when training stops early, below).
//   3. a pair's count = the merges applying it would make: its occurrences in each word taken left to right without
//      overlap (how encode applies a merge), times the word's frequency. For two different symbols that is every
//      adjacent position; a run of n equal symbols x counts floor(n/2) for "x x" ("aaa" counts 1, where GPT-2's and
//      Hugging Face's trainers count 2 positions): the count is exactly the tokens the merge saves.
//   4. repeatedly merge the pair of highest count, every occurrence left to right; ties go to the pair whose
//      (left, right) spellings (vocab.json's) are smallest, compared byte by byte (so "u n" before "Ġ hug", since
//      'u' < 'Ġ' in UTF-8). A pair whose joined spelling is already a symbol (e.g. "ab c" after "a bc") is never
//      merged: two merges making one symbol would let a later merge apply out of order, so encoding could differ
//      from training. Hence a merge only makes pairs with its new symbol, of higher rank, and encoding the training
//      text gives exactly the segmentation training ended with (tested).
//   5. stops early when no pair counts at least 2 (a merge saving one token is not worth an id): the vocabulary is
//      then smaller than asked, report->stopped_early says so.
// Incremental: pair counts are updated from the words a merge touches (an index from each pair to the words that
// hold it), not recounted. Speed (bench/bench_bpe_train.cpp): WordNet's training glosses (8.5 MB, 1.7M pieces,
// 70,756 distinct) to 4,096 ids in 0.6 s of CPU, most of it pre-tokenisation; 8,192 ids in 0.66 s.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attn {

inline constexpr const char* kEndOfText = "<|endoftext|>";  // the last id: the language model's document separator
inline constexpr int kBpeMinVocab = 257;                    // the 256 byte symbols and <|endoftext|>
inline constexpr int kBpeMaxVocab = 65536;

struct BpeFiles {
  std::string vocab_json;  // {"!": 0, "\"": 1, …} in id order, as GPT-2's encoder.json
  std::string merges_txt;  // "#version: 0.2\n" then one "left right\n" per merge, in rank order
};

struct BpeTrainReport {
  int merges = 0;
  int vocab_size = 0;           // ids in vocab.json: 256 + merges + 1
  bool stopped_early = false;   // no pair counted 2 or more before vocab_size was reached
  size_t pieces = 0;            // pre-tokenised pieces in the text
  size_t distinct_pieces = 0;
  size_t tokens = 0;            // tokens the text encodes to with the result
  double seconds = 0;           // wall time of the whole training
  bool keep_segmentation = false;  // in: fill segmentation
  // Each distinct piece (its UTF-8 bytes, in byte order) and the ids training ended with for it.
  std::vector<std::pair<std::string, std::vector<int>>> segmentation;
};

// vocab_size in kBpeMinVocab..kBpeMaxVocab. Returns "" or one sentence; *out is left untouched on failure.
std::string train_byte_bpe(std::string_view text, int vocab_size, BpeFiles* out, BpeTrainReport* report = nullptr);

}  // namespace attn
