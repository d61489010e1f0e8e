#include "corpus.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "translate.h"

namespace attn {

void split_corpus_lines(std::string_view lines, Corpus* out) {
  Corpus c;
  size_t index = 0, pos = 0;
  while (pos < lines.size()) {
    size_t end = lines.find('\n', pos);
    end = end == std::string_view::npos ? lines.size() : end + 1;
    const bool held = (index / kCorpusBlock) % kCorpusEvery == kCorpusEvery - 1;
    std::string& to = held ? c.held_out : c.train;
    to.append(lines.substr(pos, end - pos));
    if (to.back() != '\n') to += '\n';  // a last line without its '\n'
    ++(held ? c.lines_held_out : c.lines_train);
    ++index;
    pos = end;
  }
  *out = std::move(c);
}

std::string build_wordnet_corpus(const std::string& wordnet_dir, Corpus* out) {
  struct stat st {};
  if (stat(wordnet_dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return printf_text(
        _("the WordNet directory %s does not exist or is not a directory (install the Debian package wordnet-base)"),
        wordnet_dir.c_str());
  std::string glosses;
  for (const char* name : {"data.adj", "data.adv", "data.noun", "data.verb"}) {
    const std::string path = wordnet_dir + "/" + name;
    std::ifstream f(path, std::ios::binary);
    if (!f)
      return printf_text(_("cannot read the WordNet file %s (install the Debian package wordnet-base)"), path.c_str());
    std::string line;
    size_t found = 0;
    while (std::getline(f, line)) {
      if (line.compare(0, 2, "  ") == 0) continue;  // the licence header
      const size_t bar = line.find(" | ");
      if (bar == std::string::npos) continue;
      size_t end = line.size();
      while (end > bar + 3 && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r')) --end;
      if (end == bar + 3) continue;
      glosses.append(line, bar + 3, end - bar - 3);
      glosses += '\n';
      ++found;
    }
    if (f.bad()) return printf_text(_("cannot read the WordNet file %s (a read error)"), path.c_str());
    if (found == 0) return printf_text(_("the WordNet file %s has no gloss line (no line with \" | \")"), path.c_str());
  }
  split_corpus_lines(glosses, out);
  return "";
}

}  // namespace attn
