#!/bin/sh
# SPDX-License-Identifier: ISC
# check.sh: checks a tree against its LAYERS file.
#
#	check.sh LAYERS SRCDIR OBJDIR
#
# Reads the floors of LAYERS, then
#  - every #include of every .c and .h file of a floor: a library header
#    (a "lib" line) or a project header must belong to a floor it may use;
#  - every object file (nm) below OBJDIR: a symbol it needs that another
#    object defines must be defined by its own floor or one it may use;
#    within the shell, by its own shell floor or one below it, unless the
#    call is listed as an "except" line.
# Prints one line per fault ("layers: ...") and exits 1 if there is any.
# POSIX sh, awk and nm.

if [ $# -ne 3 ]; then
	echo "usage: check.sh LAYERS SRCDIR OBJDIR" >&2
	exit 2
fi
layers=$1
src=$2
obj=$3
NM=${NM:-nm}

[ -r "$layers" ] || { echo "layers: cannot read $layers" >&2; exit 2; }

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

# The floors' directories: "NAME DIR RECURSIVE".
# LAYERS with its continued lines (a backslash at the end) joined.
awk '/\\$/ { sub(/\\$/, ""); printf "%s ", $0; next } { print }' "$layers" \
    > "$tmp/layers"
layers=$tmp/layers

awk '$1 == "floor" {
	d = $3; r = 0
	if (d ~ /\/\.\.\.$/) { sub(/\/\.\.\.$/, "", d); r = 1 }
	print $2, d, r
}' "$layers" > "$tmp/floors"

# Which floor a path (relative to the tree) is in, or nothing.
floor_of() {
	awk -v p="$1" '
	BEGIN { d = p; sub(/\/[^\/]*$/, "", d); if (d == p) d = "." }
	$3 == 0 && $2 == d { print $1; found = 1; exit }
	$3 == 1 && (d == $2 || index(d, $2 "/") == 1) { print $1; found = 1; exit }
	' "$tmp/floors"
}

# Every source file with its floor: "FLOOR PATH".
: > "$tmp/files"
while read -r name dir rec; do
	[ -d "$src/$dir" ] || continue
	if [ "$rec" = 1 ]; then
		(cd "$src" && find "$dir" -type f \( -name '*.c' -o -name '*.h' \))
	else
		(cd "$src" && find "$dir" -maxdepth 1 -type f \
		    \( -name '*.c' -o -name '*.h' \))
	fi | sort | while read -r f; do
		[ "$(floor_of "$f")" = "$name" ] && echo "$name $f"
	done
done < "$tmp/floors" >> "$tmp/files"

# Every project header and its floor: "BASENAME FLOOR PATH".
awk '{ n = $2; sub(/.*\//, "", n); print n, $1, $2 }' "$tmp/files" \
    > "$tmp/headers"

