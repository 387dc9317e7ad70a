#!/usr/bin/env bash
# bundle_test.sh DALIL — signed case bundles between units, end to end: three
# stores (Tripoli sends, Benghazi receives, Misrata is a stranger); keys made
# and exchanged; a case with an Arabic title, persons, a device, custody and an
# ingested tar exported and verified on the receiving store; one flipped byte
# in an object or in the manifest, a bundle signed by an untrusted unit, and
# hostile tars (../ names, symlinks, duplicates, a huge manifest) refused with
# exit 1 naming what, never a file written; --metadata-only holds no objects.
set -u
D=${1:?usage: bundle_test.sh PATH/TO/dalil}
export LANGUAGE= LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; [ -s "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err" | head -20; }
run() {
  local want=$1 desc=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$desc: exit $got, expected $want"; fi
}
err_has() { if grep -q -- "$1" "$tmp/err"; then ok; else bad "stderr lacks '$1'"; fi; }
out_has() { if grep -q -- "$1" "$tmp/out"; then ok; else bad "stdout lacks '$1'"; sed 's/^/  stdout: /' "$tmp/out" | head -20; fi; }
same()    { if [ "$1" = "$2" ]; then ok; else bad "$3: got '$1', expected '$2'"; fi; }

for tool in bsdtar jq sha256sum python3; do
  command -v "$tool" >/dev/null || { echo "bundle_test: $tool is missing"; exit 1; }
done

export DALIL_PASSWORD='correct horse 1'
TRI=$tmp/tripoli BEN=$tmp/benghazi MIS=$tmp/misrata
# at UNIT ARGS...: dalil on that unit's store as its administrator
at() { local s=$1; shift; "$D" --store "$s" --user chief "$@"; }
for s in "$TRI" "$BEN" "$MIS"; do
  run 0 "init $s" "$D" --store "$s" init --admin chief
done
run 0 "unit name" at "$TRI" settings set unit_name_ar "وحدة مكافحة الاتجار بالبشر - طرابلس"
run 0 "unit name" at "$TRI" settings set unit_name_en "Tripoli anti-trafficking unit"

# --- keys -----------------------------------------------------------------
export DALIL_KEY_PASSPHRASE='طرابلس سر 2026'
run 0 "keys init tripoli" at "$TRI" keys init
out_has "fingerprint: [0-9A-F]\{4\} "
run 2 "second keys init refused" at "$TRI" keys init
err_has "already has a signing key"
export DALIL_KEY_PASSPHRASE='benghazi secret 1'
run 0 "keys init benghazi" at "$BEN" keys init --name "Benghazi unit"
export DALIL_KEY_PASSPHRASE='misrata secret 1'
run 0 "keys init misrata" at "$MIS" keys init --name "Misrata unit"
run 0 "init other" "$D" --store "$tmp/other" init --admin chief
run 2 "short passphrase refused" env DALIL_KEY_PASSPHRASE=short "$D" --store "$tmp/other" --user chief keys init
err_has "passphrase"

run 0 "keys export tripoli" at "$TRI" keys export
cp "$tmp/out" "$tmp/tripoli.key"
out_has "^dalil-unit-key 1$"
out_has "^unit: Tripoli anti-trafficking unit$"
FPR_TRI=$(sed -n 's/^fingerprint: //p' "$tmp/tripoli.key")
run 0 "keys export benghazi" at "$BEN" keys export
cp "$tmp/out" "$tmp/benghazi.key"
run 0 "keys export misrata" at "$MIS" keys export
cp "$tmp/out" "$tmp/misrata.key"

run 0 "benghazi trusts tripoli" at "$BEN" keys trust "$tmp/tripoli.key" --name "Tripoli TIP"
out_has "$FPR_TRI"
run 0 "tripoli trusts benghazi" at "$TRI" keys trust "$tmp/benghazi.key" --name "Benghazi"
run 2 "trusted twice" at "$BEN" keys trust "$tmp/tripoli.key" --name "again"
run 2 "own key" at "$BEN" keys trust "$tmp/benghazi.key" --name "self"
# one digit of the key changed: its fingerprint no longer matches (or it is no
# curve point at all); a changed fingerprint line is caught the same way
sed 's/^ed25519: \(.\)/ed25519: X\1/; s/^ed25519: X0/ed25519: 1/; s/^ed25519: X./ed25519: 0/' \
  "$tmp/tripoli.key" >"$tmp/edited.key"
