#!/usr/bin/env bash
# Fails when a string marked for translation in the sources is missing, untranslated or fuzzy in a po/<lang>.po, when
# a translation's printf conversions differ from its msgid's, when po/attention-lab.pot is out of date, or when a
# source that marks strings is not listed in po/POTFILES.in. Usage: check_translations.sh SOURCE_DIR
set -euo pipefail
src="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
status=0
# The same extraction as the i18n-update target (po/CMakeLists.txt).
xgettext --language=C++ --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=P_:1,2 --package-name=attention-lab \
  --no-wrap --add-location=file --directory="$src" --files-from="$src/po/POTFILES.in" -o "$tmp/fresh.pot"
# Sources that mark strings but are not in POTFILES.in: their strings would never reach a translator.
(cd "$src" && grep -lE '^[^/]*([^A-Za-z0-9_])(N_|_|P_)\("' -r app ui core --include='*.cpp' --include='*.h') | sort > "$tmp/marking"
grep -v '^#' "$src/po/POTFILES.in" | sed '/^$/d' | sort > "$tmp/listed"
# i18n.h and translate.h only define the macros.
if unlisted=$(comm -23 "$tmp/marking" "$tmp/listed" | grep -vE "^(ui/i18n|core/translate)\.h$"); [ -n "$unlisted" ]; then
  echo "marked strings in sources missing from po/POTFILES.in:"; echo "$unlisted"; status=1
fi
# The committed template holds exactly the sources' msgids (msgcmp both ways; --use-untranslated: a .pot has no msgstr).
if ! msgcmp --use-untranslated "$src/po/attention-lab.pot" "$tmp/fresh.pot" 2>"$tmp/cmp1" ||
   ! msgcmp --use-untranslated "$tmp/fresh.pot" "$src/po/attention-lab.pot" 2>"$tmp/cmp2"; then
  echo "po/attention-lab.pot is out of date: run ninja -C build i18n-update"; head -20 "$tmp/cmp1" "$tmp/cmp2"; status=1
fi
for po in "$src"/po/*.po; do
  lang="$(basename "$po" .po)"
  # Every msgid of the sources translated (msgcmp fails on a missing or untranslated one; fuzzy counts as untranslated).
  if ! msgcmp "$po" "$tmp/fresh.pot" 2>"$tmp/cmp"; then
    echo "$lang: strings of the sources not translated:"; grep -c 'this message' "$tmp/cmp" || true; head -30 "$tmp/cmp"; status=1
  fi
  # --check: c-format conversions equal the msgid's, the header is complete. --statistics: no fuzzy, no untranslated.
  if ! stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1); then
    echo "$lang: msgfmt --check failed:"; echo "$stats"; status=1
  fi
  echo "$lang: $stats"
  if grep -qE 'untranslated|fuzzy' <<<"$stats"; then echo "$lang: untranslated or fuzzy strings"; status=1; fi
done
exit $status
