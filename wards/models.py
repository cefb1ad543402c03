from django.db import models
from django.utils.translation import gettext_lazy as _


class Ward(models.Model):
    """A commune-level unit (phường/xã): the unit every operational record belongs to."""

    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("Administrative unit code, unique nationwide.")
    )
    province = models.CharField(_("province/city"), max_length=120)
    # Units merged on 1/7/2025 keep the names they had: old records and old spreadsheets use them.
    former_names = models.JSONField(
        _("former names"),
        default=list,
        blank=True,
        help_text=_("Names this ward carried before mergers, e.g. “Phường Điện Biên, quận Ba Đình”."),
    )
    police_unit_name = models.CharField(
        _("police unit name"),
        max_length=160,
        blank=True,
        help_text=_("Issuing unit on documents, e.g. “CÔNG AN PHƯỜNG ĐIỆN BIÊN”."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["province", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.province})"

    @property
    def document_unit_name(self) -> str:
        return self.police_unit_name or f"CÔNG AN {self.name.upper()}"


class ResidentialGroup(models.Model):
    """Tổ dân phố: the smallest unit the ward organises residents by."""

    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, related_name="residential_groups", verbose_name=_("ward")
    )
    name = models.CharField(_("name"), max_length=120)
    leader_name = models.CharField(_("group leader"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("residential group")
        verbose_name_plural = _("residential groups")
        ordering = ["ward", "name"]
        constraints = [
            models.UniqueConstraint(fields=["ward", "name"], name="uniq_residential_group_per_ward")
        ]

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="streets", verbose_name=_("ward"))
    name = models.CharField(_("name"), max_length=160)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("street")
        verbose_name_plural = _("streets")
        ordering = ["ward", "name"]
        constraints = [models.UniqueConstraint(fields=["ward", "name"], name="uniq_street_per_ward")]

    def __str__(self) -> str:
        return self.name


class WardNamePeriod(models.Model):
    """The names a ward and its police station carried over a period, and the unit above them.

    Documents print the names in force on their own date (Decree 30/2020: a unit signs under the
    name it has on the document's date): a 2021 record stays "CÔNG AN QUẬN BA ĐÌNH" above
    "CÔNG AN PHƯỜNG ĐIỆN BIÊN" after the districts stopped operating on 1/7/2025."""

    ward = models.ForeignKey(
        Ward, on_delete=models.CASCADE, related_name="name_periods", verbose_name=_("ward")
    )
    valid_from = models.DateField(
        _("in force from"), null=True, blank=True, help_text=_("Empty: since always.")
    )
    valid_until = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Empty: still in force.")
    )
    ward_name = models.CharField(_("ward name"), max_length=120, help_text=_("e.g. “Phường Điện Biên”."))
    unit_name = models.CharField(
        _("police unit name"), max_length=160, help_text=_("Issuing unit, e.g. “CÔNG AN PHƯỜNG ĐIỆN BIÊN”.")
    )
    superior_unit = models.CharField(
        _("superior unit"), max_length=160, blank=True, help_text=_("e.g. “CÔNG AN QUẬN BA ĐÌNH”.")
    )
    source = models.CharField(
        _("legal source"), max_length=255, blank=True, help_text=_("The act that set these names.")
    )

    class Meta:
        verbose_name = _("ward name period")
        verbose_name_plural = _("ward name periods")
        ordering = ["ward", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_until__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_until")),
                name="ward_name_period_ordered",
                violation_error_message=_("The period ends before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} ({self.valid_from or '…'} – {self.valid_until or '…'})"
