"""A signed record without a number (the commitment stage) is named by its stage, not as a draft;
a signed reminder is named by its notice's number (#25.8)."""

import re

from django.urls import reverse

from violations import services
from violations.models import Status


def test_the_list_names_a_signed_unnumbered_record_by_its_stage_not_as_a_draft(
    client, make_draft, alice, lena
):
    commitment = services.violation_sign(
        violation=make_draft(stage="commitment", sanction="none", fine_amount=None),
        signed_by=lena,
        violator_signed=True,
    )
    reminder = services.violation_sign(
        violation=make_draft(stage="reminder", sanction="none", fine_amount=None),
        signed_by=lena,
        violator_signed=True,
    )
    draft = make_draft()
    assert commitment.status == Status.SIGNED and commitment.number is None
    assert reminder.status == Status.SIGNED and reminder.number == 1

    client.force_login(alice)
    page = client.get(reverse("violations:list")).content.decode()

    links = dict(re.findall(r'<a href="/violations/(\d+)/">([^<]*)</a>', page))
    assert links[str(commitment.pk)] == f"Ký cam kết #{commitment.pk}"
    assert links[str(reminder.pk)] == "Số: 01/TB-NN"
    assert links[str(draft.pk)] == f"Bản nháp #{draft.pk}"
    assert str(commitment) == f"Ký cam kết #{commitment.pk}"
