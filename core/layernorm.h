// layernorm.h: Layer Normalization and, for comparison, Batch Normalization over a padded batch.
//
//   LayerNorm(x) = γ ⊙ (x − μ) / √(σ² + ε) + β,  μ, σ² over the d_model features of ONE token (biased variance)
//   BatchNorm(x) = (x − μ_f) / √(σ_f² + ε),      μ_f, σ_f² of feature f over every token of EVERY sentence
#pragma once
#include <vector>

#include "mat.h"

namespace attn {

Mat layer_norm(const MatRef& x, const RowVecRef& gamma, const RowVecRef& beta, float eps);

struct BatchNormResult {
  std::vector<Mat> y;  // one per sentence, same shapes as the inputs
  RowVec mean, var;    // per-feature statistics that were used
};
// xs: sentences padded to the same length; valid_len[b]: real tokens of sentence b (the rest is padding).
// count_padding = true reproduces the naive batch statistic that padding pollutes.
BatchNormResult batch_norm(const std::vector<Mat>& xs, const std::vector<int>& valid_len, bool count_padding,
                           float eps);

}  // namespace attn
