"""``makemessages`` that also reads the Jinja2 page templates (jinja2/).

Django's extractor reads every ``.html`` file as a Django template; in a Jinja2 template it would
miss ``{{ _("Text", name=value) }}``, ``ngettext(...)``, ``pgettext(...)`` and strings in ``{% set %}``.
Files under a ``jinja2`` folder are read with Jinja2's own extractor instead: each translatable
string becomes a Python call on the line it was found on, which xgettext then reads as it reads
any Python file (so the catalogue's "#:" references point at the template's lines).
"""

from __future__ import annotations

import os

from django.core.management.base import CommandError
from django.core.management.commands import makemessages
from jinja2 import Environment, TemplateSyntaxError
from jinja2.ext import babel_extract

# How many leading arguments of each function are its strings (msgctxt, msgid, msgid_plural).
STRINGS = {"_": 1, "gettext": 1, "ngettext": 2, "pgettext": 2, "npgettext": 3}
KEYWORDS = tuple(STRINGS)


def jinja_to_python(source: str, name: str = "<template>") -> str:
    """The translatable strings of a Jinja2 template as Python calls, each on its template line.
    A template that does not parse stops the command (Jinja2's extractor would skip it silently)."""
    try:
        Environment(extensions=["jinja2.ext.i18n"]).parse(source, name=name)
    except TemplateSyntaxError as error:
        raise CommandError(f"{name}:{error.lineno}: {error.message}") from error
    lines: dict[int, list[str]] = {}
    for lineno, function, message, _comments in babel_extract(
        _Source(source), KEYWORDS, [], {"extensions": "jinja2.ext.i18n", "trim_blocks": "true"}
    ):
        args = message if isinstance(message, tuple) else (message,)
        strings = args[: STRINGS[function]]  # keyword arguments and the count come back as None
        literals = ", ".join(repr(a) for a in strings) + (", 0" if function.startswith(("ngettext", "npgettext")) else "")
        lines.setdefault(lineno, []).append(f"{function}({literals})")
    total = source.count("\n") + 1
    return "\n".join("; ".join(lines.get(n, [])) for n in range(1, total + 1)) + "\n"


class _Source:
    """The file object babel_extract reads (it wants bytes)."""

    def __init__(self, text: str) -> None:
        self._data = text.encode("utf-8")

    def read(self) -> bytes:
        return self._data


def _is_jinja(path: str) -> bool:
    return f"{os.sep}jinja2{os.sep}" in os.path.normpath(path) or os.path.normpath(path).startswith(
        f"jinja2{os.sep}"
    )


class BuildFile(makemessages.BuildFile):
    def preprocess(self) -> None:
        if self.is_templatized and self.domain == "django" and _is_jinja(self.path):
            with open(self.path, encoding="utf-8") as fp:
                content = jinja_to_python(fp.read(), self.path)
            with open(self.work_path, "w", encoding="utf-8") as fp:
                fp.write(content)
            return
        super().preprocess()


class Command(makemessages.Command):
    build_file_class = BuildFile
