"""Demo businesses: a few hundred on the streets of phường Điện Biên, about twenty in the second
ward, and as many as `seed_demo --businesses N` asks in total across wards.

Idempotent: demo businesses carry registration numbers 01A8000001, 01A8000002, … per ward, and
only the missing numbers are created. Bulk inserts from pools of pre-generated Faker values, so
100,000 businesses take a minute or so rather than an hour.
"""

import random
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from faker import Faker

from ward_police import refdata
from wards.models import Ward

from .models import Business, BusinessCategory, BusinessStatus

# code, name, needs a security-and-order certificate (ngành nghề kinh doanh có điều kiện về ANTT)
CATEGORIES = [
    ("quan-an", "Quán ăn", False),
    ("ca-phe", "Cà phê, giải khát", False),
    ("tap-hoa", "Tạp hóa", False),
    ("karaoke", "Karaoke", True),
    ("nha-nghi-khach-san", "Nhà nghỉ, khách sạn", True),
    ("cam-do", "Cầm đồ", True),
    ("quan-bar", "Quán bar, vũ trường", True),
    ("kinh-doanh-gas", "Kinh doanh khí (gas)", True),
    ("massage", "Xoa bóp (massage)", True),
    ("cat-toc", "Cắt tóc, gội đầu", False),
    ("hieu-thuoc", "Nhà thuốc", False),
    ("thoi-trang", "Thời trang, quần áo", False),
    ("dien-thoai", "Điện thoại, điện máy", False),
    ("internet", "Internet, trò chơi điện tử", False),
]

# Shop names as they read on Hà Nội signboards: "{}" is a person's given name, "[]" a fancy word.
NAME_PATTERNS = {
    "quan-an": [
        "Quán phở {}",
        "Bún chả {}",
        "Bánh cuốn {}",
        "Bún riêu {}",
        "Cơm bình dân {}",
        "Bún bò Huế {}",
    ],
    "ca-phe": ["Cà phê {}", "Cafe {}", "Cà phê []", "Trà chanh {}", "Cà phê trứng {}"],
    "tap-hoa": ["Tạp hóa {}", "Cửa hàng tạp hóa {}", "Tạp hóa []"],
    "karaoke": ["Karaoke []", "Karaoke {}"],
    "nha-nghi-khach-san": ["Nhà nghỉ []", "Khách sạn []", "Nhà nghỉ {}"],
    "cam-do": ["Cầm đồ {}", "Dịch vụ cầm đồ []"],
    "quan-bar": ["Bar []", "Pub []"],
    "kinh-doanh-gas": ["Gas {}", "Đại lý gas []"],
    "massage": ["Massage []", "Xông hơi, massage {}"],
    "cat-toc": ["Salon tóc {}", "Cắt tóc {}"],
    "hieu-thuoc": ["Nhà thuốc {}", "Nhà thuốc []"],
    "thoi-trang": ["Shop thời trang {}", "Quần áo {}"],
    "dien-thoai": ["Điện thoại {}", "Điện máy []"],
    "internet": ["Game net []", "Internet {}"],
}
FANCY = [
    "Hoàng Gia",
    "Ánh Dương",
    "Sao Mai",
    "Hoa Hồng",
    "Thăng Long",
    "Bình Minh",
    "Phú Quý",
    "Hồng Hà",
    "Tràng An",
    "Ba Đình",
    "Hương Sen",
    "Kim Ngân",
    "Đông Đô",
    "Hòa Bình",
    "Phương Nam",
]
# More cafés and eateries than pawn shops, as on a real street.
CATEGORY_WEIGHTS = {
    "quan-an": 22,
    "ca-phe": 20,
    "tap-hoa": 14,
    "karaoke": 4,
    "nha-nghi-khach-san": 5,
    "cam-do": 3,
    "quan-bar": 2,
    "kinh-doanh-gas": 3,
    "massage": 2,
    "cat-toc": 8,
    "hieu-thuoc": 5,
    "thoi-trang": 7,
    "dien-thoai": 4,
    "internet": 3,
}
MOBILE_PREFIXES = [
    "090",
    "091",
    "093",
    "094",
    "096",
    "097",
    "098",
    "086",
    "088",
    "032",
    "035",
    "039",
    "070",
    "077",
    "081",
    "083",
    "085",
]
# Named businesses the inspection and violation stories of the demo refer to: numbers 1..8 of
# phường Điện Biên's registry (name, category, owner, house number, street).
STORY_BUSINESSES = [
    ("Phở Gia Truyền Hùng Vương", "quan-an", "Nguyễn Văn Hưng", "12", "Hùng Vương"),
    ("Cà phê Lê Trực", "ca-phe", "Trần Thị Mai", "7", "Lê Trực"),
    ("Karaoke Hoàng Diệu", "karaoke", "Phạm Quốc Bảo", "25", "Hoàng Diệu"),
    ("Nhà nghỉ Nguyễn Thái Học", "nha-nghi-khach-san", "Lê Thị Thu", "88", "Nguyễn Thái Học"),
    ("Cầm đồ Tín Nghĩa", "cam-do", "Đỗ Minh Tuấn", "140", "Trần Phú"),
    ("Tạp hóa Chu Văn An", "tap-hoa", "Vũ Thị Hoa", "3", "Chu Văn An"),
    ("Bún chả Điện Biên Phủ", "quan-an", "Hoàng Văn Nam", "54", "Điện Biên Phủ"),
    ("Cà phê Nguyễn Tri Phương", "ca-phe", "Ngô Thị Lan", "19", "Nguyễn Tri Phương"),
]
MAIN_WARD_COUNT = 300
SECOND_WARD_COUNT = 20
REG_PREFIX = "01A8"
# Around phường Điện Biên (Ba Đình, Hà Nội)
CENTRE = (Decimal("21.0310"), Decimal("105.8380"))


