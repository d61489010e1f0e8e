// The byte-level BPE trainer (core/bpe_train.h): merges worked out by hand, the files read back by BpeTokenizer,
// encoding consistent with training, determinism and limits.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include "bpe.h"
#include "bpe_train.h"
#include "corpus.h"

namespace {

using attn::BpeFiles;
using attn::BpeTokenizer;
using attn::BpeTrainReport;

std::string merge_lines(const std::string& merges_txt) {  // merges.txt less its "#version: 0.2\n" line
  EXPECT_EQ(merges_txt.substr(0, 14), "#version: 0.2\n");
  return merges_txt.substr(14);
}

BpeTokenizer load(const BpeFiles& f) {
  BpeTokenizer t;
  EXPECT_EQ(BpeTokenizer::from_files_text(f.vocab_json, f.merges_txt, &t), "");
  return t;
}

// Encoding the text with the trained files gives, piece by piece, the segmentation training ended with.
void expect_encoding_matches_training(const std::string& text, int vocab_size) {
  BpeFiles f;
  BpeTrainReport r;
  r.keep_segmentation = true;
  ASSERT_EQ(attn::train_byte_bpe(text, vocab_size, &f, &r), "");
  std::map<std::string, std::vector<int>> seg(r.segmentation.begin(), r.segmentation.end());
  std::vector<int> expected;
  attn::bpe_pretokenize(text, [&](std::string_view p) {
    const std::vector<int>& ids = seg.at(std::string(p));
    expected.insert(expected.end(), ids.begin(), ids.end());
  });
  const std::vector<int> got = load(f).encode(text);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(got.size(), r.tokens);
}

TEST(BpeTrain, HugPugPunBunMergesByHand) {
  // Pieces: "hug" ×1, "Ġhug" ×2, "Ġpug", "Ġpun", "Ġbun" ×1 each.
  // Counts: u g 4, h u 3, Ġ h 2, Ġ p 2, p u 2, u n 2, Ġ b 1, b u 1        → merge "u g"  (id 256)
  //         h ug 3, Ġ h 2, Ġ p 2, u n 2, p ug 1, p u 1, Ġ b 1, b u 1      → merge "h ug" (257)
  //         Ġ hug 2, Ġ p 2, u n 2, …: a tie; "u" (75) < "Ġ" (C4 A0)     → merge "u n"  (258)
  //         Ġ hug 2, Ġ p 2: a tie on the left; "hug" < "p"               → merge "Ġ hug" (259)
  //         Ġ p 2                                                        → merge "Ġ p"  (260)
  //         Ġp ug, Ġp un, Ġ b, b un: 1 each                              → stop (no pair counts 2)
  BpeFiles f;
  BpeTrainReport r;
  ASSERT_EQ(attn::train_byte_bpe("hug hug hug pug pun bun", 1000, &f, &r), "");
  EXPECT_EQ(merge_lines(f.merges_txt), "u g\nh ug\nu n\nĠ hug\nĠ p\n");
  EXPECT_TRUE(r.stopped_early);
  EXPECT_EQ(r.merges, 5);
  EXPECT_EQ(r.vocab_size, 262);
  const BpeTokenizer t = load(f);
  ASSERT_EQ(t.size(), 262);
  EXPECT_EQ(t.id("!"), 0);    // GPT-2's byte order: '!' first, 'b' = 0x62 - 0x21, "Ġ" 220, "Ā" (byte 0) 188
  EXPECT_EQ(t.id("b"), 65);
  EXPECT_EQ(t.id("Ġ"), 220);
  EXPECT_EQ(t.id("Ā"), 188);
  EXPECT_EQ(t.id("ug"), 256);
  EXPECT_EQ(t.id("Ġhug"), 259);
  EXPECT_EQ(t.id("Ġp"), 260);
  EXPECT_EQ(t.id("<|endoftext|>"), 261);
  EXPECT_EQ(t.encode("hug hug hug pug pun bun"), (std::vector<int>{257, 259, 259, 260, 256, 260, 258, 220, 65, 258}));
  EXPECT_EQ(r.tokens, 10u);
  EXPECT_EQ(r.pieces, 6u);
  EXPECT_EQ(r.distinct_pieces, 5u);
}

TEST(BpeTrain, RunsOfOneSymbolCountWithoutOverlap) {
  // "aaabdaaabac" is one piece. "a a" counts 2 (one in each "aaa", as encoding merges it), "a b" 2: a tie, and
  // "a" "a" < "a" "b" → "a a" (256). Then "aa a" 2, "a b" 2: "a" < "aa" → "a b" (257). Then "aa ab" 2 (258);
  // then aaab d aaab a c: every pair once → stop.
  BpeFiles f;
  ASSERT_EQ(attn::train_byte_bpe("aaabdaaabac", 300, &f), "");
  EXPECT_EQ(merge_lines(f.merges_txt), "a a\na b\naa ab\n");
  // "aaa bc": "a a" saves one token (counting positions would say 2), "Ġ b" and "b c" one each: nothing to merge.
  ASSERT_EQ(attn::train_byte_bpe("aaa bc", 300, &f), "");
  EXPECT_EQ(merge_lines(f.merges_txt), "");
  EXPECT_EQ(load(f).size(), 257);
}

TEST(BpeTrain, VocabJsonEscapesQuoteAndBackslashInIdOrder) {
  BpeFiles f;
  ASSERT_EQ(attn::train_byte_bpe("\"\\\"\\ \"\\", 300, &f), "");  // pieces "\"\\\"\\" and "Ġ\"\\": "\" \\" counts 3
  EXPECT_EQ(f.vocab_json.substr(0, 25), "{\"!\": 0, \"\\\"\": 1, \"#\": 2,");
  EXPECT_NE(f.vocab_json.find("\"\\\\\": 59,"), std::string::npos);  // '\\' = 0x5C - 0x21
  EXPECT_EQ(merge_lines(f.merges_txt), "\" \\\n");
  EXPECT_NE(f.vocab_json.find(", \"\\\"\\\\\": 256, \"<|endoftext|>\": 257}"), std::string::npos) << f.vocab_json;
  EXPECT_EQ(load(f).id("\"\\"), 256);
}

std::string sample_text() {
  // Words from a small alphabet with skewed frequencies, punctuation, digits, newlines, Chinese and a stray byte.
  std::mt19937 rng(7);
  const char* words[] = {"the", "cat", "sat", "on", "mat", "a", "theory", "of", "attention", "heads", "attend",
                         "注意力", "机制", "42", "2026", "don't", "it's", "\xff", "naïve", "résumé"};
  std::discrete_distribution<int> pick({30, 8, 6, 10, 5, 12, 3, 10, 4, 4, 3, 2, 2, 1, 1, 2, 2, 1, 1, 1});
  std::string s;
  for (int i = 0; i < 6000; ++i) {
    s += words[pick(rng)];
    const int r = int(rng() % 20);
    s += r == 0 ? ".\n" : r == 1 ? ", " : r == 2 ? "  " : " ";
  }
  return s;
}

TEST(BpeTrain, EncodingTheTrainingTextGivesTheTrainedSegmentation) {
  expect_encoding_matches_training("hug hug hug pug pun bun", 1000);
  expect_encoding_matches_training("aaabdaaabac aaaa aaaaa aaaaaaa", 1000);
  expect_encoding_matches_training(sample_text(), 400);
  expect_encoding_matches_training(sample_text(), 4000);  // stops early: trained to the end
}

TEST(BpeTrain, WordnetCorpusEncodesAsTrained) {  // the shipped setting: about 1 s of training, 1 s of encoding
  attn::Corpus c;
  if (!attn::build_wordnet_corpus(attn::kWordnetDir, &c).empty()) GTEST_SKIP() << "wordnet-base is not installed";
  expect_encoding_matches_training(c.train, 4096);
}

TEST(BpeTrain, ReachesTheRequestedSizeOnRichText) {
  BpeFiles f;
  BpeTrainReport r;
  ASSERT_EQ(attn::train_byte_bpe(sample_text(), 300, &f, &r), "");
  EXPECT_FALSE(r.stopped_early);
  EXPECT_EQ(r.vocab_size, 300);
  EXPECT_EQ(r.merges, 300 - 257);
  EXPECT_EQ(load(f).size(), 300);
  EXPECT_EQ(std::count(f.merges_txt.begin(), f.merges_txt.end(), '\n'), 1 + 43);
}

TEST(BpeTrain, RoundTripsAnyBytes) {
  BpeFiles f;
  ASSERT_EQ(attn::train_byte_bpe(sample_text(), 400, &f), "");
  const BpeTokenizer t = load(f);
  for (const std::string& s : {std::string("the cat sat on the mat"), std::string("注意力机制 attends, 它的头."),
                              std::string("tabs\tand\r\nnewlines  \n"), std::string("zzqx unseen 🙂 ∑")})
    EXPECT_EQ(t.decode(t.encode(s)), s);
  // Invalid UTF-8: each maximal invalid subpart becomes U+FFFD (bpe.h step 0), then round-trips.
  EXPECT_EQ(t.decode(t.encode("a\xff" "b\xe6\xb3 c")), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD c");
  std::mt19937 rng(3);
  for (int k = 0; k < 50; ++k) {  // random printable ASCII and Chinese: valid UTF-8 survives byte for byte
    std::string s;
    for (int i = 0; i < 40; ++i) s += rng() % 4 ? std::string(1, char(0x20 + rng() % 95)) : std::string("中文字");
    EXPECT_EQ(t.decode(t.encode(s)), s);
  }
}

TEST(BpeTrain, DeterministicBytes) {
  BpeFiles a, b;
  ASSERT_EQ(attn::train_byte_bpe(sample_text(), 350, &a), "");
  ASSERT_EQ(attn::train_byte_bpe(sample_text(), 350, &b), "");
  EXPECT_EQ(a.vocab_json, b.vocab_json);
  EXPECT_EQ(a.merges_txt, b.merges_txt);
}

TEST(BpeTrain, VocabularySizeOutOfRangeIsRefused) {
  BpeFiles f;
  f.merges_txt = "untouched";
  for (const int n : {256, 0, -5, 65537}) {
    const std::string err = attn::train_byte_bpe("some text", n, &f);
    EXPECT_NE(err.find(std::to_string(n)), std::string::npos) << err;
    EXPECT_NE(err.find("257..65,536"), std::string::npos) << err;
  }
  EXPECT_EQ(f.merges_txt, "untouched");
  EXPECT_EQ(attn::train_byte_bpe("", 257, &f), "");  // the bytes and <|endoftext|> alone
  EXPECT_EQ(load(f).size(), 257);
}

}  // namespace
