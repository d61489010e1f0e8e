#include "mask.h"

namespace attn {

BoolMat no_mask(int n_q, int n_k) { return BoolMat(n_q, n_k); }

BoolMat causal_mask(int n) {
  BoolMat m(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) m(i, j) = 1;
  return m;
}

BoolMat padding_mask(int n_q, const std::vector<uint8_t>& key_is_pad) {
  const int n_k = int(key_is_pad.size());
  BoolMat m(n_q, n_k);
  for (int i = 0; i < n_q; ++i)
    for (int j = 0; j < n_k; ++j) m(i, j) = key_is_pad[size_t(j)] ? 1 : 0;
  return m;
}

BoolMat fit_custom_mask(const BoolMat& custom, int n) {
  BoolMat m(n, n);
  for (int i = 0; i < n && i < custom.rows; ++i)
    for (int j = 0; j < n && j < custom.cols; ++j) m(i, j) = custom(i, j) ? 1 : 0;
  return m;
}

BoolMat make_mask(const Settings& s, int n, const std::vector<uint8_t>& key_is_pad) {
  switch (s.mask) {
    case MaskKind::None: return no_mask(n, n);
    case MaskKind::Causal: return causal_mask(n);
    case MaskKind::Padding: return padding_mask(n, key_is_pad);
    case MaskKind::Custom: return fit_custom_mask(s.custom_mask, n);
  }
  return no_mask(n, n);
}

}  // namespace attn
