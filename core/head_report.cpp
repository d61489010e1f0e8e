#include "head_report.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "bpe.h"
#include "trace.h"
#include "translate.h"

namespace attn {

namespace {
constexpr uint64_t kReportProbeSeed = 1;  // the gallery's (ui/gallery_view.cpp)

// Mean over the reports where a value is defined (NaN: undefined, e.g. a one-token window).
struct Sum {
  double total = 0;
  int count = 0;
  void add(double v) {
    if (std::isfinite(v)) total += v, ++count;
  }
  double mean() const { return count ? total / count : NAN; }
};
}  // namespace

std::string head_report(std::shared_ptr<const Model> m, const std::string& text, int windows, HeadReport* out) {
  if (!m || m->config.kind != ModelKind::DecoderOnly || !m->bpe) return _("head scores need a GPT-2-family model");
  Settings s;
  s.mask = MaskKind::Causal;
  s = checkpoint_settings(*m, s);
  const int context = m->config.context;
  // Windows: whole lines while they fit in the context.
  std::vector<std::string> chunks;
  std::string chunk;
  int chunk_tokens = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line) && int(chunks.size()) < windows;) {
    line += '\n';
    const int n = int(m->bpe->encode(line).size());
    if (chunk_tokens + n > context && !chunk.empty()) {
      chunks.push_back(chunk);
      chunk.clear();
      chunk_tokens = 0;
    }
    chunk += line;
    chunk_tokens += n;
  }
  if (!chunk.empty() && int(chunks.size()) < windows) chunks.push_back(chunk);
  if (chunks.empty()) return _("the text has no line to score");

  Probe p;
  std::shared_ptr<Trace> probe;
  if (probe_text(*m, s, kProbeLength, kReportProbeSeed, &p).empty()) {
    probe = std::make_shared<Trace>();
    if (!build_trace(p.settings, p.text, probe.get(), m).empty()) probe.reset();
  }
  const int L = m->config.layers, H = m->config.heads;
  std::vector<Sum> prev(size_t(L * H)), first(prev), diag(prev), ent(prev), ent_norm(prev);
  HeadReport r;
  Trace t;
  for (const std::string& c : chunks) {
    if (const std::string e = build_trace(s, c, &t, m); !e.empty()) return e;
    const HeadScores h = score_heads(t, nullptr);
    for (size_t i = 0; i < h.all.size(); ++i) {
      prev[i].add(h.all[i].prev);
      first[i].add(h.all[i].first);
      diag[i].add(h.all[i].diag);
      ent[i].add(h.all[i].entropy);
      ent_norm[i].add(h.all[i].entropy_norm);
    }
    ++r.windows;
    r.tokens += t.n();
  }
  r.mean = probe ? score_heads(*probe, probe.get()) : score_heads(t, nullptr);  // its layout and induction scores
  for (size_t i = 0; i < r.mean.all.size(); ++i) {
    HeadScore& h = r.mean.all[i];
    h.prev = prev[i].mean(), h.first = first[i].mean(), h.diag = diag[i].mean();
    h.entropy = ent[i].mean(), h.entropy_norm = ent_norm[i].mean();
    if (!probe) h.induction = NAN;
  }
  *out = std::move(r);
  return "";
}

std::string head_report_csv(const HeadReport& r) {
  std::string s = "layer,head,previous,first,diagonal,entropy_norm,induction\n";
  char line[160];
  for (const HeadScore& h : r.mean.all) {
    std::snprintf(line, sizeof line, "%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f\n", h.layer, h.head, h.prev, h.first, h.diag,
                  h.entropy_norm, h.induction);
    s += line;
  }
  return s;
}

}  // namespace attn
