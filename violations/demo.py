"""Demo data for violations: the catalogue entries of DOMAIN.md, the holidays, a handful of
records at different stages for businesses of phường Điện Biên, and (`seed_demo --inspections N`)
records in bulk for the generated inspections that did not pass. Idempotent."""

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from accounts.models import User
from businesses.models import Business, BusinessCategory
from documents.models import DEFAULT_SYMBOLS, RegisterCounter, RegisterEntry
from ward_police.bulk import insert_rows, reserve_ids
from wards.models import Street, Ward

from . import decisions, rules, services
from .audit import insert_events_in_bulk, triggers_skipped
from .competence import DECISION_FORM, competence_rows
from .domains import Domain
from .holidays import RECORD_FORMS, VIETNAMESE_PUBLIC_HOLIDAYS
from .models import (
    CompetenceLimit,
    PublicHoliday,
    RecordForm,
    Sanction,
    Stage,
    Status,
    Violation,
    ViolationItem,
    ViolationType,
    ViolatorKind,
    WitnessRole,
)
from .selectors import ESTABLISHED

CHECK_NOTE = "Mức phạt lấy từ nguồn thứ cấp: cần đối chiếu với văn bản chính thức."
DEMO_CONFIRMATION_NOTE = (
    "Dữ liệu mẫu: xác nhận để minh họa quy trình ký, chưa đối chiếu với văn bản chính thức."
)
UNTIL_282 = date(2025, 12, 14)
FROM_282 = date(2025, 12, 15)

# code, domain, title, decree, article, clause, individual min, max, from, until, warning, remedial
CATALOGUE = [
    ("gay-mat-trat-tu-cong-cong", Domain.SECURITY_ORDER, "Gây mất trật tự công cộng", "144/2021/NĐ-CP",
     7, 1, 300_000, 500_000, date(2022, 1, 1), UNTIL_282, True, ""),
    ("gay-mat-trat-tu-cong-cong", Domain.SECURITY_ORDER, "Gây mất trật tự công cộng", "282/2025/NĐ-CP",
     8, 1, 500_000, 1_000_000, FROM_282, None, True, ""),
    ("de-vat-lan-chiem-duong-via-he", Domain.URBAN_ORDER, "Để vật lấn chiếm lòng đường, vỉa hè nơi công cộng",
     "144/2021/NĐ-CP", 7, 1, 300_000, 500_000, date(2022, 1, 1), UNTIL_282, True,
     "Buộc dỡ bỏ, thu dọn vật lấn chiếm, trả lại lòng đường, vỉa hè."),
    ("de-vat-lan-chiem-duong-via-he", Domain.URBAN_ORDER, "Để vật lấn chiếm lòng đường, vỉa hè nơi công cộng",
     "282/2025/NĐ-CP", 8, 1, 500_000, 1_000_000, FROM_282, None, True,
     "Buộc dỡ bỏ, thu dọn vật lấn chiếm, trả lại lòng đường, vỉa hè."),
    ("trat-tu-cong-cong-khoan-2", Domain.SECURITY_ORDER, "Vi phạm trật tự công cộng thuộc khoản 2 Điều 8",
     "282/2025/NĐ-CP", 8, 2, 2_000_000, 3_000_000, FROM_282, None, False, ""),
    ("khong-thong-bao-luu-tru", Domain.RESIDENCE, "Không thông báo lưu trú cho khách nghỉ qua đêm",
     "144/2021/NĐ-CP", 9, 1, 500_000, 1_000_000, date(2022, 1, 1), UNTIL_282, False,
     "Thông báo lưu trú ngay cho Công an phường."),
    ("khong-thong-bao-luu-tru", Domain.RESIDENCE, "Không thông báo lưu trú cho khách nghỉ qua đêm",
     "282/2025/NĐ-CP", 10, None, 500_000, 1_000_000, FROM_282, None, True,
     "Thông báo lưu trú ngay cho Công an phường."),
    ("xa-rac-nuoc-thai-noi-cong-cong", Domain.SANITATION,
     "Vứt, thải rác hoặc xả nước thải không đúng nơi quy định tại khu thương mại, dịch vụ, nơi công cộng",
     "45/2022/NĐ-CP", 25, None, 500_000, 1_000_000, date(2022, 8, 25), None, False,
     "Buộc thu dọn rác, khôi phục tình trạng vệ sinh ban đầu."),
    ("su-dung-long-duong-via-he-trai-phep", Domain.TRAFFIC,
     "Sử dụng lòng đường, vỉa hè vào mục đích khác khi không được cấp phép", "168/2024/NĐ-CP",
     12, 12, 10_000_000, 15_000_000, date(2025, 1, 1), None, False,
     "Buộc khôi phục lại tình trạng ban đầu của lòng đường, vỉa hè."),
]  # fmt: skip

