#!/usr/bin/perl
# sql_sites.pl ALLOWLIST FILE... — every place where SQL text reaches SQLite
# (prepare, exec, the store's wrappers) or where the store splices a table or
# column name into SQL (store_case_of, store_set_column) must be given a
# compile-time constant, unless the allowlist says the site was reviewed.
#
# A constant is made of string literals, ALL-CAPS macros (which stand for
# literals in this tree), "cond ? constant : constant", a "static const char
# NAME[] = literal" of the same file, or an element of a "static const char
# *const NAME[] = { literals }" array of the same file. Anything else is SQL
# text built at run time.
#
# Allowlist lines ("#" starts a comment):
#   site FILE FUNCTION CALL -- reason      a reviewed run-time SQL site
#   wrapper FILE FUNCTION ARG -- reason    FUNCTION passes its argument ARG
#                                          (0-based) to SQLite: its own inner
#                                          site is accepted, and every call to
#                                          it in FILE must give a constant
# Prints each unreviewed site and each allowlist entry that matches nothing
# (stale), and exits 1 when there is either.
use strict;
use warnings;

my %calls = (
	sqlite3_prepare_v2 => [1], sqlite3_prepare_v3 => [1], sqlite3_prepare => [1],
	sqlite3_prepare16_v2 => [1], sqlite3_prepare16_v3 => [1], sqlite3_exec => [1],
	store_prepare => [1], store_cached => [1],
	store_case_of => [1], store_set_column => [1, 3],
);

my $allow = shift @ARGV;
my (%site, %wrapper, %used);
open my $al, '<', $allow or die "$allow: $!";
while (<$al>) {
	s/#.*//;
	next unless /\S/;
	my ($head, $reason) = split /\s+--\s+/, $_, 2;
	die "$allow:$.: no reason given\n" unless $reason && $reason =~ /\S/;
	my @f = split ' ', $head;
	if ($f[0] eq 'site' && @f == 4) {
		$site{"$f[1] $f[2] $f[3]"} = $.;
	} elsif ($f[0] eq 'wrapper' && @f == 4 && $f[3] =~ /^\d+$/) {
		$wrapper{$f[1]}{$f[2]} = $f[3];
	} else {
		die "$allow:$.: not \"site FILE FUNCTION CALL -- reason\" or \"wrapper FILE FUNCTION ARG -- reason\"\n";
	}
}
close $al;

sub strip_comments {
	my ($t) = @_;
	# comments blanked, their newlines kept; literals kept whole
	$t =~ s{("(?:\\.|[^"\\\n])*")|('(?:\\.|[^'\\\n])*')|(/\*.*?\*/)|(//[^\n]*)}{
		defined $1 ? $1 : defined $2 ? $2 : do { my $c = defined $3 ? $3 : $4; (my $k = $c) =~ s/[^\n]//g; $k }
	}gse;
	return $t;
}

# the argument texts of the call whose "(" ends just before pos
sub args_at {
	my ($t, $pos) = @_;
	my ($depth, $cur, @args) = (1, '');
	while ($pos < length $t) {
		my $c = substr $t, $pos, 1;
		if ($c eq '"' || $c eq "'") {
			substr($t, $pos) =~ /^(\Q$c\E(?:\\.|[^\Q$c\E\\])*\Q$c\E)/s or last;
			$cur .= $1;
			$pos += length $1;
			next;
		}
		if ($c =~ /[(\[{]/) {
			$depth++;
		} elsif ($c =~ /[)\]}]/) {
			if (--$depth == 0) {
				push @args, $cur;
				return @args;
			}
		} elsif ($c eq ',' && $depth == 1) {
			push @args, $cur;
			$cur = '';
			$pos++;
			next;
		}
		$cur .= $c;
		$pos++;
	}
	return @args;
}

my (%lit, %arr);   # this file's constant strings and arrays of them