def seed_categories() -> dict[str, BusinessCategory]:
    existing = {c.code: c for c in BusinessCategory.objects.all()}
    BusinessCategory.objects.bulk_create(
        [
            BusinessCategory(code=code, name=name, requires_security_certificate=conditional)
            for code, name, conditional in CATEGORIES
            if code not in existing
        ]
    )
    refdata.bump(refdata.CATEGORIES)  # bulk_create sends no post_save
    return {c.code: c for c in BusinessCategory.objects.all()}


class _Pools:
    """Pre-generated people: Faker per row would dominate the time of a 100,000-row seed."""

    def __init__(self, rng: random.Random, size: int = 600) -> None:
        fake = Faker("vi_VN")
        fake.seed_instance(2021)
        self.rng = rng
        # Faker's vi_VN name() puts the family name last and adds "Ông"/"Quý cô"; build the
        # Vietnamese order ourselves: family name, middle name, given name.
        self.given = [fake.first_name_female() if i % 2 else fake.first_name_male() for i in range(size)]
        self.owners = [
            " ".join(
                (
                    fake.last_name(),
                    "Thị" if i % 2 and rng.random() < 0.6 else fake.middle_name(),
                    self.given[i],
                )
            )
            for i in range(size)
        ]


def _business(
    *,
    ward: Ward,
    n: int,
    pools: _Pools,
    categories: list[BusinessCategory],
    weights: list[int],
    streets: list,
    groups: list,
    today,
    with_coordinates: bool,
) -> Business:
    rng = pools.rng
    category = rng.choices(categories, weights)[0]
    pattern = rng.choice(NAME_PATTERNS.get(category.code, ["Cửa hàng {}"]))
    name = pattern.replace("{}", rng.choice(pools.given)).replace("[]", rng.choice(FANCY))
    conditional = category.requires_security_certificate
    certificate_number, expiry = "", None
    if conditional:
        roll = rng.random()
        if roll < 0.10:
            pass  # conditional but no certificate on file: the list's "missing" filter finds these
        else:
            certificate_number = f"{rng.randint(1, 999):03d}/GCN-ANTT"
            if roll < 0.25:
                expiry = today - timedelta(days=rng.randint(1, 400))  # expired
            elif roll < 0.33:
                expiry = today + timedelta(days=rng.randint(0, 30))  # expiring soon
            else:
                expiry = today + timedelta(days=rng.randint(31, 1500))
    status_roll = rng.random()
    status = (
        BusinessStatus.ACTIVE
        if status_roll < 0.86
        else BusinessStatus.SUSPENDED
        if status_roll < 0.95
        else BusinessStatus.CLOSED
    )
    business = Business(
        ward=ward,
        name=name,
        category=category,
        is_conditional=conditional,
        certificate_number=certificate_number,
        certificate_expiry=expiry,
        owner_name=rng.choice(pools.owners),
        owner_id_number=f"001{rng.choice('0123')}{rng.randint(50, 99):02d}{rng.randint(0, 999999):06d}",
        owner_phone=f"{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 9999999):07d}"
        if rng.random() < 0.9
        else "",
        house_number=str(rng.randint(1, 220)) + (rng.choice(["", "", "", "A", "B"])),
        street=rng.choice(streets),
        residential_group=rng.choice(groups) if groups else None,
        registration_number=f"{REG_PREFIX}{n:06d}",
        status=status,
    )
    if ward.code == "DEMO-HN-DB" and n <= len(STORY_BUSINESSES):
        story_name, code, owner, number, street_name = STORY_BUSINESSES[n - 1]
        story_category = next((c for c in categories if c.code == code), category)
        business.name, business.owner_name, business.house_number = story_name, owner, number
        business.category = story_category
        business.is_conditional = story_category.requires_security_certificate
        business.status = BusinessStatus.ACTIVE
        business.street = next((st for st in streets if st.name == street_name), business.street)
        if business.is_conditional:
            business.certificate_number = f"{n:03d}/GCN-ANTT"
            business.certificate_expiry = today + timedelta(days=365)
    if with_coordinates:
        business.latitude = CENTRE[0] + Decimal(rng.randint(-4000, 4000)) / Decimal(1_000_000)
        business.longitude = CENTRE[1] + Decimal(rng.randint(-4000, 4000)) / Decimal(1_000_000)
    business.search_text = business.compute_search_text()
    return business