# The types the current checklists' critical items cite (#25.9, #26.4): fire safety (Decree 167/2013
# until 31/12/2021, 144/2021 until 30/6/2025, 106/2025 from 1/7/2025) and businesses needing a
# security-and-order certificate. Articles, clauses and amounts come from secondary sources (news
# and legal-portal summaries of the decrees) or are not confirmed at all: every entry stays flagged.
UNCONFIRMED_NOTE = (
    "Điều, khoản và mức phạt lấy từ nguồn thứ cấp, chưa xác minh: cần đối chiếu với văn bản chính thức."
)
UNTIL_144_PCCC = date(2025, 6, 30)
FROM_106 = date(2025, 7, 1)
CATALOGUE_UNCONFIRMED = [
    ("can-tro-loi-thoat-nan", Domain.FIRE_SAFETY,
     "Bố trí, sắp xếp vật tư, hàng hóa, phương tiện, vật dụng khác cản trở lối thoát nạn",
     "167/2013/NĐ-CP", 36, 1, 300_000, 500_000, date(2014, 1, 1), date(2021, 12, 31), False,
     "Buộc dọn vật cản, trả lại lối thoát nạn thông thoáng."),
    ("can-tro-loi-thoat-nan", Domain.FIRE_SAFETY,
     "Bố trí, sắp xếp vật tư, hàng hóa, phương tiện, vật dụng khác cản trở lối thoát nạn",
     "144/2021/NĐ-CP", 40, 2, 1_000_000, 2_000_000, date(2022, 1, 1), UNTIL_144_PCCC, False,
     "Buộc dọn vật cản, trả lại lối thoát nạn thông thoáng."),
    ("can-tro-loi-thoat-nan", Domain.FIRE_SAFETY,
     "Để vật tư, hàng hóa, phương tiện giao thông, vật dụng, thiết bị khác cản trở lối thoát nạn",
     "106/2025/NĐ-CP", 19, 2, 5_000_000, 10_000_000, FROM_106, None, False,
     "Buộc dọn vật cản, trả lại lối thoát nạn thông thoáng."),
    ("phuong-tien-chua-chay-khong-bao-dam", Domain.FIRE_SAFETY,
     "Trang bị phương tiện chữa cháy thông dụng (bình chữa cháy) không bảo đảm theo quy định",
     "144/2021/NĐ-CP", 51, 1, 500_000, 1_000_000, date(2022, 1, 1), UNTIL_144_PCCC, True,
     "Buộc trang bị, thay thế phương tiện chữa cháy bảo đảm theo quy định."),
    ("phuong-tien-chua-chay-khong-bao-dam", Domain.FIRE_SAFETY,
     "Trang bị phương tiện chữa cháy thông dụng (bình chữa cháy) không bảo đảm theo quy định",
     "106/2025/NĐ-CP", 20, 1, 1_000_000, 2_000_000, FROM_106, None, False,
     "Buộc trang bị, thay thế phương tiện chữa cháy bảo đảm theo quy định."),
    ("khong-duy-tri-he-thong-bao-chay", Domain.FIRE_SAFETY,
     "Không duy trì chế độ hoạt động, bảo quản, bảo dưỡng phương tiện phòng cháy và chữa cháy đã trang bị "
     "(hệ thống báo cháy)",
     "144/2021/NĐ-CP", 51, 3, 2_000_000, 5_000_000, date(2022, 1, 1), UNTIL_144_PCCC, False,
     "Buộc khắc phục, bảo đảm hệ thống báo cháy hoạt động."),
    ("khong-duy-tri-he-thong-bao-chay", Domain.FIRE_SAFETY,
     "Không duy trì hoạt động, bảo đảm yêu cầu kỹ thuật của hệ thống, phương tiện phòng cháy, chữa cháy "
     "đã trang bị, lắp đặt (hệ thống báo cháy)",
     "106/2025/NĐ-CP", 21, None, 3_000_000, 5_000_000, FROM_106, None, False,
     "Buộc khắc phục, bảo đảm hệ thống báo cháy hoạt động."),
    ("khong-giay-chung-nhan-antt", Domain.CONDITIONAL_BUSINESS,
     "Kinh doanh ngành, nghề có điều kiện về an ninh, trật tự khi không có giấy chứng nhận đủ điều kiện "
     "về an ninh, trật tự còn hiệu lực",
     "144/2021/NĐ-CP", 12, 5, 20_000_000, 30_000_000, date(2022, 1, 1), UNTIL_282, False,
     "Đình chỉ hoạt động kinh doanh đến khi được cấp giấy chứng nhận."),
    ("khong-giay-chung-nhan-antt", Domain.CONDITIONAL_BUSINESS,
     "Kinh doanh ngành, nghề có điều kiện về an ninh, trật tự khi không có giấy chứng nhận đủ điều kiện "
     "về an ninh, trật tự còn hiệu lực",
     "282/2025/NĐ-CP", 13, None, 20_000_000, 30_000_000, FROM_282, None, False,
     "Đình chỉ hoạt động kinh doanh đến khi được cấp giấy chứng nhận."),
    ("khong-bao-dam-dieu-kien-antt", Domain.CONDITIONAL_BUSINESS,
     "Không duy trì, bảo đảm các điều kiện về an ninh, trật tự trong quá trình kinh doanh ngành, nghề "
     "có điều kiện",
     "144/2021/NĐ-CP", 12, 2, 3_000_000, 5_000_000, date(2022, 1, 1), UNTIL_282, False,
     "Buộc khắc phục, bảo đảm các điều kiện về an ninh, trật tự."),
    ("khong-bao-dam-dieu-kien-antt", Domain.CONDITIONAL_BUSINESS,
     "Không duy trì, bảo đảm các điều kiện về an ninh, trật tự trong quá trình kinh doanh ngành, nghề "
     "có điều kiện",
     "282/2025/NĐ-CP", 13, None, 3_000_000, 5_000_000, FROM_282, None, False,
     "Buộc khắc phục, bảo đảm các điều kiện về an ninh, trật tự."),
]  # fmt: skip


