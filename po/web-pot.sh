#!/bin/sh
# SPDX-License-Identifier: ISC
# po/web-pot.sh: po/web.pot, the web console's strings (daemon/web/i18n.js's
# "en" block) as messages, on standard output; make -C po update-po reads
# the file through po/POTFILES.in. tests/po.sh checks it is current.
here=$(cd "$(dirname "$0")" && pwd)
exec python3 "$here/web.py" pot "$here/../daemon/web/i18n.js"
