"""Numbering documents made before the register existed, for data migrations.

Uses the historical models a migration passes in (`apps`), never the live ones, so the
migrations that call it keep working when the models change later.
"""

import datetime
from collections.abc import Iterable


def backfill(
    apps,
    *,
    kind: str,
    symbol: str,
    app_label: str,
    model: str,
    lines: Iterable[tuple[int, datetime.date, str, int | None, int]],
) -> None:
    """Number `lines` (ward id, issued on, title, signer id, object id), in the order given, after
    each ward's counter for `kind` and the year, and write their register entries."""
    counter_model = apps.get_model("documents", "RegisterCounter")
    entry_model = apps.get_model("documents", "RegisterEntry")
    content_type, _created = apps.get_model("contenttypes", "ContentType").objects.get_or_create(
        app_label=app_label, model=model
    )
    numbered = set(
        entry_model.objects.filter(kind=kind, content_type=content_type).values_list("object_id", flat=True)
    )
    last = {(c.ward_id, c.year): c.last_number for c in counter_model.objects.filter(kind=kind)}
    entries = []
    for ward_id, issued_on, title, signer_id, object_id in lines:
        if object_id in numbered:
            continue
        key = (ward_id, issued_on.year)
        last[key] = last.get(key, 0) + 1
        entries.append(
            entry_model(
                ward_id=ward_id,
                kind=kind,
                year=issued_on.year,
                number=last[key],
                symbol=symbol,
                issued_on=issued_on,
                title=title[:255],
                signer_id=signer_id,
                content_type_id=content_type.pk,
                object_id=object_id,
            )
        )
    entry_model.objects.bulk_create(entries, batch_size=2000)
    for (ward_id, year), number in last.items():
        counter_model.objects.update_or_create(
            ward_id=ward_id, kind=kind, year=year, defaults={"last_number": number}
        )


def unregister(apps, *, kind: str) -> None:
    """Going back: forget the register lines and counters of `kind`."""
    apps.get_model("documents", "RegisterEntry").objects.filter(kind=kind).delete()
    apps.get_model("documents", "RegisterCounter").objects.filter(kind=kind).delete()
