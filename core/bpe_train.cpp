#include "bpe_train.h"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <queue>
#include <unordered_map>

#include "bpe.h"
#include "translate.h"
#include "utf8.h"

namespace attn {

namespace {

using Key = uint64_t;  // a pair of ids: left << 32 | right
Key key_of(int left, int right) { return (uint64_t(uint32_t(left)) << 32) | uint32_t(right); }
int left_of(Key k) { return int(k >> 32); }
int right_of(Key k) { return int(k & 0xFFFFFFFFu); }

// A word's pair counts (bpe_train.h rule 3), sorted by key: (pair, count).
void word_pairs(const std::vector<int>& w, std::vector<Key>* scratch, std::vector<std::pair<Key, int>>* out) {
  scratch->clear();
  out->clear();
  bool counted = false;  // the pair ending at w[i] was counted: an equal pair starting there would overlap it
  for (size_t i = 0; i + 1 < w.size(); ++i) {
    if (counted && w[i - 1] == w[i] && w[i] == w[i + 1]) {
      counted = false;
      continue;
    }
    scratch->push_back(key_of(w[i], w[i + 1]));
    counted = true;
  }
  std::sort(scratch->begin(), scratch->end());
  for (size_t i = 0; i < scratch->size();) {
    size_t j = i;
    while (j < scratch->size() && (*scratch)[j] == (*scratch)[i]) ++j;
    out->emplace_back((*scratch)[i], int(j - i));
    i = j;
  }
}

// Every occurrence of (left, right), left to right without overlap, becomes merged (BpeTokenizer's rule).
bool merge_word(std::vector<int>* w, int left, int right, int merged) {
  size_t n = 0;
  bool changed = false;
  for (size_t i = 0; i < w->size(); ++i) {
    if (i + 1 < w->size() && (*w)[i] == left && (*w)[i + 1] == right) {
      (*w)[n++] = merged;
      ++i;
      changed = true;
    } else {
      (*w)[n++] = (*w)[i];
    }
  }
  w->resize(n);
  return changed;
}

}  // namespace

std::string train_byte_bpe(std::string_view text, int vocab_size, BpeFiles* out, BpeTrainReport* report) {
  const auto start = std::chrono::steady_clock::now();
  if (vocab_size < kBpeMinVocab || vocab_size > kBpeMaxVocab)
    return printf_text(_("the vocabulary size %d is outside %d..65,536 (256 byte symbols, the merges, and %s)"),
                       vocab_size, kBpeMinVocab, kEndOfText);

  // Ids 0..255: the byte symbols by code point (GPT-2's order).
  std::vector<std::string> symbols;
  int byte_id[256];
  {
    std::vector<std::pair<char32_t, int>> order;
    for (int b = 0; b < 256; ++b) order.emplace_back(bpe_byte_char(static_cast<unsigned char>(b)), b);
    std::sort(order.begin(), order.end());
    for (const auto& [c, b] : order) {
      byte_id[b] = int(symbols.size());
      symbols.emplace_back();
      append_utf8(symbols.back(), c);
    }
  }
  std::unordered_map<std::string, int> ids;
  for (size_t i = 0; i < symbols.size(); ++i) ids.emplace(symbols[i], int(i));

  // Pieces with their frequencies, in byte order (the order is only for reproducible reports: ties are broken
  // by spelling, never by word order).
  BpeTrainReport rep;
  rep.keep_segmentation = report && report->keep_segmentation;
  std::vector<std::string> pieces;
  std::vector<int64_t> freq;
  {
    std::unordered_map<std::string, int64_t> counted;
    bpe_pretokenize(text, [&](std::string_view p) {
      ++counted[std::string(p)];
      ++rep.pieces;
    });
    std::vector<std::pair<std::string, int64_t>> sorted(counted.begin(), counted.end());
    std::sort(sorted.begin(), sorted.end());
    for (auto& [p, f] : sorted) {
      pieces.push_back(std::move(p));
      freq.push_back(f);
    }
  }
  rep.distinct_pieces = pieces.size();
  std::vector<std::vector<int>> words(pieces.size());
  for (size_t w = 0; w < pieces.size(); ++w)
    for (unsigned char c : pieces[w]) words[w].push_back(byte_id[c]);

  std::unordered_map<Key, int64_t> count;
  std::unordered_map<Key, std::vector<int>> where;  // pair → words that held it (a superset: never pruned)
  std::vector<Key> scratch;
  std::vector<std::pair<Key, int>> before, after;
  for (size_t w = 0; w < words.size(); ++w) {
    word_pairs(words[w], &scratch, &after);
    for (const auto& [k, n] : after) {
      count[k] += freq[w] * n;
      where[k].push_back(int(w));
    }
  }

  // Highest count first; ties to the smallest (left, right) spelling. Entries go stale when a count changes: a
  // popped entry is used only if its count is still the pair's count.
  struct Entry {
    int64_t count;
    Key key;
  };
  auto worse = [&symbols](const Entry& a, const Entry& b) {
    if (a.count != b.count) return a.count < b.count;
    const std::string &al = symbols[size_t(left_of(a.key))], &bl = symbols[size_t(left_of(b.key))];
    if (al != bl) return al > bl;
    return symbols[size_t(right_of(a.key))] > symbols[size_t(right_of(b.key))];
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);
  for (const auto& [k, c] : count) heap.push({c, k});

  std::vector<std::pair<std::string, std::string>> merges;
  std::vector<Key> changed;
  while (int(symbols.size()) + 1 < vocab_size) {
    Entry best{0, 0};
    bool found = false;
    while (!heap.empty()) {
      const Entry e = heap.top();
      heap.pop();
      auto it = count.find(e.key);
      if (it == count.end() || it->second != e.count) continue;  // stale
      const int l = left_of(e.key), r = right_of(e.key);
      if (ids.count(symbols[size_t(l)] + symbols[size_t(r)])) {  // its spelling exists already: never merged
        count.erase(it);
        continue;
      }
      best = e;
      found = true;
      break;
    }
    if (!found || best.count < 2) {
      rep.stopped_early = true;
      break;
    }
    const int l = left_of(best.key), r = right_of(best.key), merged = int(symbols.size());
    symbols.push_back(symbols[size_t(l)] + symbols[size_t(r)]);
    ids.emplace(symbols.back(), merged);
    merges.emplace_back(symbols[size_t(l)], symbols[size_t(r)]);

    std::vector<int> touched = std::move(where[best.key]);
    where.erase(best.key);
    std::sort(touched.begin(), touched.end());
    touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
    changed.clear();
    for (const int w : touched) {
      std::vector<int>& word = words[size_t(w)];
      word_pairs(word, &scratch, &before);
      if (!merge_word(&word, l, r, merged)) continue;  // the index is a superset
      word_pairs(word, &scratch, &after);
      // The difference of two sorted lists: counts move by the word's frequency; new pairs index the word.
      size_t i = 0, j = 0;
      while (i < before.size() || j < after.size()) {
        if (j == after.size() || (i < before.size() && before[i].first < after[j].first)) {
          count[before[i].first] -= freq[size_t(w)] * before[i].second;
          changed.push_back(before[i].first);
          ++i;
        } else if (i == before.size() || after[j].first < before[i].first) {
          count[after[j].first] += freq[size_t(w)] * after[j].second;
          where[after[j].first].push_back(w);
          changed.push_back(after[j].first);
          ++j;
        } else {
          if (before[i].second != after[j].second) {
            count[after[j].first] += freq[size_t(w)] * (after[j].second - before[i].second);
            changed.push_back(after[j].first);
          }
          ++i, ++j;
        }
      }
    }
    std::sort(changed.begin(), changed.end());
    changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
    for (const Key k : changed) {
      auto it = count.find(k);
      if (it->second <= 0) count.erase(it);
      else heap.push({it->second, k});
    }
  }

  BpeFiles files;
  files.vocab_json = "{";
  for (size_t i = 0; i < symbols.size(); ++i)
    files.vocab_json += (i ? ", " : "") + nlohmann::json(symbols[i]).dump() + ": " + std::to_string(i);
  files.vocab_json += ", " + nlohmann::json(kEndOfText).dump() + ": " +
                      std::to_string(symbols.size()) + "}";
  files.merges_txt = "#version: 0.2\n";
  for (const auto& [a, b] : merges) files.merges_txt += a + " " + b + "\n";

  rep.merges = int(merges.size());
  rep.vocab_size = int(symbols.size()) + 1;
  for (size_t w = 0; w < words.size(); ++w) rep.tokens += size_t(freq[w]) * words[w].size();
  if (rep.keep_segmentation)
    for (size_t w = 0; w < words.size(); ++w) rep.segmentation.emplace_back(std::move(pieces[w]), std::move(words[w]));
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  *out = std::move(files);
  if (report) *report = std::move(rep);
  return "";
}

}  // namespace attn
