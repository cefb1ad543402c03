from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from wards.selectors import wards_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    wards = list(wards_for_user(request.user)[:50])
    return render(request, "dashboards/home.html", {"wards": wards})
