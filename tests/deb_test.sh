#!/usr/bin/env bash
# The Debian package end to end: "cmake --install" into a DESTDIR and
# "cpack -G DEB" from the build tree (its binary reused, nothing rebuilt), then
# dpkg-deb --info/--contents, the man page against "dalil --help", lintian if
# installed, and the installed binary finding its Arabic catalogue.
# Usage: deb_test.sh DALIL BUILD_DIR VERSION
set -euo pipefail
dalil=$1 build=$2 version=$3

if ! command -v dpkg-deb >/dev/null; then
	echo "deb_test: SKIP: dpkg-deb is not installed (not a Debian system)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "deb_test: FAIL: $*" >&2; exit 1; }

# --- cmake --install into a DESTDIR ---------------------------------------
DESTDIR=$tmp/root cmake --install "$build" --prefix /usr >/dev/null
for f in usr/bin/dalil usr/share/locale/ar/LC_MESSAGES/dalil.mo usr/share/man/man1/dalil.1.gz \
         usr/share/doc/dalil/README.md usr/share/doc/dalil/changelog.gz usr/share/dalil/fonts.list; do
	[ -f "$tmp/root/$f" ] || fail "cmake --install did not put $f"
done
# The fonts list names exactly the families reports/pdf.c loads (FONT_AR,
# FONT_LATIN, FONT_MONO), each with a Debian package that has its files.
src=$(cd "$(dirname "$0")/.." && pwd)
listed=$(grep -v '^#' "$tmp/root/usr/share/dalil/fonts.list" | cut -f1 | sort)
loaded=$(sed -n 's/^#define FONT_[A-Z]* "\(.*\)"$/\1/p' "$src/reports/pdf.c" | sort)
[ -n "$listed" ] && [ "$listed" = "$loaded" ] || fail "fonts.list names '$listed', pdf.c loads '$loaded'"
while IFS=$'\t' read -r family pkg _; do
	case $family in '#'*|'') continue ;; esac
	dpkg -L "$pkg" 2>/dev/null | grep -q '\.[ot]tf$' || fail "fonts.list: $pkg (for $family) has no font files here"
	fc-list "$family" family | grep -q . || fail "fonts.list: no font '$family' is installed"
done <"$tmp/root/usr/share/dalil/fonts.list"

# The installed binary finds the installed catalogue (relative to itself: the
# build tree's catalogue is not next to it).
ar=$(LANGUAGE=ar "$tmp/root/usr/bin/dalil" --help | sed -n 3p)
case $ar in *الاستخدام*) ;; *) fail "installed dalil with LANGUAGE=ar printed: $ar" ;; esac
en=$(LANGUAGE= LC_ALL=C.UTF-8 "$tmp/root/usr/bin/dalil" --help | sed -n 3p)
case $en in usage:*) ;; *) fail "installed dalil in English printed: $en" ;; esac
# Alone, away from any catalogue, it falls back to English: the Arabic above
# came from the installed catalogue, not from somewhere else.
mkdir -p "$tmp/lone/bin" && cp "$tmp/root/usr/bin/dalil" "$tmp/lone/bin/"
lone=$(LANGUAGE=ar "$tmp/lone/bin/dalil" --help | sed -n 3p)
if [ ! -f /usr/share/locale/ar/LC_MESSAGES/dalil.mo ] && [ ! -f /usr/local/share/locale/ar/LC_MESSAGES/dalil.mo ]; then
	case $lone in usage:*) ;; *) fail "dalil without a catalogue printed: $lone" ;; esac
fi

# --- cpack -G DEB ----------------------------------------------------------
start=$(date +%s)
cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >"$tmp/cpack.log" 2>&1 ||
	{ cat "$tmp/cpack.log" >&2; fail "cpack -G DEB"; }
deb=$tmp/pkg/dalil_${version}_amd64.deb
[ -f "$deb" ] || fail "no $deb (made: $(ls "$tmp/pkg"))"
echo "deb_test: $(basename "$deb") $(stat -c %s "$deb") bytes in $(( $(date +%s) - start )) s"

info=$(dpkg-deb --info "$deb")
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = dalil ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version)"
[ "$(field Architecture)" = amd64 ] || fail "Architecture: $(field Architecture)"
for f in Maintainer Description Section Priority; do
	[ -n "$(field $f)" ] || fail "no $f in the control file"
