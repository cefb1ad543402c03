"""static/css/app.css defines each component once: a rule written twice for the same selectors at the
same level (outside or inside the same media query) is two rules that drift apart, as .page-head,
.facts and .actions did. (Grouped rules such as "th, td" then "th" are one component's parts.)"""

import re
from collections import Counter
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"


def selectors_by_context(css: str) -> Counter:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    seen: Counter = Counter()
    context = []
    for token in re.finditer(r"([^{}]+)\{|\}", css):
        if token.group(0) == "}":
            if context:
                context.pop()
            continue
        head = " ".join(token.group(1).split())
        if head.startswith("@"):
            context.append(head)
            continue
        seen[(tuple(c for c in context if c.startswith("@")), head)] += 1
        context.append("rule")
    return seen


def test_the_scan_finds_a_selector_written_twice():
    twice = selectors_by_context(".a { x: 1 }\n@media (max-width: 1px) { .a { y: 2 } }\n.b, .a { z: 3 }\n.a { w: 4 }")
    assert twice[((), ".a")] == 2
    assert twice[((), ".b, .a")] == 1
    assert twice[(("@media (max-width: 1px)",), ".a")] == 1


def test_every_selector_of_app_css_is_defined_once_per_media_query():
    counts = selectors_by_context(CSS.read_text(encoding="utf-8"))
    twice = sorted(f"{' '.join(ctx)} {sel}".strip() for (ctx, sel), n in counts.items() if n > 1)
    assert twice == []
