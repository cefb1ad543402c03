"""The pure helpers behind search, phone/ID validation, masking and export escaping."""

import unicodedata

import pytest

from businesses.text import escape_formula, fold, mask, normalize_id_number, normalize_phone, search_tokens


def test_fold_strips_vietnamese_diacritics_and_case():
    assert fold("Nguyễn Thái Học") == "nguyen thai hoc"
    assert fold("QUÁN PHỞ THÌN") == "quan pho thin"


def test_fold_gives_the_same_text_for_nfc_and_nfd_input():
    nfd = unicodedata.normalize("NFD", "Phố Hoàng Diệu")
    nfc = unicodedata.normalize("NFC", "Phố Hoàng Diệu")
    assert nfd != nfc
    assert fold(nfd) == fold(nfc) == "pho hoang dieu"


def test_fold_turns_d_with_stroke_into_d():
    assert fold("Đội Cấn, đường Điện Biên Phủ") == "doi can, duong dien bien phu"


def test_fold_collapses_whitespace_and_handles_empty_values():
    assert fold("  Cà   phê\tGiảng \n") == "ca phe giang"
    assert fold(None) == ""
    assert search_tokens("  Nguyễn  nguyen thái ") == ["nguyen", "thai"]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("(024) 3823-4567", "02438234567"),
        ("0084 386 123 456", "0386123456"),
    ],
)
def test_vietnamese_phone_numbers_are_normalised(raw, normalised):
    assert normalize_phone(raw) == normalised


@pytest.mark.parametrize(
    "raw", ["12345", "0112345678", "091234567", "09123456789", "phone", "+1 202 555 0100"]
)
def test_non_vietnamese_phone_numbers_are_refused(raw):
    assert normalize_phone(raw) is None


def test_cccd_must_have_twelve_digits():
    assert normalize_id_number("001 085 012 345") == "001085012345"
    assert normalize_id_number("00108501234") is None
    assert normalize_id_number("00108501234X") is None


def test_mask_keeps_the_first_and_last_two_characters():
    assert mask("001085012389") == "0*********89"
    assert mask("0912345689") == "0*******89"
    assert mask("") == ""


@pytest.mark.parametrize("value", ["=1+1", "+84", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_a_spreadsheet_would_evaluate_get_a_leading_apostrophe(value):
    assert escape_formula(value) == "'" + value


def test_ordinary_cells_and_numbers_are_left_alone():
    assert escape_formula("Cà phê Giảng") == "Cà phê Giảng"
    assert escape_formula(-2) == -2
