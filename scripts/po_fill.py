"""Fill Vietnamese translations into locale/vi/LC_MESSAGES/django.po and compile the .mo.

The translations live in locale/vi/sources/*.json (one JSON object msgid -> msgstr per app), so
that work on several apps at once never conflicts inside the .po; `make messages` re-extracts the
.po and fills it from every source file.

A msgid with a context (pgettext, {% translate "Name" context "campaign" %}) is keyed as gettext
keys it in the .mo: the context, U+0004, then the msgid ("campaign\u0004Name" in the JSON).

The JavaScript catalogue (djangojs.po/.mo: the admin's date picker and two-box selector, whose
Vietnamese in Django is incomplete) has no extraction step: it is written whole from
locale/vi/sources/djangojs/*.json, keyed the same way.

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
CONTEXT_SEPARATOR = "\x04"


def entry_key(entry: polib.POEntry) -> str:
    """The JSON key of a catalogue entry: "context\\u0004msgid" with a context, else the msgid."""
    return f"{entry.msgctxt}{CONTEXT_SEPARATOR}{entry.msgid}" if entry.msgctxt is not None else entry.msgid


def _split_key(key: str) -> tuple[str | None, str]:
    context, _sep, msgid = key.rpartition(CONTEXT_SEPARATOR)
    return (context if _sep else None), msgid


def write_js_catalogue(*, sources: Path, po_path: Path) -> int:
    """djangojs.po and .mo from every sources/djangojs/*.json; returns the number of entries."""
    table: dict[str, str] = {}
    for path in sorted((sources / "djangojs").glob("*.json")):
        table.update(json.loads(path.read_text(encoding="utf-8")))
    po = polib.POFile()
    po.metadata = {
        "Language": "vi",
        "Plural-Forms": "nplurals=1; plural=0;",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for key, msgstr in sorted(table.items()):
        context, msgid = _split_key(key)
        po.append(polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr))
    po.save(str(po_path))
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    return len(table)


def main(argv: list[str], *, po_path: Path = PO, sources: Path = SOURCES) -> int:
    po = polib.pofile(str(po_path))
    if argv and argv[0] == "--missing":
        missing = [
            entry_key(e)
            for e in po
            if not e.obsolete and (not e.msgstr and not e.msgstr_plural or "fuzzy" in e.flags)
        ]
        print(json.dumps(dict.fromkeys(missing, ""), ensure_ascii=False, indent=1))
        return 1 if missing else 0
    overwrite = True
    paths = [a for a in argv if not a.startswith("--")] or sorted(sources.glob("*.json"))
    table: dict[str, str] = {}
    seen: dict[str, dict[str, str]] = {}
    shared_path = sources / "shared.json"
    shared = json.loads(shared_path.read_text(encoding="utf-8")) if shared_path.exists() else {}
    for path in paths:
        for msgid, msgstr in json.loads(Path(path).read_text(encoding="utf-8")).items():
            seen.setdefault(msgid, {})[Path(path).name] = msgstr
    conflicts = {m: v for m, v in seen.items() if len(set(v.values())) > 1 and m not in shared}
    if conflicts:
        # One msgid, one Vietnamese text: decide it once in shared.json instead of by file order.
        for msgid, versions in conflicts.items():
            print(f"conflicting translations of {msgid!r}: {versions}")
        print(f"resolve them in {shared_path}")
        return 1
    for msgid, versions in seen.items():
        table[msgid] = shared.get(msgid, next(iter(versions.values())))
    filled = 0
    for entry in po:
        key = entry_key(entry)
        if key in table and (overwrite or not entry.msgstr or "fuzzy" in entry.flags):
            if entry.msgid_plural:
                entry.msgstr_plural = {0: table[key]}
            else:
                entry.msgstr = table[key]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
    po.metadata["Language"] = "vi"
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    po.save()
    po.save_as_mofile(str(po_path.with_suffix(".mo")))
    if (sources / "djangojs").is_dir():
        count = write_js_catalogue(sources=sources, po_path=po_path.with_name("djangojs.po"))
        print(f"JavaScript catalogue: {count} entries")
    left = [entry_key(e) for e in po if not e.msgstr and not e.msgstr_plural]
    print(f"filled {filled}; untranslated left: {len(left)}")
    for m in left:
        print("  -", m)
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
