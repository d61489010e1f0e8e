// monkey.h: seeded random UI scripts that type what a careless or curious user would into every control.
//
// The monkey test (tests/monkey_test.cpp, ctest "monkey") runs `attention-lab --monkey SEED --monkey-actions N`: the
// app generates N actions from the seed (every setting of both settings tables at random and edge values, typed as
// numbers or as text; tab switches, pinned cells, heads switched off, random and malformed Unicode, pastes of up to
// 100,000 characters, models selected, training started and reset, files saved and loaded, lessons opened, stepped,
// answered and left) and runs them one per frame, as an interactive session would: heavy recomputes go to the background. It fails (exit 3, with the seed and
// the action) when a frame takes longer than 5 s or the process grows past the memory cap; a crash or an abort fails
// the test by itself, and `--monkey-log FILE` names the action that was running.
#pragma once
#include <nlohmann/json.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "settings.h"

namespace attn {

// `count` actions from `seed`; `models` are the loaded models' names (selected at random, with "random").
std::vector<nlohmann::json> monkey_actions(uint64_t seed, int count, const std::vector<std::string>& models);

// One line for logs and failure messages: the action as JSON, at most `max_chars` characters (pastes are long).
std::string monkey_describe(const nlohmann::json& action, size_t max_chars = 160);

// This process's resident memory in bytes (from /proc/self/statm; 0 when unknown).
double resident_bytes();

constexpr double kMonkeyMaxFrameSeconds = 5.0;
// The process's memory cap: the trace budget twice (the traces on screen and the ones being computed in the
// background) plus 1 GB for fonts, textures and code. A sanitizer build (shadow memory, quarantine) gets twice that.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kMonkeyMemoryCap = 2 * (2 * kMaxModelBytes + 1e9);
#else
constexpr double kMonkeyMemoryCap = 2 * kMaxModelBytes + 1e9;
#endif

}  // namespace attn