done
depends=$(field Depends)
# (grep -q reads from here-strings, not pipes: under pipefail a pipe's writer
# killed by grep -q's early exit would read as a failure.)
names=$(tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/ .*//')
echo "deb_test: Depends: $depends"
# The fonts by hand, the libraries from dpkg-shlibdeps: each a package name in the list.
for p in fonts-hosny-amiri fonts-dejavu-core libc6 libncursesw6 libtinfo6 libsqlite3-0 libarchive13 \
         libmagic1 libgcrypt20 libpango-1.0-0 libpangocairo-1.0-0 libcairo2 libfontconfig1 \
         libfribidi0 libicu72 libglib2.0-0; do
	grep -qx -- "$p" <<<"$names" ||
		fail "Depends lacks $p"
done
# Nothing a build needs: no -dev package, no compiler.
grep -Eq -- '-dev\b|gcc|cmake' <<<"$depends" && fail "Depends has build packages: $depends"
contents=$(dpkg-deb --contents "$deb" | awk '{print $6}')
for f in ./usr/bin/dalil ./usr/share/locale/ar/LC_MESSAGES/dalil.mo ./usr/share/man/man1/dalil.1.gz \
         ./usr/share/doc/dalil/README.md ./usr/share/doc/dalil/changelog.gz; do
	grep -qxF -- "$f" <<<"$contents" || fail "the package lacks $f"
done
# The package's binary is stripped and it too finds its catalogue.
dpkg-deb -x "$deb" "$tmp/x"
grep -q '\.symtab' <<<"$(readelf -S "$tmp/x/usr/bin/dalil")" && fail "usr/bin/dalil is not stripped"
ar=$(LANGUAGE=ar "$tmp/x/usr/bin/dalil" --help | sed -n 3p)
case $ar in *الاستخدام*) ;; *) fail "the package's dalil with LANGUAGE=ar printed: $ar" ;; esac
# The changelog's version is the package's.
grep -qF "dalil ($version)" <<<"$(zcat "$tmp/x/usr/share/doc/dalil/changelog.gz" | sed -n 1p)" ||
	fail "changelog's first entry is not $version: $(zcat "$tmp/x/usr/share/doc/dalil/changelog.gz" | head -1)"

# --- the man page names every command of dalil --help ----------------------
man=$tmp/x/usr/share/man/man1/dalil.1.gz
warn=$(LC_ALL=C.UTF-8 MANWIDTH=1000 man --warnings -l "$man" 2>&1 >/dev/null || true)
[ -z "$warn" ] || fail "man -l: $warn"
# One wide line per entry, spaces squeezed (man justifies), so each command's
# usage line and help line of "dalil --help" appear whole.
page=$(LC_ALL=C.UTF-8 MANWIDTH=1000 man -l "$man" | col -bx | tr -s ' ' | sed 's/^ //')
n=0
while IFS= read -r line; do
	want=$(printf '%s' "$line" | tr -s ' ' | sed 's/^ //; s/ $//')
	grep -qxF -- "$want" <<<"$page" || fail "the man page lacks: $want"
	n=$((n + 1))
done < <(LANGUAGE= LC_ALL=C.UTF-8 "$dalil" --help | awk '/^  dalil /{print; getline; print}')
[ "$n" -gt 100 ] || fail "only $((n / 2)) commands read from dalil --help"
echo "deb_test: the man page has all $((n / 2)) commands of dalil --help"

# --- lintian, if installed ---------------------------------------------------
if command -v lintian >/dev/null; then
	# Waived, each for a reason that is not the package's build:
	#   no-copyright-file: the project has not chosen a licence yet;
	#   bogus-mail-host, bogus-mail-host-in-debian-changelog: the placeholder
	#   maintainer until the unit sets -DDALIL_MAINTAINER and docs/changelog.
	lintian --allow-root "$deb" >"$tmp/lintian" 2>&1 || true
	sed 's/^/deb_test: lintian: /' "$tmp/lintian"
	errors=$(grep '^E:' "$tmp/lintian" | grep -Ev ' (no-copyright-file|bogus-mail-host|bogus-mail-host-in-debian-changelog)( |$)' || true)
	[ -z "$errors" ] || fail "lintian errors: $errors"
else
	echo "deb_test: lintian is not installed: not run"
fi
echo "deb_test: ok"
