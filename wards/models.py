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
