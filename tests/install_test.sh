#!/usr/bin/env bash
# ctest "install": `cmake --install` of this build into a temporary prefix puts the binary, the assets, the desktop
# entry, its icon and the AppStream metainfo where a desktop looks for them (both files valid), and the installed
# binary, started from a folder with no source tree, loads the models installed beside it, not the source tree's.
# Usage: install_test.sh SOURCE_DIR BUILD_DIR APP_ID [CMAKE]
set -euo pipefail
src=$1 build=$2 id=$3 cmake=${4:-cmake}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install test: $*" >&2; exit 1; }

prefix=$tmp/prefix  # any prefix: the binary finds its assets from its own location
"$cmake" --install "$build" --prefix "$prefix" >/dev/null
for f in bin/attention-lab share/applications/$id.desktop share/metainfo/$id.metainfo.xml \
         share/icons/hicolor/scalable/apps/$id.svg share/attention-lab/assets/models/wordnet-lm/config.json \
         share/attention-lab/assets/models/reverse.safetensors; do
  [ -f "$prefix/$f" ] || fail "cmake --install did not install $f"
done
[ -x "$prefix/bin/attention-lab" ] || fail "bin/attention-lab is not executable"
diff -r "$src/assets" "$prefix/share/attention-lab/assets" >/dev/null ||
  fail "share/attention-lab/assets is not a copy of the source tree's assets/ (diff -r differs)"
desktop=$prefix/share/applications/$id.desktop
desktop-file-validate "$desktop" || fail "desktop-file-validate rejects $id.desktop"
grep -qx "Exec=attention-lab" "$desktop" && grep -qx "Icon=$id" "$desktop" || fail "$id.desktop: wrong Exec or Icon"
appstreamcli validate --no-net --pedantic "$prefix/share/metainfo/$id.metainfo.xml" >"$tmp/appstream.txt" ||
  { cat "$tmp/appstream.txt" >&2; fail "appstreamcli rejects $id.metainfo.xml"; }
grep -q "<launchable type=\"desktop-id\">$id.desktop</launchable>" "$prefix/share/metainfo/$id.metainfo.xml" ||
  fail "the metainfo does not launch $id.desktop"

# Run from an empty folder with a fresh home: a first start selects the language model (wordnet-lm), and the task
# models load too.
mkdir -p "$tmp/cwd" "$tmp/home"
run() {  # run SCRIPT_JSON: the installed app under Xvfb with that UI script; its output in $tmp/out.txt
  echo "$1" >"$tmp/script.json"
  (cd "$tmp/cwd" && env -u ATTN_MODELS_DIR HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home/.config" \
     bash "$here/with_xvfb.sh" "$prefix/bin/attention-lab" --size 800x600 --no-mouse --config-dir "$tmp/cfg" \
     --io-dir "$tmp/io" --script "$tmp/script.json") >"$tmp/out.txt" 2>&1
}
run '[{"expect": {"model": "wordnet-lm"}}, {"model": "reverse-8x10"}, {"expect": {"model": "reverse-8x10"}}]' ||
  { cat "$tmp/out.txt" >&2; fail "the installed app did not load the installed models"; }
# Without the installed reverse.safetensors the model is gone, although the source tree still has it: the
# installed binary reads its own share/attention-lab/assets.
rm "$prefix/share/attention-lab/assets/models/reverse.safetensors"
rm -rf "$tmp/cfg"
if run '[{"expect": {"model": "wordnet-lm"}}, {"model": "reverse-8x10"}]'; then
  fail "reverse.safetensors removed from the install, the installed app still found reverse-8x10: not its own assets"
fi
grep -q "script action 1" "$tmp/out.txt" || { cat "$tmp/out.txt" >&2; fail "expected action 1 (reverse-8x10) to fail"; }
[ -z "$(ls -A "$tmp/cwd")" ] || fail "the app wrote into its working folder: $(ls -A "$tmp/cwd")"
echo "install test: $prefix holds a valid desktop entry, icon, metainfo and the assets; the installed app loads them"
