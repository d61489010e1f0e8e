// corpus.h: the training text of the project's own language model (issue 13): the glosses of WordNet 3.0.
// Source: Debian's wordnet-base, files data.adj, data.adv, data.noun, data.verb (licence "WordNet 3.0",
// Princeton's permissive licence: use, copy, modify, distribute with its copyright notice).
//   - the four files are read in that fixed (sorted) order; lines starting with two spaces (the licence header) are
//     skipped; a synset line's gloss is its text after the first " | ", trailing whitespace stripped; a line with no
//     " | " or an empty gloss is skipped;
//   - one gloss per output line, '\n'-terminated;
//   - held-out split: the gloss sequence (all four files, in order) is cut into blocks of kCorpusBlock consecutive
//     lines; block b goes to held_out when b % kCorpusEvery == kCorpusEvery - 1 (5%), to train otherwise. Whole
//     blocks, because neighbouring synsets often have near-identical glosses: a line-by-line split would leak them.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace attn {

inline constexpr const char* kWordnetDir = "/usr/share/wordnet";
inline constexpr size_t kCorpusBlock = 100;  // lines per block
inline constexpr size_t kCorpusEvery = 20;   // one block in this many is held out

struct Corpus {
  std::string train, held_out;  // glosses, one per '\n'-terminated line
  size_t lines_train = 0, lines_held_out = 0;
};

// Reads the glosses under wordnet_dir into *out. Returns "" or one sentence naming the path (a missing or unreadable
// directory or file, a file with no gloss line); *out is left untouched on failure.
std::string build_wordnet_corpus(const std::string& wordnet_dir, Corpus* out);

// The split alone, on any '\n'-terminated lines (the rule above): what build_wordnet_corpus applies to the glosses.
void split_corpus_lines(std::string_view lines, Corpus* out);

}  // namespace attn
