// memory_policy.h: keep freed memory mapped. A trace is rebuilt on every keystroke with the same shapes; by
// default glibc returns large freed blocks to the OS and the next rebuild page-faults them back in, which
// costs more than the arithmetic of a small model. Call once at the start of main().
#pragma once

namespace attn {

void keep_freed_memory();

}  // namespace attn
