"""Demo checklists (realistic Vietnamese content), demo inspections in phường Điện Biên, and a
fast bulk generator for benchmarks (`seed_demo --inspections N`).

Idempotent: checklists are looked up by code, demo inspections carry fixed submission ids
(a second run replays them and creates nothing), and the bulk generator only tops up to N.
"""

import io
import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import accumulate, groupby

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from accounts.roles import Role
from businesses.demo import STORY_BUSINESSES
from businesses.models import Business, BusinessCategory, InspectionResult
from documents.models import RegisterEntry, RegisterKind
from documents.register import REGISTER_ROW_FIELDS, BulkLine, register_bulk_rows
from violations.demo import Finding
from violations.domains import Domain
from violations.models import ViolationType
from ward_police import refdata
from ward_police.bulk import insert_rows, reserve_ids
from wards.models import Ward

from .models import (
    Answer,
    AnswerStatus,
    ChecklistItem,
    ChecklistTemplate,
    ChecklistVersion,
    Commitment,
    Inspection,
    VersionStatus,
)
from .services import (
    AnswerInput,
    CommitmentInput,
    applicable_items,
    checklist_item_add,
    checklist_section_add,
    checklist_template_create,
    checklist_version_create_draft,
    checklist_version_publish,
    inspection_record,
)

DEMO_NAMESPACE = uuid.UUID("6f1d1c52-3b0e-4f55-9a57-0d2c8c1e4a11")

CATEGORIES = {
    # code: (name, needs a security-and-order certificate)
    "quan-an": ("Quán ăn", False),
    "ca-phe": ("Quán cà phê", False),
    "tap-hoa": ("Cửa hàng tạp hóa", False),
    "karaoke": ("Karaoke", True),
    "nha-nghi-khach-san": ("Nhà nghỉ, khách sạn", True),
    "cam-do": ("Cầm đồ", True),
    "quan-bar": ("Quán bar", True),
}
CONDITIONAL = ["karaoke", "nha-nghi-khach-san", "cam-do", "quan-bar"]

