"""The phone form: one radio group per checklist item, built from the checklist version."""

import uuid
from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from businesses.models import Business, InspectionResult
from violations.domains import Domain
from ward_police.widgets import DayInput
from wards.models import Street

from .images import ProcessedImage, process_photo, process_signature
from .models import AnswerStatus, ChecklistItem, ChecklistSection, ChecklistVersion, PersonRole
from .selectors import InspectionFilters, ward_inspector_rows, ward_inspectors
from .services import AnswerInput, CommitmentInput, PhotoInput
from .structure import catalogue_in_force

MAX_PHOTOS_PER_INSPECTION = 20
DATE_WIDGET = DayInput()


class InspectorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class InspectionForm(forms.Form):
    submission_id = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=60)
    started_at = forms.DateTimeField(widget=forms.HiddenInput)
    latitude = forms.DecimalField(
        widget=forms.HiddenInput, required=False, max_digits=9, decimal_places=6, min_value=-90, max_value=90
    )
    longitude = forms.DecimalField(
        widget=forms.HiddenInput,
        required=False,
        max_digits=10,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )
    gps_accuracy_m = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    inspectors = InspectorChoiceField(
        label=_("Inspecting officers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one inspecting officer.")},
    )
    partner_forces = forms.CharField(
        label=_("Partner forces present"),
        required=False,
        max_length=300,
        help_text=_("e.g. Youth Union, civil defence, urban-order staff."),
    )
    person_present_name = forms.CharField(
        label=_("Person present (full name)"),
        max_length=120,
        error_messages={"required": _("Enter the name of the owner or the person present.")},
    )
    person_present_role = forms.ChoiceField(
        label=_("Capacity"), choices=PersonRole.choices, initial=PersonRole.OWNER
    )
    remarks = forms.CharField(
        label=_("Remarks"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    commitment = forms.BooleanField(label=_("The owner signs a commitment (ký cam kết)"), required=False)
    commitment_text = forms.CharField(
        label=_("Commitment"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    commitment_deadline = forms.DateField(label=_("Fix by"), required=False, widget=DATE_WIDGET)
    signature_data = forms.CharField(widget=forms.HiddenInput, required=False)
    refused_to_sign = forms.BooleanField(label=_("Refused to sign"), required=False)
    witness_name = forms.CharField(label=_("Witness (full name)"), required=False, max_length=120)
    refusal_reason = forms.CharField(label=_("Reason for refusing to sign"), required=False, max_length=300)

    def __init__(
        self,
        *args: Any,
        business: Business,
        version: ChecklistVersion,
        sections: list[tuple[ChecklistSection, list[ChecklistItem]]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.business = business
        self.version = version
        self.sections = sections
        inspectors = self.fields["inspectors"]
        inspectors.queryset = ward_inspectors(business.ward_id)  # validates the answer
        inspectors.choices = [
            (u.pk, inspectors.label_from_instance(u)) for u in ward_inspector_rows(business.ward_id)
        ]
        self.item_names: list[tuple[ChecklistItem, str, str, str]] = []
        # A critical item citing no violation in force asks for one when it fails (#26.4).
        self.type_names: dict[int, str] = {}
        critical = [item for _section, items in sections for item in items if item.is_critical]
        type_choices = self._violation_type_choices() if critical else []
        in_force = {code for _group, options in type_choices[1:] for code, _title in options}
        # Translated once for the form, not once per item and option (the lazy texts were ~2 ms of
        # a 13-item checklist's page).
        choices = [(value, str(label)) for value, label in AnswerStatus.choices]
        required = {"required": gettext("Choose: meets, does not meet, or not applicable.")}
        note_label = gettext("Note")
        for _section, items in sections:
            for item in items:
                answer, note, photo = f"item-{item.pk}", f"note-{item.pk}", f"photo-{item.pk}"
                self.fields[answer] = forms.ChoiceField(
                    label=item.question, choices=choices, widget=forms.RadioSelect, error_messages=required
                )
                self.fields[note] = forms.CharField(label=note_label, required=False, max_length=500)
                self.item_names.append((item, answer, note, photo))
                if item.is_critical and not any(t.code in in_force for t in item.violation_types.all()):
                    name = f"vtype-{item.pk}"
                    self.fields[name] = forms.ChoiceField(
                        label=gettext("Violation found (when not met)"), required=False, choices=type_choices
                    )
                    self.type_names[item.pk] = name
        self.fields["violation_type"] = forms.ChoiceField(
            label=_("Another violation found"),
            required=False,
            choices=type_choices or self._violation_type_choices(),
            help_text=_(
                "Optional: a violation the checklist's items do not cite; it is added to the proposed record."
            ),
        )
        self.processed_photos: list[PhotoInput] = []
        self.signature_png: bytes | None = None

    @staticmethod
    def _violation_type_choices() -> list:
        """The catalogue in force today, grouped by domain (kept in the cache)."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for code, title, domain in catalogue_in_force(timezone.localdate()):
            groups.setdefault(domain, []).append((code, title))
        labels = dict(Domain.choices)
        return [("", gettext("— Choose the violation —"))] + [
            (str(labels.get(domain, domain)), options) for domain, options in groups.items()
        ]

    # The template walks sections -> items -> bound fields.
    def section_rows(self) -> list[dict]:
        rows = []
        names = {item.pk: (a, n, p) for item, a, n, p in self.item_names}
        for section, items in self.sections:
            entries = []
            for item in items:
                answer, note, photo = names[item.pk]
                type_name = self.type_names.get(item.pk)
                entries.append(
                    {
                        "item": item,
                        "answer": self[answer],
                        "note": self[note],
                        "photo_name": photo,
                        "violation_type": self[type_name] if type_name else None,
                    }
                )
            rows.append({"section": section, "items": entries})
        return rows

    def clean_version(self) -> int:
        if self.cleaned_data["version"] != self.version.pk:
            raise ValidationError(_("The checklist changed; reload the form."))
        return self.cleaned_data["version"]

    def clean_started_at(self):
        started = self.cleaned_data["started_at"]
        now = timezone.now()
        if started > now + timedelta(minutes=5) or started < now - timedelta(days=7):
            raise ValidationError(_("The start time is not plausible; reload the form."))
        return min(started, now)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("commitment"):
            if not (data.get("commitment_text") or "").strip():
                self.add_error("commitment_text", _("Write what the owner commits to."))
            if data.get("refused_to_sign"):
                if not (data.get("witness_name") or "").strip():
                    self.add_error("witness_name", _("When the person refuses to sign, name a witness."))
            elif not data.get("signature_data"):
                self.add_error(
                    "signature_data", _("Ask the person to sign, or mark that they refused to sign.")
                )
            else:
                try:
                    self.signature_png = process_signature(data["signature_data"])
                except ValidationError as exc:
                    self.add_error("signature_data", exc)
        for item, answer, _n, _p in self.item_names:
            type_name = self.type_names.get(item.pk)
            if type_name and data.get(answer) == AnswerStatus.FAIL and not data.get(type_name):
                self.add_error(
                    type_name,
                    _(
                        "This critical item is not met: choose the violation found, so that a violation "
                        "record is proposed."
                    ),
                )
        self._clean_photos()
        return data

    def _clean_photos(self) -> None:
        uploads: list[tuple[int | None, Any]] = [(None, f) for f in self.files.getlist("photos")]
        for item, _a, _n, photo_name in self.item_names:
            uploads.extend((item.pk, f) for f in self.files.getlist(photo_name))
        if len(uploads) > MAX_PHOTOS_PER_INSPECTION:
            self.add_error(
                None,
                _("At most %(count)s photos per inspection.") % {"count": MAX_PHOTOS_PER_INSPECTION},
            )
            return
        for item_id, upload in uploads:
            try:
                image: ProcessedImage = process_photo(upload)
            except ValidationError as exc:
                self.add_error(None, exc)
            else:
                self.processed_photos.append(PhotoInput(image=image, item_id=item_id))

    @property
    def had_uploads(self) -> bool:
        return bool(self.files)

    def answers(self) -> list[AnswerInput]:
        return [
            AnswerInput(
                item_id=item.pk,
                status=self.cleaned_data[answer],
                note=self.cleaned_data.get(note, "").strip(),
                violation_type=self.cleaned_data.get(self.type_names.get(item.pk, ""), "") or "",
            )
            for item, answer, note, _p in self.item_names
        ]

    def commitment_input(self) -> CommitmentInput | None:
        data = self.cleaned_data
        if not data.get("commitment"):
            return None
        return CommitmentInput(
            text=data["commitment_text"],
            deadline=data.get("commitment_deadline"),
            signature_png=None if data.get("refused_to_sign") else self.signature_png,
            refused_to_sign=bool(data.get("refused_to_sign")),
            witness_name=data.get("witness_name", ""),
            refusal_reason=data.get("refusal_reason", ""),
        )

    @staticmethod
    def new_initial(*, user: User, version: ChecklistVersion, source: str, owner_name: str) -> dict:
        return {
            "submission_id": uuid.uuid4(),
            "version": version.pk,
            "source": source,
            "started_at": timezone.now().isoformat(timespec="seconds"),
            "inspectors": [user.pk],
            "person_present_name": owner_name,
        }


class InspectionFilterForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", _("All results")), *InspectionResult.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
    officer = forms.ModelChoiceField(label=_("Officer"), required=False, queryset=User.objects.none())
    street = forms.ModelChoiceField(label=_("Street"), required=False, queryset=Street.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ward_ids = user.visible_ward_ids()
        officers = User.objects.filter(is_active=True).order_by("full_name", "username")
        streets = Street.objects.order_by("name")
        if ward_ids is not None:
            officers = officers.filter(ward_id__in=ward_ids)
            streets = streets.filter(ward_id__in=ward_ids)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["street"].queryset = streets

    def clean(self) -> dict:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    def filters(self) -> InspectionFilters:
        if not self.is_valid():
            return InspectionFilters()
        data = self.cleaned_data
        return InspectionFilters(
            result=data.get("result") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            officer_id=data["officer"].pk if data.get("officer") else None,
            street_id=data["street"].pk if data.get("street") else None,
        )