def seed_reference_data() -> None:
    """The rows migrations load, put back where they are missing: a database flushed after migrating
    (a test run, a restore of an emptied database) has lost them, and the demo signs decisions."""
    for code, name, symbol, stage in (*RECORD_FORMS, DECISION_FORM):
        RecordForm.objects.get_or_create(code=code, defaults={"name": name, "symbol": symbol, "stage": stage})
    for row in competence_rows():
        keys = {k: row.pop(k) for k in ("title", "domain", "valid_from")}
        CompetenceLimit.objects.get_or_create(**keys, defaults=row)
    for day, name in VIETNAMESE_PUBLIC_HOLIDAYS:
        PublicHoliday.objects.get_or_create(date=day, defaults={"name": name})


def seed_catalogue() -> int:
    created = 0
    rows = [(row, CHECK_NOTE) for row in CATALOGUE] + [
        (row, UNCONFIRMED_NOTE) for row in CATALOGUE_UNCONFIRMED
    ]
    for (code, domain, title, decree, article, clause, low, high, start, end, warning, remedy), note in rows:
        _obj, was_created = ViolationType.objects.get_or_create(
            code=code,
            valid_from=start,
            defaults={
                "domain": domain,
                "title": title,
                "decree": decree,
                "article": article,
                "clause": clause,
                "fine_individual_min": low,
                "fine_individual_max": high,
                "valid_to": end,
                "warning_allowed": warning,
                "remedial_measures": remedy,
                "needs_verification": True,
                "verification_note": note,
            },
        )
        created += was_created
    return created


def _demo_businesses(ward: Ward, user: User) -> list[Business]:
    existing = list(Business.objects.filter(ward=ward).order_by("pk")[:4])
    if len(existing) >= 4:
        return existing
    # The businesses seeder fills the registry; without it, a few businesses through the ORM.
    category, _ = BusinessCategory.objects.get_or_create(code="ca-phe", defaults={"name": "Cà phê"})
    rows = [
        ("Cà phê Hoa Sữa", "Nguyễn Thái Học", "12", "Trần Văn Bình"),
        ("Quán ăn Bà Lan", "Hoàng Diệu", "5", "Nguyễn Thị Lan"),
        ("Nhà nghỉ Ba Đình", "Điện Biên Phủ", "40", "Lê Văn Hùng"),
        ("Cà phê Chu Văn An", "Chu Văn An", "21", "Phạm Thị Thu"),
    ]
    for name, street_name, number, owner in rows[len(existing) :]:
        street, _ = Street.objects.get_or_create(ward=ward, name=street_name)
        business, _ = Business.objects.get_or_create(
            ward=ward,
            name=name,
            defaults={
                "category": category,
                "street": street,
                "house_number": number,
                "owner_name": owner,
                "created_by": user,
            },
        )
        existing.append(business)
    return existing


