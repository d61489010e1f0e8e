#include "memory_policy.h"

#include <malloc.h>

namespace attn {

void keep_freed_memory() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // blocks below 32 MiB come from the heap, not fresh mmaps
  mallopt(M_TRIM_THRESHOLD, 256 << 20); // and the heap is not trimmed back until 256 MiB lie free
}

}  // namespace attn