sub constant {
	my ($a) = @_;
	$a =~ s/"(?:\\.|[^"\\])*"/ L /g;
	$a =~ s/\b([A-Za-z_]\w*)\s*\[[^\[\]]*\]/$arr{$1} ? ' L ' : $&/ge;
	$a =~ s/\b([A-Za-z_]\w*)\b/($1 =~ \/^[A-Z][A-Z0-9_]*$\/ || $lit{$1}) ? ' L ' : $1/ge;
	$a =~ s/\s+/ /g;
	$a =~ s/^ | $//g;
	my $was;
	do {
		$was = $a;
		$a =~ s/L L/L/g;
		$a =~ s/L ?\( ?L ?\)/L/g;   # a macro taking literals
		$a =~ s/\( ?L ?\)/L/g;
	} while ($a ne $was);
	return 1 if $a eq 'L';
	return 1 if $a =~ /^[^?:"]+\? ?L ?: ?L$/;   # a choice between two constants
	return 0;
}

my @out;
for my $file (@ARGV) {
	open my $fh, '<', $file or die "$file: $!";
	local $/;
	my $t = strip_comments(<$fh>);
	close $fh;
	(my $short = $file) =~ s{.*/((?:model|importers|reports|tui)/[^/]+)$}{$1};
	%lit = %arr = ();
	while ($t =~ /static\s+const\s+char\s+(\w+)\s*\[\]\s*=\s*((?:"(?:\\.|[^"\\])*"|\s|\b[A-Z][A-Z0-9_]*\b)+);/g) {
		$lit{$1} = 1;
	}
	while ($t =~ /static\s+const\s+char\s*\*\s*const\s+(\w+)\s*\[[^\]]*\]\s*=\s*\{(.*?)\};/gs) {
		my ($name, $body) = ($1, $2);
		my $ok = 1;
		for my $el (split /,/, join '', map { /^"/ ? '"x"' : $_ } $body =~ /("(?:\\.|[^"\\])*"|[^"]+)/g) {
			$el =~ s/^\s*\[\s*[A-Z][A-Z0-9_]*\s*\]\s*=//;   # a designated index
			next unless $el =~ /\S/;
			$ok = 0 unless constant($el) || $el =~ /^\s*NULL\s*$/;
		}
		$arr{$name} = 1 if $ok;
	}
	my %c = %calls;
	$c{$_} = [$wrapper{$short}{$_}] for keys %{$wrapper{$short} || {}};
	my $names = join '|', sort keys %c;
	# function bodies: a definition at column 0, its "{" at column 0
	my @funcs;
	while ($t =~ /^(?:[A-Za-z_][^\n;]*?\b)?([A-Za-z_]\w*)\s*\([^;{]*?\)\s*\n\{/mg) {
		push @funcs, [$-[0], $1];
	}
	while ($t =~ /\b($names)\s*\(/g) {
		my ($name, $at, $open) = ($1, $-[0], $+[0]);
		my $bol = rindex($t, "\n", $at) + 1;
		# a definition or prototype: its line starts with a name at column 0
		# (calls are indented; a macro's "#define" line is still checked)
		next if substr($t, $bol, 1) =~ /[A-Za-z_]/;
		my $fn = '?';
		for my $f (@funcs) {
			last if $f->[0] > $at;
			$fn = $f->[1];
		}
		my @args = args_at($t, $open);
		for my $i (@{$c{$name}}) {
			next if $i > $#args || constant($args[$i]);
			my $line = 1 + (substr($t, 0, $at) =~ tr/\n//);
			my $k = "$short $fn $name";
			if (exists $site{$k}) {
				$used{"site $k"} = 1;
			} elsif (!exists $wrapper{$short}{$fn}) {
				push @out, "unreviewed: $short:$line: $fn: $name( with SQL built at run time: $args[$i]";
			}
		}
	}
	for my $f (@funcs) {
		$used{"wrapper $short $f->[1]"} = 1 if exists $wrapper{$short}{$f->[1]};
	}
}
for my $k (sort keys %site) {
	push @out, "stale allowlist entry (line $site{$k}): site $k" unless $used{"site $k"};
}
for my $f (sort keys %wrapper) {
	for my $fn (sort keys %{$wrapper{$f}}) {
		push @out, "stale allowlist entry: wrapper $f $fn (no such function)" unless $used{"wrapper $f $fn"};
	}
}
print "$_\n" for @out;
exit(@out ? 1 : 0);
