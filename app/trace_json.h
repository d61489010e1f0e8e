// trace_json.h: the trace as JSON (trace.json), the contract with anyone who checks our numbers.
// Schema: docs/trace-json.md. Matrices are lists of rows; a −∞ cell is the string "-inf".
#pragma once
#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>
#include <string>

#include "trace.h"

namespace attn {

constexpr int kTraceSchemaVersion = 1;

nlohmann::ordered_json config_to_json(const Settings& s);
nlohmann::ordered_json model_to_json(const Model& m);  // name, file and SHA-256 of a checkpoint, its ModelConfig
constexpr int kTraceJsonMaxLogitColumns = 1000;        // wider logits (a GPT-2 vocabulary) are written as predictions
// Writes trace.json to `out` as it goes (no copy of the trace is built in memory); `progress` hears "layer 2 of 6"
// before each layer. Returns how many numbers were written.
double write_trace_json(const Trace& t, std::ostream& out,
                        const std::function<void(const std::string&)>& progress = nullptr);
// How many numbers write_trace_json would write (walks the trace without formatting them): ~11 bytes each.
double trace_json_numbers(const Trace& t);
constexpr double kTraceJsonBytesPerNumber = 11.5;
// The same as a JSON value (small traces: tests).
nlohmann::ordered_json trace_to_json(const Trace& t);

}  // namespace attn
