# SPDX-License-Identifier: ISC
# shellcheck shell=sh
# tests/integration/browser.sh: a test's browser part (sourced after
# lib.sh): headless Chromium, its driver and Debian's python3-selenium.
#
# browser_found: sets CHROME, DRIVER and PY and succeeds when all are
# here; when one is missing it says so and fails, or bails out when
# DELISTD_REQUIRE_BROWSER=1 (tests/bootstrap.sh) makes that a failure.
# browser_report RC OUT ERR: the python driver's "PASS desc" / "FAIL desc"
# lines as TAP checks, and that it ran to its end.
browser_found() {
	CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
	DRIVER=$(command -v chromedriver || true)
	PY=
	# Debian's python3-selenium is for Debian's python3, which another
	# python3 first on PATH (pyenv, a venv) may not see.
	for _bf_p in python3 /usr/bin/python3; do
		if "$_bf_p" -c 'import selenium' 2>/dev/null; then PY=$_bf_p; break; fi
	done
	_bf_why=
	[ -n "$CHROME" ] || _bf_why="chromium is missing"
	[ -n "$DRIVER" ] || _bf_why="chromedriver (chromium-driver) is missing"
	[ -n "$PY" ] || _bf_why="python3-selenium is missing"
	[ -z "$_bf_why" ] && return 0
	if [ "${DELISTD_REQUIRE_BROWSER:-0}" = 1 ]; then
		echo "Bail out! $_bf_why, and DELISTD_REQUIRE_BROWSER=1"
		exit 1
	fi
	diag "no browser checks: $_bf_why"
	return 1
}

browser_report() {
	while IFS= read -r _br_line; do
		case $_br_line in
		"PASS "*) pass "${_br_line#PASS }" ;;
		"FAIL "*) fail "${_br_line#FAIL }" ;;
		*) diag "$_br_line" ;;
		esac
	done < "$2"
	check "the browser script ran to its end" sh -c '[ "$1" = 0 ] || { tail -n 30 "$2"; exit 1; }' _ "$1" "$3"
}
