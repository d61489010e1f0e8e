#include "rng.h"

#include <cmath>

namespace attn {

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV offset basis
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ull;  // FNV prime
  }
  return h;
}

uint64_t splitmix64_mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

uint64_t Rng::next_u64() {
  state_ += 0x9e3779b97f4a7c15ull;
  return splitmix64_mix(state_);
}

float Rng::uniform() { return float(next_u64() >> 40) * (1.0f / 16777216.0f); }

float Rng::uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }

float Rng::normal() {
  // Box–Muller; u1 in (0, 1] so log(u1) is finite.
  const double u1 = (double(next_u64() >> 11) + 1.0) * (1.0 / 9007199254740992.0);
  const double u2 = double(next_u64() >> 11) * (1.0 / 9007199254740992.0);
  return float(std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
}

uint64_t stream_seed(uint64_t seed, std::string_view label) {
  return splitmix64_mix(splitmix64_mix(seed) ^ fnv1a64(label));
}

}  // namespace attn
