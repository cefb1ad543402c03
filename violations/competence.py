"""Reference data: the fine each title that acts in a ward may impose, by domain and by period.

Every amount here comes from secondary sources (press reports of Decree 189/2025/NĐ-CP, and the
Law on Handling Administrative Violations as recalled), so every row is seeded flagged "cần đối
chiếu" (to be checked against the official text); admins correct and confirm them in the admin.

- Until 30/6/2025: Luật Xử lý vi phạm hành chính 2012 (sửa đổi, bổ sung năm 2020), Điều 38 khoản 1
  (Chủ tịch UBND cấp xã) and Điều 39 khoản 2 (Trưởng Công an cấp xã): a warning, or a fine up to
  10% of the domain's maximum (Điều 24) and not more than 5.000.000đ.
- From 1/7/2025: the amended Law moved the competence articles to Decree 189/2025/NĐ-CP (Điều 8
  for the police): Trưởng Công an cấp xã and Chủ tịch UBND cấp xã up to 50% of the domain's
  maximum fine.
A deputy signs only when the head delegated the power (Điều 54), within the head's limit.
"""

from datetime import date

OLD_PERIOD = (date(2021, 1, 1), date(2025, 6, 30))
NEW_PERIOD = (date(2025, 7, 1), None)

# Maximum fine for an individual per domain (Luật XLVPHC Điều 24 khoản 1), as the ward's
# domains map to the law's fields.
DOMAIN_MAXIMUM = {
    "security_order": (40_000_000, "an ninh, trật tự, an toàn xã hội"),
    "conditional_business": (40_000_000, "an ninh, trật tự, an toàn xã hội"),
    "residence": (40_000_000, "an ninh, trật tự, an toàn xã hội"),
    "traffic": (75_000_000, "giao thông đường bộ"),
    "urban_order": (75_000_000, "giao thông đường bộ"),
    "fire_safety": (100_000_000, "phòng cháy, chữa cháy"),
    "epidemic": (100_000_000, "y tế"),
    "sanitation": (1_000_000_000, "bảo vệ môi trường"),
}

OLD_SOURCE = {
    "chairman": "Luật Xử lý vi phạm hành chính 2012 (sửa đổi, bổ sung năm 2020), Điều 38 khoản 1",
    "police_head": "Luật Xử lý vi phạm hành chính 2012 (sửa đổi, bổ sung năm 2020), Điều 39 khoản 2",
    "police_deputy": "Luật Xử lý vi phạm hành chính, Điều 39 khoản 2 và Điều 54 (được giao quyền)",
}
NEW_SOURCE = {
    "chairman": "Nghị định 189/2025/NĐ-CP (thẩm quyền của Chủ tịch Ủy ban nhân dân cấp xã)",
    "police_head": "Nghị định 189/2025/NĐ-CP, Điều 8",
    "police_deputy": "Nghị định 189/2025/NĐ-CP, Điều 8; Luật XLVPHC, Điều 54 (được giao quyền)",
}
NOTE = "Số liệu từ nguồn thứ cấp, cần đối chiếu văn bản chính thức."


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + "đ"


def competence_rows() -> list[dict]:
    rows = []
    for title in ("police_head", "police_deputy", "chairman"):
        for domain, (maximum, field) in DOMAIN_MAXIMUM.items():
            old_limit = min(maximum // 10, 5_000_000)
            rows.append(
                {
                    "title": title,
                    "domain": domain,
                    "fine_limit_individual": old_limit,
                    "rule": f"10% mức phạt tối đa lĩnh vực {field} ({_money(maximum)}), không quá 5.000.000đ",
                    "legal_source": OLD_SOURCE[title],
                    "valid_from": OLD_PERIOD[0],
                    "valid_to": OLD_PERIOD[1],
                    "verification_note": NOTE,
                }
            )
            rows.append(
                {
                    "title": title,
                    "domain": domain,
                    "fine_limit_individual": maximum // 2,
                    "rule": f"50% mức phạt tối đa lĩnh vực {field} ({_money(maximum)})",
                    "legal_source": NEW_SOURCE[title],
                    "valid_from": NEW_PERIOD[0],
                    "valid_to": NEW_PERIOD[1],
                    "verification_note": NOTE,
                }
            )
    return rows


# The decision's place in the numbered forms (violations.RecordForm): code, name, symbol, stage.
DECISION_FORM = ("MQĐ02", "Quyết định xử phạt vi phạm hành chính", "QĐ-XPHC", "sanction")
