// rng.h: a portable, documented random source, so weights and embeddings are identical on every
// machine and compiler (std::hash and <random>'s distributions are implementation-defined).
//   hash:      FNV-1a 64-bit over the UTF-8 bytes.
//   generator: SplitMix64 (Steele, Lea, Flood 2014); uniform = top 24 bits / 2^24 (exact in float);
//              normal = Box–Muller on two uniforms (double precision, then rounded to float).
#pragma once
#include <cstdint>
#include <string_view>

namespace attn {

uint64_t fnv1a64(std::string_view bytes);
uint64_t splitmix64_mix(uint64_t x);  // the SplitMix64 output function, a good 64-bit mixer

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next_u64();
  float uniform();                     // [0, 1)
  float uniform(float lo, float hi);   // [lo, hi)
  float normal();                      // N(0, 1)
 private:
  uint64_t state_;
};

// Seed for an independent stream: mixes a base seed with a stream label ("W_q/layer0", a token, ...).
uint64_t stream_seed(uint64_t seed, std::string_view label);

}  // namespace attn