@transaction.atomic
def seed(*, main_ward: Ward) -> list[str]:
    seed_reference_data()
    created_types = seed_catalogue()
    report = [f"Violation catalogue: {ViolationType.objects.count()} entries ({created_types} new)"]
    if Violation.objects.filter(ward=main_ward).exists():
        return report
    officer = User.objects.filter(username="officer1").first()
    leader = User.objects.filter(username="leader1").first()
    if officer is None or leader is None:
        return report
    cafe, eatery, guesthouse, corner = _demo_businesses(main_ward, officer)
    now = timezone.now()
    # Violation records may cite only confirmed entries. The demo confirms the two it signs
    # records with, through the admin's action, and says so: nobody compared them with the decree.
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin is not None:
        for entry in ViolationType.objects.filter(
            code__in=["de-vat-lan-chiem-duong-via-he", "xa-rac-nuoc-thai-noi-cong-cong"],
            needs_verification=True,
        ):
            services.violation_type_confirm(violation_type=entry, user=admin, note=DEMO_CONFIRMATION_NOTE)

    def draft(business: Business, days_ago: int, code: str, text: str, **kw):
        at = now - timedelta(days=days_ago)
        # Made on the spot when found, at the business (the officer enters both on the form).
        kw.setdefault("made_at", at)
        kw.setdefault("made_place", f"Tại cơ sở {business.name}, {business.address}")
        return services.violation_create_draft(
            business=business, types=[code], occurred_at=at, discovered_at=at, description=text,
            created_by=officer, **kw,
        )  # fmt: skip

    def sign(violation: Violation, **kw) -> Violation:
        kw.setdefault("violator_signed", True)
        return services.violation_sign(violation=violation, signed_by=leader, **kw)

    sidewalk = "de-vat-lan-chiem-duong-via-he"
    # The ladder at work on one café: reminder, then commitment, then a violation record.
    sign(draft(cafe, 200, sidewalk, "Bày bàn ghế chiếm vỉa hè trước cửa quán, đã nhắc nhở thu dọn."))
    sign(draft(cafe, 120, sidewalk, "Tiếp tục bày bàn ghế ra vỉa hè; chủ quán ký cam kết không tái phạm."))
    record = sign(
        draft(cafe, 30, sidewalk, "Cố tình bày bàn ghế, biển quảng cáo chiếm toàn bộ vỉa hè.",
              sanction="fine", fine_amount=800_000, is_deliberate=True)
    )  # fmt: skip
    services.violation_transfer(
        violation=record, actor=leader, transferred_to="Chủ tịch UBND phường Điện Biên"
    )
    # A guesthouse that did not report its guests; the owner refused to sign, a witness signed.
    sign(
        draft(guesthouse, 10, "khong-thong-bao-luu-tru", "Không thông báo lưu trú cho 2 khách nghỉ qua đêm.",
              stage="working_record"),
        refused_to_sign=True, violator_signed=False, witness_name="Nguyễn Văn Tổ",
        witness_role="ward_representative", refusal_reason="Không đồng ý với nội dung biên bản",
    )  # fmt: skip
    # A record amended after signing: the wrong time was written down.
    wrong = sign(
        draft(eatery, 6, "xa-rac-nuoc-thai-noi-cong-cong", "Xả nước thải ra rãnh thoát nước trên vỉa hè.",
              stage="violation_record", sanction="fine", fine_amount=500_000)
    )  # fmt: skip
    amendment = services.violation_amend(
        violation=wrong, actor=leader, reason="Ghi sai thời điểm phát hiện vi phạm."
    )
    corrected = sign(amendment)
    # The sanction decision on the corrected record (#25.3), served today: 10 days to pay. The
    # same behaviour again today is then a repeat offence (tái phạm, #25.4).
    decision = decisions.decision_create_draft(
        violation=corrected, actor=leader, sanction="fine", fine_amount=500_000,
        remedial_measures="Buộc thu gom, xử lý nước thải theo quy định.",
    )  # fmt: skip
    decision = decisions.decision_sign(decision=decision, signed_by=leader, signer_title="police_head")
    decisions.decision_serve(decision=decision, actor=leader, served_on=timezone.localdate())
    draft(eatery, 0, "xa-rac-nuoc-thai-noi-cong-cong", "Lại xả nước thải ra vỉa hè sau khi đã bị xử phạt.",
          stage="violation_record", sanction="fine", fine_amount=600_000)  # fmt: skip
    # Drafts: one overdue, one fresh.
    draft(corner, 9, sidewalk, "Để xe máy của khách lấn chiếm lòng đường.", stage="working_record")
    draft(eatery, 0, sidewalk, "Bày hàng hóa ra vỉa hè.")
    report.append(f"Violations: {Violation.objects.filter(ward=main_ward).count()} demo records")
    return report


# --- bulk, for benchmarks (`seed_demo --inspections N`) -----------------------------------------
@dataclass(frozen=True)
class Finding:
    """An inspection that did not pass, as plain data: violations never import inspections, so
    the inspections seeder hands its generated inspections over in this form."""

    key: int  # the inspection's id: a record it proposes is returned under this key
    business_id: int
    found_at: datetime
    officer_id: int
    proposes: bool  # a critical item failed: the inspection proposes a record (`inspection_record`)
    items: tuple[str, ...]  # the failed items' questions
    type_codes: tuple[str, ...]  # the violation types those items cite