# (domain, title, [(question, guidance, points, critical, category codes, violation type codes)])
EPIDEMIC_2021 = (
    Domain.EPIDEMIC,
    "Phòng, chống dịch COVID-19 (năm 2021)",
    [
        (
            "Mã QR được niêm yết tại lối vào và khách quét mã khi vào",
            "Kiểm tra mã QR khai báo y tế dán ở nơi dễ thấy; quan sát khách thực tế quét mã.",
            2,
            False,
            [],
            [],
        ),
        (
            "Có sổ ghi chép khách không dùng điện thoại thông minh: họ tên, tuổi, địa chỉ, số điện thoại",
            "Sổ ghi đủ bốn thông tin cho từng lượt khách; chữ rõ ràng, có ngày giờ.",
            2,
            False,
            [],
            [],
        ),
        (
            "Nhân viên và khách đeo khẩu trang, giữ khoảng cách; có dung dịch sát khuẩn",
            "",
            1,
            False,
            [],
            [],
        ),
    ],
)
FIRE_SAFETY = (
    Domain.FIRE_SAFETY,
    "Phòng cháy, chữa cháy (PCCC)",
    [
        (
            "Có bình chữa cháy còn hạn sử dụng, đặt ở nơi dễ thấy, dễ lấy",
            "Xem tem kiểm định và đồng hồ áp suất (kim ở vùng xanh).",
            3,
            True,
            [],
            ["phuong-tien-chua-chay-khong-bao-dam"],
        ),
        (
            "Lối thoát nạn thông thoáng, không bị hàng hóa, xe chắn",
            "",
            3,
            True,
            [],
            ["can-tro-loi-thoat-nan"],
        ),
        ("Hệ thống điện an toàn, không câu móc, không để dây điện trần", "", 2, False, [], []),
        ("Có nội quy, tiêu lệnh PCCC niêm yết tại cơ sở", "", 1, False, [], []),
        (
            "Hệ thống báo cháy tự động hoạt động tốt",
            "Đề nghị chủ cơ sở bấm thử nút báo cháy tại một tầng.",
            2,
            True,
            ["karaoke", "nha-nghi-khach-san", "quan-bar"],
            ["khong-duy-tri-he-thong-bao-chay"],
        ),
    ],
)
URBAN_ORDER = (
    Domain.URBAN_ORDER,
    "Trật tự đô thị",
    [
        (
            "Không lấn chiếm vỉa hè, lòng đường để bày bán hàng hóa, để xe",
            "Chụp ảnh toàn cảnh mặt tiền nếu có lấn chiếm.",
            2,
            False,
            [],
            ["de-vat-lan-chiem-duong-via-he"],
        ),
        ("Biển hiệu, mái che, mái vẩy đúng quy định, không lấn ra lòng đường", "", 1, False, [], []),
    ],
)
SANITATION = (
    Domain.SANITATION,
    "Vệ sinh môi trường",
    [
        (
            "Không xả rác, đổ nước thải ra vỉa hè, lòng đường, nơi công cộng",
            "",
            2,
            False,
            [],
            ["xa-rac-nuoc-thai-noi-cong-cong"],
        ),
        ("Có thùng chứa rác có nắp; để rác đúng giờ, đúng nơi quy định", "", 1, False, [], []),
    ],
)
SECURITY_ORDER = (
    Domain.SECURITY_ORDER,
    "An ninh trật tự",
    [
        (
            "Không để xảy ra tụ tập gây ồn ào, mất trật tự sau 22 giờ",
            "",
            2,
            False,
            [],
            ["gay-mat-trat-tu-cong-cong"],
        ),
        ("Chủ cơ sở khai báo danh sách nhân viên, người lao động với Công an phường", "", 1, False, [], []),
    ],
)
CONDITIONAL_BUSINESS = (
    Domain.CONDITIONAL_BUSINESS,
    "Ngành nghề kinh doanh có điều kiện về ANTT",
    [
        (
            "Có giấy chứng nhận đủ điều kiện về ANTT còn hiệu lực, niêm yết tại cơ sở",
            "Đối chiếu số giấy chứng nhận với hồ sơ cơ sở.",
            3,
            True,
            [],
            ["khong-giay-chung-nhan-antt"],
        ),
        ("Người quản lý, nhân viên có lý lịch rõ ràng, đã khai báo với Công an phường", "", 2, False, [], []),
        (
            "Phòng hát có cửa kính trong suốt, không khóa trái khi có khách",
            "",
            2,
            True,
            ["karaoke"],
            ["khong-bao-dam-dieu-kien-antt"],
        ),
        (
            "Có sổ theo dõi hợp đồng cầm cố; không nhận tài sản không rõ nguồn gốc",
            "Kiểm tra ngẫu nhiên ba hợp đồng gần nhất.",
            3,
            True,
            ["cam-do"],
            ["khong-bao-dam-dieu-kien-antt"],
        ),
    ],
)
RESIDENCE = (
    Domain.RESIDENCE,
    "Thông báo lưu trú",
    [
        (
            "Thông báo lưu trú cho Công an phường trước 23 giờ (khách đến sau 23 giờ: thông báo ngay)",
            "Đối chiếu số phòng có khách với thông báo lưu trú trên ứng dụng.",
            3,
            True,
            ["nha-nghi-khach-san"],
            ["khong-thong-bao-luu-tru"],
        ),
        (
            "Sổ quản lý khách lưu trú ghi đầy đủ họ tên, giấy tờ tùy thân, giờ đến, giờ đi",
            "",
            2,
            False,
            ["nha-nghi-khach-san"],
            [],
        ),
    ],
)

# The sidewalk and urban-order round (today's work with the urban-order staff).
SIDEWALK = (
    Domain.TRAFFIC,
    "Sử dụng lòng đường, vỉa hè",
    [
        (
            "Không sử dụng lòng đường, vỉa hè để kinh doanh, dựng lều quán, trông giữ xe khi chưa được "
            "cấp phép",
            "Đối chiếu với giấy phép sử dụng tạm thời một phần lòng đường, vỉa hè (nếu có); chụp ảnh toàn "
            "cảnh.",
            3,
            True,
            [],
            ["su-dung-long-duong-via-he-trai-phep"],
        ),
        (
            "Không để vật liệu xây dựng, phế thải, hàng hóa lấn chiếm vỉa hè, lòng đường",
            "",
            2,
            True,
            [],
            ["de-vat-lan-chiem-duong-via-he"],
        ),
        ("Chừa lối đi cho người đi bộ trên vỉa hè theo quy định của phường", "", 1, False, [], []),
    ],
)
FIRE_SAFETY_EXTRA = (
    Domain.FIRE_SAFETY,
    "Tổ chức phòng cháy tại cơ sở",
    [
        ("Có người được huấn luyện nghiệp vụ PCCC, biết sử dụng bình chữa cháy", "", 1, False, [], []),
        (
            "Không để gas, xăng dầu, chất dễ cháy gần nguồn nhiệt, bếp, bảng điện",
            "Quan sát khu bếp, kho và khu vực để xe.",
            2,
            False,
            [],
            [],
        ),
    ],
)
RESIDENCE_EXTRA = (
    Domain.RESIDENCE,
    "Quản lý khách lưu trú",
    [
        ("Niêm yết nội quy lưu trú và giá phòng tại quầy lễ tân", "", 1, False, ["nha-nghi-khach-san"], []),
        (
            "Khách nước ngoài được khai báo tạm trú đúng thời hạn",
            "Đối chiếu hộ chiếu của khách nước ngoài với phiếu khai báo tạm trú.",
            2,
            False,
            ["nha-nghi-khach-san"],
            [],
        ),
    ],
)

