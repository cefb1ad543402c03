"""The spreadsheet layout shared by the import template, the import and the export.

Headers are Vietnamese (the files are exchanged between wards as data); on import they are
matched after folding, so "Ten co so" and "TÊN CƠ SỞ" work too, and a few English aliases.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


COLUMNS = [
    Column("registration_number", "Số ĐKKD", ("số đăng ký kinh doanh", "registration number")),
    Column("name", "Tên cơ sở", ("tên cơ sở kinh doanh", "business name", "name"), required=True),
    Column("category", "Loại hình", ("loại hình kinh doanh", "category"), required=True),
    Column("house_number", "Số nhà", ("house number",)),
    Column("street", "Đường/phố", ("đường", "phố", "đường phố", "street"), required=True),
    Column("residential_group", "Tổ dân phố", ("residential group",)),
    Column(
        "owner_name", "Họ tên chủ cơ sở", ("chủ cơ sở", "họ và tên chủ cơ sở", "owner name"), required=True
    ),
    Column("owner_id_number", "Số CCCD", ("cccd", "số cccd chủ cơ sở", "owner id number")),
    Column("owner_phone", "Số điện thoại", ("điện thoại", "sđt", "phone")),
    Column("is_conditional", "Kinh doanh có điều kiện ANTT", ("có điều kiện antt", "conditional")),
    Column("certificate_number", "Số GCN đủ điều kiện ANTT", ("số giấy chứng nhận", "certificate number")),
    Column("certificate_expiry", "Ngày hết hạn GCN", ("ngày hết hạn", "certificate expiry")),
    Column("status", "Trạng thái", ("status",)),
    Column("latitude", "Vĩ độ", ("latitude", "lat")),
    Column("longitude", "Kinh độ", ("longitude", "lng", "lon")),
]
IMPORT_HEADERS = [c.header for c in COLUMNS]
# Export adds read-only facts; the import ignores them.
EXPORT_EXTRA_HEADERS = ["Lần kiểm tra gần nhất", "Kết quả kiểm tra gần nhất"]

YES = "Có"
NO = "Không"
