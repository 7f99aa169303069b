#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/integration/install.sh: make install never overwrites an edited
# delistd.conf. Installs the build into a DESTDIR, edits the installed
# configuration, installs again: the edit stays, the example is still in
# the documentation's examples, and make uninstall keeps the edited file.

. "$(dirname "$0")/lib.sh"

dest=$T/dest
# A make of its own, not a job of the make check that runs this test.
mk() {
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    make -C "$top_builddir" "$@" DESTDIR="$dest" > "$T/make.out" 2>&1 ||
	    { cat "$T/make.out"; return 1; }
}
check "make install into an empty DESTDIR" mk install
conf=$(find "$dest" -path '*/delistd/delistd.conf' -path '*etc*' | head -n 1)
example=$(find "$dest" -path '*/examples/delistd.conf' | head -n 1)
check "the configuration is installed under sysconfdir" test -f "$conf"
check "the example is installed under docdir/examples" test -f "$example"
check "the first install's configuration is the example" cmp "$conf" "$example"
check "the bash completion is installed by the command's name" \
    test -n "$(find "$dest" -path '*/bash-completion/completions/delistctl')"
check "the zsh completion is installed" \
    test -n "$(find "$dest" -path '*/vendor-completions/_delistctl')"

printf '# edited by the admin\n' >> "$conf"
edited=$(cat "$conf")
check "make install again" mk install
run cat "$conf"
check "the second install kept the edited delistd.conf" equals "$OUT" "$edited"
check "make install says it kept it" grep -q 'keeping .*delistd.conf' "$T/make.out"
check "the example is still the pristine one" \
    cmp "$example" "$top_srcdir/etc/delistd.conf"

check "make uninstall" mk uninstall
check "make uninstall keeps the edited delistd.conf" test -f "$conf"
check "make uninstall removes the example" test ! -e "$example"
finish
