"""Demo criteria set and assessments for phường Điện Biên.

The set is ILLUSTRATIVE: Decision 5764/QĐ-BCA-V05's text is not public here, so the groups are
those named in public reporting and the criteria are plausible examples, labelled as such. The
last group models the structure of criterion 4 of Decision 04/2022/QĐ-TTg (Guidance
12/HD-BCA-V05): six pass/fail contents that must all hold.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from wards.models import Ward

from . import services
from .models import Assessment, AssessmentStatus, CriteriaSet, CriterionKind, CriterionMethod
from .periods import Period

ILLUSTRATIVE = "Minh họa — không phải văn bản chính thức"
SET_NAME = "Bộ tiêu chí Công an phường điển hình, kiểu mẫu (minh họa)"

THRESHOLDS = [("Đạt kiểu mẫu", "90", True), ("Đạt", "70", True), ("Chưa đạt", "0", False)]

M, C, PF = CriterionMethod.MANUAL, CriterionMethod.COMPUTED, CriterionKind.PASS_FAIL
# group code, group name, [(code, text, max points, method or PF)]
GROUPS = [
    (
        "I",
        "Xây dựng lực lượng",
        [
            (
                "1.1",
                "Chấp hành điều lệnh, kỷ luật; không có cán bộ vi phạm bị xử lý kỷ luật trong kỳ",
                "8",
                M,
            ),
            ("1.2", "Bảo đảm thời gian làm việc, trực ban, tiếp công dân theo quy định", "7", M),
        ],
    ),
    (
        "II",
        "Bảo đảm an ninh trật tự",
        [
            ("2.1", "Kiềm chế, kéo giảm tội phạm và tệ nạn ma túy trên địa bàn", "10", M),
            ("2.2", "Quản lý cư trú: cập nhật đầy đủ, kịp thời thông tin cư trú, lưu trú", "8", M),
            (
                "2.3",
                "Cơ sở kinh doanh ngành nghề có điều kiện về ANTT có giấy chứng nhận còn hiệu lực "
                "(tính tự động: 100% được đủ điểm, từ 80% trở xuống không có điểm)",
                "12",
                C,
            ),
        ],
    ),
    (
        "III",
        "Văn minh đô thị",
        [
            ("3.1", "Trật tự lòng đường, vỉa hè; không tái lấn chiếm sau kiểm tra", "8", M),
            ("3.2", "Vệ sinh môi trường nơi công cộng, khu kinh doanh", "7", M),
        ],
    ),
    (
        "IV",
        "Phong trào toàn dân bảo vệ an ninh Tổ quốc",
        [
            (
                "4.1",
                "Tỷ lệ tổ dân phố được công nhận “An toàn về an ninh, trật tự” (Thông tư 124/2021/TT-BCA)",
                "15",
                M,
            ),
        ],
    ),
    (
        "V",
        "Cơ sở vật chất, ứng dụng công nghệ",
        [
            ("5.1", "Trụ sở, trang thiết bị, phương tiện bảo đảm yêu cầu công tác", "5", M),
            ("5.2", "Ứng dụng công nghệ thông tin, số hóa hồ sơ nghiệp vụ", "5", M),
        ],
    ),
    (
        "VI",
        "Sự hài lòng của nhân dân",
        [("6.1", "Mức độ hài lòng của người dân qua khảo sát trong kỳ", "15", M)],
    ),
    (
        "VII",
        "An ninh, trật tự đô thị — điều kiện bắt buộc (mô phỏng tiêu chí 4, Quyết định 04/2022/QĐ-TTg; "
        "Hướng dẫn 12/HD-BCA-V05)",
        [
            (
                "7.1",
                "Không có hoạt động chống Đảng, chống chính quyền, phá hoại khối đại đoàn kết toàn dân tộc",
                "0",
                PF,
            ),
            (
                "7.2",
                "Không để xảy ra tụ tập đông người, khiếu kiện trái pháp luật kéo dài (minh họa)",
                "0",
                PF,
            ),
            ("7.3", "Kiềm chế, kéo giảm tội phạm và tệ nạn xã hội (minh họa)", "0", PF),
            ("7.4", "Không để xảy ra cháy, nổ gây hậu quả nghiêm trọng (minh họa)", "0", PF),
            ("7.5", "Kiềm chế tai nạn giao thông, không để ùn tắc kéo dài (minh họa)", "0", PF),
            ("7.6", "Trật tự đô thị, lòng đường, vỉa hè được bảo đảm (minh họa)", "0", PF),
        ],
    ),
]

# Illustrative scores of the two demo quarters: (earlier, approved), (latest, draft).
EARLIER = {
    "1.1": 7,
    "1.2": 6,
    "2.1": 8,
    "2.2": 7,
    "3.1": 6,
    "3.2": 6,
    "4.1": 12,
    "5.1": 4,
    "5.2": 3,
    "6.1": 12,
}
LATEST = {
    "1.1": 8,
    "1.2": 7,
    "2.1": 9,
    "2.2": 8,
    "3.1": 7,
    "3.2": 7,
    "4.1": 14,
    "5.1": 5,
    "5.2": 4,
    "6.1": 13,
}
LATEST_FAILED = {"7.4": "Minh họa: một vụ cháy nhà dân gây thiệt hại nghiêm trọng trong quý."}


def seed_set() -> CriteriaSet:
    existing = CriteriaSet.objects.filter(name=SET_NAME, version=1).first()
    if existing is not None:
        return existing
    criteria_set = services.criteria_set_create(
        name=SET_NAME,
        decision_reference=f"{ILLUSTRATIVE}; tham khảo Quyết định 5764/QĐ-BCA-V05",
        version=1,
        valid_from=date(2024, 1, 1),
        description=(
            f"{ILLUSTRATIVE}. Nhóm tiêu chí theo thông tin công khai về mô hình “Công an phường điển hình, "
            "kiểu mẫu về an ninh trật tự và văn minh đô thị”; điểm và nội dung chỉ để minh họa, "
            "phải đối chiếu văn bản chính thức trước khi sử dụng."
        ),
    )
    for label, minimum, meets in THRESHOLDS:
        services.threshold_add(
            criteria_set=criteria_set, label=label, minimum_total=Decimal(minimum), meets_standard=meets
        )
    for order, (code, name, criteria) in enumerate(GROUPS, start=1):
        group = services.criteria_group_add(criteria_set=criteria_set, code=code, name=name, order=order)
        for c_order, (c_code, text, points, method) in enumerate(criteria, start=1):
            fields = {"code": c_code, "text": text, "order": c_order, "max_points": Decimal(points)}
            if method == PF:
                fields.update(kind=CriterionKind.PASS_FAIL, must_hold=True, evidence_required=False)
            elif method == C:
                fields.update(
                    method=CriterionMethod.COMPUTED,
                    metric_key="conditional_certified",
                    mapping="linear",
                    lower_bound=Decimal(80),
                    upper_bound=Decimal(100),
                    higher_is_better=True,
                )
            services.criterion_add(group=group, **fields)
    return services.criteria_set_publish(criteria_set=criteria_set)


def _evidence_png(code: str) -> SimpleUploadedFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 160), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, 475, 155), outline="darkgreen", width=3)
    draw.text((20, 40), f"MINH HOA - tieu chi {code}", fill="black")
    draw.text((20, 80), "Khong phai ho so that", fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"minh-hoa-tieu-chi-{code}.png", buffer.getvalue(), content_type="image/png")


def _score(assessment: Assessment, user: User, points: dict[str, int], failed: dict[str, str]) -> None:
    for score in assessment.scores.select_related("criterion").order_by("pk"):
        criterion = score.criterion
        if criterion.method != CriterionMethod.MANUAL:
            continue
        files = [_evidence_png(criterion.code)] if criterion.evidence_required else []
        if criterion.kind == CriterionKind.PASS_FAIL:
            holds = criterion.code not in failed
            comment = failed.get(criterion.code, "Minh họa: không phát sinh vụ việc trong kỳ.")
            services.score_update(score=score, user=user, passed=holds, comment=comment, files=files)
        else:
            services.score_update(
                score=score,
                user=user,
                points=Decimal(points[criterion.code]),
                comment="Minh họa: điểm tự chấm kèm tài liệu chứng minh.",
                files=files,
            )


def seed(*, ward: Ward, users: dict[str, User]) -> list[Assessment]:
    criteria_set = seed_set()
    leader, admin = users["leader1"], users["admin"]
    latest = Period.quarter_of(timezone.localdate()).previous()
    earlier = latest.previous()
    made = []
    if not Assessment.objects.filter(ward=ward, year=earlier.year, quarter=earlier.quarter).exists():
        assessment = services.assessment_create(
            ward=ward, period=earlier, criteria_set=criteria_set, user=leader
        )
        _score(assessment, leader, EARLIER, {})
        # The staff officer (cán bộ tham mưu) submits; the station's leader approves and signs.
        services.assessment_submit(assessment=assessment, user=admin)
        services.assessment_approve(assessment=assessment, user=leader)
        made.append(assessment)
    if not Assessment.objects.filter(ward=ward, year=latest.year, quarter=latest.quarter).exists():
        assessment = services.assessment_create(
            ward=ward, period=latest, criteria_set=criteria_set, user=leader
        )
        _score(assessment, leader, LATEST, LATEST_FAILED)
        made.append(assessment)
    return list(
        Assessment.objects.filter(ward=ward, status__in=[AssessmentStatus.DRAFT, AssessmentStatus.APPROVED])
    )
