// trace_json.h: the trace as JSON (trace.json), the contract with anyone who checks our numbers.
// Schema: docs/trace-json.md. Matrices are lists of rows; a −∞ cell is the string "-inf".
#pragma once
#include <nlohmann/json.hpp>

#include "trace.h"

namespace attn {

constexpr int kTraceSchemaVersion = 1;

nlohmann::ordered_json config_to_json(const Settings& s);
nlohmann::ordered_json trace_to_json(const Trace& t);
nlohmann::ordered_json matrix_to_json(const Mat& m);

}  // namespace attn
