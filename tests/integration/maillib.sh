# SPDX-License-Identifier: ISC
# shellcheck shell=sh
# tests/integration/maillib.sh: reading the mail a fake_smtp received.
#
# Sourced after lib.sh by the mail tests. Each message fake_smtp stored in
# a box (N.eml, with its envelope in N.env) is parsed once by Python's
# email package (mailparse.py) into N.txt: its headers as "name: value"
# lines, then its decoded body.
PARSE=$top_srcdir/tests/integration/mailparse.py

# parse_box BOX: each new message parsed once into N.txt.
parse_box() {
	for env in "$1"/*.env; do
		[ -e "$env" ] || continue
		n=${env%.env}
		if [ ! -e "$n.txt" ]; then
			python3 "$PARSE" "$n.eml" > "$n.txt.tmp" 2>&1
			mv "$n.txt.tmp" "$n.txt"
		fi
	done
}
# mails_with BOX TEXT: the parsed mails containing TEXT, in arrival order;
# mail_with BOX TEXT: the first of them.
mails_with() {
	parse_box "$1"
	grep -lF -- "$2" "$1"/*.txt 2>/dev/null | sort -t/ -k1,1 -V
}
mail_with() { mails_with "$1" "$2" | sed -n 1p; }
has_mail() { [ -n "$(mail_with "$1" "$2")" ]; }
count_mails() { mails_with "$1" "$2" | wc -l | tr -d ' '; }
# field MAIL NAME: a header of a parsed mail.
field() { sed -n "s/^$2: //p" "$1" | sed -n 1p; }
env_of() { sed 's/\.txt$/.env/' <<EOF2
$1
EOF2
}
# num_of MAIL: its number in the box (the order it arrived in).
num_of() { basename "$1" .txt; }
