# Read by cpack before it packages (CPACK_PROJECT_CONFIG_FILE): a package must run on any x86-64 machine, so a build
# compiled with -march=native (it dies with SIGILL on an older CPU), or with sanitizers, is refused.
if(CPACK_ATTN_NATIVE)
  message(FATAL_ERROR "this build has ATTN_NATIVE=ON (-march=native): a package needs a portable build. "
                      "Use packaging/build-deb.sh, or configure with -DATTN_NATIVE=OFF")
endif()
if(CPACK_ATTN_SANITIZE OR CPACK_ATTN_FUZZ)
  message(FATAL_ERROR "this build has ATTN_SANITIZE or ATTN_FUZZ on: package a Release build (packaging/build-deb.sh)")
endif()