# After a reminder (nothing critical failed) the officer writes a reminder record for this share.
REMINDER_RECORD_SHARE = 0.25
# The stage an officer gives a record proposed by a failed inspection; the ladder (a repeat) may
# lift it higher.
PROPOSED_STAGES = [
    (Stage.REMINDER, 0.5),
    (Stage.COMMITMENT, 0.3),
    (Stage.WORKING_RECORD, 0.08),
    (Stage.VIOLATION_RECORD, 0.12),
]
PROPOSED_STAGE_CHOICES = [stage for stage, _weight in PROPOSED_STAGES]
PROPOSED_STAGE_WEIGHTS = list(accumulate(weight for _stage, weight in PROPOSED_STAGES))
COMPLEX_SHARE = 0.05
REFUSED_SHARE = 0.04
TRANSFERRED_SHARE = 0.8  # of the signed records with a fine (violation records, sanctions)
# Share of signed records later remedied, by stage.
REMEDIED_SHARE = {
    Stage.REMINDER: 0.75,
    Stage.COMMITMENT: 0.7,
    Stage.WORKING_RECORD: 0.6,
    Stage.VIOLATION_RECORD: 0.4,
    Stage.SANCTION: 0.4,
}
WITNESSES = [
    ("Nguyễn Văn Tư (tổ trưởng tổ dân phố)", WitnessRole.WARD_REPRESENTATIVE),
    ("Trần Thị Hòa (tổ phó tổ dân phố)", WitnessRole.WARD_REPRESENTATIVE),
    ("Lê Văn Nam (người chứng kiến)", WitnessRole.WITNESS),
]


def picked(key: int, share: float) -> bool:
    """A fixed choice per inspection (multiplicative hash): a second run makes the same one."""
    return (key * 2654435761) % 2**32 < share * 2**32


def signed_share(age_days: int) -> float:
    """Share of records signed `age_days` after the inspection: the freshest are drafts; the few
    left unsigned after their two working days are the overdue ones."""
    if age_days <= 2:
        return 0.15
    if age_days <= 30:
        return 0.75
    return 0.97


@dataclass
class _Planned:
    finding: Finding
    ward_id: int
    types: list[ViolationType]
    values: dict[str, Any]


