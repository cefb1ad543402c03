"""Forms of the public page (code entry, citizen feedback) and of the staff feedback inbox."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .feedback import process_feedback_photo
from .forms import DATE_WIDGET
from .models import FeedbackCategory, FeedbackStatus
from .text import normalize_phone

MESSAGE_MAX = 2000


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label=_("Code printed on the poster"),
        max_length=20,
        help_text=_("10 letters and digits, e.g. K3ZQ7-MP2XA."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class FeedbackForm(forms.Form):
    category = forms.ChoiceField(
        label=pgettext_lazy("feedback", "Subject"),
        choices=[("", _("Choose a subject")), *FeedbackCategory.choices],
    )
    message = forms.CharField(
        label=_("Your feedback"),
        min_length=10,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happened, when and where. Do not write other people's personal data."),
    )
    contact_phone = forms.CharField(
        label=_("Your phone (optional)"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    contact_consent = forms.BooleanField(
        label=_("I agree that the ward police may contact me about this feedback."),
        required=False,
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB. Location data in the photo is removed."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    # Honeypot: hidden from people by CSS and from screen readers; bots fill every field.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_contact_phone(self) -> str:
        raw = self.cleaned_data.get("contact_phone", "").strip()
        if not raw:
            return ""
        phone = normalize_phone(raw)
        if phone is None:
            raise ValidationError(_("Enter a Vietnamese phone number, e.g. 0912 345 678."), code="bad_phone")
        return phone

    def clean_photo(self) -> bytes | None:
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return process_feedback_photo(upload)

    def clean(self) -> dict:
        data = super().clean()
        has_contact = bool(data.get("contact_phone") or data.get("contact_email"))
        if has_contact and not data.get("contact_consent"):
            self.add_error(
                "contact_consent",
                _("Tick this box so we may use your contact details, or leave them empty."),
            )
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class FeedbackFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *FeedbackStatus.choices]
    )
    category = forms.ChoiceField(
        label=pgettext_lazy("feedback", "Subject"),
        required=False,
        choices=[("", _("All")), *FeedbackCategory.choices],
    )
    since = forms.DateField(label=_("Received from"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=_("Received until"), required=False, widget=DATE_WIDGET)

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}


class FeedbackUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FeedbackStatus.choices)
    response_note = forms.CharField(
        label=_("Response note"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done; required to mark the feedback as resolved."),
    )


class WithdrawCodeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
    confirm = forms.BooleanField(
        label=_("I understand that every poster printed so far stops working."),
        required=True,
        error_messages={"required": _("Tick the box to confirm.")},
    )
