"""Demo wards: phường Điện Biên (Hà Nội) as in the source story, and a second ward."""

from datetime import date, timedelta

from ward_police import refdata

from .models import ResidentialGroup, Street, Ward, WardNamePeriod

DIEN_BIEN_STREETS = [
    "Điện Biên Phủ",
    "Nguyễn Thái Học",
    "Hoàng Diệu",
    "Lê Hồng Phong",
    "Chu Văn An",
    "Lê Trực",
    "Trần Phú",
    "Nguyễn Tri Phương",
    "Hùng Vương",
]
SECOND_WARD_STREETS = ["Đội Cấn", "Liễu Giai", "Văn Cao", "Đốc Ngữ", "Ngọc Hà", "Hoàng Hoa Thám"]
GENERATED_STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Lý Thường Kiệt", "Hai Bà Trưng", "Quang Trung", "Nguyễn Du"]


def _ward(
    *, code: str, name: str, province: str, former_names: list[str], groups: int, streets: list[str]
) -> Ward:
    ward, _created = Ward.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "province": province,
            "former_names": former_names,
            "police_unit_name": f"CÔNG AN {name.upper()}",
        },
    )
    existing_groups = set(ward.residential_groups.values_list("name", flat=True))
    ResidentialGroup.objects.bulk_create(
        [
            ResidentialGroup(ward=ward, name=f"Tổ dân phố số {n}")
            for n in range(1, groups + 1)
            if f"Tổ dân phố số {n}" not in existing_groups
        ]
    )
    existing_streets = set(ward.streets.values_list("name", flat=True))
    Street.objects.bulk_create([Street(ward=ward, name=s) for s in streets if s not in existing_streets])
    refdata.bump(refdata.ward_scope(ward.pk))  # bulk_create sends no post_save
    return ward


def seed(*, extra_wards: int = 0) -> tuple[Ward, Ward, list[Ward]]:
    # Codes are demo values, not the official administrative codes.
    main = _ward(
        code="DEMO-HN-DB",
        name="Phường Điện Biên",
        province="Thành phố Hà Nội",
        former_names=["Phường Điện Biên, quận Ba Đình (trước 01/7/2025)"],
        groups=12,
        streets=DIEN_BIEN_STREETS,
    )
    second = _ward(
        code="DEMO-HN-NH",
        name="Phường Ngọc Hà",
        province="Thành phố Hà Nội",
        former_names=["Phường Đội Cấn, quận Ba Đình (trước 01/7/2025)"],
        groups=8,
        streets=SECOND_WARD_STREETS,
    )
    generated = [
        _ward(
            code=f"DEMO-GEN-{n:04d}",
            name=f"Phường Mẫu {n}",
            province="Thành phố Hà Nội",
            former_names=[],
            groups=10,
            streets=GENERATED_STREETS,
        )
        for n in range(1, extra_wards + 1)
    ]
    _name_history(main, before=("Phường Điện Biên", "CÔNG AN PHƯỜNG ĐIỆN BIÊN"))
    _name_history(second, before=("Phường Đội Cấn", "CÔNG AN PHƯỜNG ĐỘI CẤN"))
    return main, second, generated


# The reorganisation of 1/7/2025: district-level units stopped operating and commune-level units
# were rearranged (for Hà Nội: Nghị quyết số 1656/NQ-UBTVQH15 of the National Assembly Standing
# Committee, 2025). Before, a ward police station of Ba Đình reported to Công an quận Ba Đình;
# since, to Công an Thành phố Hà Nội. (In fact most of phường Điện Biên went into the new phường
# Ba Đình; the demo keeps the pilot ward's name, as DOMAIN.md does.)
REORGANISED_ON = date(2025, 7, 1)
REORGANISATION_SOURCE = "Nghị quyết số 1656/NQ-UBTVQH15 (sắp xếp đơn vị hành chính cấp xã, Thành phố Hà Nội)"


def _name_history(ward: Ward, *, before: tuple[str, str]) -> None:
    ward_name, unit_name = before
    WardNamePeriod.objects.get_or_create(
        ward=ward,
        valid_from=None,
        defaults={
            "valid_until": REORGANISED_ON - timedelta(days=1),
            "ward_name": ward_name,
            "unit_name": unit_name,
            "superior_unit": "CÔNG AN QUẬN BA ĐÌNH",
            "source": "Quận Ba Đình, Thành phố Hà Nội (trước ngày 01/7/2025)",
        },
    )
    WardNamePeriod.objects.get_or_create(
        ward=ward,
        valid_from=REORGANISED_ON,
        defaults={
            "ward_name": ward.name,
            "unit_name": ward.document_unit_name,
            "superior_unit": f"CÔNG AN {ward.province.upper()}",
            "source": REORGANISATION_SOURCE,
        },
    )
