#!/bin/sh
# SPDX-License-Identifier: ISC
# completion.sh: delistctl's shell completions against its --help. The
# table delistctl --complete prints (from the verb tables) has exactly the
# verbs --help lists, each with every option --help gives it; the bash
# completion offers verbs, sub-verbs and options through it; the zsh one
# is valid zsh (when zsh is installed).
. "$(dirname "$0")/lib.sh"

BASHCOMP=$top_srcdir/etc/completion/bash/delistctl
ZSHCOMP=$top_srcdir/etc/completion/zsh/_delistctl

# The rows of --help: "  case open SHOP ..." as "case open<TAB> --reason ...".
"$DELISTCTL" --help | awk '
	/^  [a-z]/ {
		words = ""; opts = ""; lit = 1
		for (i = 1; i <= NF; i++) {
			if (lit && $i ~ /^[a-z-]+$/) {
				words = words (words == "" ? "" : " ") $i
				continue
			}
			lit = 0
			s = $i
			while (match(s, /--[a-z-]+/)) {
				opts = opts " " substr(s, RSTART, RLENGTH)
				s = substr(s, RSTART + RLENGTH)
			}
		}
		print words "\t" opts
	}' > "$T/help.rows"
"$DELISTCTL" --complete > "$T/complete.rows"
cut -f1 "$T/help.rows" | sort -u > "$T/help.verbs"
cut -f1 "$T/complete.rows" | sort -u > "$T/complete.verbs"
check "--help lists verbs" test "$(wc -l < "$T/help.verbs")" -ge 30
check "the completion table has exactly the verbs of --help" \
    diff "$T/help.verbs" "$T/complete.verbs"
# Every option --help gives a verb, the completion offers it.
missing() {
	while IFS='	' read -r verb opts; do
		for o in $opts; do
			awk -F'\t' -v v="$verb" -v o="$o" '
			    $1 == v && index($2 " ", " " o " ") { f = 1 }
			    END { exit !f }' "$T/complete.rows" ||
			    echo "$verb: $o"
		done
	done < "$T/help.rows"
}
run missing
check "every option of --help is in the completion table" equals "$OUT" ""
check "the table has the options (case appeal --platform-case)" \
    grep -q '^case appeal	.* --platform-case' "$T/complete.rows"

# comp WORD...: what the bash completion offers for the last word.
comp() {
	PATH=$top_builddir/daemon:$PATH bash -c '
	    . "$1"; shift
	    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
	    _delistctl; printf "%s\n" "${COMPREPLY[@]}"' sh "$BASHCOMP" "$@" |
	    sort | tr '\n' ' '
}
if command -v bash >/dev/null 2>&1; then
	run comp delistctl ca
	check "bash: 'ca' completes to case and cases" equals "$OUT" "case cases "
	run comp delistctl case ''
	check "bash: case offers its verbs" contains "$OUT" "appeal assign check"
	run comp delistctl case open 1 --r
	check "bash: case open --r offers --reason and --rule" \
	    equals "$OUT" "--reason --rule "
	run comp delistctl -s /tmp/x doc get 1 --
	check "bash: after -s PATH, doc get offers --output" contains "$OUT" "--output"
	run comp delistctl ''
	check "bash: every top verb of --help" \
	    equals "$OUT" "$(awk -F'\t' '{ split($1, w, " "); print w[1] }' \
	    "$T/complete.rows" | sort -u | tr '\n' ' ')"
else
	pass "# SKIP bash is not installed"
fi
# zcomp WORD...: what the zsh completion offers (compadd stubbed out).
zcomp() {
	PATH=$top_builddir/daemon:$PATH zsh -c '
	    compadd() { shift; print -l -- "$@"; }
	    _files() { print FILES; }
	    f=$1; shift; words=("$@"); CURRENT=$#
	    . "$f"' zsh "$ZSHCOMP" "$@" | sort | tr '\n' ' '
}
if command -v zsh >/dev/null 2>&1; then
	check "zsh: the completion parses" zsh -n "$ZSHCOMP"
	run zcomp delistctl case o
	check "zsh: case o completes to open" equals "$OUT" "open "
	run zcomp delistctl doc add x.pdf --t
	check "zsh: doc add --t offers --type" equals "$OUT" "--type "
	run zcomp delistctl -s ''
	check "zsh: after -s, files" equals "$OUT" "FILES "
else
	pass "# SKIP zsh is not installed: the zsh completion is not checked"
fi
finish
