#!/bin/sh
# Write the manual page dalil(1) from "dalil --help", so that the page lists
# exactly the commands of the command tables (tui/cli*.c) and cannot drift.
# Usage: dalil-man.sh DALIL VERSION OUT     (run by the build; OUT is roff)
set -eu
dalil=$1 version=$2 out=$3

# English, whatever the builder's locale.
help=$(LANGUAGE= LC_ALL=C.UTF-8 "$dalil" --help)
[ -n "$help" ] || { echo "dalil-man.sh: $dalil --help printed nothing" >&2; exit 1; }

{
cat <<HEAD
.TH DALIL 1 "" "dalil $version" "User Commands"
.SH NAME
dalil \- offline case management for investigators of human trafficking and smuggling
.SH SYNOPSIS
.B dalil
[\fB\-\-store\fR \fIDIR\fR] [\fB\-\-user\fR \fINAME\fR] [\fB\-\-password\-file\fR \fIF\fR] [\fB\-\-json\fR] [\fB\-\-lang\fR \fBar\fR|\fBen\fR]
\fICOMMAND\fR ...
.br
.B dalil
.SH DESCRIPTION
.B dalil
keeps cases, persons, devices, chain of custody, provider requests, notes and
evidence in one local SQLite store, with every change written to a hash-chained
audit log. Run without a command it opens the workstation (a full-screen
terminal interface, in Arabic or English); with a command it does one thing
and exits.
.SH COMMANDS
HEAD
# Each command is "  dalil WORDS ARGS" then its help on the next line indented
# six spaces. The command words are the leading lower-case words (group, verb);
# the rest is its arguments. Roff: backslashes escaped, "-" as \-, and a line
# never starts with a control character.
printf '%s\n' "$help" | awk '
function roff(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	return s
}
/^  dalil / {
	n = split(substr($0, 9), w, " ")
	name = ""; i = 1
	while (i <= n && i <= 2 && w[i] ~ /^[a-z]+$/) { name = name (name == "" ? "" : " ") w[i]; i++ }
	args = ""
	for (; i <= n; i++) args = args (args == "" ? "" : " ") w[i]
	pending = 1
	next
}
pending && /^      / {
	sub(/^ +/, "")
	print ".TP"
	print "\\fBdalil " roff(name) "\\fR" (args == "" ? "" : " " roff(args))
	print "\\&" roff($0)
	pending = 0
	next
}
'
cat <<'TAIL'
.SH ENVIRONMENT
.TP
.B DALIL_STORE
The store directory when \fB\-\-store\fR is not given; else
\fB$XDG_DATA_HOME/dalil\fR (\fB~/.local/share/dalil\fR).
.TP
.B DALIL_PASSWORD
The user's password when \fB\-\-password\-file\fR is not given; else it is asked on the terminal.
.TP
.B DALIL_KEY_PASSPHRASE
The passphrase of the unit's signing key; else it is asked on the terminal.
.TP
.B LANGUAGE
\fBar\fR for Arabic messages (as \fB\-\-lang ar\fR).
.SH EXIT STATUS
0 done, 1 failed, 2 bad usage or input, 3 not permitted.
.SH FILES
.TP
.I STORE/dalil.db
The SQLite store (mode 0600, its directory 0700).
.SH SEE ALSO
The README and the documents in \fB/usr/share/doc/dalil\fR.
TAIL
} > "$out.tmp"
mv "$out.tmp" "$out"
