#include "adam.h"

#include <algorithm>
#include <cmath>

namespace attn {

float schedule_lr(float lr, int t, int warmup) {
  if (warmup <= 0) return lr;
  return lr * std::min(float(t) / float(warmup), std::sqrt(float(warmup) / float(std::max(t, 1))));
}

double clip_grad_norm(Model& grad, float max_norm) {
  const std::vector<Param> ps = parameters(grad);
  double sq = 0;
  for (const Param& p : ps)
    for (size_t i = 0; i < p.size(); ++i) sq += double(p[i]) * p[i];
  const double norm = std::sqrt(sq);
  if (max_norm > 0 && norm > max_norm) {
    const float k = float(max_norm / norm);
    for (const Param& p : ps)
      for (size_t i = 0; i < p.size(); ++i) p[i] *= k;
  }
  return norm;
}

void adam_step(Model& w, Model& g, Model& m, Model& v, int t, float lr, const AdamOptions& o) {
  const std::vector<Param> pw = parameters(w), pg = parameters(g), pm = parameters(m), pv = parameters(v);
  const double c1 = 1.0 - std::pow(double(o.beta1), t), c2 = 1.0 - std::pow(double(o.beta2), t);
  for (size_t k = 0; k < pw.size(); ++k) {
    // One run of contiguous floats: the whole tensor, or a row at a time when any of the four is strided (model.h).
    const Param* ps[] = {&pw[k], &pg[k], &pm[k], &pv[k]};
    const bool flat = std::all_of(ps, ps + 4, [](const Param* p) { return p->stride == size_t(p->cols); });
    const int runs = flat ? 1 : pw[k].rows;
    const double decay = pw[k].vector ? 0.0 : double(o.weight_decay);
    const size_t n = flat ? pw[k].size() : size_t(pw[k].cols);
    for (int r = 0; r < runs; ++r) {
      float *th = pw[k].data + size_t(r) * pw[k].stride, *gr = pg[k].data + size_t(r) * pg[k].stride,
            *m1 = pm[k].data + size_t(r) * pm[k].stride, *m2 = pv[k].data + size_t(r) * pv[k].stride;
      for (size_t i = 0; i < n; ++i) {
        m1[i] = o.beta1 * m1[i] + (1 - o.beta1) * gr[i];
        m2[i] = o.beta2 * m2[i] + (1 - o.beta2) * gr[i] * gr[i];
        const double mhat = m1[i] / c1, vhat = m2[i] / c2;
        th[i] -= float(lr * (mhat / (std::sqrt(vhat) + o.eps) + decay * th[i]));
      }
    }
  }
}

}  // namespace attn
