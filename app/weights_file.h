// weights_file.h: a trained model (core/train.h) as a safetensors file, documented in docs/weights-format.md.
//
//   bytes 0‥8        N, the header's length, unsigned 64-bit little-endian
//   bytes 8‥8+N      the header: UTF-8 JSON, padded with spaces so the data starts at a multiple of 8
//   bytes 8+N‥end    the data: every tensor as little-endian float32, row-major, back to back in the order of
//                    attn::parameters(Model&), with no gaps
//
// Header: one entry per parameter, named as parameters() names it,
//   "enc0.W_q": {"dtype": "F32", "shape": [rows, cols], "data_offsets": [begin, end]}
// (a row vector is [1, cols], as in parameters(); offsets are bytes from the start of the data), and
// "__metadata__", a string → string map: format "attention-lab-weights", version "1", the TrainConfig, the model's
// name, steps taken, held-out metrics, the vocabulary (a JSON array in a string) and CRC-32 checksums, one per
// tensor ("crc32:<tensor>") and one over the whole data section ("crc32").
//
// Loading checks everything before it changes anything: a bad file is refused with one sentence naming the
// problem, and *out is left as it was. Saving goes through write_file_atomic (all or nothing).
#pragma once
#include <string>

#include "train.h"

namespace attn {

constexpr const char* kWeightsFormat = "attention-lab-weights";
constexpr int kWeightsVersion = 1;
constexpr const char* kWeightsExtension = ".safetensors";

// "reverse-8x10": task, length × vocab.
std::string default_model_name(const TrainConfig& c);

// The file's bytes. Refuses (returns the reason, leaves *bytes alone) a model whose config does not validate, whose
// shapes or vocabulary are not those init_task_model(config) makes, or whose weights are not all finite: such a
// file could not be loaded back.
std::string weights_to_bytes(const TrainedModel& m, std::string* bytes);
// Parses a whole file's bytes. Returns "" and fills *out, or the reason (one sentence) and leaves *out untouched.
std::string weights_from_bytes(const std::string& bytes, TrainedModel* out);

// Returns "" or the reason; on failure nothing is written. The reasons of load_weights start with the path.
std::string save_weights(const std::string& path, const TrainedModel& m);
std::string load_weights(const std::string& path, TrainedModel* out);

}  // namespace attn
