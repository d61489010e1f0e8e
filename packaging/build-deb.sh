#!/usr/bin/env bash
# README command 3 (optional): builds the Debian package build-pkg/attention-lab_<version>_amd64.deb and checks it.
# The package is compiled in its own build folder with ATTN_NATIVE=OFF (no -march=native: it runs on any x86-64;
# the matrix products still get wide vectors from OpenBLAS, which picks its kernels at run time).
# Install it with: sudo apt install ./build-pkg/attention-lab_*_amd64.deb   (then: Attention Lab in the menu)
# Extra arguments go to the configure step; BUILD_DIR=... changes the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh file  # file: CPack's dpkg-shlibdeps step needs it
BUILD=${BUILD_DIR:-build-pkg}
fail() { echo "build-deb: $*" >&2; exit 1; }

cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DATTN_NATIVE=OFF -DATTN_BUILD_TESTS=OFF "$@" >/dev/null
cmake --build "$BUILD" -j "$(nproc)" --target attention-lab
# No -march/-mtune=native anywhere: not ours (ATTN_NATIVE, which cpack refuses too), nor from CMAKE_CXX_FLAGS, CXXFLAGS.
! grep -E -e '-m(arch|tune|cpu)=native' "$BUILD/compile_commands.json" >/dev/null ||
  fail "$BUILD/compile_commands.json has -march=native: the package would die with SIGILL on an older CPU"
# And the binary itself uses no AVX register (SSE2 is every x86-64's). A future kernel chosen at run time by CPU
# (target_clones, a second core build) would need this check narrowed to the code outside it.
avx=$(objdump -d --no-show-raw-insn "$BUILD/app/attention-lab" | grep -c -E '%[yz]mm') || true
[ "$avx" = 0 ] || fail "$BUILD/app/attention-lab uses AVX registers ($avx instructions): not every x86-64 has them"
rm -f "$BUILD"/attention-lab_*.deb
(cd "$BUILD" && cpack -G DEB >/dev/null)
debs=("$BUILD"/attention-lab_*_amd64.deb)
[ -f "${debs[0]}" ] || fail "cpack wrote no attention-lab_*_amd64.deb into $BUILD"
deb=${debs[0]}

# The package holds what a desktop needs, and its binary runs from it (unpacked, not installed).
contents=$(dpkg-deb --contents "$deb")
id=$(sed -n 's/^set(ATTN_APP_ID \([^ )]*\)).*/\1/p' cmake/install.cmake)
for f in bin/attention-lab share/applications/$id.desktop share/metainfo/$id.metainfo.xml \
         share/icons/hicolor/scalable/apps/$id.svg share/attention-lab/assets/models/wordnet-lm/config.json \
         share/attention-lab/assets/models/reverse.safetensors; do
  grep -q " ./usr/$f\$" <<<"$contents" || fail "$deb lacks /usr/$f"
done
depends=$(dpkg-deb --field "$deb" Depends)
for lib in libc6 libglfw3 fonts-dejavu-core; do  # computed by dpkg-shlibdeps, or written in cmake/install.cmake
  grep -q "$lib" <<<"$depends" || fail "$deb: Depends lacks $lib (it is: $depends)"
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/root"
(cd "$tmp" && ./root/usr/bin/attention-lab --version) | grep -q "^attention-lab " ||
  fail "the packaged binary does not run"
out=$(cd "$tmp" && ./root/usr/bin/attention-lab generate --model root/usr/share/attention-lab/assets/models/wordnet-lm \
        --prompt "a small" --tokens 8) || fail "the packaged binary cannot run the packaged language model"
echo "build-deb: generate with the packaged model: $out"
dpkg-deb --field "$deb"
echo "build-deb: built $deb ($(du -h "$deb" | cut -f1)); install it with: sudo apt install ./$deb"
