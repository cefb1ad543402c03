"""The register of document numbers (sổ đăng ký văn bản): one gapless sequence per ward, kind
and year, drawn in the transaction that signs or finalises the document.

Feature apps call `register_issue` from their signing service, inside its transaction; documents
never imports them (the entry points at the record through a content type and an id).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from wards.models import Ward

from .models import DEFAULT_SYMBOLS, RegisterCounter, RegisterEntry, RegisterKind


def _next_number(*, ward: Ward, kind: str, year: int) -> int:
    """Take the next number of the ward's counter for `kind` and `year`.

    The counter row stays locked (SELECT ... FOR UPDATE) until the caller's transaction ends, so
    concurrent signings queue on it: numbers never repeat, and a signing that rolls back gives
    its number back, so they never skip either. `get_or_create` handles two first signings of a
    year racing to create the row (the loser re-reads the winner's row)."""
    RegisterCounter.objects.get_or_create(ward=ward, kind=kind, year=year)
    counter = RegisterCounter.objects.select_for_update().get(ward=ward, kind=kind, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def register_issue(
    *,
    ward: Ward,
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
    `entry.number_text` ("01/BB-VPHC") what prints after "Số:"."""
    if kind not in RegisterKind.values:
        raise ValueError(f"Unknown register kind {kind!r}")
    symbol = symbol or DEFAULT_SYMBOLS[kind]
    with transaction.atomic():
        number = _next_number(ward=ward, kind=kind, year=year)
        return RegisterEntry.objects.create(
            ward=ward,
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
