from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from businesses.models import Business
from ward_police.images import process_signature
from ward_police.widgets import DayInput, DayTimeInput
from wards.models import ResidentialGroup, Street
from wards.places import GROUP, STREET, PagePlaces, set_choices
from wards.scoping import scope_to_user

from .domains import Domain
from .models import (
    DecisionKind,
    ExplanationRight,
    NoSanctionGround,
    Sanction,
    Sex,
    SignerTitle,
    Stage,
    Status,
    ViolatorKind,
    WitnessRole,
)
from .selectors import catalogue_titles


def _text(label: Any, max_length: int = 255, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, required=False, **kwargs)


def _area(label: Any, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}), **kwargs)


def _choice(label: Any, choices: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "—")] + list(choices), required=False)


def type_choices() -> list[tuple[str, str]]:
    """One choice per violation code (its latest title), by title, from the cache; the service
    picks the version in force on the day the violation happened."""
    return list(catalogue_titles()[0])


class ViolationDraftForm(forms.Form):
    business = forms.ModelChoiceField(
        label=_("Business"),
        queryset=Business.objects.none(),
        required=False,
        help_text=_("Leave empty when the violator is a person without a business."),
    )
    violator_kind = forms.ChoiceField(label=_("The violator is"), choices=ViolatorKind.choices)
    person_name = forms.CharField(label=_("Violator's name"), max_length=120, required=False)
    person_id_number = forms.CharField(
        label=_("Violator's citizen ID number (CCCD)"), max_length=12, required=False
    )
    person_address = forms.CharField(label=_("Violator's address"), max_length=255, required=False)
    types = forms.MultipleChoiceField(
        label=_("Violations"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The decree article in force on the day it happened is applied."),
    )
    occurred_at = forms.DateTimeField(label=_("Happened at"), widget=DayTimeInput())
    discovered_at = forms.DateTimeField(label=_("Discovered at"), widget=DayTimeInput())
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    street = forms.ModelChoiceField(label=_("Street"), queryset=Street.objects.none(), required=False)
    residential_group = forms.ModelChoiceField(
        label=_("Residential group"), queryset=ResidentialGroup.objects.none(), required=False
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}))
    stage = forms.ChoiceField(
        label=_("Stage"),
        choices=[("", _("As the ladder suggests"))] + list(Stage.choices),
        required=False,
    )
    sanction = forms.ChoiceField(label=_("Proposed sanction"), choices=Sanction.choices)
    fine_amount = forms.IntegerField(label=_("Proposed fine (đồng)"), min_value=0, required=False)
    is_complex = forms.BooleanField(
        label=_("Complex case (5 working days to make the record)"), required=False
    )
    is_deliberate = forms.BooleanField(label=_("Deliberate violation"), required=False)

    # --- the parts of forms MBB01 / MBB02 (Decree 118/2021 annex, as amended by Decree 68/2025)
    made_at = forms.DateTimeField(
        label=_("Record made at"),
        required=False,
        widget=DayTimeInput(),
        help_text=_("When the record was made on site: printed as “Hôm nay, hồi … giờ … phút”."),
    )
    made_place = _text(_("Record made at (place)"))
    made_place_reason = _text(
        _("Reason the record was made at the office or elsewhere"),
        help_text=_("Only when the record was not made where the violation happened."),
    )
    finished_at = forms.DateTimeField(label=_("Record finished at"), required=False, widget=DayTimeInput())
    pages = forms.IntegerField(label=_("Number of pages"), min_value=1, max_value=99, required=False)
    copies = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=99, required=False)
    person_sex = _choice(_("Sex"), Sex.choices)
    person_birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DayInput())
    person_nationality = _text(_("Nationality"), 60)
    person_occupation = _text(_("Occupation"), 120)
    person_id_issued_on = forms.DateField(label=_("ID issued on"), required=False, widget=DayInput())
    person_id_issued_by = _text(_("ID issued by"), 160)
    org_head_office = _text(_("Head office address"))
    org_enterprise_code = _text(_("Enterprise code"), 14)
    org_registration_number = _text(
        _("Registration certificate or licence number"),
        40,
        help_text=_("Business, investment registration certificate, or establishment/operation licence."),
    )
    org_registration_issued_on = forms.DateField(
        label=_("Registration issued on"), required=False, widget=DayInput()
    )
    org_registration_issued_by = _text(_("Registration issued by"), 160)
    org_representative = _text(_("Legal representative"), 120)
    org_representative_sex = _choice(_("Legal representative's sex"), Sex.choices)
    org_representative_title = _text(_("Legal representative's title"), 120)
    witness_name = _text(_("Witness or ward representative"), 120)
    witness_role = _choice(_("Their role"), WitnessRole.choices)
    witness_detail = _text(_("Their occupation or position"), 160)
    witness_address = _text(_("Their address or agency"))
    translator_name = _text(_("Translator"), 120)
    translator_occupation = _text(_("Translator's occupation"), 120)
    translator_address = _text(_("Translator's address"))
    injured_party = _text(_("Injured person or organisation"))
    violator_statement = _area(_("Statement of the violator"))
    witness_statement = _area(_("Statement of the witness or ward representative"))
    injured_statement = _area(_("Statement of the injured party"))
    measures_taken = _area(_("Preventive measures taken"))
    items_held = _area(_("Items, vehicles or papers held"))
    explanation_right = _choice(_("Right to explain"), ExplanationRight.choices)
    explanation_to = _text(
        _("Explanations are sent to"),
        help_text=_("The person competent to decide, e.g. “Trưởng Công an phường Điện Biên”."),
    )
    summons_at = forms.DateTimeField(label=_("Summoned to appear at"), required=False, widget=DayTimeInput())
    summons_place = _text(_("Summoned to appear at (place)"))
    present_persons = _area(
        _("Those present"), help_text=_("Working record (MBB02): one person a line, with their position.")
    )
    witness_refusal_reason = _text(
        _("Reason the witness did not confirm the refusal"),
        help_text=_("Only when the witness or ward representative would not sign to confirm it."),
    )
    conclusions = _area(_("Conclusions"), help_text=_("Working record (MBB02)."))
    scene = _area(_("Scene"), help_text=_("Working record (MBB02), item 4."))
    damage = _area(_("Damage"), help_text=_("Working record (MBB02), item 5."))
    related_documents = _area(
        _("Papers concerning the matter"), help_text=_("Working record (MBB02), item 10.")
    )

    # The form's parts, in the order of form MBB01; the template renders one fieldset each.
    SECTIONS = (
        (
            _("The case"),
            (
                "business",
                "types",
                "occurred_at",
                "discovered_at",
                "place",
                "street",
                "residential_group",
                "description",
                "stage",
                "sanction",
                "fine_amount",
                "is_complex",
                "is_deliberate",
            ),
        ),
        (_("When and where the record is made"), ("made_at", "made_place", "made_place_reason")),
        (
            _("Witness, ward representative and translator"),
            (
                "witness_name",
                "witness_role",
                "witness_detail",
                "witness_address",
                "translator_name",
                "translator_occupation",
                "translator_address",
            ),
        ),
        (
            _("The violator"),
            (
                "violator_kind",
                "person_name",
                "person_sex",
                "person_birth_date",
                "person_nationality",
                "person_occupation",
                "person_address",
                "person_id_number",
                "person_id_issued_on",
                "person_id_issued_by",
                "org_head_office",
                "org_enterprise_code",
                "org_registration_number",
                "org_registration_issued_on",
                "org_registration_issued_by",
                "org_representative",
                "org_representative_sex",
                "org_representative_title",
            ),
        ),
        (
            _("Injured party and statements"),
            ("injured_party", "violator_statement", "witness_statement", "injured_statement"),
        ),
        (
            _("Measures, explanation and summons"),
            (
                "measures_taken",
                "items_held",
                "explanation_right",
                "explanation_to",
                "summons_at",
                "summons_place",
            ),
        ),
        (
            _("Working record (MBB02)"),
            ("scene", "damage", "related_documents", "present_persons", "conclusions"),
        ),
        (_("Closing the record"), ("finished_at", "pages", "copies", "witness_refusal_reason")),
    )

    def sections(self) -> list[tuple[Any, list[Any]]]:
        return [(legend, [self[name] for name in names]) for legend, names in self.SECTIONS]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["business"].queryset = scope_to_user(Business.objects.select_related("street"), user)
        self.fields["street"].queryset = scope_to_user(Street.objects.all(), user)
        self.fields["residential_group"].queryset = scope_to_user(ResidentialGroup.objects.all(), user)
        self.fields["types"].choices = type_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("business") and not data.get("person_name"):
            self.add_error("person_name", _("Choose the business or enter the violator's name."))
        if data.get("stage") in (Stage.WORKING_RECORD, Stage.VIOLATION_RECORD):
            # A record says when and where it was made (“Hôm nay, hồi … tại …”): the officer enters it.
            for name, message in (
                ("made_at", _("Enter when the record was made on site.")),
                ("made_place", _("Enter where the record was made.")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        if data.get("explanation_right") == ExplanationRight.APPLIES and not data.get("explanation_to"):
            self.add_error(
                "explanation_to", _("Enter who the violator sends a hearing request or an explanation to.")
            )
        return data


class SignForm(forms.Form):
    signature = forms.ChoiceField(
        label=_("The violator"),
        choices=[("signed", _("signed the record")), ("refused", _("refused to sign"))],
        widget=forms.RadioSelect,
    )
    witness_name = forms.CharField(label=_("Witness or ward representative"), max_length=120, required=False)
    witness_role = forms.ChoiceField(
        label=_("Their role"), choices=[("", "—")] + list(WitnessRole.choices), required=False
    )
    refusal_reason = forms.CharField(
        label=_("Reason the violator did not sign"), max_length=255, required=False
    )
    # Drawn on the phone's screen (a canvas, as for commitments); without JavaScript, left empty.
    violator_signature_data = forms.CharField(widget=forms.HiddenInput, required=False)
    witness_signature_data = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signature_pngs: dict[str, bytes | None] = {}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("violator_signature_data", "witness_signature_data"):
            self.signature_pngs[name] = None
            if data.get(name):
                try:
                    self.signature_pngs[name] = process_signature(data[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        if data.get("witness_name") and not data.get("witness_role"):
            self.add_error(
                "witness_role", _("Say whether they are a witness or a representative of the ward authority.")
            )
        if data.get("signature") == "refused" and not data.get("refusal_reason"):
            self.add_error("refusal_reason", _("The record states why the violator did not sign."))
        if data.get("signature") == "refused" and (
            not data.get("witness_name") or not data.get("witness_role")
        ):
            self.add_error(
                "witness_name",
                _(
                    "The violator refused to sign: a witness or a representative of the ward authority "
                    "must sign instead. Enter their name and role."
                ),
            )
        return data


class TransferForm(forms.Form):
    transferred_to = forms.CharField(
        label=_("Transfer to"),
        max_length=255,
        help_text=_(
            "The person competent to decide the sanction, e.g. the chairman of the ward People's Committee."
        ),
    )


class AmendForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the amendment"), widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(forms.Form):
    image = forms.FileField(label=_("Photo"), help_text=_("JPEG, PNG or WebP, up to 10 MB."))
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class ViolationFilterForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All"))] + list(Stage.choices), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + list(Status.choices), required=False
    )
    type = forms.ChoiceField(label=_("Violation"), required=False)
    domain = forms.ChoiceField(
        label=_("Domain"), choices=[("", _("All"))] + list(Domain.choices), required=False
    )
    street = forms.ModelChoiceField(
        label=_("Street"), queryset=Street.objects.none(), required=False, empty_label=_("All")
    )
    residential_group = forms.ModelChoiceField(
        label=_("Residential group"),
        queryset=ResidentialGroup.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    repeat = forms.BooleanField(label=_("Repeat offences (tái phạm) only"), required=False)
    multiple = forms.BooleanField(label=_("Violated several times (vi phạm nhiều lần) only"), required=False)
    decision_overdue = forms.BooleanField(label=_("Decision overdue only"), required=False)
    unpaid = forms.BooleanField(label=_("Unpaid fines only"), required=False)
    business = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Happened between (inclusive, local days): the dashboards link here for a period.
    date_from = forms.DateField(
        label=_("Happened from"),
        required=False,
        widget=DayInput(),
    )
    date_to = forms.DateField(
        label=_("Happened until"),
        required=False,
        widget=DayInput(),
    )

    def __init__(self, *args: Any, user: Any, places: PagePlaces | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        querysets = (
            ("street", STREET, lambda: scope_to_user(Street.objects.all(), user)),
            ("residential_group", GROUP, lambda: scope_to_user(ResidentialGroup.objects.all(), user)),
        )
        if places is not None:  # the list page: choices read with its rows' names, in one query
            set_choices(self, places, querysets)
        else:
            for name, _kind, queryset in querysets:
                self.fields[name].queryset = queryset()
        self.fields["type"].choices = [("", _("All"))] + type_choices()


# --- sanction decisions (#25.3) ------------------------------------------------------------------
class DecisionDraftForm(forms.Form):
    kind = forms.ChoiceField(label=_("Decision"), choices=DecisionKind.choices, widget=forms.RadioSelect)
    sanction = forms.ChoiceField(
        label=_("Main sanction"),
        choices=[("", "—"), (Sanction.WARNING, Sanction.WARNING.label), (Sanction.FINE, Sanction.FINE.label)],
        required=False,
    )
    fine_amount = forms.IntegerField(label=_("Fine (đồng)"), min_value=0, required=False)
    remedial_measures = forms.CharField(
        label=_("Remedial measures"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    extenuating = forms.CharField(
        label=_("Extenuating circumstances"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    no_sanction_ground = forms.ChoiceField(
        label=_("Ground for not sanctioning (Article 65)"),
        choices=[("", "—"), *NoSanctionGround.choices],
        required=False,
    )
    no_sanction_reason = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class DecisionSignForm(forms.Form):
    signer_title = forms.ChoiceField(
        label=_("You sign as"),
        choices=SignerTitle.choices,
        help_text=_("Your competence to sanction is checked against the limits of this title."),
    )


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DayInput())


class DecisionServeForm(forms.Form):
    served_on = _date_field(_("Served on"))


class DecisionPaymentForm(forms.Form):
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)
    paid_on = _date_field(_("Paid on"))
    amount = forms.IntegerField(label=_("Amount paid (đồng)"), min_value=0)


class DecisionEnforcementForm(forms.Form):
    enforced_on = _date_field(_("Enforcement decided on"))
    note = forms.CharField(
        label=_("Enforcement decision"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Its number, date and the measure (deduction from salary, account, seizure…)."),
    )


class DecisionAppealForm(forms.Form):
    appealed_on = _date_field(_("Appealed on"))
    note = forms.CharField(
        label=_("Appeal"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Who complained or sued, to whom, and the reference."),
    )
