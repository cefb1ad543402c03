"""scripts/po_fill.py fills msgids with a context (pgettext) from "context\\u0004msgid" keys."""

import gettext
import importlib.util
import json
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("po_fill", ROOT / "scripts" / "po_fill.py")
po_fill = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(po_fill)


def _catalogue(tmp_path: Path) -> Path:
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
    po.append(polib.POEntry(msgid="Name", msgstr=""))
    po.append(polib.POEntry(msgid="Name", msgctxt="campaign", msgstr=""))
    po.append(polib.POEntry(msgid="Closed", msgctxt="campaign status", msgstr=""))
    path = tmp_path / "django.po"
    po.save(str(path))
    return path


def test_a_msgid_with_a_context_gets_its_own_vietnamese(tmp_path):
    po_path = _catalogue(tmp_path)
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "app.json").write_text(
        json.dumps(
            {"Name": "Họ tên", "campaign\u0004Name": "Tên đợt", "campaign status\u0004Closed": "Đã kết thúc"},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )

    assert po_fill.main([], po_path=po_path, sources=sources) == 0

    with po_path.with_suffix(".mo").open("rb") as fh:
        mo = gettext.GNUTranslations(fh)
    assert mo.gettext("Name") == "Họ tên"
    assert mo.pgettext("campaign", "Name") == "Tên đợt"
    assert mo.pgettext("campaign status", "Closed") == "Đã kết thúc"
    stored = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(po_path))}
    assert stored[("campaign", "Name")] == "Tên đợt"
    assert stored[(None, "Name")] == "Họ tên"


def test_a_context_left_untranslated_is_reported_with_its_context(tmp_path, capsys):
    po_path = _catalogue(tmp_path)
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "app.json").write_text(json.dumps({"Name": "Họ tên"}), encoding="utf-8")

    assert po_fill.main([], po_path=po_path, sources=sources) == 1

    out = capsys.readouterr().out
    assert "campaign\x04Name" in out
    assert "untranslated left: 2" in out


def test_the_javascript_catalogue_is_written_whole_from_its_sources(tmp_path):
    po_path = _catalogue(tmp_path)
    sources = tmp_path / "sources"
    (sources / "djangojs").mkdir(parents=True)
    (sources / "app.json").write_text(
        json.dumps({"Name": "Họ tên", "campaign\u0004Name": "Tên đợt", "campaign status\u0004Closed": "x"}),
        encoding="utf-8",
    )
    (sources / "djangojs" / "admin.json").write_text(
        json.dumps(
            {"Choose all %s": "Chọn tất cả %s", "abbrev. day Monday\u0004Mon": "T2"}, ensure_ascii=False
        ),
        encoding="utf-8",
    )

    assert po_fill.main([], po_path=po_path, sources=sources) == 0

    with (tmp_path / "djangojs.mo").open("rb") as fh:
        js = gettext.GNUTranslations(fh)
    assert js.gettext("Choose all %s") == "Chọn tất cả %s"
    assert js.pgettext("abbrev. day Monday", "Mon") == "T2"
    # The JavaScript entries stay out of the server catalogue.
    assert "Choose all %s" not in {e.msgid for e in polib.pofile(str(po_path))}
