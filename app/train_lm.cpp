#include "train_lm.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "atomic_file.h"
#include "bpe.h"
#include "bpe_train.h"
#include "corpus.h"
#include "hf_checkpoint.h"
#include "hf_checkpoint_write.h"
#include "translate.h"
#include "utf8.h"

namespace attn {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

constexpr uintmax_t kMaxCorpusBytes = uintmax_t(1) << 30;
constexpr const char* kStateFormat = "attention-lab-lm-state";

std::string load_corpus(const std::string& path, Corpus* out) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return build_wordnet_corpus(path, out);
  if (!fs::is_regular_file(path, ec))
    return printf_text(_("%s: no such folder or file (give a WordNet folder or a text file)"), path.c_str());
  std::string text;
  if (const std::string e = read_file_limited(path, kMaxCorpusBytes, &text); !e.empty()) return path + ": " + e;
  if (!text.empty() && text.back() != '\n') text += '\n';
  split_corpus_lines(text, out);
  return "";
}

ordered_json config_json(const LmConfig& c) {
  return {{"d_model", c.d_model}, {"heads", c.heads},     {"layers", c.layers},   {"d_ff", c.d_ff},
          {"context", c.context}, {"vocab", c.vocab},     {"batch", c.batch},     {"steps", c.steps},
          {"warmup", c.warmup},   {"lr", c.lr},           {"min_lr", c.min_lr},   {"weight_decay", c.weight_decay},
          {"beta1", c.beta1},     {"beta2", c.beta2},     {"eps", c.eps},         {"clip", c.clip},
          {"seed", c.seed},       {"wpe_sinusoid", c.wpe_sinusoid}};
}

// ---- The resume state: a safetensors file of F32 tensors "model.<name>", "adam_m.<name>", "adam_v.<name>"
// (parameters() names), its metadata the format, the step and the configuration.

std::string state_bytes(const LmTrainer::State& st, const LmConfig& c, const ordered_json& curve) {
  struct Part {
    const char* prefix;
    const Model* m;
  };
  const Part parts[] = {{"model.", &st.model}, {"adam_m.", &st.m1}, {"adam_v.", &st.m2}};
  ordered_json header;
  header["__metadata__"] = {{"format", kStateFormat}, {"step", std::to_string(st.step)}, {"config", config_json(c).dump()},
                            {"curve", curve.dump()}};
  std::string data;
  for (const Part& p : parts)
    for (const Param& q : parameters(const_cast<Model&>(*p.m))) {
      const size_t begin = data.size();
      for (size_t i = 0; i < q.size(); ++i) {
        const float v = q[i];
        data.append(reinterpret_cast<const char*>(&v), sizeof v);
      }
      header[p.prefix + q.name] = {{"dtype", "F32"}, {"shape", {q.rows, q.cols}}, {"data_offsets", {begin, data.size()}}};
    }
  std::string h = header.dump();
  h.append((8 - h.size() % 8) % 8, ' ');
  std::string bytes(8, '\0');
  const uint64_t n = h.size();
  for (int i = 0; i < 8; ++i) bytes[size_t(i)] = char((n >> (8 * i)) & 0xff);
  return bytes + h + data;
}

