// atomic_file.h: write a whole file so that readers see the old file or the new one, never half of it:
// write a temporary file in the same folder, flush it to disk, then rename it over the target.
#pragma once
#include <functional>
#include <iosfwd>
#include <string>

namespace attn {

// Returns "" on success, else a message naming the path and the reason; on failure nothing is left behind.
std::string write_file_atomic(const std::string& path, const std::string& bytes);
// The same, with the bytes written by `fill` to a stream as they are made (files too large to build in memory).
std::string write_file_atomic_stream(const std::string& path, const std::function<void(std::ostream&)>& fill);

}  // namespace attn
