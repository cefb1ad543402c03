"""A signed reminder has no number: the list and its title name it by its stage, not as a draft."""

import re

from django.urls import reverse

from violations import services
from violations.models import Status


def test_the_list_names_a_signed_reminder_by_its_stage_not_as_a_draft(client, make_draft, alice, lena):
    reminder = services.violation_sign(
        violation=make_draft(stage="reminder", sanction="none", fine_amount=None),
        signed_by=lena,
        violator_signed=True,
    )
    draft = make_draft()
    assert reminder.status == Status.SIGNED and reminder.number is None

    client.force_login(alice)
    page = client.get(reverse("violations:list")).content.decode()

    links = dict(re.findall(r'<a href="/violations/(\d+)/">([^<]*)</a>', page))
    assert links[str(reminder.pk)] == f"Nhắc nhở #{reminder.pk}"
    assert links[str(draft.pk)] == f"Bản nháp #{draft.pk}"
    assert str(reminder) == f"Nhắc nhở #{reminder.pk}"