# The includes: "FLOOR PATH KIND HEADER" (KIND is < or ").
while read -r fl f; do
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*\([<"]\)\([^>"]*\)[>"].*/\1 \2/p' \
	    "$src/$f" | while read -r kind h; do
		echo "$fl $f $kind $h"
	done
done < "$tmp/files" > "$tmp/includes"

# The objects and their symbols: "FLOOR STEM OBJECT TYPE SYMBOL".
: > "$tmp/syms"
if [ -d "$obj" ]; then
	(cd "$obj" && find . -name '*.o' | sed 's|^\./||' | sort) > "$tmp/objs"
	while read -r o; do
		fl=$(floor_of "$(dirname "$o" | sed 's|/\.libs$||')/x")
		[ -n "$fl" ] || continue
		stem=$(basename "$o" .o)
		case $stem in *-*) stem=${stem#*-} ;; esac
		"$NM" -A -g -P "$obj/$o" 2>/dev/null |
		    awk -v fl="$fl" -v stem="$stem" -v o="$o" '
			{ sub(/^[^ ]*: /, ""); print fl, stem, o, $2, $1 }'
	done < "$tmp/objs" >> "$tmp/syms"
fi

awk -v layersfile="$layers" '
function lib_of(h,    i, n, pat, re) {
	for (i = 1; i <= nlibpat; i++) {
		pat = libpat[i]
		re = pat
		gsub(/\./, "\\.", re)
		gsub(/\*/, ".*", re)
		if (h ~ ("^" re "$"))
			return (libname[i])
	}
	return ("")
}
function may(fl, what) {
	return (fl == what || ((fl SUBSEP what) in uses) || \
	    (what != "" && (what in islib) && ((fl SUBSEP "libs") in uses)))
}
function shellfloor(stem,    i) {
	if (stem in shellrank)
		return (shellrank[stem])
	for (i = 1; i <= nshellpat; i++)
		if (index(stem, shellpat[i]) == 1)
			return (shellpatrank[i])
	return (-1)
}
function fault(msg) {
	print "layers: " msg
	faults++
}
FILENAME == layersfile {
	if ($1 == "lib") {
		islib[$2] = 1
		for (i = 3; i <= NF; i++) {
			nlibpat++
			libpat[nlibpat] = $i
			libname[nlibpat] = $2
		}
	} else if ($1 == "floor") {
		isfloor[$2] = 1
		for (i = 4; i <= NF; i++)
			uses[$2, $i] = 1
	} else if ($1 == "shell") {
		nshell++
		shellname[nshell] = $2
		for (i = 3; i <= NF; i++) {
			if ($i ~ /\*$/) {
				nshellpat++
				shellpat[nshellpat] = substr($i, 1, length($i) - 1)
				shellpatrank[nshellpat] = nshell
			} else
				shellrank[$i] = nshell
		}
	} else if ($1 == "except") {
		except[$2, $3] = 1
		if ($2 ~ /.\*$/) {
			nexpat++
			expat[nexpat] = substr($2, 1, length($2) - 1)
			exsym[nexpat] = $3
			exkey[nexpat] = $2
		}
	}
	next
}
FILENAME ~ /headers$/ { hdr[$1] = $2; hdrpath[$1] = $3; next }
FILENAME ~ /includes$/ {
	fl = $1; f = $2; kind = $3; h = $4
	if (kind == "<") {
		lib = lib_of(h)
		if (lib != "" && !may(fl, lib))
			fault(f ": includes <" h ">, of " lib \
			    ", which floor " fl " may not use")
		next
	}
	if (h == "config.h")
		next		# the build configuration, generated
	base = h
	sub(/.*\//, "", base)
	d = f
	sub(/\/[^\/]*$/, "", d)
	if (!(base in hdr)) {
		lib = lib_of(h)
		if (lib != "" && !may(fl, lib))
			fault(f ": includes \"" h "\", of " lib \
			    ", which floor " fl " may not use")
		next
	}
	if (hdr[base] == fl)
		next
	if (!may(fl, hdr[base]))
		fault(f ": includes \"" h "\" (" hdrpath[base] ", floor " \
		    hdr[base] "), which floor " fl " may not use")
	next
}
FILENAME ~ /syms$/ {
	n++
	sfl[n] = $1; sstem[n] = $2; sobj[n] = $3; stype[n] = $4; ssym[n] = $5
	if ($4 != "U" && $4 != "w" && $4 != "v") {
		# The lowest floor that defines it: core before the rest.
		if (!($5 in deffl) || $1 == "core") {
			deffl[$5] = $1
			defstem[$5] = $2
		}
	}
	next
}
END {
	for (i = 1; i <= n; i++) {
		if (stype[i] != "U" || !(ssym[i] in deffl))
			continue
		fl = sfl[i]; sym = ssym[i]; to = deffl[sym]
		if (to != fl) {
			if (!may(fl, to) && !seen[sobj[i], sym]++)
				fault(sobj[i] ": calls " sym " of floor " to \
				    " (" defstem[sym] "), which floor " fl \
				    " may not use")
			continue
		}
		if (fl != "shell")
			continue
		a = shellfloor(sstem[i]); b = shellfloor(defstem[sym])
		if (a < 0) {
			if (!noshell[sstem[i]]++)
				fault(sobj[i] ": " sstem[i] \
				    " is in no shell floor of LAYERS")
			continue
		}
		if (b <= a)
			continue
		if ((sstem[i], sym) in except) {
			used[sstem[i], sym] = 1
			continue
		}
		if (("*", sym) in except) {
			used["*", sym] = 1
			continue
		}
		for (k = 1; k <= nexpat; k++)
			if (exsym[k] == sym && index(sstem[i], expat[k]) == 1)
				break
		if (k <= nexpat) {
			used[exkey[k], sym] = 1
			continue
		}
		if (!seen[sobj[i], sym]++)
			fault(sobj[i] ": calls " sym " of " defstem[sym] \
			    " (shell floor " shellname[b] ") from shell floor " \
			    shellname[a] ": an upward call not in EXCEPTIONS")
	}
	for (k in except)
		if (!(k in used) && n > 0) {
			split(k, kk, SUBSEP)
			print "layers: note: except " kk[1] " " kk[2] \
			    " is no longer needed"
		}
	exit (faults > 0)
}
' "$layers" "$tmp/headers" "$tmp/includes" "$tmp/syms"
