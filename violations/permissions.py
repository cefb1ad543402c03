"""Who may see and do what with violations. Ward checks go through wards.scoping (404 for another
ward's record); role checks are Django permissions listed in accounts/roles.py (403)."""

from typing import Any

from django.core.exceptions import PermissionDenied

from .models import Stage, Status, Violation
from .selectors import violation_for_user


def get_violation_for_user(user: Any, pk: Any) -> Violation:
    return violation_for_user(user, pk)


def require(user: Any, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def allowed_actions(user: Any, violation: Violation) -> dict[str, bool]:
    status = violation.status
    is_draft = status == Status.DRAFT
    return {
        "edit": is_draft and user.has_perm("violations.change_violation"),
        "evidence": is_draft and user.has_perm("violations.add_violationevidence"),
        "delete": is_draft and user.has_perm("violations.change_violation"),
        "sign": is_draft and user.has_perm("violations.sign_violation"),
        "transfer": status == Status.SIGNED and user.has_perm("violations.transfer_violation"),
        # A signed MBB01 is closed only by a decision (or a decision not to sanction).
        "remedied": status in (Status.SIGNED, Status.TRANSFERRED)
        and not (status == Status.SIGNED and violation.stage == Stage.VIOLATION_RECORD)
        and user.has_perm("violations.transfer_violation"),
        "decide": status == Status.SIGNED
        and violation.stage == Stage.VIOLATION_RECORD
        and user.has_perm("violations.add_sanctiondecision"),
        "extend": status == Status.SIGNED
        and violation.stage == Stage.VIOLATION_RECORD
        and not violation.decision_deadline_extended
        and user.has_perm("violations.add_sanctiondecision"),
        "amend": status in (Status.SIGNED, Status.TRANSFERRED, Status.REMEDIED)
        and not has_amendment(violation)
        and user.has_perm("violations.amend_violation"),
    }


def has_amendment(violation: Violation) -> bool:
    return Violation.objects.filter(supersedes=violation).exists()
