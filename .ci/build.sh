#!/usr/bin/env bash
# Configures (once) and builds the Release tree in ./build; incremental afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
BUILD=${BUILD_DIR:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
fi
cmake --build "$BUILD" -j "$(nproc)"
