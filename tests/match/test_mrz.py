"""ICAO 9303 machine-readable zones: the specimens, check digits, OCR confusions."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nitka.normalise.ids import IdentifierError
from nitka.normalise.ids.mrz import check_digit, parse_mrz

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"
)


def test_the_icao_specimen_passport() -> None:
    mrz = parse_mrz(TD3)
    assert (mrz.document_type, mrz.issuing_state, mrz.nationality) == ("P", "UTO", "UTO")
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")
    assert (mrz.document_number, mrz.birth_date, mrz.sex) == ("L898902C3", "1974-08-12", "F")
    assert mrz.expiry_date == "2012-04-15" and mrz.corrections == []


def test_the_icao_specimen_id_card_in_lower_case_on_one_line() -> None:
    mrz = parse_mrz(TD1.replace("\n", "").lower())
    assert (mrz.document_number, mrz.birth_date, mrz.surname) == (
        "D23145890",
        "1974-08-12",
        "ERIKSSON",
    )


@pytest.mark.parametrize(
    ("wrong", "right", "note"),
    [("L8989O2C3", "L898902C3", "read O as 0 at position 6")],
)
def test_an_ocr_confusion_in_the_number_is_corrected_and_said(
    wrong: str, right: str, note: str
) -> None:
    mrz = parse_mrz(TD3.replace("L898902C3", wrong))
    assert mrz.document_number == right and mrz.corrections == [note]


def test_letters_read_for_digits_in_dates_are_read_as_digits() -> None:
    """O for 0 and I for 1 in the birth date: the dates are digits by definition."""
    assert parse_mrz(TD3.replace("7408122F", "74O8I22F")).birth_date == "1974-08-12"


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (TD3.replace("7408122F", "7408132F"), "mrz.line2.birth_date.check_digit"),
        (TD3.replace("1204159", "1204158"), "mrz.line2.expiry_date.check_digit"),
        (TD3.replace("L898902C36", "L898902C35"), "mrz.line2.document_number.check_digit"),
        (TD3[:-1] + "9", "mrz.line2.composite.check_digit"),
        (TD3[:60], "mrz"),
        ("not an MRZ", "mrz"),
    ],
)
def test_an_unreadable_mrz_names_what_failed(text: str, field: str) -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_mrz(text)
    assert caught.value.field == field


def test_birth_centuries_are_in_the_past() -> None:
    today = date(2026, 11, 23)
    assert parse_mrz(TD3, today=today).birth_date.startswith("1974")
    first, second = TD3.splitlines()
    second = second[:13] + "100315" + check_digit("100315") + second[20:43]
    second += check_digit(second[0:10] + second[13:20] + second[21:43])
    assert parse_mrz(f"{first}\n{second}", today=today).birth_date == "2010-03-15"


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<", min_size=1, max_size=20))
def test_a_field_with_its_check_digit_validates(data: str) -> None:
    digit = check_digit(data)
    assert digit.isdigit() and len(digit) == 1
    assert check_digit(data) == digit
