"""Staff side of the QR posters: ask for a poster PDF (one business, a street, a residential
group), download the QR code as PNG, withdraw a business's public code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import manager_required
from documents.layout import ascii_filename
from documents.views import request_document

from .forms_public import WithdrawCodeForm
from .models import BusinessStatus
from .permissions import get_business_for_user
from .posters import GROUP_POSTERS, POSTER, SIZES, STREET_POSTERS
from .public import public_url, qr_png, short_code
from .selectors import groups_for_user, streets_for_user
from .services import business_rotate_token


def _size(request: HttpRequest) -> str | None:
    size = request.POST.get("size", "a4").lower()
    return size if size in SIZES else None


@require_POST
@login_required
def poster_request(request: HttpRequest, pk: int) -> HttpResponse:
    """POST /businesses/<pk>/poster/ -> 302 /documents/<job>/ (every user of the ward may print)."""
    size = _size(request)
    if size is None:
        return HttpResponseBadRequest(_("Unknown paper size."))
    return request_document(request, kind=POSTER.format(size=size), object_id=pk)


@require_POST
@login_required
def street_posters_request(request: HttpRequest, pk: int) -> HttpResponse:
    size = _size(request)
    if size is None:
        return HttpResponseBadRequest(_("Unknown paper size."))
    return request_document(request, kind=STREET_POSTERS.format(size=size), object_id=pk)


@require_POST
@login_required
def group_posters_request(request: HttpRequest, pk: int) -> HttpResponse:
    size = _size(request)
    if size is None:
        return HttpResponseBadRequest(_("Unknown paper size."))
    return request_document(request, kind=GROUP_POSTERS.format(size=size), object_id=pk)


@never_cache
@require_GET
@login_required
def poster_png(request: HttpRequest, pk: int) -> HttpResponse:
    business = get_business_for_user(request.user, pk)
    code = short_code(business.public_token)
    response = HttpResponse(qr_png(public_url(business.public_token), caption=code), content_type="image/png")
    filename = ascii_filename(f"ma-qr-{business.name}", extension=".png")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@login_required
def posters_page(request: HttpRequest) -> HttpResponse:
    printable = Count("businesses", filter=~Q(businesses__status=BusinessStatus.CLOSED))
    return render(
        request,
        "businesses/business_posters.html",
        {
            "sections": [
                (
                    _("By street"),
                    streets_for_user(request.user).annotate(poster_count=printable),
                    "business_documents:street_posters",
                    "street-h",
                ),
                (
                    _("By residential group"),
                    groups_for_user(request.user).annotate(poster_count=printable),
                    "business_documents:group_posters",
                    "group-h",
                ),
            ]
        },
    )


@manager_required
def withdraw_code(request: HttpRequest, pk: int) -> HttpResponse:
    """A leader withdraws the business's public code (a poster was lost, copied or misused):
    old posters then open a "withdrawn" page. Asks for confirmation first."""
    business = get_business_for_user(request.user, pk)
    form = WithdrawCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        business_rotate_token(business=business, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("The old code was withdrawn. Print a new poster for “%(name)s”.") % {"name": business.name},
        )
        return redirect("businesses:detail", pk=business.pk)
    return render(
        request,
        "businesses/business_withdraw_code.html",
        {"business": business, "form": form, "code": short_code(business.public_token)},
        status=400 if form.is_bound else 200,
    )
