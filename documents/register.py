"""The register of document numbers (sổ đăng ký văn bản): one gapless sequence per ward, kind
and year, drawn in the transaction that signs or finalises the document.

Feature apps call `register_issue` from their signing service, inside its transaction; documents
never imports them (the entry points at the record through a content type and an id).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from wards.models import Ward

from .models import DEFAULT_SYMBOLS, RegisterCounter, RegisterEntry, RegisterKind


def _next_number(*, ward_id: int, kind: str, year: int) -> int:
    """Take the next number of the ward's counter for `kind` and `year`.

    The counter row stays locked (SELECT ... FOR UPDATE) until the caller's transaction ends, so
    concurrent signings queue on it: numbers never repeat, and a signing that rolls back gives
    its number back, so they never skip either. `get_or_create` handles two first signings of a
    year racing to create the row (the loser re-reads the winner's row)."""
    RegisterCounter.objects.get_or_create(ward_id=ward_id, kind=kind, year=year)
    counter = RegisterCounter.objects.select_for_update().get(ward_id=ward_id, kind=kind, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def register_issue(
    *,
    ward: Ward | int,
    kind: str,
    year: int,
    issued_on: datetime.date,
    title: str,
    signer: Any,
    obj: models.Model,
    symbol: str | None = None,
) -> RegisterEntry:
    """Give `obj` the next number of `kind` for `ward` and `year`, and write it in the register.

    Call it inside the transaction that signs the document: if that transaction rolls back, the
    number and the entry go with it. `entry.number` is the number to store on the record,
    `entry.number_text` ("01/BB-VPHC") what prints after "Số:". `ward` is the ward or its id."""
    if kind not in RegisterKind.values:
        raise ValueError(f"Unknown register kind {kind!r}")
    symbol = symbol or DEFAULT_SYMBOLS[kind]
    ward_id = ward if isinstance(ward, int) else ward.pk
    with transaction.atomic():
        number = _next_number(ward_id=ward_id, kind=kind, year=year)
        return RegisterEntry.objects.create(
            ward_id=ward_id,
            kind=kind,
            year=year,
            number=number,
            symbol=symbol,
            issued_on=issued_on,
            title=title[:255],
            signer=signer,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
        )


def register_entry_for(obj: models.Model, kind: str) -> RegisterEntry | None:
    """The register line of `obj` for `kind`, or None while it is a draft."""
    return RegisterEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
    ).first()


@dataclass(frozen=True)
class BulkLine:
    """A document already made (demo data, records loaded in bulk) that needs its register line."""

    ward_id: int
    issued_on: datetime.date
    title: str
    signer_id: int | None
    object_id: int


REGISTER_ROW_FIELDS = [
    "ward_id",
    "kind",
    "year",
    "number",
    "symbol",
    "issued_on",
    "title",
    "signer_id",
    "content_type_id",
    "object_id",
    "created_at",
]


def register_bulk_rows(*, kind: str, model: type[models.Model], lines: Iterable[BulkLine]) -> list[tuple]:
    """Number `lines` in the order given, after each (ward, year) counter, move the counters on,
    and return the register rows (values for REGISTER_ROW_FIELDS) for the caller to insert in
    bulk in the same transaction. For loaders only: a signing goes through `register_issue`."""
    symbol = DEFAULT_SYMBOLS[kind]
    content_type_id = ContentType.objects.get_for_model(model).pk
    lines = list(lines)
    wards = {line.ward_id for line in lines}
    last = {
        (c.ward_id, c.year): c.last_number
        for c in RegisterCounter.objects.select_for_update().filter(ward_id__in=wards, kind=kind)
    }
    for ward_id, year, top in (
        RegisterEntry.objects.filter(ward_id__in=wards, kind=kind)
        .values_list("ward_id", "year")
        .annotate(top=Max("number"))
        .order_by()
    ):
        last[(ward_id, year)] = max(last.get((ward_id, year), 0), top)
    now = timezone.now()
    rows = []
    for line in lines:
        key = (line.ward_id, line.issued_on.year)
        last[key] = last.get(key, 0) + 1
        rows.append(
            (
                line.ward_id,
                kind,
                line.issued_on.year,
                last[key],
                symbol,
                line.issued_on,
                line.title[:255],
                line.signer_id,
                content_type_id,
                line.object_id,
                now,
            )
        )
    for (ward_id, year), number in last.items():
        RegisterCounter.objects.update_or_create(
            ward_id=ward_id, kind=kind, year=year, defaults={"last_number": number}
        )
    return rows
