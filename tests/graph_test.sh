#!/usr/bin/env bash
# graph_test.sh DALIL — dalil graph end to end: three cases sharing one Libyan
# number written three ways; the GraphML checked well-formed with xmllint,
# against tests/graphml.rng (GraphML's structure: the machine is offline and
# Debian ships no graphml.xsd) and for dangling keys and edge ends; the DOT
# laid out by Graphviz (dot -Tsvg) and the GraphML read by Graphviz's own
# graphml2gv; Arabic intact; need-to-know; bad input; the file and its audit.
set -u
D=${1:?usage: graph_test.sh PATH/TO/dalil}
RNG=$(cd "$(dirname "$0")" && pwd)/graphml.rng
export LANGUAGE= LC_ALL=C.UTF-8
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export DALIL_STORE=$tmp/store
pass=0 fail=0

ok()   { pass=$((pass + 1)); }
bad()  { fail=$((fail + 1)); echo "FAIL: $*"; [ -s "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err"; }
run() {
  local want=$1 desc=$2; shift 2
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok; else bad "$desc: exit $got, expected $want"; fi
}
err_has() { if grep -q -- "$1" "$tmp/err"; then ok; else bad "stderr lacks '$1'"; fi; }
# xp FILE XPATH: the value of an XPath expression over FILE (namespaces by local-name)
xp() { xmllint --xpath "$2" "$1" 2>/dev/null; }

for tool in xmllint dot graphml2gv jq; do
  command -v "$tool" >/dev/null || { echo "graph_test: $tool is missing (scripts/setup installs it)"; exit 1; }
done

TITLE='شبكة تهريب المهاجرين عبر الساحل الغربي'
NAME='محمد عبد الله الطرابلسي'
printf 'inv-password-1\n' >"$tmp/inv.pw"
printf 'clerk-password-1\n' >"$tmp/clerk.pw"
export DALIL_PASSWORD=admin-password-1
run 0 "init" "$D" init --admin chief
for u in amal nadia; do
  run 0 "user $u" "$D" --user chief user add $u --role investigator --password-file "$tmp/inv.pw"
done
run 0 "user karim" "$D" --user chief user add karim --role clerk --password-file "$tmp/clerk.pw"

# 0101 amal's; 0102 nadia's with amal assigned; 0103 nadia's alone
run 0 "case 0101" "$D" --user chief case add --number 2026/TIP/0101 --title-ar "$TITLE" \
  --title-en "Western coast <ring> & co" --offence trafficking --lead amal
run 0 "case 0102" "$D" --user chief case add --number 2026/SOM/0102 --title-ar "قضية ثانية" \
  --offence smuggling --lead nadia --assign amal
run 0 "case 0103" "$D" --user chief case add --number 2026/TIP/0103 --title-ar "قضية سرية" \
  --title-en "Hidden case" --offence trafficking --lead nadia
run 0 "person 0101" "$D" --user chief person add --case 2026/TIP/0101 --name-ar "$NAME" \
  --name-lat "Mohamed al-Trabelsi" --role suspect --network-role recruiter --phone "+218 91-234-5678"
run 0 "person 0102" "$D" --user chief person add --case 2026/SOM/0102 --name-ar "خالد" \
  --role victim --phone "00218912345678"
run 0 "device 0103" "$D" --user chief device add --case 2026/TIP/0103 --type phone \
  --make Samsung --model A12 --phone "٠٩١٢٣٤٥٦٧٨"

export DALIL_PASSWORD=inv-password-1
G=$tmp/net.graphml
run 0 "graph graphml" "$D" --user amal graph 2026/TIP/0101 --format graphml -o "$G"
grep -q "^network written: $G (6 nodes, 5 edges)" "$tmp/out" && ok || bad "graph output: $(cat "$tmp/out")"
[ "$(stat -c %a "$G")" = 600 ] && ok || bad "graph file mode $(stat -c %a "$G")"
run 0 "well-formed" xmllint --noout "$G"
run 0 "valid against graphml.rng" xmllint --noout --relaxng "$RNG" "$G"
# a file that is not GraphML fails the same check: the schema is not a rubber stamp
sed 's/edgedefault="undirected"/edgedefault="both"/' "$G" >"$tmp/broken.graphml"
run 3 "schema refuses a broken file" xmllint --noout --relaxng "$RNG" "$tmp/broken.graphml"
[ "$(xp "$G" 'count(//*[local-name()="data"][not(@key = //*[local-name()="key"]/@id)])')" = 0 ] \
  && ok || bad "data with an undeclared key"
[ "$(xp "$G" 'count(//*[local-name()="edge"][not(@source = //*[local-name()="node"]/@id) or not(@target = //*[local-name()="node"]/@id)])')" = 0 ] \
  && ok || bad "edge end that is no node"
[ "$(xp "$G" 'count(//*[local-name()="node"])')" = 6 ] && ok || bad "node count"
# one node for the number the three cases hold, with three edges
[ "$(xp "$G" 'count(//*[local-name()="node"][*[@key="value"]="+218912345678"])')" = 1 ] && ok || bad "one phone node"
[ "$(xp "$G" 'count(//*[local-name()="edge"][@source="i:phone:_2B218912345678" or @target="i:phone:_2B218912345678"])')" = 3 ] \
  && ok || bad "edges of the phone"
# need-to-know: 0103 is its number and lead, and nothing of its content
[ "$(xp "$G" 'string(//*[local-name()="node"][*[@key="number"]="2026/TIP/0103"]/*[@key="restricted"])')" = true ] \
  && ok || bad "0103 not marked restricted"
[ "$(xp "$G" 'string(//*[local-name()="node"][*[@key="number"]="2026/TIP/0103"]/*[@key="lead"])')" = nadia ] \
  && ok || bad "0103 lead"
grep -q -e Samsung -e "Hidden case" -e "قضية سرية" "$G" && bad "restricted content in the GraphML" || ok
# both scripts, byte for byte
grep -qF "<data key=\"label\">$NAME / Mohamed al-Trabelsi</data>" "$G" && ok || bad "person label"
grep -qF "<data key=\"label_ar\">$TITLE</data>" "$G" && ok || bad "Arabic title"
grep -qF "Western coast &lt;ring&gt; &amp; co" "$G" && ok || bad "escaped English title"
# Graphviz reads the GraphML too (graphml2gv takes the structure; labels are in the DOT export)
graphml2gv "$G" 2>/dev/null >"$tmp/from-graphml.gv" && ok || bad "graphml2gv"
[ "$(grep -c -- ' -- ' "$tmp/from-graphml.gv")" = 5 ] && ok || bad "graphml2gv edges: $(cat "$tmp/from-graphml.gv")"
run 0 "dot reads graphml2gv's output" dot -Tsvg "$tmp/from-graphml.gv" -o "$tmp/from-graphml.svg"

V=$tmp/net.dot
run 0 "graph dot" "$D" --user amal graph 2026/TIP/0101 --format dot -o "$V"
run 0 "dot -Tsvg" dot -Tsvg "$V" -o "$tmp/net.svg"
[ -s "$tmp/err" ] && bad "dot warned: $(cat "$tmp/err")" || ok
grep -qF "$NAME" "$tmp/net.svg" && ok || bad "Arabic name not in the SVG"
grep -qF "label=\"2026/TIP/0101 · $TITLE / Western coast <ring> & co\"" "$V" && ok || bad "case label in DOT"
grep -q -e Samsung -e "Hidden case" "$V" && bad "restricted content in the DOT" || ok
# the same data, the same bytes
run 0 "graph dot again" "$D" --user amal graph 2026/TIP/0101 --format dot -o "$tmp/again.dot"
cmp -s "$V" "$tmp/again.dot" && ok || bad "two exports differ"

# bad input and rights
run 2 "existing file" "$D" --user amal graph 2026/TIP/0101 --format dot -o "$V"
err_has "output"
cmp -s "$V" "$tmp/again.dot" && ok || bad "existing file changed"
run 2 "bad format" "$D" --user amal graph 2026/TIP/0101 --format gexf -o "$tmp/x"
err_has "format"
run 2 "no format" "$D" --user amal graph 2026/TIP/0101 -o "$tmp/x"
err_has "format"
run 2 "case and --all" "$D" --user amal graph 2026/TIP/0101 --all --format dot -o "$tmp/x"
err_has "all"
run 2 "neither case nor --all" "$D" --user amal graph --format dot -o "$tmp/x"
err_has "case"
run 2 "no -o" "$D" --user amal graph 2026/TIP/0101 --format dot
err_has "output"
run 3 "a case not assigned" "$D" --user amal graph 2026/TIP/0103 --format dot -o "$tmp/x"
run 1 "no such case" "$D" --user amal graph 2026/TIP/0999 --format dot -o "$tmp/x"
run 3 "clerk" env DALIL_PASSWORD=clerk-password-1 "$D" --user karim graph --all --format dot -o "$tmp/x"
[ -e "$tmp/x" ] && bad "a refused export left a file" || ok
ls "$tmp" | grep -q '\.tmp-' && bad "temporary file left: $(ls "$tmp")" || ok

# --all as the supervisor-like administrator: every case in full
run 0 "graph --all --json" env DALIL_PASSWORD=admin-password-1 "$D" --user chief graph --all --format graphml -o "$tmp/all.graphml" --json
jq -e '.nodes == 7 and .cases == 3 and .format == "graphml" and (.sha256 | length) == 64' "$tmp/out" >/dev/null \
  && ok || bad "graph --all --json: $(cat "$tmp/out")"
run 0 "--all valid" xmllint --noout --relaxng "$RNG" "$tmp/all.graphml"
grep -q Samsung "$tmp/all.graphml" && ok || bad "--all lacks 0103's device"

# the exports are in the audit log, per case whose content left, and the chain holds
run 0 "audit list" env DALIL_PASSWORD=admin-password-1 "$D" --user chief audit list --json --limit 0
[ "$(jq '[.[] | select(.action == "graph_export" and .username == "amal")] | length' "$tmp/out")" = 6 ] \
  && ok || bad "amal's exports: $(jq -c '[.[] | select(.action == "graph_export")]' "$tmp/out")"
jq -e --arg f "$G" '[.[] | select(.action == "graph_export" and .data.file == $f) | .entity_id] | sort == [1, 2]' \
  "$tmp/out" >/dev/null && ok || bad "graphml export entries"
run 0 "audit verify" env DALIL_PASSWORD=admin-password-1 "$D" --user chief audit verify

echo "graph: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
