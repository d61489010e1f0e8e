#include "positional.h"

#include <cmath>

#include "rng.h"

namespace attn {

const char* const kPadToken = "<pad>";

RowVec token_embedding(const std::string& token, int d_model, uint64_t seed) {
  RowVec e = RowVec::Zero(d_model);
  if (token == kPadToken) return e;
  Rng rng(stream_seed(seed, "emb:" + token));
  const float a = std::sqrt(3.0f);
  for (int j = 0; j < d_model; ++j) e[j] = rng.uniform(-a, a);
  return e;
}

Mat embed_tokens(const std::vector<std::string>& tokens, int d_model, uint64_t seed) {
  Mat E(int(tokens.size()), d_model);
  for (int i = 0; i < int(tokens.size()); ++i) E.row(i) = token_embedding(tokens[size_t(i)], d_model, seed);
  return E;
}

Mat sinusoidal_pe(int n, int d_model) {
  Mat pe(n, d_model);
  std::vector<double> inv_freq(static_cast<size_t>(d_model));  // 1 / 10000^(2i/d_model), once per dimension
  for (int j = 0; j < d_model; ++j) inv_freq[size_t(j)] = 1.0 / std::pow(10000.0, double(j - (j % 2)) / d_model);
  for (int pos = 0; pos < n; ++pos) {
    for (int j = 0; j < d_model; ++j) {
      const double angle = pos * inv_freq[size_t(j)];
      pe(pos, j) = float(j % 2 == 0 ? std::sin(angle) : std::cos(angle));
    }
  }
  return pe;
}

Mat learned_pe(int n, int d_model, uint64_t seed) {
  Mat pe(n, d_model);
  const float sd = std::sqrt(0.5f);
  for (int pos = 0; pos < n; ++pos) {
    Rng rng(stream_seed(seed, "pe:" + std::to_string(pos)));
    for (int j = 0; j < d_model; ++j) pe(pos, j) = sd * rng.normal();
  }
  return pe;
}

Mat positional_encoding(PEKind kind, int n, int d_model, uint64_t seed) {
  switch (kind) {
    case PEKind::Sinusoidal: return sinusoidal_pe(n, d_model);
    case PEKind::Learned: return learned_pe(n, d_model, seed);
    case PEKind::None: break;
  }
  return Mat::Zero(n, d_model);
}

}  // namespace attn
