# attn_project_target(T): our own targets get warnings as errors, sanitizers and CPU flags when asked.
# Third-party headers come in as SYSTEM includes, so their warnings do not stop our build.
function(attn_project_target T)
  target_compile_options(${T} PRIVATE -Wall -Wextra -Werror)
  if(ATTN_NATIVE AND NOT ATTN_SANITIZE)  # sanitizer builds check correctness; GCC 12 + AVX-512 headers trip -Wuninitialized there
    # GCC 12 reports false "may be used uninitialized" inside its own AVX-512 intrinsics headers through Eigen.
    target_compile_options(${T} PRIVATE -march=native -Wno-maybe-uninitialized)
  endif()
  if(ATTN_FUZZ)  # coverage instrumentation for libFuzzer, and the sanitizers that turn bugs into crashes
    target_compile_options(${T} PRIVATE -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
    target_link_options(${T} PRIVATE -fsanitize=address,undefined)
  endif()
  if(ATTN_SANITIZE OR ATTN_FUZZ)
    # Checked build: libstdc++'s bounds and precondition checks, and assert() / Eigen's eigen_assert (index and
    # shape checks) even in RelWithDebInfo, whose -DNDEBUG comes earlier on the command line.
    target_compile_options(${T} PRIVATE -D_GLIBCXX_ASSERTIONS -UNDEBUG)
  endif()
  if(ATTN_SANITIZE)
    target_compile_options(${T} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${T} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
