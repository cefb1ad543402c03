"""Page markup lives in templates (jinja2/ for pages, templates/ for printed documents), never in Python
strings: a designer changes a row or a field in a template, and a Django upgrade cannot break a
hand-written copy of its widgets. Docstrings and comments may name tags; string values may not.
SVG drawings (the dashboard's charts, the QR code) are pictures, not page markup, and are allowed."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "businesses", "campaigns", "criteria", "dashboards", "documents", "inspections",
        "violations", "wards", "ward_police")
TAG = re.compile(
    r"<\s*(td|tr|th|table|thead|tbody|input|option|select|textarea|fieldset|legend|label|form|button|"
    r"ul|ol|li|div|span|a|p|h[1-6]|details|summary|section|nav|br|img|html|body|head|meta|link|style)\b",
    re.I,
)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def markup_in_python(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    skip = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            match = TAG.search(node.value)
            if match:
                found.append((node.lineno, match.group(0)))
    return found


def test_the_scan_finds_markup_in_strings_and_f_strings_but_not_in_docstrings():
    source = '''
def rows(items):
    """Writes <tr> rows."""
    # a comment about <td>
    return "".join(f'<tr><td>{i}</td></tr>' for i in items)
'''
    assert markup_in_python(source) == [(5, "<tr")]
    assert markup_in_python('x = "<input type=text>"') == [(1, "<input")]
    assert markup_in_python('x = "<svg><rect/></svg>"') == []


def test_no_app_module_writes_page_markup():
    offenders = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, tag in markup_in_python(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}:{line}: {tag}")
    assert offenders == [], "page markup written in Python:\n" + "\n".join(offenders)
