"""Every user-facing message has a zh-Hans translation, and the committed .mo matches the .po."""

import gettext
import json
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "platform_core" / "locale" / "zh_Hans" / "LC_MESSAGES"


def po_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n")[1:]:
        if re.search(r"^#, fuzzy", block, re.M):
            yield None, None, block
            continue
        match = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if match:
            msgid = "".join(json.loads(x) for x in re.findall(r'".*"', match.group(1)))
            msgstr = "".join(json.loads(x) for x in re.findall(r'".*"', match.group(2)))
            yield msgid, msgstr, block


def test_no_untranslated_or_fuzzy_messages():
    entries = list(po_entries())
    assert len(entries) > 300
    fuzzy = [block.splitlines()[-2:] for msgid, _, block in entries if msgid is None]
    assert fuzzy == [], "fuzzy entries are ignored at run time; translate them"
    untranslated = [msgid for msgid, msgstr, _ in entries if msgid and not msgstr]
    assert untranslated == []


def test_placeholders_survive_translation():
    bad = [msgid for msgid, msgstr, _ in po_entries()
           if msgid and sorted(re.findall(r"%\(\w+\)s", msgid)) != sorted(re.findall(r"%\(\w+\)s", msgstr))]
    assert bad == []


def test_compiled_catalogue_is_up_to_date():
    with open(LOCALE / "django.mo", "rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = [msgid for msgid, msgstr, _ in po_entries() if msgid and catalogue.gettext(msgid) != msgstr]
    assert stale == [], "run `make messages` (compilemessages) and commit the .mo"