std::string read_state(const std::string& path, const LmConfig& c, LmTrainer::State* st, ordered_json* curve) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return printf_text(_("%s: no saved state to resume (run without --resume first)"), path.c_str());
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string bytes = ss.str();
  SafetensorsHeader h;
  if (const std::string e = parse_safetensors_header(bytes, &h); !e.empty()) return path + ": " + e;
  const uint64_t n = uint64_t(uint8_t(bytes[0])) | uint64_t(uint8_t(bytes[1])) << 8 | uint64_t(uint8_t(bytes[2])) << 16 |
                     uint64_t(uint8_t(bytes[3])) << 24;  // a header past 4 GB was refused above
  const nlohmann::json header = nlohmann::json::parse(bytes.substr(8, size_t(n)), nullptr, false);
  const nlohmann::json meta = header.is_object() ? header.value("__metadata__", nlohmann::json::object()) : nlohmann::json();
  if (!meta.is_object() || meta.value("format", "") != kStateFormat)
    return printf_text(_("%s: not a train-lm state file"), path.c_str());
  const ordered_json saved_config = ordered_json::parse(meta.value("config", ""), nullptr, false);
  const ordered_json now = config_json(c);  // a named object: items() only refers to it
  for (const auto& [key, value] : now.items())
    if (!saved_config.is_object() || !saved_config.contains(key) || saved_config[key] != value) {
      std::string option = "--" + key;
      std::replace(option.begin(), option.end(), '_', '-');
      return printf_text(
          _("%s: it was saved with other settings (%s %s, now %s); resume with the same options"), path.c_str(),
          option.c_str(),
          std::string((saved_config.is_object() && saved_config.contains(key) ? saved_config[key].dump() : "?"))
              .c_str(),
          value.dump().c_str());
    }
  LmTrainer::State s{init_lm(c), init_lm(c), init_lm(c), 0};
  try {
    s.step = std::stoi(meta.value("step", "x"));
  } catch (...) {
    return printf_text(_("%s: its step is not a number"), path.c_str());
  }
  if (s.step < 0 || s.step > c.steps)
    return printf_text(_("%s: its step is outside 0..%s"), path.c_str(), std::to_string(c.steps).c_str());
  std::map<std::string, const SafetensorsTensor*> by_name;
  for (const SafetensorsTensor& t : h.tensors) by_name[t.name] = &t;
  const std::pair<const char*, Model*> parts[] = {{"model.", &s.model}, {"adam_m.", &s.m1}, {"adam_v.", &s.m2}};
  size_t used = 0;
  for (const auto& [prefix, m] : parts)
    for (const Param& q : parameters(*m)) {
      const auto it = by_name.find(prefix + q.name);
      if (it == by_name.end() || it->second->dtype != "F32" || it->second->shape.size() != 2 ||
          it->second->shape[0] != uint64_t(q.rows) || it->second->shape[1] != uint64_t(q.cols))
        return printf_text(_("%s: tensor %s%s is missing or has another shape"), path.c_str(), prefix, q.name.c_str());
      const char* src = bytes.data() + h.data_start + it->second->begin;
      for (size_t i = 0; i < q.size(); ++i) std::memcpy(&q[i], src + 4 * i, 4);
      ++used;
    }
  if (used != h.tensors.size()) return printf_text(_("%s: it holds tensors this model does not have"), path.c_str());
  ordered_json saved = ordered_json::parse(meta.value("curve", ""), nullptr, false);
  if (!saved.is_array()) return printf_text(_("%s: its held-out curve is not readable"), path.c_str());
  *st = std::move(s);
  *curve = std::move(saved);
  return "";
}

std::string format_time(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "–";
  const long s = long(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, s / 60 % 60);
  else std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  return buf;
}

}  // namespace