run 2 "edited key refused" at "$BEN" keys trust "$tmp/edited.key" --name "edited"
err_has "does not match its key\|not an Ed25519 public key"
sed 's/^fingerprint: ./fingerprint: X/' "$tmp/tripoli.key" >"$tmp/edited.key"
run 2 "edited fingerprint refused" at "$BEN" keys trust "$tmp/edited.key" --name "edited"
err_has "fingerprint in the file does not match"
printf 'dalil-unit-key 1\ned25519: 1234\n' >"$tmp/short.key"
run 2 "malformed key refused" at "$BEN" keys trust "$tmp/short.key" --name "short"
err_has "64 hexadecimal"
run 0 "keys list" at "$BEN" --json keys list
same "$(jq -r 'map(.name) | join(",")' "$tmp/out")" "Benghazi unit,Tripoli TIP" "keys list"

# --- a case at Tripoli ----------------------------------------------------
C=2026/TIP/0042
TITLE='شبكة الاتجار بالبشر عبر الحدود الجنوبية'
NAME='سالم عمر الزوي'
run 0 "user inv" at "$TRI" user add amal --role investigator --password-file <(echo 'amal-password-1')
run 0 "case" at "$TRI" case add --number $C --title-ar "$TITLE" --title-en "Southern border ring" \
  --offence trafficking,smuggling --lead amal
run 0 "person 1" at "$TRI" person add --case $C --name-ar "$NAME" --name-lat "Salem Omar al-Zawi" \
  --role suspect --network-role organiser --alias "أبو عمر" --alias "Abu Omar" \
  --document passport:LY1234567:LY --phone "+218 91 234 5678"
run 0 "person 2" at "$TRI" --json person add --case $C --name-ar "فاطمة" --role victim --nationality NG
PID=$(jq -r .id "$tmp/out")
run 0 "device" at "$TRI" --json device add --case $C --type phone --make Samsung --model A12 \
  --imei 490154203237518 --owner "$PID" --seal "ختم-77" --seized-place "سبها"
DEV=$(jq -r .id "$tmp/out")
run 0 "custody seized" at "$TRI" custody add --case $C --subject device:$DEV --event seized \
  --place "سبها" --seal "ختم-77"
run 0 "note" at "$TRI" note add --case $C --text "ملاحظة: المشتبه به يستخدم رقمين"
mkdir -p "$tmp/ext/chats"
printf 'رسالة: الرحلة غداً من سبها\n' >"$tmp/ext/chats/whatsapp.txt"
head -c 300000 /dev/urandom >"$tmp/ext/photo.jpg"
printf 'contacts\n+218912345678\n' >"$tmp/ext/contacts.csv"
# enough members that the manifest passes 64 KiB (libgcrypt's S-expression limit)
mkdir -p "$tmp/ext/sms"
for i in $(seq 1 150); do printf 'sms %d\n' "$i" >"$tmp/ext/sms/$i.txt"; done
bsdtar -cf "$tmp/extraction.tar" -C "$tmp/ext" .
run 0 "ingest" at "$TRI" --json ingest $C "$tmp/extraction.tar" --device "$DEV"
SRC_SHA=$(sha256sum "$tmp/extraction.tar" | cut -d' ' -f1)
# a huge extraction referenced where it lies: listed in the bundle, not carried
mkdir -p "$tmp/inplace" && printf 'sms log\n' >"$tmp/inplace/sms.txt"
bsdtar -cf "$tmp/inplace.tar" -C "$tmp/inplace" .
run 0 "ingest in place" at "$TRI" ingest $C "$tmp/inplace.tar" --in-place
INPLACE_SHA=$(sha256sum "$tmp/inplace.tar" | cut -d' ' -f1)
# a folder: each of its files is kept as its own object
mkdir -p "$tmp/folder" && printf 'بيان بنكي\n' >"$tmp/folder/bank.txt"
run 0 "ingest folder" at "$TRI" ingest $C "$tmp/folder"
FOLDER_FILE_SHA=$(sha256sum "$tmp/folder/bank.txt" | cut -d' ' -f1)
ITEM=$(at "$TRI" --json items $C | jq -r '[.[] | select(.path | endswith("whatsapp.txt"))][0].id')
# extracting an item caches it: a member object travels too
run 0 "item export" at "$TRI" item export "$ITEM" -o "$tmp/whatsapp.out"
MEMBER_SHA=$(sha256sum "$tmp/ext/chats/whatsapp.txt" | cut -d' ' -f1)