@dataclass
class _Seeder:
    """What planning a record needs, read once: the catalogue, holidays, forms, who may sign in
    each ward, the businesses concerned and their established records (the repeat rule)."""

    findings: Sequence[Finding]
    now: datetime = field(default_factory=timezone.now)

    def __post_init__(self) -> None:
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_current_timezone()
        self.rng = random.Random(len(self.findings))  # noqa: S311 - demo data, not secrets
        self.versions: dict[str, list[ViolationType]] = defaultdict(list)
        for violation_type in ViolationType.objects.all():
            self.versions[violation_type.code].append(violation_type)
        self.holidays = set(PublicHoliday.objects.values_list("date", flat=True))
        self.forms = {form.stage: form for form in RecordForm.objects.filter(stage__in=rules.RECORD_STAGES)}
        # Whoever may sign in the ward signs its records; a ward without one gets none.
        self.signers: dict[int, list[int]] = defaultdict(list)
        for pk, ward_id in (
            User.objects.filter(ward__isnull=False, groups__permissions__codename="sign_violation")
            .distinct()
            .order_by("pk")
            .values_list("pk", "ward_id")
        ):
            self.signers[ward_id].append(pk)
        self.ward_names = dict(Ward.objects.values_list("pk", "name"))
        involved = {f.business_id for f in self.findings}
        self.businesses = {
            pk: (
                ward_id,
                street_id,
                group_id,
                " ".join(p for p in (f"Số {number}" if number else "", street or "") if p),
            )
            for pk, ward_id, street_id, group_id, number, street in Business.objects.values_list(
                "pk", "ward_id", "street_id", "residential_group_id", "house_number", "street__name"
            )
            if pk in involved
        }
        self.history, self.existing = _history(involved)
        self.legal_bases: dict[tuple[int, ...], str] = {}
        self.unsigned_wards: set[int] = set()

    def plan(self) -> list[_Planned]:
        """The records to make, business by business in the order they happened (the repeat
        flag and the stage depend on the records before)."""
        planned = []
        for f in sorted(self.findings, key=lambda f: (f.business_id, f.found_at, f.key)):
            if (f.business_id, f.found_at) in self.existing or f.business_id not in self.businesses:
                continue
            if f.proposes or picked(f.key, REMINDER_RECORD_SHARE):
                record = self._plan(f)
                if record is not None:
                    planned.append(record)
        _number(planned, self.forms, self.tz)
        return planned

    def _plan(self, f: Finding) -> _Planned | None:
        day = f.found_at.astimezone(self.tz).date()
        types = [t for t in (rules.rule_in_force(self.versions.get(c, []), day) for c in f.type_codes) if t]
        ward_id, street_id, group_id, place = self.businesses[f.business_id]
        if not types:
            return None
        if not self.signers.get(ward_id):
            self.unsigned_wards.add(ward_id)
            return None
        codes, domains = frozenset(t.code for t in types), frozenset(t.domain for t in types)
        past = [p for at, p in self.history[f.business_id] if at < f.found_at]
        matches = rules.matching_past_violations(past, occurred_on=day, type_codes=codes, domains=domains)
        previous = [m.stage for m in matches]
        stage = Stage.REMINDER
        if f.proposes:
            stage = self.rng.choices(PROPOSED_STAGE_CHOICES, cum_weights=PROPOSED_STAGE_WEIGHTS)[0]
        stage = max(stage, rules.suggest_next_stage(previous_stages=previous), key=rules.stage_rank)
        sanction, fine = Sanction.NONE, None
        if rules.stage_rank(stage) >= rules.stage_rank(Stage.VIOLATION_RECORD):
            sanction, fine = Sanction.FINE, sum(t.fine_individual_min for t in types)
        record_needed = rules.record_required(
            sanction=sanction, fine_amount=fine, violator_kind=ViolatorKind.INDIVIDUAL
        )
        complex_case = self.rng.random() < COMPLEX_SHARE
        created_at = min(f.found_at + timedelta(minutes=self.rng.randint(5, 90)), self.now)
        values: dict[str, Any] = {
            "ward_id": ward_id,
            "business_id": f.business_id,
            "occurred_at": f.found_at,
            "discovered_at": f.found_at,
            "place": place,
            "street_id": street_id,
            "residential_group_id": group_id,
            "description": (
                f"Phát hiện khi kiểm tra ngày {day:%d/%m/%Y}, nội dung không đạt: {'; '.join(f.items)}."
            ),
            "stage": stage,
            "suggested_stage": rules.suggest_next_stage(
                previous_stages=previous, record_required=record_needed
            ),
            # Tái phạm needs a sanction decision still counting: the bulk demo makes none, so only
            # "vi phạm nhiều lần" (earlier violation records of the same behaviour) can apply.
            **_aggravation(past, day, codes),
            "sanction": sanction,
            "fine_amount": fine,
            "is_complex": complex_case,
            "due_date": rules.record_due_date(day, complex_case=complex_case, holidays=self.holidays),
            "created_by_id": f.officer_id,
            "created_at": created_at,
            "updated_at": created_at,
            "status": Status.DRAFT,
            "violator_signed": False,
            "refused_to_sign": False,
            "witness_name": "",
            "witness_role": "",
            "legal_basis_snapshot": "",
            "signed_at": None,
            "signed_by_id": None,
            "transferred_to": "",
            "transferred_at": None,
            "remedied_at": None,
        }
        if self._sign(values, types, day):
            past_violation = rules.PastViolation(
                occurred_on=day, type_codes=codes, domains=domains, stage=stage
            )
            self.history[f.business_id].append((f.found_at, past_violation))
        return _Planned(f, ward_id, types, values)

    def _sign(self, values: dict[str, Any], types: list[ViolationType], day: date) -> bool:
        """Sign the record if its age says so, then transfer and remedy it maybe; True if signed."""
        rng = self.rng
        signed_at = values["occurred_at"] + timedelta(minutes=rng.randint(20, 2 * 24 * 60))
        if signed_at > self.now or rng.random() >= signed_share((self.today - day).days):
            return False
        signers = self.signers[values["ward_id"]]
        key = tuple(sorted(t.pk for t in types))
        if key not in self.legal_bases:
            self.legal_bases[key] = services.legal_basis_text(types)
        values.update(
            status=Status.SIGNED,
            signed_at=signed_at,
            signed_by_id=signers[rng.randrange(len(signers))],
            legal_basis_snapshot=self.legal_bases[key],
            created_at=min(values["created_at"], signed_at),
            updated_at=signed_at,
            violator_signed=True,
        )
        if rng.random() < REFUSED_SHARE:
            witness, role = WITNESSES[rng.randrange(len(WITNESSES))]
            values.update(
                violator_signed=False, refused_to_sign=True, witness_name=witness, witness_role=role
            )
        last = signed_at
        if values["sanction"] == Sanction.FINE and rng.random() < TRANSFERRED_SHARE:
            transferred_at = signed_at + timedelta(hours=rng.randint(4, 72))
            if transferred_at <= self.now:
                ward = self.ward_names[values["ward_id"]]
                values.update(
                    status=Status.TRANSFERRED,
                    transferred_at=transferred_at,
                    transferred_to=f"Chủ tịch UBND {ward[:1].lower()}{ward[1:]}",
                    updated_at=transferred_at,
                )
                last = transferred_at
        remedied_at = last + timedelta(hours=rng.randint(24, 20 * 24))
        if rng.random() < REMEDIED_SHARE[values["stage"]] and remedied_at <= self.now:
            values.update(status=Status.REMEDIED, remedied_at=remedied_at, updated_at=remedied_at)
        return True


