from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.permissions import manager_required

from .forms import StreetForm
from .scoping import get_for_user
from .selectors import wards_for_user
from .services import street_create


@login_required
def ward_mine(request: HttpRequest) -> HttpResponse:
    if not request.user.ward_id:
        wards = wards_for_user(request.user)
        return render(request, "wards/ward_list.html", {"wards": wards})
    return ward_detail(request, request.user.ward_id)


@login_required
def ward_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ward = get_for_user(wards_for_user(request.user), request.user, ward_field="self", pk=pk)
    return render(
        request,
        "wards/ward_detail.html",
        {
            "ward": ward,
            "streets": ward.streets.all(),
            "groups": ward.residential_groups.all(),
        },
    )


@manager_required
def street_new(request: HttpRequest, pk: int) -> HttpResponse:
    ward = get_for_user(wards_for_user(request.user), request.user, ward_field="self", pk=pk)
    form = StreetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            street = street_create(ward=ward, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Street “%(name)s” added.") % {"name": street.name})
            return redirect("wards:detail", pk=ward.pk)
    return render(request, "wards/street_form.html", {"ward": ward, "form": form})