# The editions of each checklist and the day each came into force. The 2021 editions, with the
# COVID-19 checks (QR check-in, the visitors' log, masks), are what the inspections of 2021 used
# (e.g. the ra quân of 1/11/2021); they retired when the epidemic rules were lifted, and no
# edition in force today has them.
EDITION_2021 = date(2021, 8, 1)
EDITION_CURRENT = date(2022, 4, 1)
# Checklists written for the rounds of today (with Decree 282/2025 in force).
EDITION_2025 = date(2025, 12, 15)
NOTES_2021 = "Phiên bản năm 2021: có nội dung phòng, chống dịch COVID-19 (dữ liệu mẫu)."
NOTES_CURRENT = (
    "Phiên bản hiện hành: bỏ nội dung phòng, chống dịch COVID-19; nội dung quan trọng dẫn chiếu hành vi "
    "vi phạm (dữ liệu mẫu)."
)

# code, name, description, category codes, [(in force from, notes, sections)] oldest first
TEMPLATES = [
    (
        "kiem-tra-chung",
        "Kiểm tra chung cơ sở kinh doanh",
        "Các nội dung kiểm tra thường xuyên đối với mọi cơ sở kinh doanh trên địa bàn phường.",
        [],
        [
            (EDITION_2021, NOTES_2021, [EPIDEMIC_2021, FIRE_SAFETY, URBAN_ORDER, SANITATION, SECURITY_ORDER]),
            (EDITION_CURRENT, NOTES_CURRENT, [FIRE_SAFETY, URBAN_ORDER, SANITATION, SECURITY_ORDER]),
        ],
    ),
    (
        "kiem-tra-co-dieu-kien-antt",
        "Kiểm tra cơ sở kinh doanh có điều kiện về ANTT",
        "Karaoke, nhà nghỉ, khách sạn, cầm đồ, quán bar: thêm các điều kiện về ANTT và lưu trú.",
        CONDITIONAL,
        [
            (
                EDITION_2021,
                NOTES_2021,
                [CONDITIONAL_BUSINESS, RESIDENCE, FIRE_SAFETY, EPIDEMIC_2021, URBAN_ORDER, SANITATION],
            ),
            (
                EDITION_CURRENT,
                NOTES_CURRENT,
                [CONDITIONAL_BUSINESS, RESIDENCE, FIRE_SAFETY, URBAN_ORDER, SANITATION],
            ),
        ],
    ),
    (
        "kiem-tra-pccc",
        "Kiểm tra an toàn phòng cháy, chữa cháy",
        "Kiểm tra chuyên đề PCCC đối với mọi cơ sở kinh doanh.",
        [],
        [(EDITION_2025, NOTES_CURRENT, [FIRE_SAFETY, FIRE_SAFETY_EXTRA])],
    ),
    (
        "kiem-tra-luu-tru",
        "Kiểm tra thông báo lưu trú",
        "Nhà nghỉ, khách sạn: thông báo lưu trú cho Công an phường và sổ quản lý khách.",
        ["nha-nghi-khach-san"],
        [(EDITION_2025, NOTES_CURRENT, [RESIDENCE, RESIDENCE_EXTRA])],
    ),
    (
        "kiem-tra-via-he-trat-tu-do-thi",
        "Kiểm tra vỉa hè, trật tự đô thị",
        "Ra quân lập lại trật tự vỉa hè, lòng đường cùng cán bộ đô thị phường.",
        [],
        [(EDITION_2025, NOTES_CURRENT, [SIDEWALK, URBAN_ORDER, SANITATION])],
    ),
]