def _aggravation(past: list[rules.PastViolation], day: Any, codes: frozenset[str]) -> dict[str, bool]:
    records = [
        rules.PastRecord(occurred_on=p.occurred_on, type_codes=p.type_codes, decided=False)
        for p in past
        if p.stage in (Stage.VIOLATION_RECORD, Stage.SANCTION)
    ]
    aggravation = rules.aggravating_circumstances(
        decisions=[], records=records, occurred_on=day, type_codes=codes
    )
    return {"is_repeat": aggravation.repeat_offence, "is_multiple": aggravation.multiple}


def _history(business_ids: set[int]) -> tuple[dict[int, list], set[tuple[int, datetime]]]:
    """The established records of the businesses (for the repeat rule) and, for every business,
    the times its records happened (what a second run must not make again)."""
    codes: dict[int, set[str]] = defaultdict(set)
    domains: dict[int, set[str]] = defaultdict(set)
    items = ViolationItem.objects.filter(violation__business__isnull=False)
    for violation_id, code, domain in items.values_list(
        "violation_id", "violation_type__code", "violation_type__domain"
    ):
        codes[violation_id].add(code)
        domains[violation_id].add(domain)
    history: dict[int, list[tuple[datetime, rules.PastViolation]]] = defaultdict(list)
    existing: set[tuple[int, datetime]] = set()
    for pk, business_id, occurred_at, status, stage in Violation.objects.filter(
        business__isnull=False
    ).values_list("pk", "business_id", "occurred_at", "status", "stage"):
        existing.add((business_id, occurred_at))
        if status in ESTABLISHED and business_id in business_ids:
            past = rules.PastViolation(
                occurred_on=timezone.localdate(occurred_at),
                type_codes=frozenset(codes[pk]),
                domains=frozenset(domains[pk]),
                stage=stage,
            )
            history[business_id].append((occurred_at, past))
    return history, existing


def _number(planned: list[_Planned], forms: dict[str, RecordForm], tz: Any) -> None:
    """Numbers of the signed records (working and violation records): per ward, register kind
    and year of signing, in the order signed, after the ward's register counter, which is moved
    on (so the next signing through the services takes the following number). The register
    lines themselves are written by `_insert`, once the records have their ids."""
    by_key: dict[tuple[int, str, int], list[_Planned]] = defaultdict(list)
    for p in planned:
        p.values.update(record_form_id=None, number=None, number_year=None, number_symbol="")
        form = forms.get(p.values["stage"])
        kind = services.STAGE_REGISTER_KINDS.get(p.values["stage"])
        # Reminders have no record form: their notice takes the register's own symbol (TB-NN).
        numbered = form is not None or p.values["stage"] == Stage.REMINDER
        if numbered and kind is not None and p.values["signed_at"] is not None:
            year = p.values["signed_at"].astimezone(tz).year
            symbol = form.symbol if form is not None else DEFAULT_SYMBOLS[kind]
            p.values.update(
                record_form_id=form.pk if form is not None else None, number_year=year, number_symbol=symbol
            )
            by_key[(p.ward_id, kind, year)].append(p)
    if not by_key:
        return
    wards = {ward_id for ward_id, _kind, _year in by_key}
    last = {
        (c.ward_id, c.kind, c.year): c.last_number for c in RegisterCounter.objects.filter(ward_id__in=wards)
    }
    for ward_id, kind, year, top in (
        RegisterEntry.objects.filter(ward_id__in=wards, kind__in=services.STAGE_REGISTER_KINDS.values())
        .values_list("ward_id", "kind", "year")
        .annotate(top=Max("number"))
        .order_by()
    ):
        last[(ward_id, kind, year)] = max(last.get((ward_id, kind, year), 0), top)
    for (ward_id, kind, year), records in by_key.items():
        number = last.get((ward_id, kind, year), 0)
        for p in sorted(records, key=lambda p: p.values["signed_at"]):
            number += 1
            p.values["number"] = number
        RegisterCounter.objects.update_or_create(
            ward_id=ward_id, kind=kind, year=year, defaults={"last_number": number}
        )