def fill_ward(
    ward: Ward, *, count: int, pools: _Pools, categories: dict[str, BusinessCategory], batch_size: int = 2000
) -> int:
    """Make sure `ward` has demo businesses numbered 1..count; returns how many were created."""
    existing = set(
        Business.objects.filter(ward=ward, registration_number__startswith=REG_PREFIX).values_list(
            "registration_number", flat=True
        )
    )
    missing = [n for n in range(1, count + 1) if f"{REG_PREFIX}{n:06d}" not in existing]
    if not missing:
        return 0
    streets = list(ward.streets.all())
    groups = list(ward.residential_groups.all())
    if not streets:
        return 0
    cats = [categories[code] for code in CATEGORY_WEIGHTS if code in categories]
    weights = [CATEGORY_WEIGHTS[c.code] for c in cats]
    today = timezone.localdate()
    created = 0
    for start in range(0, len(missing), batch_size):
        chunk = [
            _business(
                ward=ward,
                n=n,
                pools=pools,
                categories=cats,
                weights=weights,
                streets=streets,
                groups=groups,
                today=today,
                with_coordinates=ward.code == "DEMO-HN-DB",
            )
            for n in missing[start : start + batch_size]
        ]
        Business.objects.bulk_create(chunk, batch_size=batch_size)
        created += len(chunk)
    return created


def seed(
    *,
    main_ward: Ward,
    second_ward: Ward,
    generated: list[Ward],
    total: int = 0,
    log: Callable[[str], None] = print,
) -> str:
    categories = seed_categories()
    pools = _Pools(random.Random(1945))  # noqa: S311 - demo data, not secrets
    created = fill_ward(main_ward, count=MAIN_WARD_COUNT, pools=pools, categories=categories)
    created += fill_ward(second_ward, count=SECOND_WARD_COUNT, pools=pools, categories=categories)
    current = Business.objects.count()
    if total > current:
        # Spread the rest evenly over every demo ward, on top of what each already has.
        wards = [main_ward, second_ward, *generated]
        extra = total - current
        share, remainder = divmod(extra, len(wards))
        for index, ward in enumerate(wards):
            wanted = share + (1 if index < remainder else 0)
            if not wanted:
                continue
            have = Business.objects.filter(ward=ward, registration_number__startswith=REG_PREFIX).count()
            created += fill_ward(ward, count=have + wanted, pools=pools, categories=categories)
            log(f"  businesses: {ward.name} +{wanted}")
    feedback = seed_feedback(main_ward)
    if total:
        feedback += seed_bulk_feedback(log)
    return (
        f"Businesses: {Business.objects.count()} ({created} created), {len(categories)} categories, "
        f"{feedback} citizen feedback"
    )


