"""Identifier normalisation the matcher relies on: VIN, plates, documents, phones, accounts."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nitka.normalise.ids import IdentifierError, normalise_identifier
from nitka.normalise.ids.accounts import card_key
from nitka.normalise.ids.plates import plate_key
from nitka.normalise.ids.vin import parse_vin, vin_check_digit


def test_vin_check_digit_of_the_classic_example() -> None:
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"
    assert parse_vin("1m8gdm9a xkp042788").check_digit_valid is True


def test_a_north_american_vin_with_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(IdentifierError) as caught:
        parse_vin("1M8GDM9A3KP042788")
    assert caught.value.field == "vin.check_digit"
    assert "check digit is X" in str(caught.value)


def test_a_european_vin_need_not_use_the_check_digit() -> None:
    parsed = parse_vin("WVWZZZ1JZXW000001")
    assert parsed.wmi == "WVW" and parsed.check_digit_valid is None


@pytest.mark.parametrize(
    ("value", "message"),
    [("1M8GDM9AXKP04278", "17 characters"), ("1M8GDM9AXKP0427O8", "contains O")],
)
def test_bad_vins(value: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        parse_vin(value)


def test_cyrillic_and_latin_plates_are_one_plate() -> None:
    assert plate_key("АА 1234 ВХ") == plate_key("aa-1234-bx") == "AA1234BX"
    with pytest.raises(IdentifierError):
        plate_key(" - ")


def test_document_numbers_phones_accounts() -> None:
    assert normalise_identifier("passport", "fa 123-456") == "FA123456"
    assert normalise_identifier("passport", "ВК 123456") == "BK123456"
    assert normalise_identifier("passport", "ЖА 123456") == "ЖA123456"
    assert normalise_identifier("phone", "067 123 45 67") == "+380671234567"
    assert normalise_identifier("phone", "00380671234567") == "+380671234567"
    assert normalise_identifier("iban", "ua21 3223 1300 0002 6007 2335 6600 1") == (
        "UA213223130000026007233566001"
    )
    with pytest.raises(IdentifierError) as caught:
        normalise_identifier("iban", "UA213223130000026007233566002")
    assert caught.value.field == "iban"


def test_cards_are_checked_and_never_kept_whole() -> None:
    assert card_key("4111 1111 1111 1111") == "411111******1111"
    with pytest.raises(IdentifierError, match="Luhn"):
        card_key("4111 1111 1111 1112")


LOOK_ALIKES = "АВЕІКМНОРСТХ"


@given(st.text(alphabet="ABEIKMHOPCTX0123456789", min_size=1, max_size=10))
def test_plate_keys_ignore_the_script_of_look_alike_letters(latin: str) -> None:
    cyrillic = latin.translate(str.maketrans("ABEIKMHOPCTX", LOOK_ALIKES))
    assert plate_key(cyrillic) == plate_key(latin) == plate_key(plate_key(latin))


@given(st.text(alphabet="0123456789", min_size=12, max_size=19))
def test_a_card_key_never_shows_more_than_ten_digits(digits: str) -> None:
    try:
        key = card_key(digits)
    except IdentifierError:
        return
    assert sum(ch.isdigit() for ch in key) <= 10