def _register_rows(ids: list[int], planned: list[_Planned], tz: Any) -> list[tuple]:
    """The register lines of the numbered records, as `register_issue` would have written them."""
    forms = {form.pk: form for form in RecordForm.objects.all()}
    content_type_id = ContentType.objects.get_for_model(Violation).pk
    owners = dict(
        Business.objects.filter(pk__in={p.finding.business_id for p in planned}).values_list(
            "pk", "owner_name"
        )
    )
    now = timezone.now()
    rows = []
    for pk, p in zip(ids, planned, strict=True):
        v = p.values
        if v["number"] is None:
            continue
        name = forms[v["record_form_id"]].name if v["record_form_id"] else services.REMINDER_NOTICE_TITLE
        violator = v.get("person_name") or owners.get(p.finding.business_id, "")
        rows.append(
            (
                p.ward_id,
                services.STAGE_REGISTER_KINDS[v["stage"]],
                v["number_year"],
                v["number"],
                v["number_symbol"],
                v["signed_at"].astimezone(tz).date(),
                f"{name}: {violator}"[:255],
                v["signed_by_id"],
                content_type_id,
                pk,
                now,
            )
        )
    return rows


def _insert(planned: list[_Planned]) -> list[int]:
    """COPY the records and their types (bulk_create off PostgreSQL); their "insert" audit
    events are written in one statement. Returns the new ids, in the order of `planned`."""
    ids = reserve_ids(Violation, len(planned))
    # The types go in first: the trigger that freezes a signed record's types looks the record
    # up, and it is not there yet (the foreign key is checked at commit, in this transaction).
    # On PostgreSQL that lookup is skipped too: run per row at the end of a long seeding
    # transaction it cost about 5 ms a row (65 s for 13.000 types), for a record sure to be absent.
    with triggers_skipped("violations.ViolationItem:protect_signed_item"):
        insert_rows(
            ViolationItem,
            ["violation_id", "violation_type_id"],
            [(pk, t.pk) for pk, p in zip(ids, planned, strict=True) for t in p.types],
        )
    fields = list(planned[0].values)
    with insert_events_in_bulk("violations.Violation", "violations.ViolationEvent"):
        insert_rows(
            Violation,
            ["id", *fields],
            [(pk, *(p.values[name] for name in fields)) for pk, p in zip(ids, planned, strict=True)],
        )
    insert_rows(
        RegisterEntry,
        [
            "ward_id",
            "kind",
            "year",
            "number",
            "symbol",
            "issued_on",
            "title",
            "signer_id",
            "content_type_id",
            "object_id",
            "created_at",
        ],
        _register_rows(ids, planned, timezone.get_current_timezone()),
    )
    return ids


def seed_bulk(findings: Sequence[Finding]) -> tuple[dict[int, int], list[str]]:
    """Violation records for generated inspections that did not pass, loaded in bulk.

    Every failed inspection whose failed items cite a violation type proposes a record, as
    `inspection_record` does; after a reminder, an officer writes one for a share of them
    (`picked`). A record has the business's ward, street and residential group, the type version
    in force on the day, the services' deadline (working days), the repeat flag and the ladder's
    stage over the business's earlier established records, and a status by age: old ones signed
    (numbered after the ward's counter), transferred or remedied, recent ones drafts. A finding
    already recorded (same business, same time) is skipped: a second run adds nothing.
    Returns the records proposed by failed inspections, by finding key, and report lines.
    """
    seeder = _Seeder(findings)
    planned = seeder.plan()
    ids = _insert(planned) if planned else []
    proposals = {p.finding.key: pk for pk, p in zip(ids, planned, strict=True) if p.finding.proposes}
    report = [bulk_report(len(planned))]
    for ward_id in sorted(seeder.unsigned_wards):
        report.append(
            f"  no one may sign records in {seeder.ward_names[ward_id]}: no records generated there"
        )
    return proposals, report


def bulk_report(made: int) -> str:
    """The figures of the violations table a seed run leaves (for the operator and the README)."""
    stages = dict(Violation.objects.order_by().values_list("stage").annotate(n=Count("pk")))
    statuses = dict(Violation.objects.order_by().values_list("status").annotate(n=Count("pk")))
    overdue = Violation.objects.filter(status=Status.DRAFT, due_date__lt=timezone.localdate()).count()
    repeaters = Violation.objects.filter(is_repeat=True).values("business_id").distinct().count()
    businesses = Business.objects.count() or 1
    return (
        f"Violations: {made} generated, {sum(stages.values())} in total; by stage "
        + ", ".join(f"{s} {stages.get(s, 0)}" for s in Stage.values)
        + "; by status "
        + ", ".join(f"{s} {statuses.get(s, 0)}" for s in Status.values)
        + f"; {overdue} drafts overdue; repeat violators: {repeaters} businesses"
        f" ({repeaters / businesses:.1%} of {businesses})"
    )
