"""Demo users: the contract in DESIGN.md names them."""

from django.contrib.auth.hashers import make_password

from wards.models import Ward

from .models import User
from .roles import Role
from .services import user_create

DEMO_USERS = [
    # username, role, in main ward?, full name (as written), rank and title
    ("admin", Role.ADMIN, True, "Quản trị viên", "Cán bộ tham mưu, quản trị hệ thống"),
    ("leader1", Role.LEADER, True, "Đỗ Văn Hải", "Trung tá, Phó Trưởng Công an phường"),
    ("officer1", Role.OFFICER, True, "Nguyễn Văn Minh", "Thượng úy, Cảnh sát khu vực"),
    ("officer2", Role.OFFICER, True, "Trần Thị Lan", "Trung úy, Cảnh sát trật tự"),
    ("chairman1", Role.CHAIRMAN, True, "Nguyễn Chí Trung", "Chủ tịch UBND phường"),
    ("officer_b", Role.OFFICER, False, "Lê Anh Tuấn", "Thượng úy, Cảnh sát khu vực"),
]


def seed_generated(*, wards: list[Ward], password: str) -> int:
    """One officer and one leader for each generated (benchmark) ward, so its records have authors."""
    existing = set(User.objects.filter(ward__in=wards).values_list("username", flat=True))
    created_ids = []
    for ward in wards:
        suffix = ward.code.rsplit("-", 1)[-1].lower()
        for username, role in ((f"officer_{suffix}", Role.OFFICER), (f"leader_{suffix}", Role.LEADER)):
            if username not in existing and not User.objects.filter(username=username).exists():
                user = user_create(
                    username=username,
                    password=None,
                    role=role,
                    ward=ward,
                    full_name=f"Cán bộ {suffix}",
                )
                created_ids.append(user.pk)
    if created_ids:
        # One hash for all: hashing is slow on purpose (about a second here), and these accounts
        # share the demo password anyway (measured: 40 of them took 40 s of a city-scale seed).
        User.objects.filter(pk__in=created_ids).update(password=make_password(password))
    return len(created_ids)


def seed(*, main_ward: Ward, second_ward: Ward, password: str) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, role, in_main, full_name, rank in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            ward = main_ward if in_main else second_ward
            user = user_create(
                username=username,
                password=password,
                role=role,
                ward=ward,
                full_name=full_name,
                rank_title=rank,
                is_superuser=role == Role.ADMIN,
            )
        users[username] = user
    return users


# The area police officers' streets (cảnh sát khu vực): officer1 answers for these in phường Điện
# Biên; officer2 is order police (cảnh sát trật tự) and has no area of its own.
DEMO_STREETS = {"officer1": ["Điện Biên Phủ", "Lê Trực", "Chu Văn An", "Hoàng Diệu"]}


def seed_streets(*, users: dict[str, User]) -> int:
    """Give the demo area officers their streets, once (an administrator may change them later)."""
    given = 0
    for username, names in DEMO_STREETS.items():
        user = users.get(username)
        if user is None or user.ward_id is None or user.streets.exists():
            continue
        user.streets.set(user.ward.streets.filter(name__in=names))
        given += 1
    return given
