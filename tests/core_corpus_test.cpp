// The WordNet gloss corpus (core/corpus.h): glosses read from a fake WordNet directory written here, the block
// split, and the real corpus when wordnet-base is installed.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "corpus.h"

namespace {

using attn::Corpus;

struct FakeWordnet {
  std::string dir;
  FakeWordnet() {
    char tmpl[] = "/tmp/attn_wordnet_XXXXXX";
    dir = mkdtemp(tmpl);
  }
  ~FakeWordnet() {
    for (const char* f : {"data.adj", "data.adv", "data.noun", "data.verb"}) std::remove((dir + "/" + f).c_str());
    rmdir(dir.c_str());
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir + "/" + name, std::ios::binary) << text;
  }
};

const char* kHeader = "  1 This software and database is being provided to you, the LICENSEE, by  \n"
                      "  2 Princeton University | under the following license.  \n";

void write_small(const FakeWordnet& w) {
  w.write("data.adj", std::string(kHeader) +
                          "00001740 00 a 01 able 0 005 = 05207437 n 0000 | (usually followed by `to') having the "
                          "necessary means; \"able to swim\"  \n"
                          "00002098 00 a 01 unable 0 002 | not able to perform  \n");
  w.write("data.adv", std::string(kHeader) + "00001740 02 r 01 a_cappella 0 000 | without musical accompaniment  \n");
  w.write("data.noun", std::string(kHeader) +
                           "00001740 03 n 01 entity 0 003 | that which is perceived | or known; \"a | b\"\t \n");
  w.write("data.verb", std::string(kHeader) + "00001740 29 v 04 breathe 0 | draw air into, and expel out of, the lungs  \n");
}

TEST(Corpus, GlossesOfTheFourFilesInOrderAfterTheFirstBar) {
  FakeWordnet w;
  write_small(w);
  Corpus c;
  ASSERT_EQ(attn::build_wordnet_corpus(w.dir, &c), "");
  // 5 glosses: all in block 0, which is a training block. The licence lines (two leading spaces) are skipped even
  // with a " | " in them; a later '|' stays in the gloss; trailing spaces and tabs are stripped.
  EXPECT_EQ(c.train,
            "(usually followed by `to') having the necessary means; \"able to swim\"\n"
            "not able to perform\n"
            "without musical accompaniment\n"
            "that which is perceived | or known; \"a | b\"\n"
            "draw air into, and expel out of, the lungs\n");
  EXPECT_EQ(c.held_out, "");
  EXPECT_EQ(c.lines_train, 5u);
  EXPECT_EQ(c.lines_held_out, 0u);
}

std::string numbered(int from, int to) {  // "line from\n" .. "line to-1\n"
  std::string s;
  for (int i = from; i < to; ++i) s += "line " + std::to_string(i) + "\n";
  return s;
}

TEST(Corpus, EveryTwentiethBlockOfHundredLinesIsHeldOut) {
  // 4,000 lines = 40 blocks of 100; blocks 19 and 39 (lines 1900..1999 and 3900..3999) are held out.
  Corpus c;
  attn::split_corpus_lines(numbered(0, 4000), &c);
  EXPECT_EQ(c.lines_train, 3800u);
  EXPECT_EQ(c.lines_held_out, 200u);
  EXPECT_EQ(c.held_out, numbered(1900, 2000) + numbered(3900, 4000));
  EXPECT_EQ(c.train, numbered(0, 1900) + numbered(2000, 3900));
  // 1,999 lines: block 19 holds only line 1900..1998; a last line without '\n' gets one.
  std::string text = numbered(0, 1999);
  text.pop_back();
  attn::split_corpus_lines(text, &c);
  EXPECT_EQ(c.lines_held_out, 99u);
  EXPECT_EQ(c.held_out, numbered(1900, 1999));
}

TEST(Corpus, TheSplitRunsOverTheFourFilesAsOneSequence) {
  // 2 adjective and 1 adverb glosses (lines 0..2), 3,996 nouns (lines 3..3998), 1 verb (line 3999).
  FakeWordnet w;
  write_small(w);
  std::string noun = kHeader;
  for (int i = 3; i < 3999; ++i) noun += "0 03 n 01 x 0 | line " + std::to_string(i) + "  \n";
  w.write("data.noun", noun);
  Corpus c;
  ASSERT_EQ(attn::build_wordnet_corpus(w.dir, &c), "");
  EXPECT_EQ(c.lines_train, 3800u);
  EXPECT_EQ(c.lines_held_out, 200u);
  EXPECT_EQ(c.held_out, numbered(1900, 2000) + numbered(3900, 3999) + "draw air into, and expel out of, the lungs\n");
  EXPECT_EQ(c.train,
            "(usually followed by `to') having the necessary means; \"able to swim\"\nnot able to perform\n"
            "without musical accompaniment\n" + numbered(3, 1900) + numbered(2000, 3900));
  Corpus again;
  ASSERT_EQ(attn::build_wordnet_corpus(w.dir, &again), "");  // deterministic
  EXPECT_EQ(again.train, c.train);
  EXPECT_EQ(again.held_out, c.held_out);
}

TEST(Corpus, MissingDirectoryOrFileOrGlossesAreRefusedByName) {
  Corpus c;
  c.train = "untouched";
  std::string err = attn::build_wordnet_corpus("/nonexistent/wordnet", &c);
  EXPECT_NE(err.find("/nonexistent/wordnet"), std::string::npos) << err;
  FakeWordnet w;
  write_small(w);
  std::remove((w.dir + "/data.noun").c_str());
  err = attn::build_wordnet_corpus(w.dir, &c);
  EXPECT_NE(err.find(w.dir + "/data.noun"), std::string::npos) << err;
  EXPECT_NE(err.find("cannot read"), std::string::npos) << err;
  w.write("data.noun", std::string(kHeader) + "no bar on this line\n");
  err = attn::build_wordnet_corpus(w.dir, &c);
  EXPECT_NE(err.find(w.dir + "/data.noun"), std::string::npos) << err;
  EXPECT_NE(err.find("no gloss"), std::string::npos) << err;
  EXPECT_EQ(c.train, "untouched");
}

TEST(Corpus, RealWordnetIsAtLeastFiveMillionCharactersWithFivePercentHeldOut) {
  struct stat st {};
  if (stat((std::string(attn::kWordnetDir) + "/data.noun").c_str(), &st) != 0)
    GTEST_SKIP() << "wordnet-base is not installed";
  Corpus c;
  ASSERT_EQ(attn::build_wordnet_corpus(attn::kWordnetDir, &c), "");
  const double total = double(c.train.size() + c.held_out.size());
  EXPECT_GE(total, 5e6);
  EXPECT_GE(double(c.held_out.size()) / total, 0.04);
  EXPECT_LE(double(c.held_out.size()) / total, 0.06);
  EXPECT_EQ(size_t(std::count(c.train.begin(), c.train.end(), '\n')), c.lines_train);
  EXPECT_EQ(size_t(std::count(c.held_out.begin(), c.held_out.end(), '\n')), c.lines_held_out);
}

}  // namespace
