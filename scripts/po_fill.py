"""Fill Vietnamese translations into locale/vi/LC_MESSAGES/django.po and compile the .mo.

The translations live in locale/vi/sources/*.json (one JSON object msgid -> msgstr per app), so
that work on several apps at once never conflicts inside the .po; `make messages` re-extracts the
.po and fills it from every source file.

Usage: python scripts/po_fill.py                (fill from every locale/vi/sources/*.json)
       python scripts/po_fill.py --missing      (print msgids still untranslated, as JSON)
"""

import json
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "vi"
PO = LOCALE / "LC_MESSAGES" / "django.po"
SOURCES = LOCALE / "sources"


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
    overwrite = True
    paths = [a for a in argv if not a.startswith("--")] or sorted(SOURCES.glob("*.json"))
    table: dict[str, str] = {}
    seen: dict[str, dict[str, str]] = {}
    shared_path = SOURCES / "shared.json"
    shared = json.loads(shared_path.read_text(encoding="utf-8")) if shared_path.exists() else {}
    for path in paths:
        for msgid, msgstr in json.loads(Path(path).read_text(encoding="utf-8")).items():
            seen.setdefault(msgid, {})[Path(path).name] = msgstr
    conflicts = {m: v for m, v in seen.items() if len(set(v.values())) > 1 and m not in shared}
    if conflicts:
        # One msgid, one Vietnamese text: decide it once in shared.json instead of by file order.
        for msgid, versions in conflicts.items():
            print(f"conflicting translations of {msgid!r}: {versions}")
        print(f"resolve them in {shared_path.relative_to(SOURCES.parent.parent.parent)}")
        return 1
    for msgid, versions in seen.items():
        table[msgid] = shared.get(msgid, next(iter(versions.values())))
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
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
