#!/usr/bin/env bash
# Build the seed corpora of the fuzz harnesses: text samples, a few tiny
# archives made by bsdtar, hash lists made by md5sum/hashdeep and a bundle made
# by dalil itself. Nothing binary is kept in git; the corpora are rebuilt here.
# Usage: tests/fuzz/seeds.sh OUT_DIR PATH/TO/dalil
# Writes OUT_DIR/{validate,extract,walk,hashset,bundle,unpack}/.
set -euo pipefail
out=${1:?usage: seeds.sh OUT_DIR PATH/TO/dalil}
D=${2:?usage: seeds.sh OUT_DIR PATH/TO/dalil}
export LANGUAGE= LC_ALL=C.UTF-8
for tool in bsdtar md5sum sha1sum iconv; do
  command -v "$tool" >/dev/null || { echo "seeds.sh: $tool is missing" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"/{validate,extract,walk,hashset,bundle,unpack}

# seed DIR NAME BYTES...: one seed file (printf format, so \x.. escapes work).
seed() { local dir=$1 name=$2; shift 2; printf "$@" >"$out/$dir/$name"; }

# validate: the first byte picks the unit's calling code (0 Libya, 1 Egypt,
# 2 Morocco, 3 Tunisia), the rest is the value.
i=0
while IFS= read -r v; do
  seed validate "v$i" "\\x0$((i % 4))%s" "$v"
  i=$((i + 1))
done <<'VALUES'
+218 91 234 5678
0912345678
00218912345678
218912345678
+20 10 1234 5678
01012345678
+212 6 12 34 56 78
216 20 123 456
٠٩١٢٣٤٥٦٧٨
۰۹۱۲۳۴۵۶۷۸
490154203237518
49-015420-323751-8
2024-02-29
1900-01-01
٢٠٢٤-٠٢-٢٩
2024-02-29T23:30+02:00
2024-02-29 10:30:15Z
2199-12-31T23:59:59-14:00
GB82 WEST 1234 5698 7654 32
LY83002048000020100120361
1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2
3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy
bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq
BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4
0x52908400098527886E0F7030069857D2E4169EE7
TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW
310150123456789
8921802000000000015
someone@Example.COM
https://Example.com/path?q=1
2026/TIP/0001
amal.b
VALUES

# extract: byte 0 picks calling code (bits 0-1) and code page CP1252 (bit 2),
# byte 1 seeds the chunk sizes; the rest is the item.
ex() { local name=$1 flags=$2; { printf "\\x$flags\\x2a"; cat; } >"$out/extract/$name"; }
ex chat 00 <<'T'
[12/03/2024, 21:14] أبو عمر: رقمي الجديد +218 91 234 5678 والقديم 0923456789
[12/03/2024, 21:15] Salem: whatsapp 00218945678901, mail salem.z@example.ly
[12/03/2024, 21:16] Salem: IMEI 490154203237518 — IBAN LY83002048000020100120361
T
ex html 00 <<'T'
<p>هاتف: &#x2B;218&#32;91 234 5678 &amp; <a href="https://t.me/abu_omar">t.me/abu_omar</a></p>
<div>BTC 1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2 ETH 0x52908400098527886e0f7030069857d2e4169ee7</div>
T
ex json 01 <<'T'
{"msg":"\u0631\u0642\u0645 01012345678","u":"https:\/\/facebook.com\/someone","tron":"TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW"}
T
ex tunisia 03 <<'T'
tel 20 123 456 ; phone: 71 234 567 ; bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq v1.2.3 2024-02-29 12.50
T
printf 'جوال 0912345678 واتساب +212612345678\n' | iconv -f UTF-8 -t UTF-16LE | ex utf16le 00
printf '\xef\xbb\xbfرقم +20 10 1234 5678\n' | ex bom 01
printf 'رقم الهاتف 0912345678\n' | iconv -f UTF-8 -t CP1256 | ex cp1256 00
printf 'Téléphone 0612345678 Maroc\n' | iconv -f UTF-8 -t CP1252 | ex cp1252 06

# walk: tiny archives of a few members, one of them nested, in the formats
# and filters dalil opens.
mkdir -p "$tmp/src/sub"
printf 'رقم 0912345678\n' >"$tmp/src/note.txt"
printf '{"phone":"+218 91 234 5678"}\n' >"$tmp/src/sub/data.json"
printf '\x00\x01\x02\x03binary' >"$tmp/src/sub/blob.bin"
(cd "$tmp/src" && bsdtar -cf "$tmp/inner.zip" --format zip note.txt)
cp "$tmp/inner.zip" "$tmp/src/sub/inner.zip"
(
  cd "$tmp/src"
  bsdtar -cf "$out/walk/plain.tar" --format ustar note.txt sub
  bsdtar -cf "$out/walk/pax.tar" --format pax note.txt sub
  bsdtar -czf "$out/walk/tar.gz" note.txt sub
  bsdtar -cJf "$out/walk/tar.xz" note.txt
  bsdtar -cf "$out/walk/zip.zip" --format zip note.txt sub
  bsdtar -cf "$out/walk/cpio.cpio" --format newc note.txt sub
  bsdtar -cf "$out/walk/7z.7z" --format 7zip note.txt sub/data.json
)
gzip -c "$tmp/src/note.txt" >"$out/walk/lone.gz"

# hashset: a plain list, md5sum/sha1sum output, hashdeep output, an NSRL CSV.
{
  echo '# known bad, plain list'
  md5sum "$tmp/src/note.txt" | cut -d' ' -f1
  echo
  sha1sum "$tmp/src/note.txt" | cut -d' ' -f1 | tr a-f A-F
  sha256sum "$tmp/src/note.txt" | cut -d' ' -f1
} >"$out/hashset/plain.txt"
(cd "$tmp/src" && md5sum note.txt sub/data.json) >"$out/hashset/md5sum.txt"
(cd "$tmp/src" && sha1sum note.txt sub/blob.bin) >"$out/hashset/sha1sum.txt"
if command -v hashdeep >/dev/null; then
  (cd "$tmp/src" && hashdeep -r .) >"$out/hashset/hashdeep.txt"
fi
cat >"$out/hashset/nsrl.csv" <<'CSV'
"SHA-1","MD5","CRC32","FileName","FileSize","ProductCode","OpSystemCode","SpecialCode"
"0000002D9D62AEBE1E0E9DB6C4C4C7C16A163D2C","1D6EBB5A789ABD108FF578263E1F40F3","FFFFFFFF","_sfx_0024._p",4109,21000,"358",""
"00000142988AFA836117B1B572FAE4713F200567","9B3702B0E788C6D62996392FE3C9786A","05E566DF","J0180794.JPG",32768,18266,"358",""
CSV

# bundle: a small case exported by dalil itself, full and metadata-only.
S=$tmp/store
export DALIL_PASSWORD='correct horse 1' DALIL_KEY_PASSPHRASE='fuzz seed passphrase 1'
at() { "$D" --store "$S" --user chief "$@" >/dev/null; }
"$D" --store "$S" init --admin chief >/dev/null
at keys init --name "Seed unit"
at case add --number 2026/TIP/0001 --title-ar "قضية بذرة" --offence trafficking
at person add --case 2026/TIP/0001 --name-ar "سالم" --role suspect --phone "+218 91 234 5678"
at note add --case 2026/TIP/0001 --text "ملاحظة قصيرة"
at ingest 2026/TIP/0001 "$out/walk/plain.tar"
at export 2026/TIP/0001 -o "$out/bundle/full.dalil"
at export 2026/TIP/0001 -o "$out/bundle/meta.dalil" --metadata-only
# unpack: the manifests themselves; and a full one, "\n\0\n", then an
# incremental one made after a few changes (fuzz_unpack.c)
bsdtar -xOf "$out/bundle/full.dalil" manifest.json >"$out/unpack/full.json"
bsdtar -xOf "$out/bundle/meta.dalil" manifest.json >"$out/unpack/meta.json"
at note add --case 2026/TIP/0001 --text "ملاحظة ثانية"
at person add --case 2026/TIP/0001 --name-ar "فاطمة" --role victim
at case edit 2026/TIP/0001 --title-en "Seed case"
at export 2026/TIP/0001 -o "$tmp/incr.dalil" --since "$(sha256sum <"$out/unpack/full.json" | cut -c1-64)"
{ cat "$out/unpack/full.json"; printf '\n\0\n'; bsdtar -xOf "$tmp/incr.dalil" manifest.json; } >"$out/unpack/full+incremental.json"
echo "seeds in $out: $(find "$out" -type f | wc -l) files"
