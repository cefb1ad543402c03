from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from . import otp
from .forms import LoginForm, OTPCodeForm, TOTPConfirmForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


SETUP_KEY = "_otp_setup_key"
FRESH_CODES = "_otp_fresh_codes"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else "/"


@login_required
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {
            "has_totp": otp.has_totp(user),
            "codes_left": otp.backup_codes_left(user),
            "required": otp.otp_required_for(user),
        },
    )


@login_required
@never_cache
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if otp.has_totp(user) and not user.is_verified():
        # Replacing an authenticator needs the current one (or a backup code) first.
        return redirect("accounts:otp_verify")
    key = request.session.get(SETUP_KEY) or otp.totp_new_key()
    request.session[SETUP_KEY] = key
    form = TOTPConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp.totp_device_confirm(user=user, key=key, token=form.cleaned_data["code"])
        except ValidationError as exc:
            form.add_error("code", exc)
        else:
            codes = otp.backup_codes_generate(user=user)
            update_session_auth_hash(request, user)  # this session stays; the others end
            otp_login(request, device)
            request.session.pop(SETUP_KEY, None)
            request.session.pop(otp.OTP_STEP, None)
            request.session[FRESH_CODES] = codes
            messages.success(request, _("Two-step verification is on."))
            return redirect("accounts:otp_backup_codes")
    url = otp.totp_config_url(user=user, key=key)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "form": form,
            "qr": otp.qr_data_uri(url),
            "secret": otp.totp_secret_for_display(key),
            "required": otp.otp_required_for(user),
        },
    )


@login_required
@never_cache
def otp_backup_codes(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        if not otp.has_totp(user) or not user.is_verified():
            messages.error(request, _("Turn on two-step verification first."))
            return redirect("accounts:security")
        request.session[FRESH_CODES] = otp.backup_codes_generate(user=user)
        messages.success(request, _("New backup codes made; the old ones no longer work."))
        return redirect("accounts:otp_backup_codes")
    codes = request.session.pop(FRESH_CODES, None)
    if not codes:
        return redirect("accounts:security")
    return render(request, "accounts/otp_backup_codes.html", {"codes": codes, "next": "/"})


@login_required
@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified() or not user_has_device(user):
        request.session.pop(otp.OTP_STEP, None)
        return redirect(_next_url(request))
    form = OTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.otp_verify(user=user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error(
                "code",
                _(
                    "The code is wrong or has expired. After each wrong code you must wait a little "
                    "longer before trying again."
                ),
            )
        else:
            otp_login(request, device)
            request.session.pop(otp.OTP_STEP, None)
            if device.__class__.__name__ == "StaticDevice":
                messages.warning(
                    request,
                    _(
                        "You logged in with a backup code; %(left)s remain. If your phone is lost, "
                        "set up the authenticator again on the account security page."
                    )
                    % {"left": otp.backup_codes_left(user)},
                )
            return redirect(_next_url(request))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@require_POST
@login_required
def otp_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if otp.has_totp(user) and not user.is_verified():
        return redirect("accounts:otp_verify")
    try:
        otp.otp_disable(user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        update_session_auth_hash(request, user)
        messages.success(request, _("Two-step verification is off."))
    return redirect("accounts:security")
