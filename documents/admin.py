from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import issuing, signing
from .models import CertificateSource, DocumentJob, IssuedDocument, SigningCertificate


@admin.register(DocumentJob)
class DocumentJobAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "title",
        "kind",
        "object_id",
        "ward",
        "status",
        "progress",
        "attempts",
        "created_at",
    )
    list_filter = ("status", "kind", "ward")
    search_fields = ("title", "filename", "kind", "error")
    list_select_related = ("ward",)
    readonly_fields = [f.name for f in DocumentJob._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


class CertificateUploadForm(forms.ModelForm):
    """Install a ward's certificate from its PKCS#12 file (.p12/.pfx). The file is kept as it is
    (encrypted by its password); the password is stored encrypted, never in clear."""

    pkcs12_file = forms.FileField(label=_("PKCS#12 file (.p12 / .pfx)"))
    password = forms.CharField(label=_("Password of the file"), widget=forms.PasswordInput, required=False)

    class Meta:
        model = SigningCertificate
        fields = ["ward"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("pkcs12_file")
        if upload is not None:
            if upload.size > 1024 * 1024:
                raise ValidationError(_("A PKCS#12 file is a few kilobytes; this one is too big."))
            data = upload.read()
            try:
                signing.read_pkcs12(data, cleaned.get("password") or "")
            except ValueError as exc:
                raise ValidationError(str(exc)) from exc
            cleaned["pkcs12_data"] = data
        return cleaned


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    list_display = ("ward", "subject", "issuer", "not_after", "state", "short_fingerprint", "source")
    list_filter = ("ward", "source")
    list_select_related = ("ward",)
    readonly_fields = (
        "source",
        "subject",
        "issuer",
        "serial_number",
        "fingerprint",
        "not_before",
        "not_after",
        "chain_pem",
        "created_at",
    )
    actions = ["revoke_now"]

    @admin.display(description=_("status"))
    def state(self, obj: SigningCertificate) -> str:
        now = timezone.now()
        if obj.revoked_at:
            return _("Revoked on %(date)s") % {
                "date": timezone.localtime(obj.revoked_at).strftime("%d/%m/%Y")
            }
        if obj.not_after <= now:
            return _("Expired")
        days = (obj.not_after - now).days
        if days < issuing.EXPIRY_WARNING_DAYS:
            return _("Valid, expires in %(days)d days") % {"days": days}
        return _("Valid")

    @admin.display(description=_("SHA-256 fingerprint"))
    def short_fingerprint(self, obj: SigningCertificate) -> str:
        return ":".join(obj.fingerprint[i : i + 2] for i in range(0, 16, 2)).upper() + "…"

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = CertificateUploadForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["ward", "pkcs12_file", "password"]
        return [*self.readonly_fields, "ward", "revoked_at", "revocation_reason"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.readonly_fields, "ward")

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        stored = issuing.certificate_store(
            ward=form.cleaned_data["ward"],
            data=form.cleaned_data["pkcs12_data"],
            password=form.cleaned_data.get("password") or "",
            source=CertificateSource.UPLOAD,
        )
        obj.pk = stored.pk

    @admin.action(description=_("Revoke the selected certificates now"))
    def revoke_now(self, request, queryset) -> None:
        now = timezone.now()
        for certificate in queryset.filter(revoked_at__isnull=True):
            issuing.certificate_revoke(certificate=certificate, when=now, reason="")


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(admin.ModelAdmin):
    list_display = ("code", "entry", "sha256", "profile", "certificate", "signed_at")
    search_fields = ("code", "sha256")
    list_select_related = ("entry", "certificate")
    readonly_fields = [f.name for f in IssuedDocument._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
