"""The baseline: the least an authenticated Django view can do to show a 50-row table from the
same database."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from businesses.models import Business


@login_required  # every real page needs the session and the user: so does the baseline
def bare_table(request: HttpRequest) -> HttpResponse:
    # The user's ward in the order of its (ward, name) index, as every real list reads: sorting
    # the whole city's registry instead took 83 ms a request at 100.000 businesses and made
    # every page look fast beside it.
    rows = list(
        Business.objects.filter(ward_id=request.user.ward_id)
        .select_related("street")
        .order_by("name", "pk")[:50]
    )
    return render(request, "bench/bare.html", {"rows": rows})
