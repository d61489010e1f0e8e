// atomic_file.h: write a whole file so that readers see the old file or the new one, never half of it:
// write a temporary file in the same folder, flush it to disk, then rename it over the target.
#pragma once
#include <string>

namespace attn {

// Returns "" on success, else a message naming the path and the reason; on failure nothing is left behind.
std::string write_file_atomic(const std::string& path, const std::string& bytes);

}  // namespace attn
