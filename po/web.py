#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""po/web.py: the web console's strings in delistd's one catalogue.

daemon/web/i18n.js holds the console's strings by key: an "en" block
(English, the source language) and a "zh-CN" block. The catalogue
po/zh_CN.po holds their Chinese: msgctxt the key, msgid the English text,
so that xgettext and msgmerge treat them as any other message.

  web.py pot I18N_JS            po/web.pot from the "en" block (stdout)
  web.py js WEB_POT ZH_PO       daemon/web/i18n-zh.js from the catalogue:
                                the "zh-CN" dictionary the pages load,
                                with the daemon's event formats (comment
                                event-text) under "evtext:" and the
                                English format
  web.py import I18N_JS ZH_PO   moves every entry of the "zh-CN" block
                                into the catalogue (msgstr of the message
                                whose msgctxt is its key) and empties the
                                block; the catalogue must already hold the
                                messages (po/web-import.sh updates it first)
  web.py import --keep ...      the same, leaving the block as it is

Standard library only. po/web-pot.sh and po/web-import.sh run it.
"""
import json
import re
import sys

STR = r'"((?:[^"\\\n]|\\.)*)"'
PAIR = re.compile(STR + r'\s*:\s*' + STR)


def block(text, name):
    """The span (start, end) of the body of block "name": { ... }."""
    m = re.search(r'^\t(?:"%s"|%s): \{\n' % (re.escape(name), re.escape(name)),
                  text, re.M)
    if m is None:
        sys.exit("web.py: no %s block in i18n.js" % name)
    end = text.index("\n\t},", m.end() - 1)
    return m.end(), end + 1


def pairs(body):
    """The (key, text) pairs of a block's body, in order."""
    return [(json.loads('"%s"' % k), json.loads('"%s"' % v))
            for k, v in PAIR.findall(body)]


def po_quote(s):
    return '"' + (s.replace("\\", "\\\\").replace('"', '\\"')
                  .replace("\n", "\\n").replace("\t", "\\t")) + '"'


def po_unquote(s):
    return json.loads(s)


def parse_po(path):
    """[(ctx, msgid, msgstr, fuzzy)] of a PO file (no plurals here)."""
    out, cur, field, fuzzy = [], {}, None, False

    def flush():
        nonlocal cur, fuzzy
        if "msgid" in cur:
            out.append((cur.get("msgctxt"), cur["msgid"],
                        cur.get("msgstr", ""), fuzzy))
        cur, fuzzy = {}, False
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line.startswith("#~"):
            continue
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
            continue
        m = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) (".*")$',
                     line)
        if m:
            if m.group(1) in ("msgctxt", "msgid") and "msgid" in cur and \
                    (m.group(1) == "msgctxt" or "msgctxt" not in cur or
                     "msgstr" in cur):
                flush()
            field = m.group(1)
            cur[field] = po_unquote(m.group(2))
        elif line.startswith('"') and field:
            cur[field] += po_unquote(line)
        elif not line.strip():
            flush()
    flush()
    return out


def cmd_pot(js):
    text = open(js, encoding="utf-8").read()
    s, e = block(text, "en")
    out = ['# The web console\'s strings: msgctxt the key of daemon/web/i18n.js,',
           '# msgid its English text. Made by po/web-pot.sh; do not edit.',
           'msgid ""', 'msgstr ""',
           '"Content-Type: text/plain; charset=UTF-8\\n"', '']
    for key, en in pairs(text[s:e]):
        out += ['#. TRANSLATORS: the web console; {0}, {1} are filled in.',
                '#: daemon/web/i18n.js', 'msgctxt ' + po_quote(key),
                'msgid ' + po_quote(en), 'msgstr ""', '']
    sys.stdout.write("\n".join(out))


def event_texts(po):
    """{msgid: msgstr} of the daemon's event formats (comment event-text)."""
    out = {}
    for entry in open(po, encoding="utf-8").read().split("\n\n"):
        lines = entry.split("\n")
        if "#. event-text" not in lines or any(
                l.startswith("#,") and "fuzzy" in l for l in lines):
            continue
        cur, field = {}, None
        for line in lines:
            m = re.match(r'^(msgid|msgstr) (".*")$', line)
            if m:
                field = m.group(1)
                cur[field] = po_unquote(m.group(2))
            elif line.startswith('"') and field:
                cur[field] += po_unquote(line)
        if cur.get("msgid") and cur.get("msgstr"):
            out[cur["msgid"]] = cur["msgstr"]
    return out


def cmd_js(pot, po):
    keys = [c for c, _, _, _ in parse_po(pot) if c is not None]
    zh = {(c, i): s for c, i, s, f in parse_po(po) if s and not f}
    en = {c: i for c, i, _, _ in parse_po(pot) if c is not None}
    d = {k: zh[(k, en[k])] for k in keys if (k, en[k]) in zh}
    # The trail's sentences: "evtext:" and the daemon's English format
    # (an event's text.format), the Chinese format (i18n.js evtext()).
    d.update({"evtext:" + k: v for k, v in event_texts(po).items()})
    sys.stdout.write("// i18n-zh.js: the console's Chinese, made from po/zh_CN.po by\n"
                     "// po/web.py at build time. Do not edit: translate in the catalogue.\n"
                     "export default " +
                     json.dumps(d, ensure_ascii=False, indent="\t") + ";\n")


def cmd_import(js, po, keep=False):
    text = open(js, encoding="utf-8").read()
    s, e = block(text, "en")
    en = dict(pairs(text[s:e]))
    zs, ze = block(text, "zh-CN")
    zh = pairs(text[zs:ze])
    lines = open(po, encoding="utf-8").read().split("\n")
    where = {}
    ctx = None
    for n, line in enumerate(lines):
        if line.startswith("msgctxt "):
            ctx = po_unquote(line[8:])
        elif line.startswith("msgid ") and ctx is not None:
            # a long msgid goes on over continuation lines
            msgid, k = po_unquote(line[6:]), n + 1
            while lines[k].startswith('"'):
                msgid += po_unquote(lines[k])
                k += 1
            where[(ctx, msgid)] = k - 1
            ctx = None
        elif not line.strip():
            ctx = None
    moved, missing = 0, []
    for key, text_zh in zh:
        n = where.get((key, en.get(key)))
        if n is None:
            missing.append(key)
            continue
        # msgstr "..." (and its continuation lines) after the msgid
        m = n + 1
        while lines[m].startswith('"'):
            m += 1
        end = m + 1
        while end < len(lines) and lines[end].startswith('"'):
            end += 1
        lines[m:end] = ["msgstr " + po_quote(text_zh)]
        moved += 1
    if missing:
        sys.exit("web.py: no message for the keys %s in %s (is po/web.pot "
                 "up to date?)" % (", ".join(missing), po))
    open(po, "w", encoding="utf-8").write("\n".join(lines))
    if not keep:
        open(js, "w", encoding="utf-8").write(text[:zs] + text[ze:])
    print("web.py: %d Chinese strings %s from %s into %s" %
          (moved, "copied" if keep else "moved", js, po))


def main(argv):
    if len(argv) == 3 and argv[1] == "pot":
        cmd_pot(argv[2])
    elif len(argv) == 4 and argv[1] == "js":
        cmd_js(argv[2], argv[3])
    elif len(argv) == 4 and argv[1] == "import":
        cmd_import(argv[2], argv[3])
    elif len(argv) == 5 and argv[1] == "import" and argv[2] == "--keep":
        cmd_import(argv[3], argv[4], keep=True)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
