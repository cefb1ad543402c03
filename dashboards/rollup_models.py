"""Rollups (#28): daily counts per ward × street × residential group × business category (× domain,
stage, status where the source has them), kept exact by `dashboards.rollups` in the transaction of
the write, and rebuilt from the records by `manage.py rebuild_rollups`.

Key columns are plain integers, not foreign keys: 0 stands for "none" (a violation with no street, a
business with no residential group), so the unique key never holds a NULL (NULLs never conflict, and
an upsert needs the conflict). No foreign key also means no index and no check per key column on the
hot path of an inspection submission.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class _Place(models.Model):
    ward_id = models.IntegerField()
    street_id = models.IntegerField(default=0)
    group_id = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} ward {self.ward_id}"


class InspectionDay(_Place):
    """Inspections by local day of `finished_at`, at the business's current street, group and
    category. `first_*` count the inspections that were the business's first of their month,
    quarter or year in the ward: summed over a period, they give the businesses inspected."""

    day = models.DateField()
    category_id = models.IntegerField(default=0)
    n = models.IntegerField(default=0)
    passed = models.IntegerField(default=0)
    reminded = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)
    first_month = models.IntegerField(default=0)
    first_quarter = models.IntegerField(default=0)
    first_year = models.IntegerField(default=0)

    KEY = ("ward_id", "day", "street_id", "group_id", "category_id")
    VALUES = ("n", "passed", "reminded", "failed", "first_month", "first_quarter", "first_year")

    class Meta:
        db_table = "rollup_inspection_day"
        verbose_name = _("inspection rollup (day)")
        constraints = [
            models.UniqueConstraint(
                fields=["ward_id", "day", "street_id", "group_id", "category_id"], name="rollup_insp_day_key"
            )
        ]


class InspectionMonth(_Place):
    """The same counts per month, without the category: what the dashboards read (a year of a ward
    is 12 × its street-group pairs, not a row per inspection)."""

    month = models.DateField()
    n = models.IntegerField(default=0)
    passed = models.IntegerField(default=0)
    reminded = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)
    first_month = models.IntegerField(default=0)
    first_quarter = models.IntegerField(default=0)
    first_year = models.IntegerField(default=0)

    KEY = ("ward_id", "month", "street_id", "group_id")
    VALUES = InspectionDay.VALUES

    class Meta:
        db_table = "rollup_inspection_month"
        verbose_name = _("inspection rollup (month)")
        constraints = [
            models.UniqueConstraint(
                fields=["ward_id", "month", "street_id", "group_id"], name="rollup_insp_month_key"
            )
        ]


class ViolationDay(_Place):
    """Violation records by local day of `occurred_at`, at the record's street and group, by stage
    and status. `domain` "" counts each record once; a domain's rows count the records citing at
    least one violation of that domain (a record in two domains counts in both)."""

    day = models.DateField()
    category_id = models.IntegerField(default=0)
    domain = models.CharField(max_length=30, default="", blank=True)
    stage = models.CharField(max_length=20)
    status = models.CharField(max_length=12)
    n = models.IntegerField(default=0)
    repeat = models.IntegerField(default=0)
    multiple = models.IntegerField(default=0)

    KEY = ("ward_id", "day", "street_id", "group_id", "category_id", "domain", "stage", "status")
    VALUES = ("n", "repeat", "multiple")

    class Meta:
        db_table = "rollup_violation_day"
        verbose_name = _("violation rollup (day)")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "ward_id",
                    "day",
                    "street_id",
                    "group_id",
                    "category_id",
                    "domain",
                    "stage",
                    "status",
                ],
                name="rollup_viol_day_key",
            )
        ]


class CommitmentDay(_Place):
    """Commitments by the day they fall due: how many, kept (fulfilled) and still open. Open ones
    before today are the overdue commitments."""

    day = models.DateField()
    category_id = models.IntegerField(default=0)
    due = models.IntegerField(default=0)
    kept = models.IntegerField(default=0)
    open = models.IntegerField(default=0)

    KEY = ("ward_id", "day", "street_id", "group_id", "category_id")
    VALUES = ("due", "kept", "open")

    class Meta:
        db_table = "rollup_commitment_day"
        verbose_name = _("commitment rollup (day)")
        constraints = [
            models.UniqueConstraint(
                fields=["ward_id", "day", "street_id", "group_id", "category_id"],
                name="rollup_commit_day_key",
            )
        ]


class FeedbackDay(_Place):
    """Citizens' feedback by the local day it was received: received, answered (a first response
    given) and the sum of the response times in seconds (their mean = sum / answered)."""

    day = models.DateField()
    category_id = models.IntegerField(default=0)
    received = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)
    response_seconds = models.BigIntegerField(default=0)

    KEY = ("ward_id", "day", "street_id", "group_id", "category_id")
    VALUES = ("received", "answered", "response_seconds")

    class Meta:
        db_table = "rollup_feedback_day"
        verbose_name = _("feedback rollup (day)")
        constraints = [
            models.UniqueConstraint(
                fields=["ward_id", "day", "street_id", "group_id", "category_id"],
                name="rollup_feedback_day_key",
            )
        ]


class DecisionDay(_Place):
    """Sanction decisions signed (event "signed", amount = the fine) and fines paid (event "paid",
    amount = the amount paid) by local day, per decision kind, at the record's street and group."""

    day = models.DateField()
    category_id = models.IntegerField(default=0)
    kind = models.CharField(max_length=12)
    event = models.CharField(max_length=8)
    n = models.IntegerField(default=0)
    amount = models.BigIntegerField(default=0)

    KEY = ("ward_id", "day", "street_id", "group_id", "category_id", "kind", "event")
    VALUES = ("n", "amount")

    class Meta:
        db_table = "rollup_decision_day"
        verbose_name = _("decision rollup (day)")
        constraints = [
            models.UniqueConstraint(
                fields=["ward_id", "day", "street_id", "group_id", "category_id", "kind", "event"],
                name="rollup_decision_day_key",
            )
        ]


class WardMonth(models.Model):
    """Per ward and month, what the city view ranks: inspections (with the first of each
    business's month, quarter and year) and violation records. A projection of the tables above,
    kept with them; a year of a city of 200 wards is 2,400 rows."""

    ward_id = models.IntegerField()
    month = models.DateField()
    n = models.IntegerField(default=0)
    failed = models.IntegerField(default=0)
    first_month = models.IntegerField(default=0)
    first_quarter = models.IntegerField(default=0)
    first_year = models.IntegerField(default=0)
    violations = models.IntegerField(default=0)

    KEY = ("ward_id", "month")
    VALUES = ("n", "failed", "first_month", "first_quarter", "first_year", "violations")

    class Meta:
        db_table = "rollup_ward_month"
        verbose_name = _("ward rollup (month)")
        constraints = [models.UniqueConstraint(fields=["ward_id", "month"], name="rollup_ward_month_key")]

    def __str__(self) -> str:
        return f"ward {self.ward_id} {self.month:%m/%Y}"


class WardBusinesses(models.Model):
    """Businesses per ward and status, today (the city view's operating businesses per ward)."""

    ward_id = models.IntegerField()
    status = models.CharField(max_length=12)
    n = models.IntegerField(default=0)

    KEY = ("ward_id", "status")
    VALUES = ("n",)

    class Meta:
        db_table = "rollup_ward_businesses"
        verbose_name = _("businesses per ward")
        constraints = [
            models.UniqueConstraint(fields=["ward_id", "status"], name="rollup_ward_businesses_key")
        ]

    def __str__(self) -> str:
        return f"ward {self.ward_id} {self.status}: {self.n}"
