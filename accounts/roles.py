"""Roles are Django groups; this module is where their meaning lives.

Each role is a group whose name is the role code. Permissions are listed here as
"app_label.codename" strings; feature apps add theirs to ROLE_PERMISSIONS as they land.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Officer")
    LEADER = "leader", _("Ward police leader")
    CHAIRMAN = "chairman", _("Ward chairman")
    ADMIN = "admin", _("Administrator")


# Roles that may change operational data (create, edit, sign). The chairman reads only.
WRITER_ROLES = frozenset({Role.OFFICER, Role.LEADER, Role.ADMIN})
# Roles that plan, approve and manage the ward's own reference data.
MANAGER_ROLES = frozenset({Role.LEADER, Role.ADMIN})

_VIEW_WARD_DATA = ["wards.view_ward", "wards.view_residentialgroup", "wards.view_street"]

_VIEW_BUSINESSES = ["businesses.view_business", "businesses.view_businesscategory"]
_WRITE_BUSINESSES = ["businesses.add_business", "businesses.change_business", "businesses.add_businessimport"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OFFICER: [*_VIEW_WARD_DATA, *_VIEW_BUSINESSES, *_WRITE_BUSINESSES],
    Role.LEADER: [
        *_VIEW_WARD_DATA,
        "wards.add_street",
        "wards.change_street",
        "wards.add_residentialgroup",
        "wards.change_residentialgroup",
        *_VIEW_BUSINESSES,
        *_WRITE_BUSINESSES,
        "businesses.view_personaldataaccess",
    ],
    Role.CHAIRMAN: [*_VIEW_WARD_DATA, *_VIEW_BUSINESSES],
    Role.ADMIN: [
        *_VIEW_WARD_DATA,
        "wards.add_ward",
        "wards.change_ward",
        "wards.add_street",
        "wards.change_street",
        "wards.delete_street",
        "wards.add_residentialgroup",
        "wards.change_residentialgroup",
        "wards.delete_residentialgroup",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        *_VIEW_BUSINESSES,
        *_WRITE_BUSINESSES,
        "businesses.add_businesscategory",
        "businesses.change_businesscategory",
        "businesses.view_personaldataaccess",
        "businesses.view_businessimport",
    ],
}

# Model-ward criteria (criteria/permissions.py explains the rule): the whole ward reads its
# assessments; leaders prepare, submit, approve or return (never their own submission);
# administrators prepare and manage the criteria sets in the Django admin, but never approve:
# the station's head (a leader of the ward) approves the ward's report.
_CRITERIA_READ = ["criteria.view_assessment", "criteria.view_assessmentscore", "criteria.view_evidence"]
_CRITERIA_PREPARE = ["criteria.prepare_assessment", "criteria.view_criteriaset"]
_CRITERIA_LEAD = [*_CRITERIA_PREPARE, "criteria.approve_assessment"]
_CRITERIA_ADMIN = [
    *(
        f"criteria.{action}_{model}"
        for model in ("criteriaset", "classificationthreshold", "criteriagroup", "criterion")
        for action in ("view", "add", "change", "delete")
    ),
    "criteria.view_assessment",
]
ROLE_PERMISSIONS[Role.OFFICER] += _CRITERIA_READ
ROLE_PERMISSIONS[Role.CHAIRMAN] += _CRITERIA_READ
ROLE_PERMISSIONS[Role.LEADER] += [*_CRITERIA_READ, *_CRITERIA_LEAD]
ROLE_PERMISSIONS[Role.ADMIN] += [*_CRITERIA_READ, *_CRITERIA_PREPARE, *_CRITERIA_ADMIN]
# --- violations ---------------------------------------------------------------------------
# Officers draft; leaders sign, transfer and amend. Admins also keep the catalogue.
_VIOLATIONS_READ = ["violations.view_violation", "violations.view_violationtype"]
_VIOLATIONS_DRAFT = [
    "violations.add_violation",
    "violations.change_violation",
    "violations.add_violationevidence",
]
_VIOLATIONS_SIGN = [
    "violations.sign_violation",
    "violations.transfer_violation",
    "violations.amend_violation",
]
ROLE_PERMISSIONS[Role.OFFICER] += [*_VIOLATIONS_READ, *_VIOLATIONS_DRAFT]
ROLE_PERMISSIONS[Role.LEADER] += [*_VIOLATIONS_READ, *_VIOLATIONS_DRAFT, *_VIOLATIONS_SIGN]
ROLE_PERMISSIONS[Role.CHAIRMAN] += [*_VIOLATIONS_READ]
ROLE_PERMISSIONS[Role.ADMIN] += [
    *_VIOLATIONS_READ,
    *_VIOLATIONS_DRAFT,
    *_VIOLATIONS_SIGN,
    "violations.add_violationtype",
    "violations.change_violationtype",
    "violations.add_publicholiday",
    "violations.change_publicholiday",
    "violations.delete_publicholiday",
    "violations.view_publicholiday",
    "violations.view_recordform",
    "violations.change_recordform",
]

# Sanction decisions (#25.3): leaders draft, sign and record service, payment, enforcement and
# appeals; everyone of the ward reads; admins keep the competence limits (never sign).
_DECISIONS_READ = ["violations.view_sanctiondecision", "violations.view_competencelimit"]
ROLE_PERMISSIONS[Role.OFFICER] += _DECISIONS_READ
ROLE_PERMISSIONS[Role.CHAIRMAN] += _DECISIONS_READ
ROLE_PERMISSIONS[Role.LEADER] += [
    *_DECISIONS_READ,
    "violations.add_sanctiondecision",
    "violations.change_sanctiondecision",
    "violations.sign_sanctiondecision",
]
ROLE_PERMISSIONS[Role.ADMIN] += [
    *_DECISIONS_READ,
    "violations.add_competencelimit",
    "violations.change_competencelimit",
]

# inspections: officers and leaders record; everyone of the ward reads; admins edit checklists.
_CHECKLIST_ADMIN = [
    f"inspections.{action}_{model}"
    for model in ("checklisttemplate", "checklistversion", "checklistsection", "checklistitem")
    for action in ("view", "add", "change", "delete")
]
for _role in (Role.OFFICER, Role.LEADER):
    ROLE_PERMISSIONS[_role] += ["inspections.view_inspection", "inspections.add_inspection"]
ROLE_PERMISSIONS[Role.CHAIRMAN] += ["inspections.view_inspection"]
ROLE_PERMISSIONS[Role.ADMIN] += ["inspections.view_inspection", *_CHECKLIST_ADMIN]

# campaigns: leaders and admins plan and move the status; officers inspect the targets; all read.
_CAMPAIGNS_READ = ["campaigns.view_campaign", "campaigns.view_campaignforce", "campaigns.view_campaigntarget"]
_CAMPAIGNS_PLAN = [
    f"campaigns.{action}_{model}"
    for model in ("campaign", "campaignforce", "campaigntarget")
    for action in ("add", "change")
]
ROLE_PERMISSIONS[Role.OFFICER] += _CAMPAIGNS_READ
ROLE_PERMISSIONS[Role.CHAIRMAN] += _CAMPAIGNS_READ
ROLE_PERMISSIONS[Role.LEADER] += [*_CAMPAIGNS_READ, *_CAMPAIGNS_PLAN]
ROLE_PERMISSIONS[Role.ADMIN] += [*_CAMPAIGNS_READ, *_CAMPAIGNS_PLAN]
# --- citizen feedback and public codes (businesses) ------------------------------------------
_FEEDBACK_READ = ["businesses.view_feedback"]
ROLE_PERMISSIONS[Role.OFFICER] += [*_FEEDBACK_READ, "businesses.change_feedback"]
ROLE_PERMISSIONS[Role.LEADER] += [
    *_FEEDBACK_READ,
    "businesses.change_feedback",
    "businesses.add_withdrawnpublictoken",
    "businesses.view_withdrawnpublictoken",
]
ROLE_PERMISSIONS[Role.CHAIRMAN] += _FEEDBACK_READ
ROLE_PERMISSIONS[Role.ADMIN] += [
    *_FEEDBACK_READ,
    "businesses.change_feedback",
    "businesses.add_withdrawnpublictoken",
    "businesses.view_withdrawnpublictoken",
]
