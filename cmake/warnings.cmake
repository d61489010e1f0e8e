# attn_project_target(T): our own targets get warnings as errors, sanitizers and CPU flags when asked.
# Third-party headers come in as SYSTEM includes, so their warnings do not stop our build.
function(attn_project_target T)
  target_compile_options(${T} PRIVATE -Wall -Wextra -Werror)
  if(ATTN_NATIVE)
    target_compile_options(${T} PRIVATE -march=native)
  endif()
  if(ATTN_SANITIZE)
    target_compile_options(${T} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${T} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
