"""Demo data for violations: the catalogue entries of DOMAIN.md, the holidays, and a handful of
records at different stages for businesses of phường Điện Biên. Idempotent."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from businesses.models import Business, BusinessCategory
from wards.models import Street, Ward

from . import services
from .domains import Domain
from .holidays import RECORD_FORMS, VIETNAMESE_PUBLIC_HOLIDAYS
from .models import PublicHoliday, RecordForm, Violation, ViolationType

CHECK_NOTE = "Mức phạt lấy từ nguồn thứ cấp: cần đối chiếu với văn bản chính thức."
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


def seed_reference_data() -> None:
    for code, name, symbol, stage in RECORD_FORMS:
        RecordForm.objects.get_or_create(code=code, defaults={"name": name, "symbol": symbol, "stage": stage})
    for day, name in VIETNAMESE_PUBLIC_HOLIDAYS:
        PublicHoliday.objects.get_or_create(date=day, defaults={"name": name})


def seed_catalogue() -> int:
    created = 0
    for code, domain, title, decree, article, clause, low, high, start, end, warning, remedy in CATALOGUE:
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
                "verification_note": CHECK_NOTE,
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

    def draft(business: Business, days_ago: int, code: str, text: str, **kw):
        at = now - timedelta(days=days_ago)
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
        witness_role="ward_representative",
    )  # fmt: skip
    # A record amended after signing: the wrong time was written down.
    wrong = sign(
        draft(eatery, 6, "xa-rac-nuoc-thai-noi-cong-cong", "Xả nước thải ra rãnh thoát nước trên vỉa hè.",
              stage="violation_record", sanction="fine", fine_amount=500_000)
    )  # fmt: skip
    amendment = services.violation_amend(
        violation=wrong, actor=leader, reason="Ghi sai thời điểm phát hiện vi phạm."
    )
    sign(amendment)
    # Drafts: one overdue, one fresh.
    draft(corner, 9, sidewalk, "Để xe máy của khách lấn chiếm lòng đường.", stage="working_record")
    draft(eatery, 0, sidewalk, "Bày hàng hóa ra vỉa hè.")
    report.append(f"Violations: {Violation.objects.filter(ward=main_ward).count()} demo records")
    return report
