from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat, floatformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AssessmentScore, CriteriaSet, CriterionKind, SetStatus
from .periods import Period
from .uploads import MAX_FILES_PER_UPLOAD, validate_evidence_file


class AssessmentCreateForm(forms.Form):
    PERIOD_KINDS = [("quarter", _("Quarter")), ("year", _("Whole year"))]
    QUARTERS = [(1, "I"), (2, "II"), (3, "III"), (4, "IV")]

    period_kind = forms.ChoiceField(label=_("Period"), choices=PERIOD_KINDS, initial="quarter")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=QUARTERS, coerce=int, required=False)
    criteria_set = forms.ModelChoiceField(
        label=_("Criteria set"), queryset=CriteriaSet.objects.filter(status=SetStatus.PUBLISHED)
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        current = Period.quarter_of(today)
        self.fields["year"].initial = current.year
        self.fields["quarter"].initial = current.quarter
        self.fields["criteria_set"].queryset = CriteriaSet.objects.filter(
            status=SetStatus.PUBLISHED
        ).order_by("-valid_from", "-version")

    def clean(self) -> dict:
        data = super().clean()
        if data.get("period_kind") == "quarter" and not data.get("quarter"):
            self.add_error("quarter", _("Choose the quarter."))
        if "year" in data and data.get("period_kind"):
            quarter = (data.get("quarter") or 0) if data["period_kind"] == "quarter" else 0
            data["period"] = Period(data["year"], quarter)
        return data


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise ValidationError(_("Attach at most %(n)s files at a time.") % {"n": MAX_FILES_PER_UPLOAD})
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for f in cleaned:
            validate_evidence_file(f)
        return cleaned


class ScoreForm(forms.Form):
    HOLDS_CHOICES = [("", _("Not assessed yet")), ("yes", _("Holds")), ("no", _("Does not hold"))]

    # Localized: an officer types "8,5" as Vietnamese write it.
    points = forms.DecimalField(
        label=_("Points"), min_value=Decimal(0), decimal_places=2, required=False, localize=True
    )
    passed = forms.ChoiceField(label=_("Result"), choices=HOLDS_CHOICES, required=False)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, JPEG, PNG or WebP, up to 10 MB each."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
    )

    def __init__(self, *args, score: AssessmentScore, **kwargs) -> None:
        self.score = score
        criterion = score.criterion
        initial = {
            "points": score.points,
            "passed": "" if score.passed is None else ("yes" if score.passed else "no"),
            "comment": score.comment,
        }
        super().__init__(*args, initial=initial, **kwargs)
        if criterion.kind == CriterionKind.PASS_FAIL:
            del self.fields["points"]
        else:
            del self.fields["passed"]
            self.fields["points"].max_value = criterion.max_points
            self.fields["points"].widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})
            self.fields["points"].help_text = _("From 0 to %(max)s.") % {
                "max": floatformat(criterion.max_points, "-2")
            }

    def clean_points(self) -> Decimal | None:
        points = self.cleaned_data.get("points")
        maximum = self.score.criterion.max_points
        if points is not None and points > maximum:
            raise ValidationError(
                _("Points must be between 0 and %(max)s.") % {"max": floatformat(maximum, "-2")}
            )
        return points

    def clean_passed(self) -> bool | None:
        value = self.cleaned_data.get("passed")
        return None if not value else value == "yes"


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What has to be corrected"), widget=forms.Textarea(attrs={"rows": 3}))


class CriteriaSetImportForm(forms.Form):
    # A real export is a few dozen kilobytes; the limit keeps a wrong file out of memory.
    MAX_BYTES = 2 * 1024 * 1024

    file = forms.FileField(label=_("Criteria set file (JSON)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)s; a criteria set export is much smaller.")
                % {"limit": filesizeformat(self.MAX_BYTES)}
            )
        return upload