DEMO_BUSINESSES = STORY_BUSINESSES  # seeded by the registry demo in phường Điện Biên


def _category(code: str) -> BusinessCategory:
    name, conditional = CATEGORIES[code]
    found = BusinessCategory.objects.filter(Q(code=code) | Q(name=name)).first()
    if found:
        return found
    return BusinessCategory.objects.create(code=code, name=name, requires_security_certificate=conditional)


def _in_force_from(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def _fill_edition(draft: ChecklistVersion, sections, violation_ids: dict[str, int]) -> None:
    for domain, title, items in sections:
        section = checklist_section_add(version=draft, domain=domain, title=title)
        for question, guidance, points, critical, item_categories, violation_codes in items:
            item = checklist_item_add(
                section=section,
                question=question,
                guidance=guidance,
                points=points,
                is_critical=critical,
                category_ids=[_category(c).pk for c in item_categories],
            )
            item.violation_types.set([violation_ids[c] for c in violation_codes if c in violation_ids])


def seed_checklists() -> list[ChecklistTemplate]:
    """Each checklist with its editions, oldest first, published in turn (the newer retires the
    older) and dated by when each came into force. An edition whose number exists is left as it
    is, so a database seeded before gains only the editions it lacks."""
    templates = []
    violation_ids = {
        code: pk for pk, code in ViolationType.objects.order_by("-valid_from").values_list("pk", "code")
    }
    for code, name, description, category_codes, editions in TEMPLATES:
        template = ChecklistTemplate.objects.filter(code=code).first()
        if template is None:
            category_ids = [_category(c).pk for c in category_codes]
            template = checklist_template_create(
                code=code, name=name, description=description, category_ids=category_ids
            )
        previous = None
        for number, (in_force_from, notes, sections) in enumerate(editions, start=1):
            version = template.versions.filter(number=number).first()
            if version is None or version.status == VersionStatus.DRAFT:
                draft = version or checklist_version_create_draft(template=template, copy_items=False)
                draft.notes = notes
                draft.save(update_fields=["notes"])
                _fill_edition(draft, sections, violation_ids)
                version = checklist_version_publish(version=draft, user=None)
                ChecklistVersion.objects.filter(pk=version.pk).update(
                    published_at=_in_force_from(in_force_from)
                )
                if previous is not None:
                    ChecklistVersion.objects.filter(pk=previous.pk).update(
                        published_at=_in_force_from(editions[number - 2][0]),
                        retired_at=_in_force_from(in_force_from),
                    )
                refdata.bump(refdata.CHECKLISTS)  # update() sends no post_save
            previous = version
        templates.append(template)
    return templates


def seed_businesses(ward: Ward) -> list[Business]:
    """The demo businesses the inspection stories refer to, looked up by name and created once
    beside the registry the Businesses app seeds (idempotent: matched by name)."""
    names = [row[0] for row in DEMO_BUSINESSES]
    found = {b.name: b for b in Business.objects.filter(ward=ward, name__in=names).select_related("category")}
    if len(found) < len(names):
        streets = {s.name: s for s in ward.streets.all()}
        for name, category_code, owner, number, street_name in DEMO_BUSINESSES:
            street = streets.get(street_name)
            if name in found or street is None:
                continue
            category = _category(category_code)
            found[name] = Business.objects.create(
                ward=ward,
                name=name,
                category=category,
                is_conditional=category.requires_security_certificate,
                owner_name=owner,
                house_number=number,
                street=street,
            )
            found[name].search_text = found[name].compute_search_text()
            found[name].save(update_fields=["search_text"])
    return [found[n] for n in names if n in found]


def _signature_png() -> bytes:
    image = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.line([(60, 170), (140, 80), (200, 160), (280, 90), (360, 150), (520, 110)], fill="#0a2a6b", width=5)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _pick_template(business: Business, templates: list[ChecklistTemplate]) -> ChecklistVersion:
    specific = [t for t in templates if business.category_id in {c.pk for c in t.categories.all()}]
    template = (specific or [t for t in templates if not t.categories.all()])[0]
    return template.versions.get(status=VersionStatus.PUBLISHED)


# What failed at the latest visit of some demo businesses (matched in the item's question).
LATEST_VISIT_FAILURES = {
    "Cà phê Lê Trực": ["vỉa hè"],
    "Bún chả Điện Biên Phủ": ["vỉa hè", "xả rác"],
    "Karaoke Hoàng Diệu": ["bình chữa cháy"],
    "Nhà nghỉ Nguyễn Thái Học": ["Thông báo lưu trú"],
}
REFUSED_TO_SIGN = {"Nhà nghỉ Nguyễn Thái Học"}


def seed_demo_inspections(ward: Ward, templates: list[ChecklistTemplate]) -> int:
    officers = list(User.objects.filter(ward=ward, groups__name=Role.OFFICER).order_by("username").distinct())
    if not officers:
        return 0
    rng = random.Random(2021)
    now = timezone.now()
    created = 0
    for index, business in enumerate(seed_businesses(ward)):
        version = _pick_template(business, templates)
        items = applicable_items(version, business.category_id)
        for visit in range(2):
            submission_id = uuid.uuid5(DEMO_NAMESPACE, f"{business.pk}:{visit}")
            finished = now - timedelta(days=60 - 50 * visit + index, hours=rng.randint(0, 6))
            patterns = LATEST_VISIT_FAILURES.get(business.name, []) if visit == 1 else []
            failing = {i.pk for i in items if any(p in i.question for p in patterns)}
            answers = [
                AnswerInput(
                    item_id=i.pk,
                    status="fail" if i.pk in failing else ("na" if rng.random() < 0.1 else "pass"),
                    note="Đã nhắc nhở chủ cơ sở khắc phục ngay." if i.pk in failing else "",
                )
                for i in items
            ]
            commitment = None
            if failing:
                refused = business.name in REFUSED_TO_SIGN
                commitment = CommitmentInput(
                    text="Cam kết khắc phục các nội dung không đạt và chấp hành đúng quy định.",
                    deadline=timezone.localdate(finished) + timedelta(days=7),
                    signature_png=None if refused else _signature_png(),
                    refused_to_sign=refused,
                    witness_name="Nguyễn Văn Tư (tổ trưởng tổ dân phố)" if refused else "",
                )
            _inspection, was_created = inspection_record(
                submission_id=submission_id,
                business=business,
                version=version,
                recorded_by=officers[index % len(officers)],
                inspectors=officers[:2],
                person_present_name=business.owner_name,
                person_present_role="owner",
                partner_forces="Đoàn thanh niên phường, bảo vệ dân phố" if visit == 0 else "",
                started_at=finished - timedelta(minutes=25),
                finished_at=finished,
                answers=answers,
                commitment=commitment,
            )
            created += int(was_created)
    return created


# --- bulk, for benchmarks ---------------------------------------------------------------------------

BATCH = 5000
RESULT_WEIGHTS = [
    (InspectionResult.PASSED, 0.8),
    (InspectionResult.REMINDED, 0.15),
    (InspectionResult.FAILED, 0.05),
]
# Who was present at a generated inspection (the demo stories name the owner): it also tells the
# generated inspections apart from the stories, which keep their own violation records.
BULK_PERSON_PRESENT = "Chủ cơ sở"
# A few habitual offenders fail far more often than the rest (the rest a little less, so the
# overall shares stay those above): repeat violators are a small group, not chance coincidences
# spread over the whole registry.
HABITUAL_SHARE = 0.03
HABITUAL_WEIGHTS = [
    (InspectionResult.PASSED, 0.25),
    (InspectionResult.REMINDED, 0.30),
    (InspectionResult.FAILED, 0.45),
]
# What fails most often in a city ward: the sidewalk, then rubbish, then noise (weight of a failed
# item citing these violation types; every other item weighs 1).
FINDING_WEIGHTS = {
    "de-vat-lan-chiem-duong-via-he": 5.0,
    "xa-rac-nuoc-thai-noi-cong-cong": 2.0,
    "gay-mat-trat-tu-cong-cong": 1.5,
}
# Share of failed inspections where, beside the failed critical item, an item the catalogue cites
# failed too (so a violation record is proposed, as `inspection_record` does).
CITED_WITH_CRITICAL = 0.8


def is_habitual(business_id: int) -> bool:
    """A fixed choice per business (multiplicative hash), the same at every run."""
    return (business_id * 2654435761) % 2**32 < HABITUAL_SHARE * 2**32


def _result_cum_weights(habitual: bool) -> list[float]:
    """Cumulative weights of RESULT_WEIGHTS' results, for a habitual offender or for the others."""
    weights = []
    for (_result, overall), (_same, heavy) in zip(RESULT_WEIGHTS, HABITUAL_WEIGHTS, strict=True):
        weights.append(heavy if habitual else (overall - HABITUAL_SHARE * heavy) / (1 - HABITUAL_SHARE))
    return list(accumulate(weights))


def seed_bulk(total: int, *, version: ChecklistVersion, log: Callable[[str], None] = print) -> int:
    """Top the inspection count up to `total` with COPY (bulk_create elsewhere): no per-row queries.

    Rows are summaries (result, score, failed items as answers); dates spread over two years.
    Most pass; a failed one fails a critical item and, mostly, an item that cites a violation type
    (what proposes a violation record); habitual offenders (`is_habitual`) fail far more often.
    """
    missing = total - Inspection.objects.count()
    if missing <= 0:
        return 0
    businesses = list(Business.objects.values_list("pk", "ward_id"))
    users_by_ward: dict[int, list[int]] = {}
    for pk, ward_id in User.objects.filter(
        ward__isnull=False, groups__name__in=[Role.OFFICER, Role.LEADER]
    ).values_list("pk", "ward_id"):
        users_by_ward.setdefault(ward_id, []).append(pk)
    businesses = [(pk, ward_id, is_habitual(pk)) for pk, ward_id in businesses if ward_id in users_by_ward]
    if not businesses:
        log("No business with an officer in its ward: no bulk inspections generated.")
        return 0
    items = list(
        ChecklistItem.objects.filter(section__version=version).values_list("pk", "points", "is_critical")
    )
    cited_codes = dict(
        ChecklistItem.violation_types.through.objects.filter(
            checklistitem__section__version=version
        ).values_list("checklistitem_id", "violationtype__code")
    )
    critical = [i for i in items if i[2]] or items
    minor = [i for i in items if not i[2]] or items
    minor_weights = list(accumulate(FINDING_WEIGHTS.get(cited_codes.get(i[0], ""), 1.0) for i in minor))
    cited = [i for i in minor if i[0] in cited_codes]
    cited_weights = list(accumulate(FINDING_WEIGHTS.get(cited_codes[i[0]], 1.0) for i in cited))
    total_points = sum(i[1] for i in items) or 1
    results = [r for r, _w in RESULT_WEIGHTS]
    result_weights = {habitual: _result_cum_weights(habitual) for habitual in (False, True)}
    rng = random.Random(total)
    now = timezone.now()
    span = int(timedelta(days=730).total_seconds())
    through = Inspection.inspectors.through
    fields = [
        "id", "ward_id", "business_id", "checklist_version_id", "submission_id", "recorded_by_id",
        "person_present_name", "started_at", "finished_at", "score", "result", "failed_count",
        "critical_failed_count",
    ]  # fmt: skip
    made = 0
    numbered: list[BulkLine] = []
    names = dict(Business.objects.values_list("pk", "name"))
    tz = timezone.get_current_timezone()
    while made < missing:
        size = min(BATCH, missing - made)
        ids = reserve_ids(Inspection, size)
        rows, inspectors, answers = [], [], []
        for pk in ids:
            business_id, ward_id, habitual = businesses[rng.randrange(len(businesses))]
            officers = users_by_ward[ward_id]
            recorded_by = officers[rng.randrange(len(officers))]
            finished = now - timedelta(seconds=rng.randrange(span))
            result = rng.choices(results, cum_weights=result_weights[habitual])[0]
            failed = []
            if result == InspectionResult.REMINDED:
                failed = [rng.choices(minor, cum_weights=minor_weights)[0]]
            elif result == InspectionResult.FAILED:
                failed = [critical[rng.randrange(len(critical))]]
                if cited and rng.random() < CITED_WITH_CRITICAL:
                    failed.append(rng.choices(cited, cum_weights=cited_weights)[0])
            lost = sum(f[1] for f in failed)
            rows.append(
                (
                    pk,
                    ward_id,
                    business_id,
                    version.pk,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    recorded_by,
                    BULK_PERSON_PRESENT,
                    finished - timedelta(minutes=rng.randint(10, 45)),
                    finished,
                    (Decimal(total_points - lost) * 100 / total_points).quantize(Decimal("0.1")),
                    result,
                    len(failed),
                    sum(1 for f in failed if f[2]),
                )
            )
            inspectors.append((pk, recorded_by))
            answers += [(pk, f[0], "fail") for f in failed]
            numbered.append(
                BulkLine(
                    ward_id=ward_id,
                    issued_on=finished.astimezone(tz).date(),
                    title=f"Biên bản kiểm tra cơ sở {names[business_id]}",
                    signer_id=recorded_by,
                    object_id=pk,
                )
            )
        insert_rows(Inspection, fields, rows)
        insert_rows(through, ["inspection_id", "user_id"], inspectors)
        insert_rows(Answer, ["inspection_id", "item_id", "status"], answers)
        made += size
        if made % (BATCH * 20) == 0:
            log(f"  {made}/{missing} inspections generated")
    # Each generated record takes its number from the register, in the order finished.
    numbered.sort(key=lambda line: (line.issued_on, line.object_id))
    rows = register_bulk_rows(kind=RegisterKind.INSPECTION_RECORD, model=Inspection, lines=numbered)
    insert_rows(RegisterEntry, REGISTER_ROW_FIELDS, rows)
    _refresh_last_inspection()
    return made


# Commitments (ký cam kết) at the generated inspections that did not pass: most owners sign one;
# most are kept, the recent ones less often (the dashboards' overdue list measured on real sizes).
COMMITMENT_SHARE = 0.6
COMMITMENT_DAYS = 14
KEPT_OLD, KEPT_RECENT, RECENT_DAYS = 0.98, 0.75, 60
BULK_COMMITMENT_TEXT = "Khắc phục các nội dung chưa đạt trong thời hạn cam kết."
BULK_SIGNATURE = "demo/bulk-signature.png"


def seed_bulk_commitments(log: Callable[[str], None] = print) -> int:
    """Commitments for the generated inspections reminded or failed (once: a second run adds none)."""
    bulk = Inspection.objects.filter(person_present_name=BULK_PERSON_PRESENT)
    if Commitment.objects.filter(inspection__in=bulk).exists():
        return 0
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    if not default_storage.exists(BULK_SIGNATURE):
        default_storage.save(BULK_SIGNATURE, ContentFile(_signature_png()))
    rng = random.Random(COMMITMENT_SHARE)
    today = timezone.localdate()
    now = timezone.now()
    fields = [
        "inspection_id", "business_id", "ward_id", "text", "deadline", "signature", "refused_to_sign",
        "witness_name", "signed_at", "fulfilled_at",
    ]  # fmt: skip
    rows = []
    candidates = (
        bulk.filter(result__in=[InspectionResult.REMINDED, InspectionResult.FAILED])
        .order_by("pk")
        .values_list("pk", "business_id", "ward_id", "finished_at")
    )
    for pk, business_id, ward_id, finished in candidates.iterator(chunk_size=BATCH):
        if rng.random() >= COMMITMENT_SHARE:
            continue
        deadline = timezone.localdate(finished) + timedelta(days=COMMITMENT_DAYS)
        refused = rng.random() < 0.1
        kept_share = KEPT_OLD if (today - deadline).days > RECENT_DAYS else KEPT_RECENT
        fulfilled = None
        if rng.random() < kept_share:
            fulfilled = min(
                finished + timedelta(days=rng.randint(1, COMMITMENT_DAYS), hours=rng.randint(0, 9)), now
            )
        rows.append(
            (
                pk,
                business_id,
                ward_id,
                BULK_COMMITMENT_TEXT,
                deadline,
                "" if refused else BULK_SIGNATURE,
                refused,
                "Tổ trưởng tổ dân phố" if refused else "",
                finished,
                fulfilled,
            )
        )
    insert_rows(Commitment, fields, rows)
    # Each commitment takes its number from the register (#25.8), in the order its inspection finished.
    tz = timezone.get_current_timezone()
    numbered = [
        BulkLine(
            ward_id=ward_id,
            issued_on=finished.astimezone(tz).date(),
            title=f"Bản cam kết của cơ sở {name}",
            signer_id=signer_id,
            object_id=pk,
        )
        for pk, ward_id, finished, name, signer_id in Commitment.objects.filter(inspection__in=bulk)
        .order_by("inspection__finished_at", "pk")
        .values_list(
            "pk", "ward_id", "inspection__finished_at", "business__name", "inspection__recorded_by_id"
        )
        .iterator(chunk_size=BATCH)
    ]
    register_rows = register_bulk_rows(kind=RegisterKind.COMMITMENT, model=Commitment, lines=numbered)
    insert_rows(RegisterEntry, REGISTER_ROW_FIELDS, register_rows)
    log(f"  {len(rows)} commitments for the generated inspections")
    return len(rows)


def _refresh_last_inspection() -> None:
    """Set every business's last inspection from the inspections table in one statement."""
    if connection.vendor == "postgresql":
        # Fresh statistics first: the rows were bulk-inserted in this transaction, and a planner
        # that believes the table is empty scans it once per business (measured: 30+ minutes for
        # 100.000 businesses and 1.000.000 inspections; this way, seconds).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inspections_inspection")
            cursor.execute(
                """
                UPDATE businesses_business AS b
                   SET last_inspected_at = latest.finished_at, last_inspection_result = latest.result
                  FROM (SELECT DISTINCT ON (business_id) business_id, finished_at, result
                          FROM inspections_inspection
                         ORDER BY business_id, finished_at DESC, id DESC) AS latest
                 WHERE b.id = latest.business_id
                   AND (b.last_inspected_at IS DISTINCT FROM latest.finished_at
                        OR b.last_inspection_result IS DISTINCT FROM latest.result)
                """
            )
        return
    latest = Inspection.objects.filter(business=OuterRef("pk")).order_by("-finished_at", "-pk")
    Business.objects.filter(Exists(Inspection.objects.filter(business=OuterRef("pk")))).update(
        last_inspected_at=Subquery(latest.values("finished_at")[:1]),
        last_inspection_result=Subquery(latest.values("result")[:1]),
    )


def bulk_findings() -> list[Finding]:
    """The generated inspections that did not pass and propose no record yet, as plain data for
    the violations seeder (violations never import inspections)."""
    questions = dict(ChecklistItem.objects.values_list("pk", "question"))
    codes_by_item: dict[int, list[str]] = defaultdict(list)
    for item_id, code in ChecklistItem.violation_types.through.objects.values_list(
        "checklistitem_id", "violationtype__code"
    ):
        codes_by_item[item_id].append(code)
    failed = (
        Answer.objects.filter(
            status=AnswerStatus.FAIL,
            inspection__person_present_name=BULK_PERSON_PRESENT,
            inspection__result__in=[InspectionResult.FAILED, InspectionResult.REMINDED],
            inspection__proposed_violation__isnull=True,
        )
        .order_by("inspection_id", "item_id")
        .values_list(
            "inspection_id",
            "item_id",
            "inspection__business_id",
            "inspection__finished_at",
            "inspection__recorded_by_id",
            "inspection__result",
        )
    )
    findings: list[Finding] = []
    for (pk, business_id, finished_at, officer_id, result), rows in groupby(
        failed.iterator(chunk_size=20000), key=lambda row: (row[0], *row[2:])
    ):
        item_ids = [row[1] for row in rows]
        codes = tuple(dict.fromkeys(code for i in item_ids for code in codes_by_item.get(i, ())))
        findings.append(
            Finding(
                key=pk,
                business_id=business_id,
                found_at=finished_at,
                officer_id=officer_id,
                proposes=result == InspectionResult.FAILED,
                items=tuple(questions[i] for i in item_ids),
                type_codes=codes,
            )
        )
    return findings


def link_proposed_violations(proposals: dict[int, int]) -> None:
    """Set `proposed_violation` of the inspections (keys) to the records made for them (values)."""
    if not proposals:
        return
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE inspections_inspection AS i SET proposed_violation_id = p.violation_id
                  FROM unnest(%s::bigint[], %s::bigint[]) AS p(inspection_id, violation_id)
                 WHERE i.id = p.inspection_id
                """,
                [list(proposals), list(proposals.values())],
            )
        return
    Inspection.objects.bulk_update(
        [Inspection(pk=pk, proposed_violation_id=v) for pk, v in proposals.items()],
        ["proposed_violation"],
        batch_size=300,
    )


def seed(*, main_ward: Ward, inspections: int = 0, log: Callable[[str], None] = print) -> list[str]:
    templates = seed_checklists()
    report = [f"Checklists: {', '.join(t.name for t in templates)}"]
    demo = seed_demo_inspections(main_ward, templates)
    report.append(f"Demo inspections in {main_ward.name}: {demo} new")
    if inspections:
        general = templates[0].versions.get(status=VersionStatus.PUBLISHED)
        made = seed_bulk(inspections, version=general, log=log)
        report.append(f"Inspections: {made} generated, {Inspection.objects.count()} in total")
        report.append(f"Commitments: {seed_bulk_commitments(log)} generated")
    return report
