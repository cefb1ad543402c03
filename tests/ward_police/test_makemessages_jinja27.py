"""makemessages reads the Jinja2 page templates with Jinja2's extractor (ward_police/management/commands/makemessages.py)."""

import pytest
from django.core.management.base import CommandError

from ward_police.management.commands.makemessages import jinja_to_python


def test_every_kind_of_translatable_string_is_found_on_its_line():
    source = (
        '{% extends "base.html" %}\n'
        '{% block title %}{{ _("Businesses") }}{% endblock %}\n'
        '{% set label = _("Saved at %(when)s.", when=t) %}\n'
        '{{ ngettext("%(num)s record", "%(num)s records", n) }} {{ pgettext("campaign", "Name") }}\n'
    )
    lines = jinja_to_python(source).splitlines()
    assert lines[1] == "_('Businesses')"
    assert lines[2] == "_('Saved at %(when)s.')"
    assert lines[3] == "ngettext('%(num)s record', '%(num)s records', 0); pgettext('campaign', 'Name')"
    assert lines[0] == ""


def test_a_template_that_does_not_parse_stops_the_command_with_its_name_and_line():
    with pytest.raises(CommandError, match=r"x.html:2: "):
        jinja_to_python('{{ _("a") }}\n{{ now("H:i" as t) }}\n', "x.html")


def test_the_catalogue_has_the_strings_of_the_jinja2_templates():
    import polib
    from django.conf import settings

    po = polib.pofile(str(settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    refs = {e.msgid: " ".join(f for f, _line in e.occurrences) for e in po}
    # a string that is only in a Jinja2 template, written with a named placeholder
    assert "jinja2/partials/offline_copy.html" in refs["Offline copy saved on this phone at %(when)s."]
    assert refs["Offline copy saved on this phone at %(when)s."]
    assert po.find("Offline copy saved on this phone at %(when)s.").msgstr
