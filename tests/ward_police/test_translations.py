"""The Vietnamese catalogue is complete, and the compiled .mo matches it (make run needs no gettext)."""

import ast
import gettext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def parse_po(path: Path) -> dict[str, str]:
    entries: dict[str, str] = {}
    msgid = msgstr = msgctxt = None
    target = None
    fuzzy = False
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgctxt "):
            msgctxt, target = ast.literal_eval(line[8:]), "ctxt"
        elif line.startswith('"') and target == "ctxt":
            msgctxt += ast.literal_eval(line)
        elif line.startswith("msgid "):
            msgid, msgstr, target = ast.literal_eval(line[6:]), None, "id"
        elif line.startswith("msgid_plural"):
            target = "plural"
        elif line.startswith("msgstr ") or line.startswith("msgstr[0]"):
            msgstr, target = ast.literal_eval(line.split(" ", 1)[1]), "str"
        elif line.startswith('"') and target == "id":
            msgid += ast.literal_eval(line)
        elif line.startswith('"') and target == "str":
            msgstr += ast.literal_eval(line)
        elif not line:
            if msgid:
                # Keyed as in the .mo: "context\x04msgid" for pgettext entries.
                key = f"{msgctxt}\x04{msgid}" if msgctxt is not None else msgid
                entries[key] = "" if fuzzy else (msgstr or "")
            msgid = msgstr = msgctxt = target = None
            fuzzy = False
    return entries


def test_every_message_has_a_vietnamese_translation():
    entries = parse_po(PO)
    assert len(entries) > 50
    missing = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert missing == []


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)

    def compiled(key: str) -> str:
        if "\x04" in key:
            return catalogue.pgettext(*key.split("\x04", 1))
        return catalogue.gettext(key)

    stale = [msgid for msgid, msgstr in parse_po(PO).items() if compiled(msgid) != msgstr]
    assert stale == [], "run `make messages` and commit locale/vi/LC_MESSAGES/django.mo"
