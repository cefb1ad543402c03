"""Who may do what with assessments, and fetching them scoped to the user's ward.

Rule (permissions in accounts/roles.py):
- everyone of the ward (officer, leader, chairman) reads the ward's assessments and evidence;
- `criteria.prepare_assessment` (leaders, admins) creates, scores, refreshes and submits;
- `criteria.approve_assessment` (leaders only) approves or returns a submitted assessment of the
  leader's own ward, but never one they submitted themselves (four eyes: a deputy prepares, the
  head approves); the IT administrator prepares but never approves, superuser or not;
- the chairman and officers write nothing here.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from accounts.roles import Role
from wards.scoping import get_for_user

from .models import Assessment, AssessmentScore, Evidence

PREPARE = "criteria.prepare_assessment"
APPROVE = "criteria.approve_assessment"


def can_prepare(user: Any) -> bool:
    return bool(user.is_authenticated and user.can_write and user.has_perm(PREPARE))


def is_station_leader(user: Any, assessment: Assessment | None = None) -> bool:
    """A leader of the station (of the assessment's ward, when there is one): who approves the
    ward's report. A superuser holds every permission but is no leader of a ward."""
    if not (user.is_authenticated and user.has_role(Role.LEADER) and user.has_perm(APPROVE)):
        return False
    return assessment is None or (user.ward_id is not None and user.ward_id == assessment.ward_id)


def can_approve(user: Any, assessment: Assessment | None = None) -> bool:
    if not (user.can_write and is_station_leader(user, assessment)):
        return False
    return assessment is None or assessment.submitted_by_id != user.pk


def approver_needed(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Approving and returning: a leader of the ward only (others 403, another ward's 404)."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.can_write and is_station_leader(request.user)):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def permission_needed(perm: str) -> Callable:
    """Anonymous users go to login; users without `perm` get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not (request.user.can_write and request.user.has_perm(perm)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_assessment_for_user(user: Any, pk: Any) -> Assessment:
    return get_for_user(Assessment.objects.select_related("ward", "criteria_set"), user, pk=pk)


def get_score_for_user(user: Any, assessment_pk: Any, pk: Any) -> AssessmentScore:
    return get_for_user(
        AssessmentScore.objects.select_related(
            "assessment__ward", "assessment__criteria_set", "criterion__group"
        ),
        user,
        ward_field="assessment__ward",
        assessment_id=assessment_pk,
        pk=pk,
    )


def get_evidence_for_user(user: Any, pk: Any) -> Evidence:
    return get_for_user(
        Evidence.objects.select_related("score__assessment"),
        user,
        ward_field="score__assessment__ward",
        pk=pk,
    )
