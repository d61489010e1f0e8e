// positional.h: token embeddings and positional encodings (paper §3.4–3.5).
#pragma once
#include <string>
#include <vector>

#include "mat.h"
#include "settings.h"

namespace attn {

// Token embedding: d_model entries drawn U(−√3, √3) (mean 0, variance 1) from Rng(stream_seed(seed, "emb:" + token)).
// (The paper scales embeddings of variance 1/d_model by √d_model: variance 1, as here. Uniform rather than
// normal because it is several times cheaper, and a trace embeds every token on every keystroke.)
// The padding token "<pad>" embeds to the zero vector, as a padding_idx row would.
RowVec token_embedding(const std::string& token, int d_model, uint64_t seed);
Mat embed_tokens(const std::vector<std::string>& tokens, int d_model, uint64_t seed);  // n × d_model

// PE(pos, 2i) = sin(pos / 10000^(2i/d_model)),  PE(pos, 2i+1) = cos(pos / 10000^(2i/d_model))
Mat sinusoidal_pe(int n, int d_model);  // n × d_model, computed in double, rounded to float
// Learned (here: seeded random, as at initialisation): N(0, 1/2), the per-entry variance of sin/cos.
// Row pos comes from Rng(stream_seed(seed, "pe:" + pos)), so a row does not depend on n.
Mat learned_pe(int n, int d_model, uint64_t seed);
Mat positional_encoding(PEKind kind, int n, int d_model, uint64_t seed);  // zeros for PEKind::None

extern const char* const kPadToken;  // "<pad>"

}  // namespace attn
