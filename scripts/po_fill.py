"""Fill Vietnamese translations into locale/vi/LC_MESSAGES/django.po and compile the .mo.

Usage: python scripts/po_fill.py translations.json   (a JSON object msgid -> msgstr)
       python scripts/po_fill.py --missing            (list msgids still untranslated)
Only empty or fuzzy entries are filled unless --overwrite is given.
"""

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def main(argv: list[str]) -> int:
    po = polib.pofile(str(PO))
    if argv and argv[0] == "--missing":
        missing = [
            e.msgid
            for e in po
            if not e.obsolete and (not e.msgstr and not e.msgstr_plural or "fuzzy" in e.flags)
        ]
        print(json.dumps(dict.fromkeys(missing, ""), ensure_ascii=False, indent=1))
        return 1 if missing else 0
    overwrite = "--overwrite" in argv
    paths = [a for a in argv if not a.startswith("--")]
    table: dict[str, str] = {}
    for path in paths:
        table.update(json.loads(Path(path).read_text(encoding="utf-8")))
    filled = 0
    for entry in po:
        if entry.msgid in table and (overwrite or not entry.msgstr or "fuzzy" in entry.flags):
            if entry.msgid_plural:
                entry.msgstr_plural = {0: table[entry.msgid]}
            else:
                entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    po.metadata["Language"] = "vi"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    po.save_as_mofile(str(PO.with_suffix(".mo")))
    left = [e.msgid for e in po if not e.msgstr and not e.msgstr_plural]
    print(f"filled {filled}; untranslated left: {len(left)}")
    for m in left:
        print("  -", m)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
