"""The names a document prints for its unit, as they were on the document's date."""

import datetime
from dataclasses import dataclass

from django.db.models import F, Q

from .models import Ward, WardNamePeriod


@dataclass(frozen=True)
class UnitNames:
    ward_name: str  # "Phường Điện Biên": the place before the date line comes from it
    unit_name: str  # "CÔNG AN PHƯỜNG ĐIỆN BIÊN"
    superior_unit: str  # "CÔNG AN QUẬN BA ĐÌNH"


def current_superior_unit(ward: Ward) -> str:
    # Since 1/7/2025 a ward police station reports to the provincial police.
    return f"CÔNG AN {ward.province.upper()}" if ward.province else ""


def unit_names_on(ward: Ward, day: datetime.date) -> UnitNames:
    """The ward's names in force on `day`: from its dated history, else its current names."""
    period = (
        WardNamePeriod.objects.filter(ward_id=ward.pk)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by(F("valid_from").desc(nulls_last=True))
        .first()
    )
    if period is None:
        return UnitNames(ward.name, ward.document_unit_name.upper(), current_superior_unit(ward))
    return UnitNames(period.ward_name, period.unit_name.upper(), period.superior_unit.upper())
