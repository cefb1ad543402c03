from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import ResidentialGroup, Street, Ward


def street_create(*, ward: Ward, name: str) -> Street:
    name = " ".join(name.split())
    try:
        with transaction.atomic():
            return Street.objects.create(ward=ward, name=name)
    except IntegrityError as exc:
        raise ValidationError({"name": _("This ward already has a street with that name.")}) from exc


def residential_group_create(*, ward: Ward, name: str, leader_name: str = "") -> ResidentialGroup:
    name = " ".join(name.split())
    try:
        with transaction.atomic():
            return ResidentialGroup.objects.create(ward=ward, name=name, leader_name=leader_name)
    except IntegrityError as exc:
        raise ValidationError(
            {"name": _("This ward already has a residential group with that name.")}
        ) from exc
