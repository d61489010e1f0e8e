// atomic_file.h: write a whole file so that readers see the old file or the new one, never half of it:
// write a temporary file in the same folder, flush it to disk, then rename it over the target.
#pragma once
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>

namespace attn {

// Returns "" on success, else a message naming the path and the reason; on failure nothing is left behind.
std::string write_file_atomic(const std::string& path, const std::string& bytes);
// The same, with the bytes written by `fill` to a stream as they are made (files too large to build in memory).
std::string write_file_atomic_stream(const std::string& path, const std::function<void(std::ostream&)>& fill);

// Reads a whole file of at most max_bytes into *out. Returns "" or the reason without the path ("cannot read it",
// "it is larger than 16 MB"), for the caller to put after its own words; *out untouched on failure.
std::string read_file_limited(const std::string& path, uintmax_t max_bytes, std::string* out);

}  // namespace attn
