"""Vietnamese public holidays that do not count toward legal deadlines (2025–2026).

Days off for public servants per the Labour Code 2019 (Art. 112) and the Government's yearly
announcements (Tết and national-day bridges). Stored as data (`PublicHoliday`): admins add
the next years and correct any day without a deploy. Weekends are never working days anyway,
so only weekdays matter here.
"""

from datetime import date

VIETNAMESE_PUBLIC_HOLIDAYS: list[tuple[date, str]] = [
    (date(2025, 1, 1), "Tết Dương lịch"),
    # Tết Ất Tỵ: off from 25/01 to 02/02/2025.
    (date(2025, 1, 27), "Tết Nguyên đán Ất Tỵ"),
    (date(2025, 1, 28), "Tết Nguyên đán Ất Tỵ"),
    (date(2025, 1, 29), "Tết Nguyên đán Ất Tỵ"),
    (date(2025, 1, 30), "Tết Nguyên đán Ất Tỵ"),
    (date(2025, 1, 31), "Tết Nguyên đán Ất Tỵ"),
    (date(2025, 4, 7), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
    (date(2025, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (date(2025, 5, 1), "Ngày Quốc tế Lao động"),
    (date(2025, 5, 2), "Nghỉ bù dịp 30/4 - 1/5"),
    (date(2025, 9, 1), "Quốc khánh"),
    (date(2025, 9, 2), "Quốc khánh"),
    (date(2026, 1, 1), "Tết Dương lịch"),
    # Tết Bính Ngọ: off from 14/02 to 22/02/2026.
    (date(2026, 2, 16), "Tết Nguyên đán Bính Ngọ"),
    (date(2026, 2, 17), "Tết Nguyên đán Bính Ngọ"),
    (date(2026, 2, 18), "Tết Nguyên đán Bính Ngọ"),
    (date(2026, 2, 19), "Tết Nguyên đán Bính Ngọ"),
    (date(2026, 2, 20), "Tết Nguyên đán Bính Ngọ"),
    # 10/3 âm lịch falls on Sunday 26/04/2026: the day off moves to Monday.
    (date(2026, 4, 27), "Nghỉ bù Giỗ Tổ Hùng Vương"),
    (date(2026, 4, 30), "Ngày Giải phóng miền Nam, thống nhất đất nước"),
    (date(2026, 5, 1), "Ngày Quốc tế Lao động"),
    (date(2026, 9, 1), "Quốc khánh"),
    (date(2026, 9, 2), "Quốc khánh"),
]

# Form code, name, number symbol, stage.
RECORD_FORMS: list[tuple[str, str, str, str]] = [
    ("MBB01", "Biên bản vi phạm hành chính", "BB-VPHC", "violation_record"),
    ("MBB02", "Biên bản làm việc", "BB-LV", "working_record"),
]
