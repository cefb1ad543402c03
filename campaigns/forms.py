from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.roles import Role
from businesses.models import Business, BusinessCategory
from violations.domains import Domain
from ward_police.widgets import DayInput
from wards.models import ResidentialGroup, Street

from .models import Campaign, ForceType

DATE_WIDGET = DayInput()


class UserChoiceMixin:
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class UserChoiceField(UserChoiceMixin, forms.ModelChoiceField):
    pass


class UsersChoiceField(UserChoiceMixin, forms.ModelMultipleChoiceField):
    pass


def _ward_users(ward_id: int, roles: list[str]):
    return (
        User.objects.filter(ward_id=ward_id, is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("full_name", "username")
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("campaign", "Name"), max_length=200)
    plan_reference = forms.CharField(
        label=_("Plan reference"),
        max_length=120,
        required=False,
        help_text=_("The written plan, e.g. “Kế hoạch số 1751/KH-CABĐ-XDPT”."),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE_WIDGET)
    domains = forms.MultipleChoiceField(
        label=_("Domains checked"), choices=Domain.choices, widget=forms.CheckboxSelectMultiple
    )
    objectives = forms.CharField(
        label=_("Objectives"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    leader = UserChoiceField(label=_("Leader"), queryset=User.objects.none())
    officers = UsersChoiceField(
        label=_("Participating officers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, ward_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _ward_users(ward_id, [Role.LEADER, Role.ADMIN])
        self.fields["officers"].queryset = _ward_users(ward_id, [Role.OFFICER, Role.LEADER])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


def campaign_initial(campaign: Campaign) -> dict:
    """The edit form starts from the campaign as it stands."""
    return {
        "name": campaign.name,
        "plan_reference": campaign.plan_reference,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "domains": campaign.domains,
        "objectives": campaign.objectives,
        "leader": campaign.leader_id,
        "officers": [o.pk for o in campaign.officers.all()],
    }


class CampaignOfficersForm(forms.Form):
    """While a campaign is under way only its officers change here (forces on the board)."""

    officers = UsersChoiceField(
        label=_("Participating officers"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, ward_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = _ward_users(ward_id, [Role.OFFICER, Role.LEADER])


class ForceForm(forms.Form):
    force_type = forms.ChoiceField(label=_("Force"), choices=ForceType.choices)
    head_count = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=1000)
    contact_person = forms.CharField(label=_("Contact person"), max_length=120, required=False)
    contact_phone = forms.RegexField(
        label=_("Contact phone"),
        regex=r"^[0-9 +.]{8,15}$",
        max_length=15,
        required=False,
        error_messages={"invalid": _("Enter a phone number of 8 to 15 digits.")},
    )


class TargetSelectionForm(forms.Form):
    streets = forms.ModelMultipleChoiceField(
        label=_("Streets"),
        queryset=Street.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    residential_groups = forms.ModelMultipleChoiceField(
        label=_("Residential groups"),
        queryset=ResidentialGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        queryset=BusinessCategory.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    not_inspected_months = forms.IntegerField(
        label=_("Not inspected for at least (months)"), min_value=1, max_value=120, required=False
    )
    businesses = forms.ModelMultipleChoiceField(
        label=_("Or pick businesses one by one"),
        queryset=Business.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Criteria above combine (e.g. cafés on these streets); businesses picked here are added too."
        ),
    )

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        ward_id = campaign.ward_id
        self.fields["streets"].queryset = Street.objects.filter(ward_id=ward_id).order_by("name")
        self.fields["residential_groups"].queryset = ResidentialGroup.objects.filter(
            ward_id=ward_id
        ).order_by("name")
        self.fields["categories"].queryset = BusinessCategory.objects.filter(is_active=True).order_by("name")
        self.fields["businesses"].queryset = (
            Business.objects.filter(ward_id=ward_id).exclude(status="closed").order_by("name")
        )

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not any(
            data.get(f)
            for f in ("streets", "residential_groups", "categories", "not_inspected_months", "businesses")
        ):
            raise ValidationError(_("Choose at least one way to pick the businesses to visit."))
        return data


class RemoveTargetsForm(forms.Form):
    prefix = "remove"  # shares its page with the assignment form: distinct names and ids
    targets = forms.ModelMultipleChoiceField(
        label=_("Targets not inspected yet"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, campaign: Campaign, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = campaign.targets.filter(inspection__isnull=True).order_by(
            "street_name", "business_name"
        )
        self.fields["targets"].label_from_instance = lambda t: f"{t.business_name} — {t.address}"


class ForceRemoveForm(forms.Form):
    force_type = forms.ChoiceField(choices=ForceType.choices)


class AssignForm(forms.Form):
    targets = forms.ModelMultipleChoiceField(
        label=_("Targets"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    officer = UserChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— nobody (unassign) —"),
    )

    def __init__(self, *args, campaign: Campaign, officers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["targets"].queryset = campaign.targets.order_by("street_name", "business_name")
        self.fields["targets"].label_from_instance = lambda t: f"{t.business_name} — {t.address}"
        self.fields["officer"].queryset = officers