# --- export ---------------------------------------------------------------
export DALIL_KEY_PASSPHRASE='طرابلس سر 2026'
B=$tmp/case.bundle
run 3 "investigator may not export" "$D" --store "$TRI" --user amal --password-file <(echo 'amal-password-1') \
  export $C -o "$B"
[ ! -e "$B" ] && ok || bad "a refused export left a file"
run 3 "wrong passphrase" env DALIL_KEY_PASSPHRASE=wrong-passphrase "$D" --store "$TRI" --user chief export $C -o "$B"
err_has "wrong passphrase"
[ ! -e "$B" ] && ok || bad "a refused export left a file"
run 2 "no passphrase, no terminal" env -u DALIL_KEY_PASSPHRASE setsid -w \
  "$D" --store "$TRI" --user chief export $C -o "$B" </dev/null
err_has "set DALIL_KEY_PASSPHRASE"
run 0 "export" at "$TRI" --json export $C -o "$B"
BSHA=$(jq -r .sha256 "$tmp/out")
same "$(jq -r .objects "$tmp/out")" 3 "objects in the bundle (source, cached member, folder file)"
same "$(sha256sum "$B" | cut -d' ' -f1)" "$BSHA" "bundle SHA-256"
same "$(stat -c %a "$B")" 600 "bundle mode"
run 2 "no overwrite" at "$TRI" export $C -o "$B"
err_has "does not overwrite"
ls "$tmp" | grep -q 'tmp-' && bad "temporary file left" || ok
run 0 "audit entry" at "$TRI" --json audit list
same "$(jq -r "[.[] | select(.action == \"bundle_export\")][0].data.sha256" "$tmp/out")" "$BSHA" "audit entry's SHA-256"

# the tar as any tool sees it
bsdtar -tf "$B" >"$tmp/members"
same "$(head -2 "$tmp/members" | tr '\n' ' ')" "manifest.json manifest.sig " "member order"
grep -qx "objects/$SRC_SHA" "$tmp/members" && ok || bad "source object missing"
grep -qx "objects/$MEMBER_SHA" "$tmp/members" && ok || bad "member object missing"
grep -qx "objects/$FOLDER_FILE_SHA" "$tmp/members" && ok || bad "folder file object missing"
mkdir "$tmp/x" && bsdtar -xf "$B" -C "$tmp/x"
M=$tmp/x/manifest.json
[ "$(stat -c %s "$M")" -gt 65536 ] && ok || bad "manifest under 64 KiB: the large-manifest path is not tested"
same "$(jq -r .records.cases[0].title_ar "$M")" "$TITLE" "Arabic title in the manifest"
same "$(jq -r '.records.persons | map(.name_ar) | index("'"$NAME"'") != null' "$M")" true "person in the manifest"
same "$(jq -r '.records.person_aliases | length' "$M")" 2 "aliases"
same "$(jq -r '.records.custody_events | map(.event) | index("seized") != null' "$M")" true "custody"
same "$(jq -r '.records.devices[0].seal_number' "$M")" "ختم-77" "device seal"
same "$(jq -r '.records.evidence_sources[0].sha256' "$M")" "$SRC_SHA" "source hash"
same "$(jq -r '.objects[] | select(.sha256 == "'"$INPLACE_SHA"'") | [.in_bundle, .reason] | join(" ")' "$M")" \
  "false in_place" "in-place source listed, not carried"
grep -qx "objects/$INPLACE_SHA" "$tmp/members" && bad "in-place source carried" || ok
same "$(jq -r '.unit.name_ar' "$M")" "وحدة مكافحة الاتجار بالبشر - طرابلس" "unit name"
same "$(jq -r '[.users[] | has("password_hash")] | any' "$M")" false "no password hashes"
[ "$(jq -r '.audit | length' "$M")" -gt 5 ] && ok || bad "audit entries in the manifest"
grep -q '\\u06' "$M" && bad "Arabic escaped in the manifest" || ok

# --- verify on the receiving store ----------------------------------------
run 0 "verify at benghazi" at "$BEN" bundle verify "$B"
out_has "signed by: *Tripoli TIP"
out_has "$FPR_TRI"
out_has "$C"
out_has "3 of 3 verified (5 listed, 1 kept in place at the sender)"
run 0 "verify --json" at "$BEN" --json bundle verify "$B"
same "$(jq -r '[.ok, .signer, .case_number, .objects_verified, .sha256] | join(" ")' "$tmp/out")" \
  "true Tripoli TIP $C 3 $BSHA" "verify JSON"
run 0 "verify at tripoli (own key)" at "$TRI" bundle verify "$B"

# a stranger: Misrata does not trust Tripoli
run 1 "untrusted at misrata" at "$MIS" bundle verify "$B"
err_has "signed by an untrusted key $FPR_TRI"

# flip one byte of an object, then of the manifest (same length, tar intact)
flip() {  # flip SRC DST MEMBER: DST is SRC with one byte of MEMBER's data changed
  python3 - "$1" "$2" "$3" <<'EOF'
import sys, tarfile
src, dst, member = sys.argv[1:]
with tarfile.open(src) as t:
    off = t.getmember(member).offset_data
data = bytearray(open(src, 'rb').read())
data[off + 20] ^= 0x01
open(dst, 'wb').write(data)
EOF
}
flip "$B" "$tmp/obj.bundle" "objects/$SRC_SHA"
run 1 "flipped object" at "$BEN" bundle verify "$tmp/obj.bundle"
err_has "object $SRC_SHA: SHA-256 differs"
flip "$B" "$tmp/man.bundle" manifest.json
run 1 "flipped manifest" at "$BEN" bundle verify "$tmp/man.bundle"
err_has "manifest: signature does not verify"

# Misrata signs a bundle of its own: Benghazi does not know Misrata
run 0 "misrata case" at "$MIS" case add --number 2026/TIP/0900 --title-ar "قضية مصراتة" --offence trafficking
export DALIL_KEY_PASSPHRASE='misrata secret 1'
run 0 "misrata export" at "$MIS" export 2026/TIP/0900 -o "$tmp/misrata.bundle"
FPR_MIS=$(sed -n 's/^fingerprint: //p' "$tmp/misrata.key")
run 1 "untrusted signer" at "$BEN" bundle verify "$tmp/misrata.bundle"
err_has "signed by an untrusted key $FPR_MIS"

# Misrata re-signs Tripoli's manifest with its key and claims to be Tripoli
python3 - "$B" "$tmp/x" "$tmp/misrata.bundle" "$tmp/swap.bundle" <<'EOF'
import sys, tarfile, io
good, x, mis, out = sys.argv[1:]
with tarfile.open(mis) as t:
    missig = t.extractfile('manifest.sig').read()
with tarfile.open(good) as t, tarfile.open(out, 'w', format=tarfile.PAX_FORMAT) as o:
    for m in t.getmembers():
        data = t.extractfile(m).read()
        if m.name == 'manifest.sig':
            data = missig
        m.size = len(data)
        o.addfile(m, io.BytesIO(data))
EOF
run 1 "signature of another unit" at "$BEN" bundle verify "$tmp/swap.bundle"
err_has "untrusted key $FPR_MIS"

# --- metadata only --------------------------------------------------------
export DALIL_KEY_PASSPHRASE='طرابلس سر 2026'
run 0 "export --metadata-only" at "$TRI" --json export $C -o "$tmp/meta.bundle" --metadata-only
same "$(jq -r .objects "$tmp/out")" 0 "no objects carried"
same "$(bsdtar -tf "$tmp/meta.bundle" | tr '\n' ' ')" "manifest.json manifest.sig " "metadata-only members"
run 0 "verify metadata-only" at "$BEN" --json bundle verify "$tmp/meta.bundle"
same "$(jq -r '[.ok, .metadata_only, .objects_expected, .objects_listed] | join(" ")' "$tmp/out")" \
  "true true 0 5" "metadata-only verify"

# --- hostile tars ---------------------------------------------------------
# each refused with exit 1 and a reason, and nothing written anywhere
mkdir -p "$tmp/h" && cp "$tmp/x/manifest.json" "$tmp/x/manifest.sig" "$tmp/h/"
cd "$tmp/h" || exit 1
before=$(find "$tmp" -newer "$tmp/h/manifest.sig" -type f | wc -l)
python3 - "$tmp" <<'EOF'
import sys, tarfile, io
tmp = sys.argv[1]
m = open(tmp + '/h/manifest.json', 'rb').read()
s = open(tmp + '/h/manifest.sig', 'rb').read()
def mk(name, members):
    with tarfile.open(tmp + '/' + name, 'w', format=tarfile.PAX_FORMAT) as t:
        for n, data, kind in members:
            i = tarfile.TarInfo(n)
            if kind == 'sym':
                i.type = tarfile.SYMTYPE; i.linkname = '/etc/passwd'
                t.addfile(i)
            elif kind == 'hard':
                i.type = tarfile.LNKTYPE; i.linkname = 'manifest.json'
                t.addfile(i)
            else:
                i.size = len(data); t.addfile(i, io.BytesIO(data))
mk('evil-name.tar', [('manifest.json', m, 'f'), ('manifest.sig', s, 'f'), ('../../etc/evil', b'x', 'f')])
mk('evil-obj.tar', [('manifest.json', m, 'f'), ('manifest.sig', s, 'f'), ('objects/../../evil', b'x', 'f')])
mk('symlink.tar', [('manifest.json', m, 'f'), ('manifest.sig', s, 'f'), ('objects/' + 'a' * 64, None, 'sym')])
mk('hardlink.tar', [('manifest.json', m, 'f'), ('manifest.sig', s, 'hard')])
mk('dup-manifest.tar', [('manifest.json', m, 'f'), ('manifest.json', m, 'f'), ('manifest.sig', s, 'f')])
mk('order.tar', [('manifest.sig', s, 'f'), ('manifest.json', m, 'f')])
mk('extra.tar', [('manifest.json', m, 'f'), ('manifest.sig', s, 'f'), ('objects/' + 'b' * 64, b'extra', 'f')])
# a header claiming a 300 MiB manifest, then nothing: refused before any read
i = tarfile.TarInfo('manifest.json'); i.size = 300 << 20
hdr = i.tobuf(format=tarfile.USTAR_FORMAT)
open(tmp + '/huge.tar', 'wb').write(hdr + b'\0' * 1024)
open(tmp + '/garbage.tar', 'wb').write(b'PK\x03\x04 not a tar at all' * 40)
EOF
cd - >/dev/null || exit 1
check() {  # check FILE REASON
  run 1 "hostile $(basename "$1")" at "$BEN" bundle verify "$1"
  err_has "$2"
}
check "$tmp/evil-name.tar" "member ../../etc/evil: unexpected name; refused"
check "$tmp/evil-obj.tar" "member objects/../../evil: unexpected name; refused"
check "$tmp/symlink.tar" "not a regular file; refused"
check "$tmp/hardlink.tar" "member manifest.sig: not a regular file; refused"
check "$tmp/dup-manifest.tar" "member manifest.json: manifest.sig must follow manifest.json"
check "$tmp/order.tar" "a bundle starts with manifest.json"
check "$tmp/extra.tar" "not listed in the manifest"
check "$tmp/huge.tar" "more than a bundle may hold"
check "$tmp/garbage.tar" "not a bundle\|damaged bundle"
check "$tmp/case.bundle.missing" "cannot open"
[ ! -e "$tmp/evil" ] && [ ! -e /etc/evil ] && [ ! -e "$tmp/h/evil" ] && ok || bad "a hostile name was written"
after=$(find "$tmp" -newer "$tmp/h/manifest.sig" -type f ! -name '*.tar' ! -name err ! -name out \
  ! -path '*/tripoli/*' ! -path '*/benghazi/*' ! -path '*/misrata/*' | wc -l)
same "$after" "$before" "files written by verification"

# a truncated bundle: an object cut short
head -c $(( $(stat -c %s "$B") - 200000 )) "$B" >"$tmp/cut.bundle"
run 1 "truncated" at "$BEN" bundle verify "$tmp/cut.bundle"
err_has "damaged bundle\|cannot be read\|missing from the bundle"

# any logged-in user verifies; only supervisors and admins export
run 0 "audit intact tripoli" at "$TRI" audit verify
run 0 "audit intact benghazi" at "$BEN" audit verify

echo "bundle_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
