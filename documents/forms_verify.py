"""Forms of the public verification page (#29)."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .issuing import normalise_code


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code printed on the document"),
        max_length=20,
        help_text=_("10 letters and digits, e.g. K3XQ7-9MFAW."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = normalise_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(
                _(
                    "A verification code has 10 letters and digits, as printed under the QR code. "
                    "Check it and try again."
                )
            )
        return code


class VerifyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("The PDF file you received"),
        help_text=_("A PDF file, at most %(size)s."),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, max_bytes: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.fields["file"].help_text = _("A PDF file, at most %(size)s.") % {
            "size": filesizeformat(max_bytes)
        }

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise ValidationError(
                _("The file is too big (%(size)s). A document of the ward police is at most %(max)s.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(self.max_bytes)}
            )
        data = upload.read()
        if not data.lstrip()[:5].startswith(b"%PDF-"):
            raise ValidationError(_("This file is not a PDF. Choose the PDF file of the document."))
        return data