DEMO_FEEDBACK = [
    ("noise", "Quán hát karaoke mở nhạc rất to sau 23 giờ, cả khu tập thể không ngủ được.", "new"),
    ("sidewalk", "Quán bày bàn ghế chiếm hết vỉa hè, người đi bộ phải xuống lòng đường.", "in_progress"),
    ("fire", "Bình chữa cháy trong quán đã hết hạn kiểm định từ lâu.", "resolved"),
]


def seed_feedback(ward: Ward) -> int:
    """A few citizen feedback for the main ward's first businesses (once: idempotent)."""
    from datetime import timedelta

    from django.utils import timezone

    from .models import Feedback

    if Feedback.objects.filter(ward=ward).exists():
        return Feedback.objects.filter(ward=ward).count()
    businesses = list(Business.objects.filter(ward=ward).order_by("pk")[: len(DEMO_FEEDBACK)])
    now = timezone.now()
    for index, (business, (category, message, status)) in enumerate(
        zip(businesses, DEMO_FEEDBACK, strict=False)
    ):
        received = now - timedelta(days=3 - index, hours=2)
        answered = received + timedelta(hours=4 + index * 6) if status != "new" else None
        Feedback.objects.create(
            ward=ward,
            business=business,
            category=category,
            message=message,
            status=status,
            created_at=received,
            first_response_at=answered,
            resolved_at=answered if status == "resolved" else None,
            response_note="Đã kiểm tra, yêu cầu chủ cơ sở khắc phục." if status == "resolved" else "",
        )
    return len(businesses)


# Citizen feedback at city scale: one message for every 40 businesses, spread over two
# years; the old ones answered and mostly resolved, the last week's partly still new.
BULK_FEEDBACK_PER_BUSINESS = 1 / 40
BULK_FEEDBACK_MESSAGES = [
    ("noise", "Quán mở nhạc to sau 22 giờ, ảnh hưởng các hộ xung quanh."),
    ("sidewalk", "Cơ sở bày hàng hóa, bàn ghế lấn chiếm vỉa hè."),
    ("security", "Có nhóm thanh niên tụ tập gây ồn ào trước cửa quán vào ban đêm."),
    ("fire", "Lối thoát hiểm bị chắn bởi hàng hóa."),
    ("price", "Quán không niêm yết giá, thu tiền cao hơn giá đã báo."),
    ("other", "Nước thải từ quán chảy ra đường."),
]


def seed_bulk_feedback(log: Callable[[str], None] = print) -> int:
    """Feedback for the generated businesses of every ward (once: a second run adds none)."""
    from datetime import timedelta

    from django.utils import timezone

    from ward_police.bulk import insert_rows

    from .models import Feedback

    generated = Business.objects.filter(registration_number__startswith=REG_PREFIX)
    if Feedback.objects.filter(message__in=[m for _c, m in BULK_FEEDBACK_MESSAGES]).exists():
        return 0  # the stories' own feedback (seed_feedback) are other messages
    rng = random.Random(2026)  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    span = int(timedelta(days=730).total_seconds())
    fields = [
        "ward_id", "business_id", "category", "message", "status", "created_at", "first_response_at",
        "resolved_at", "response_note", "updated_at",
    ]  # fmt: skip
    rows = []
    for pk, ward_id in generated.order_by("pk").values_list("pk", "ward_id").iterator(chunk_size=5000):
        if rng.random() >= BULK_FEEDBACK_PER_BUSINESS:
            continue
        category, message = BULK_FEEDBACK_MESSAGES[rng.randrange(len(BULK_FEEDBACK_MESSAGES))]
        received = now - timedelta(seconds=rng.randrange(span))
        age_days = (now - received).days
        roll = rng.random()
        if age_days < 7 and roll < 0.5:
            status, answered = "new", None
        elif age_days < 30 and roll < 0.7:
            status, answered = "in_progress", received + timedelta(hours=rng.randint(2, 72))
        else:
            status, answered = "resolved", received + timedelta(hours=rng.randint(2, 96))
        answered = min(answered, now) if answered else None
        resolved = answered + timedelta(days=rng.randint(0, 10)) if status == "resolved" else None
        resolved = min(resolved, now) if resolved else None
        note = "Đã kiểm tra, yêu cầu chủ cơ sở khắc phục." if status == "resolved" else ""
        rows.append(
            (ward_id, pk, category, message, status, received, answered, resolved, note, resolved or received)
        )
    insert_rows(Feedback, fields, rows)
    log(f"  {len(rows)} citizen feedback for the generated businesses")
    return len(rows)
