#!/usr/bin/env bash
# po_test.sh SOURCE_DIR — every user-facing string of the sources has its Arabic
# translation in locale/ar.po, and the catalogue is well-formed.
set -u
src=${1:?usage: po_test.sh SOURCE_DIR}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1
find model tui importers reports -name '*.[ch]' 2>/dev/null | sort > "$tmp/files"
xgettext --from-code=UTF-8 --language=C --keyword=_ --keyword=N_ --keyword=P_:1,2 -f "$tmp/files" -o "$tmp/dalil.pot" || exit 1
fail=0
# every msgid of the sources is in ar.po
if ! msgcmp --use-untranslated locale/ar.po "$tmp/dalil.pot" 2>"$tmp/cmp"; then
  echo "FAIL: strings missing from locale/ar.po (run scripts/update-po and translate):"
  head -40 "$tmp/cmp"
  fail=1
fi
stats=$(msgfmt -c --statistics -o /dev/null locale/ar.po 2>&1) || { echo "FAIL: msgfmt -c: $stats"; fail=1; }
case "$stats" in
  *untranslated*|*fuzzy*) echo "FAIL: locale/ar.po: $stats"; fail=1 ;;
esac
echo "ar.po: $stats"
if [ $fail -eq 0 ]; then echo "po: 1 passed, 0 failed"; else echo "po: 0 passed, 1 failed"; fi
exit $fail
