from django import forms
from django.utils.translation import gettext_lazy as _

from ward_police.widgets import DayInput
from wards.places import CATEGORY, GROUP, STREET, PagePlaces, set_choices

from .models import Business, BusinessCategory, BusinessStatus, InspectionResult
from .selectors import SORTS, categories_active, groups_for_user, streets_for_user
from .text import normalize_id_number, normalize_phone

DATE_WIDGET = DayInput()


class BusinessForm(forms.ModelForm):
    # Wider than the stored values: people type spaces, dots and +84; clean_* normalise them.
    owner_id_number = forms.CharField(
        label=Business._meta.get_field("owner_id_number").verbose_name,
        required=False,
        max_length=24,
        help_text=_("12 digits."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    owner_phone = forms.CharField(
        label=Business._meta.get_field("owner_phone").verbose_name,
        required=False,
        max_length=24,
        help_text=_("Mobile (10 digits) or landline (11 digits); +84 is accepted."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )

    class Meta:
        model = Business
        fields = [
            "name",
            "category",
            "status",
            "house_number",
            "street",
            "residential_group",
            "owner_name",
            "owner_id_number",
            "owner_phone",
            "registration_number",
            "is_conditional",
            "certificate_number",
            "certificate_expiry",
            "latitude",
            "longitude",
        ]
        widgets = {
            "certificate_expiry": DATE_WIDGET,
        }
        help_texts = {"certificate_expiry": _("dd/mm/yyyy")}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Choices come only from the user's ward: a forged id of another ward's street is refused.
        self.fields["street"].queryset = streets_for_user(user)
        self.fields["street"].error_messages["invalid_choice"] = _(
            "This street is not in your ward. Choose one from the list."
        )
        self.fields["residential_group"].queryset = groups_for_user(user)
        self.fields["residential_group"].error_messages["invalid_choice"] = _(
            "This residential group is not in your ward. Choose one from the list."
        )
        categories = BusinessCategory.objects.filter(is_active=True)
        if self.instance.category_id:
            categories = BusinessCategory.objects.filter(is_active=True) | BusinessCategory.objects.filter(
                pk=self.instance.category_id
            )
        self.fields["category"].queryset = categories.order_by("name")
        self._user = user

    def clean_owner_phone(self) -> str:
        raw = self.cleaned_data.get("owner_phone", "").strip()
        if not raw:
            return ""
        phone = normalize_phone(raw)
        if phone is None:
            raise forms.ValidationError(
                _(
                    "Enter a Vietnamese phone number: a mobile of 10 digits (e.g. 0912 345 678) "
                    "or a landline of 11 digits (e.g. 024 3823 4567)."
                ),
                code="invalid_phone",
            )
        return phone

    def clean_owner_id_number(self) -> str:
        raw = self.cleaned_data.get("owner_id_number", "").strip()
        if not raw:
            return ""
        number = normalize_id_number(raw)
        if number is None:
            raise forms.ValidationError(
                _("The citizen ID number (CCCD) must be exactly 12 digits."), code="invalid_cccd"
            )
        return number

    def clean_registration_number(self) -> str:
        number = " ".join(self.cleaned_data.get("registration_number", "").split())
        if not number:
            return ""
        ward_id = self.instance.ward_id or self._user.ward_id
        clash = Business.objects.filter(ward_id=ward_id, registration_number=number)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another business of this ward has this registration number."))
        return number

    def clean(self) -> dict:
        data = super().clean()
        street, group = data.get("street"), data.get("residential_group")
        if street and group and street.ward_id != group.ward_id:
            self.add_error(
                "residential_group", _("The residential group and the street are in different wards.")
            )
        if data.get("certificate_expiry") and not data.get("certificate_number"):
            self.add_error("certificate_number", _("Enter the certificate number for this expiry date."))
        category = data.get("category")
        if category and category.requires_security_certificate:
            data["is_conditional"] = True
        for name in ("name", "owner_name", "house_number", "certificate_number"):
            if data.get(name):
                data[name] = " ".join(data[name].split())
        return data


CERTIFICATE_CHOICES = [
    ("", _("Any")),
    ("expired", _("Expired")),
    ("expiring", _("Expiring within 30 days")),
    ("missing", _("Conditional, no certificate")),
]
SORT_LABELS = {
    "name": _("Name A–Z"),
    "-name": _("Name Z–A"),
    "street": _("Street and house number"),
    "last_inspected": _("Longest without inspection"),
    "-last_inspected": _("Most recently inspected"),
    "certificate_expiry": _("Certificate expiring soonest"),
    "-updated": _("Recently changed"),
}


class BusinessFilterForm(forms.Form):
    """The list's search and filters, read from the query string (so a filtered list is a link)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.SearchInput(attrs={"placeholder": _("Name, owner, street…")}),
    )
    street = forms.ModelChoiceField(label=_("Street"), queryset=None, required=False, empty_label=_("All"))
    group = forms.ModelChoiceField(
        label=_("Residential group"), queryset=None, required=False, empty_label=_("All")
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=None, required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *BusinessStatus.choices]
    )
    certificate = forms.ChoiceField(
        label=_("Security certificate"), required=False, choices=CERTIFICATE_CHOICES
    )
    result = forms.ChoiceField(
        label=_("Last inspection result"),
        required=False,
        choices=[("", _("Any")), *InspectionResult.choices, ("none", _("Never inspected"))],
    )
    not_inspected_months = forms.IntegerField(
        label=_("Not inspected for (months)"), required=False, min_value=1, max_value=120
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[(k, SORT_LABELS[k]) for k in SORTS])

    def __init__(self, *args, user, places: PagePlaces | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        querysets = (
            ("street", STREET, lambda: streets_for_user(user)),
            ("group", GROUP, lambda: groups_for_user(user)),
            ("category", CATEGORY, categories_active),
        )
        if places is not None:  # the list page: choices read with its rows' names, in one query
            set_choices(self, places, querysets)
        else:
            for name, _kind, queryset in querysets:
                self.fields[name].queryset = queryset()

    def filters(self) -> dict:
        """The valid filters; an invalid one (e.g. a street of another ward) is simply not applied."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}

    @property
    def active_count(self) -> int:
        return len([k for k in self.filters() if k not in ("q", "sort")])


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file (.xlsx or .csv)"),
        help_text=_("CSV files must be UTF-8 (with or without BOM), separated by commas or semicolons."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