std::string train_lm(const TrainLmOptions& o, std::ostream& out, std::ostream& progress, bool tty,
                     const std::atomic<bool>* stop) {
  using Clock = std::chrono::steady_clock;
  LmConfig c = o.config;
  if (const std::string e = validate(c); !e.empty()) return e;
  if (o.out.empty()) return _("--out must name a folder");

  // 1. corpus
  Corpus corpus;
  if (const std::string e = load_corpus(o.corpus, &corpus); !e.empty()) return e;
  // 2. tokenizer
  BpeFiles files;
  BpeTrainReport report;
  if (const std::string e = train_byte_bpe(corpus.train, c.vocab, &files, &report); !e.empty()) return e;
  auto bpe = std::make_shared<BpeTokenizer>();
  if (const std::string e = BpeTokenizer::from_files_text(files.vocab_json, files.merges_txt, bpe.get()); !e.empty())
    return printf_text(_("the trained tokenizer does not load: %s"), e.c_str());
  if (report.vocab_size != c.vocab) {
    progress << "train-lm: "
             << printf_text(_("the corpus gives only %d tokens (no pair left to merge), not %d; the model uses %d"),
                            report.vocab_size, c.vocab, report.vocab_size)
             << "\n";
    c.vocab = report.vocab_size;
  }
  auto train = std::make_shared<std::vector<int>>(bpe->encode(corpus.train));
  const std::vector<int> held = bpe->encode(corpus.held_out);
  if (train->size() <= size_t(c.context) + 1 || held.size() <= size_t(c.context) + 1)
    return printf_text(_("the corpus is too small: %s training and %s held-out tokens, and each part needs more than "
                         "the context (%s) + 1"),
                       std::to_string(train->size()).c_str(), std::to_string(held.size()).c_str(),
                       std::to_string(c.context).c_str());
  progress << "train-lm: "
           << printf_text(_("corpus %zu characters, %zu training and %zu held-out tokens (vocabulary %d)"),
                          corpus.train.size() + corpus.held_out.size(), train->size(), held.size(), c.vocab)
           << "\n";

  // 3. model
  std::error_code ec;
  fs::create_directories(o.out, ec);
  const std::string state_path = (fs::path(o.out) / kTrainStateFile).string();
  LmTrainer trainer(c, train, init_lm(c, bpe));
  ordered_json curve = ordered_json::array();
  if (o.resume) {
    LmTrainer::State st;
    if (const std::string e = read_state(state_path, c, &st, &curve); !e.empty()) return e;
    trainer.restore(std::move(st));
    progress << "train-lm: " << printf_text(_("resuming at step %d of %d"), trainer.steps_done(), c.steps) << "\n";
  }
  const int eval_every = std::max(1, o.eval_every);
  const auto t0 = Clock::now();
  const int first_step = trainer.steps_done();
  auto drawn = Clock::now() - std::chrono::seconds(1);
  double held_loss = NAN, train_loss = NAN;
  size_t drawn_width = 0;
  while (trainer.steps_done() < c.steps) {
    if ((stop && stop->load()) || (o.stop_after > 0 && trainer.steps_done() - first_step >= o.stop_after)) {
      if (tty) progress << "\n";
      if (const std::string e = write_file_atomic(state_path, state_bytes(trainer.state(), c, curve)); !e.empty()) return e;
      out << printf_text(_("interrupted at step %d of %d; the state is in %s: continue with the same options and --resume"),
                         trainer.steps_done(), c.steps, state_path.c_str())
          << "\n";
      return "interrupted";
    }
    train_loss = trainer.step();
    const int t = trainer.steps_done();
    const bool eval = t % eval_every == 0 || t == c.steps;
    if (eval) {
      held_loss = lm_evaluate(trainer.model(), held, c.context, o.eval_windows).loss;
      curve.push_back({{"step", t}, {"train_loss", train_loss}, {"held_out_loss", held_loss}});
    }
    const auto now = Clock::now();
    if (eval || (tty && now - drawn >= std::chrono::milliseconds(200))) {
      const double secs = std::chrono::duration<double>(now - t0).count(), done = t - first_step;
      const std::string s =
          printf_text(_("step %d/%d · %.0f tokens/s · loss %.3f · held-out %.3f (perplexity %.1f) · %s left"), t, c.steps,
                      done * c.batch * c.context / std::max(secs, 1e-9), train_loss, held_loss, std::exp(held_loss),
                      format_time(secs / done * (c.steps - t)).c_str());
      if (tty) {
        const size_t cols = display_columns(s);  // the line in the other language's characters: columns, not bytes
        progress << '\r' << s << std::string(drawn_width > cols ? drawn_width - cols : 0, ' ') << std::flush;
        drawn_width = cols;
      } else if (eval) {
        progress << s << "\n" << std::flush;
      }
      drawn = now;
    }
  }
  if (tty) progress << "\n";

  // 4. the folder: held-out loss on every window, the baselines on the same windows
  const LmEval final_eval = lm_evaluate(trainer.model(), held, c.context, 0);
  const LmEval uni = unigram_evaluate(*train, c.vocab, held, c.context, 0);
  double lambda = 0;
  const LmEval bi = bigram_evaluate(*train, c.vocab, held, c.context, 0, &lambda);
  HfWriteOptions w;
  w.dtype = o.dtype;
  w.vocab_json = files.vocab_json;
  w.merges_txt = files.merges_txt;
  w.name = fs::path(o.out).filename().string();
  w.metadata = {{"trained_by", "attention-lab train-lm"}, {"steps", std::to_string(trainer.steps_done())}};
  if (const std::string e = save_hf_checkpoint(trainer.model(), o.out, w); !e.empty()) return e;
  ordered_json j;
  j["format"] = "attention-lab-lm-training";
  j["version"] = 1;
  j["corpus"] = {{"source", o.corpus},
                 {"train_characters", corpus.train.size()},
                 {"held_out_characters", corpus.held_out.size()},
                 {"train_lines", corpus.lines_train},
                 {"held_out_lines", corpus.lines_held_out},
                 {"train_tokens", train->size()},
                 {"held_out_tokens", held.size()}};
  j["config"] = config_json(c);
  j["dtype"] = o.dtype;
  j["curve"] = curve;
  auto eval_json = [](const LmEval& e) {
    return ordered_json{{"loss", e.loss}, {"perplexity", e.perplexity()}, {"tokens", e.tokens}};
  };
  j["held_out"] = eval_json(final_eval);
  j["baselines"] = {{"unigram", eval_json(uni)}, {"bigram", eval_json(bi)}};
  j["baselines"]["bigram"]["lambda"] = lambda;
  if (const std::string e = write_file_atomic((fs::path(o.out) / "training.json").string(), j.dump(2) + "\n");
      !e.empty())
    return e;
  fs::remove(state_path, ec);
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  out << printf_text(_("wrote %s: %d steps in %s (%.0f tokens/s); held-out perplexity %.2f over %ld tokens "
                       "(bigram %.2f, unigram %.2f)\n"),
                     o.out.c_str(), trainer.steps_done(), format_time(secs).c_str(),
                     double(trainer.steps_done() - first_step) * c.batch * c.context / std::max(secs, 1e-9),
                     final_eval.perplexity(), final_eval.tokens, bi.perplexity(), uni.perplexity());
  return "";
}

}  // namespace attn
