"""The submission load of `make bench` posts what a phone posts: the fields it reads off the real
form page make a valid inspection (else the benchmark would time error pages)."""

from django.urls import reverse

from bench.submit import _FormFields
from inspections.models import Inspection


def test_the_fields_the_benchmark_reads_off_the_form_store_one_inspection_each(
    client, alice, cafe, checklist
):
    client.force_login(alice)
    url = reverse("inspections:new") + f"?business={cafe.pk}"
    parser = _FormFields()
    parser.feed(client.get(url).content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    assert any(name.startswith("item-") for name in data)

    first = client.post(url, data)
    data["submission_id"] = ["6f1d3c1e-2b7a-4c55-9d7e-0a1b2c3d4e5f"]
    second = client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert Inspection.objects.filter(business=cafe, recorded_by=alice).count() == 2
    assert Inspection.objects.filter(result="passed").count() == 2
