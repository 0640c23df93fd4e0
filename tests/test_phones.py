"""Phone numbers: the P-items of the bad-input catalogue, and agreement with phonenumbers."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from enrichers.phones import (
    PHONE_TYPE_NAMES,
    PhoneCheck,
    check_phone,
    find_phones,
    further_numbers,
    phone_type_name,
    split_phones,
)
from enrichers.phones import _valid_type as valid_type

FRENCH_OVERSEAS = {"RE", "YT", "GP", "MQ", "GF", "PM"}


def library(raw: str, region: str | None) -> tuple[str | None, bool]:
    """What phonenumbers alone says: (E.164 when valid, valid)."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None, False
    if not phonenumbers.is_valid_number(number):
        return None, False
    return phonenumbers.format_number(number, PhoneNumberFormat.E164), True


# --- the catalogue ---------------------------------------------------------------------------


def test_p01_trunk_zero_in_brackets():
    check = check_phone("+33 (0)1 23 45 67 89")
    assert check.e164 == "+33123456789"
    assert check.valid
    assert check_phone("+33 (0)1 23 45 67 89", "FR").e164 == "+33123456789"


@pytest.mark.parametrize(
    "raw", ["01.23.45.67.89", "01-23-45-67-89", "0123456789", "01 23 45 67 89"]
)
def test_p02_separators_give_one_number(raw):
    assert check_phone(raw, "FR").e164 == "+33123456789"


def test_p03_international_prefix_00():
    assert check_phone("0033 1 23 45 67 89", "FR").e164 == "+33123456789"


def test_p04_extension_word_is_split_before_parsing():
    check = check_phone("+33 1 42 68 53 00 poste 123", "FR")
    assert check.e164 == "+33142685300"
    assert check.extension == "123"
    # phonenumbers alone reads the letters as keypad digits.
    assert library("+33 1 42 68 53 00 poste 123", "FR") == (None, False)


@pytest.mark.parametrize(
    ("raw", "extension"),
    [
        ("01 42 68 53 00 ext. 45", "45"),
        ("01 42 68 53 00 #12", "12"),
        ("01 42 68 53 00 x12", "12"),
        ("01 42 68 53 00 (poste 12)", "12"),
        ("+33 1 42 68 53 00 p. 12", "12"),
        ("01 42 68 53 00 - poste : 7", "7"),
        ("01 42 68 53 00 extension 3021", "3021"),
    ],
)
def test_p05_extension_kept(raw, extension):
    check = check_phone(raw, "FR")
    assert check.e164 == "+33142685300"
    assert check.extension == extension


@pytest.mark.parametrize(
    ("raw", "e164", "region", "zone"),
    [
        ("0262 12 34 56", "+262262123456", "RE", "Indian/Reunion"),
        ("0590 12 34 56", "+590590123456", "GP", "America/Guadeloupe"),
        ("0696 12 34 56", "+596696123456", "MQ", "America/Martinique"),
        ("0694 12 34 57", "+594694123457", "GF", "America/Cayenne"),
    ],
)
def test_p06_overseas_fallback(raw, e164, region, zone):
    check = check_phone(raw, "FR")
    assert (check.e164, check.region) == (e164, region)
    assert zone in check.timezones
    assert library(raw, "FR") == (None, False)  # what the fallback repairs


@pytest.mark.parametrize("region", ["RE", "GP", "Martinique"])
def test_a_metropolitan_number_under_an_overseas_default(region):
    # Dialled the same way from La Réunion: a metropolitan mobile, not an invalid number.
    check = check_phone("06 12 34 56 78", region)
    assert (check.e164, check.region, check.type) == ("+33612345678", "FR", "mobile")
    assert check_phone("0262 12 34 56", region).region == "RE"  # its own numbers first


def test_p06_fallback_can_be_switched_off():
    check = check_phone("0262 12 34 56", "FR", overseas_fallback=False)
    assert (check.valid, check.reason) == (False, "invalid_number")


def test_p06_fallback_only_for_national_numbers_of_the_french_family():
    assert not check_phone("+33 262 12 34 56", "FR").valid  # written as a metropolitan number
    assert check_phone("0262 12 34 56", "DE").region == "DE"  # a German number, as given


def test_p07_unallocated_range_is_invalid():
    check = check_phone("07 12 34 56 78", "FR")
    assert (check.valid, check.e164, check.reason) == (False, None, "invalid_number")


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("01 42 68 53 0", "invalid_number"), ("+33 6 12 34 56 78 9", "too_long")],
)
def test_p08_short_or_long(raw, reason):
    check = check_phone(raw, "FR")
    assert not check.valid
    assert check.e164 is None
    assert check.reason == reason


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("08 99 12 34 56", "premium_rate"),
        ("08 00 12 34 56", "toll_free"),
        ("09 72 12 34 56", "voip"),
        ("06 12 34 56 78", "mobile"),
        ("01 42 68 53 00", "fixed_line"),
        ("+1 800 555 0199", "toll_free"),
    ],
)
def test_p09_types(raw, kind):
    assert check_phone(raw, "FR").type == kind


@pytest.mark.parametrize("raw", ["3615", "112", "15", "118 218"])
def test_p10_short_codes_are_not_phone_numbers(raw):
    check = check_phone(raw, "FR")
    assert not check.valid
    assert check.reason == "short_number"


@pytest.mark.parametrize("raw", ["０１ ４２ ６８ ５３ ００", "٠١٤٢٦٨٥٣٠٠", "۰۱۴۲۶۸۵۳۰۰"])
def test_p11_other_digits(raw):
    assert check_phone(raw, "FR").e164 == "+33142685300"


def test_p12_phone_and_fax_in_one_cell():
    text = "Tél : 01 42 68 53 00 / Fax : 01 42 68 53 01"
    assert split_phones(text) == [("phone", "01 42 68 53 00"), ("fax", "01 42 68 53 01")]
    # Checking the whole cell checks the first number that is not a fax.
    assert check_phone(text, "FR").e164 == "+33142685300"
    assert check_phone("Fax : 01 42 68 53 01 - Tél. 01 42 68 53 00", "FR").e164 == ("+33142685300")
    # The numbers after the one checked: none here (a fax), the mobile there.
    assert further_numbers(text) == ()
    assert further_numbers("Tél : 01 42 68 53 00 / Mobile : 06 12 34 56 78") == (
        "06 12 34 56 78",)
    assert further_numbers("+33 1 42 68 53 00 poste 123") == ()


def test_p13_identifiers_dates_prices_and_postcodes_are_not_found_in_text():
    text = (
        "SIREN 552 032 534, SIRET 552 032 534 00646, le 12 03 2024, 1 234,56 €, "
        "75008 Paris. Standard : 01 42 68 53 00"
    )
    assert [c.e164 for c in find_phones(text, "FR")] == ["+33142685300"]
    assert find_phones("SIREN 552 032 534 le 12 03 2024 pour 1 234,56 €", "FR") == []


def test_p14_national_number_without_region_is_not_guessed():
    check = check_phone("02 08 36 61 17")
    assert (check.valid, check.e164, check.reason) == (False, None, "unknown_region")
    assert check_phone("02 08 36 61 17", "XX").reason == "unknown_region"


@pytest.mark.parametrize(("raw", "region", "e164", "kind"), [
    ("33612345678", None, "+33612345678", "mobile"),  # Brevo's SMS column
    ("33 6 12 34 56 78", None, "+33612345678", "mobile"),
    ("33142685300", "FR", "+33142685300", "fixed_line"),
    ("4917612345678", None, "+4917612345678", "mobile"),
    ("447911123456", "FR", "+447911123456", "mobile"),  # no French number: the UK's
    ("33612345678.0", None, "+33612345678", "mobile"),  # as a spreadsheet's float
])
def test_a_country_code_written_without_its_plus_in_a_phone_cell(raw, region, e164, kind):
    check = check_phone(raw, region, bare_international=True)
    assert (check.e164, check.type, check.valid) == (e164, kind, True)
    # Not in running text, nor by default: a bare run of digits may be an order number.
    if region is None:
        assert check_phone(raw, region).reason == "unknown_region"


@pytest.mark.parametrize("raw", ["02 08 36 61 17", "612345678", "99912345678",
                                 "0033 6 12 34 56 78 9", "33 6 12 34 56 78 ext"])
def test_what_no_bare_country_code_reads(raw):
    # A national number (its 0), too few digits, no such country code, too many digits
    # after one: as without the option.
    assert check_phone(raw, bare_international=True) == check_phone(raw)


def test_the_international_prefix_00_needs_no_region():
    assert check_phone("0033 1 23 45 67 89").e164 == "+33123456789"
    assert check_phone("00 44 20 7946 0958").e164 == "+442079460958"
    assert check_phone("0033 1 23 45 67 89", "FR").e164 == "+33123456789"
    assert check_phone("00").reason == "unknown_region"


@pytest.mark.parametrize(
    ("raw", "region", "e164", "reason"),
    [
        ("6.12345678E+08", "FR", "+33612345678", "ok"),  # Excel dropped the 0, kept 9 digits
        ("6,12345678E+08", "FR", "+33612345678", "ok"),  # a French Excel's decimal comma
        ("3.3612345678E+10", "FR", "+33612345678", "ok"),
        ("3.36123E+10", "FR", None, "scientific_notation"),  # five digits lost
        ("4.15555121E+09", "US", None, "scientific_notation"),
        ("3.3612345678E+10", None, None, "unknown_region"),
        # Written out as a float ("612345678.0", pandas reading a numeric column).
        ("612345678.0", "FR", "+33612345678", "ok"),
        ("33612345678.0", "FR", "+33612345678", "ok"),
        ("1234.0", "FR", None, "short_number"),
    ],
)
def test_numbers_a_spreadsheet_printed_as_floats(raw, region, e164, reason):
    check = check_phone(raw, region)
    assert (check.e164, check.reason, check.raw) == (e164, reason, raw)


# --- splitting, regions, reasons ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "T. 01 42 68 53 00 - F. 01 42 68 53 01 - M: 06 12 34 56 78",
            [
                ("phone", "01 42 68 53 00"),
                ("fax", "01 42 68 53 01"),
                ("mobile", "06 12 34 56 78"),
            ],
        ),
        (
            "Standard : +33 1 42 68 53 00 | Ligne directe : 01 42 68 53 09",
            [("switchboard", "+33 1 42 68 53 00"), ("direct", "01 42 68 53 09")],
        ),
        (
            "01 42 68 53 00, poste 12 ; 06 12 34 56 78 (mobile)",
            [("phone", "01 42 68 53 00, poste 12"), ("mobile", "06 12 34 56 78")],
        ),
        (
            "01 42 68 53 00/01 42 68 53 01",
            [("phone", "01 42 68 53 00"), ("phone", "01 42 68 53 01")],
        ),
        ("030/12345678", [("phone", "030/12345678")]),
        (
            "01 42 68 53 00 - 06 12 34 56 78",
            [("phone", "01 42 68 53 00"), ("phone", "06 12 34 56 78")],
        ),
        ("+33 1 - 42 68 53 00", [("phone", "+33 1 - 42 68 53 00")]),
        # A note in brackets is no part of the number; a role it names is kept.
        ("+33 1 42 68 53 00 (standard)", [("switchboard", "+33 1 42 68 53 00")]),
        ("06 12 34 56 78 (perso)", [("phone", "06 12 34 56 78")]),
        ("06 12 34 56 78 [Jean]", [("phone", "06 12 34 56 78")]),
        ("+1 (800) FLOWERS", [("phone", "+1 (800) FLOWERS")]),
        ("Portable : 06 12 34 56 78", [("mobile", "06 12 34 56 78")]),
        ("", []),
        ("n/a", []),
    ],
)
def test_split_phones(text, expected):
    assert split_phones(text) == expected


def test_german_area_code_slash_stays_one_number():
    assert check_phone("030/12345678", "DE").e164 == "+493012345678"


@pytest.mark.parametrize("region", ["FR", "fr", "France", " france ", "FRANCE"])
def test_region_as_code_or_name(region):
    assert check_phone("01 42 68 53 00", region).e164 == "+33142685300"


@pytest.mark.parametrize(
    ("raw", "reason"),
    [("", "empty"), ("   ", "empty"), ("N/A", "not_a_number"), ("abc", "not_a_number")],
)
def test_reasons(raw, reason):
    check = check_phone(raw, "FR")
    assert check == PhoneCheck(raw, None, False, None, None, (), None, reason)


def test_valid_result_fields():
    check = check_phone("+33 1 42 68 53 00", "DE")
    assert check == PhoneCheck(
        raw="+33 1 42 68 53 00",
        e164="+33142685300",
        valid=True,
        type="fixed_line",
        region="FR",
        timezones=("Europe/Paris",),
        extension=None,
        reason="ok",
    )


def test_invisible_characters_are_ignored():
    assert check_phone("01 42\u200b68\u00a053 00", "FR").e164 == "+33142685300"


def test_every_phonenumbers_type_has_a_name():
    values = [getattr(PhoneNumberType, name) for name in dir(PhoneNumberType) if name.isupper()]
    assert {phone_type_name(v) for v in values} == set(PHONE_TYPE_NAMES.values())
    assert phone_type_name(-1) == "unknown"


# --- agreement with phonenumbers ------------------------------------------------------------


def sample_numbers() -> list[tuple[str, str]]:
    """Example numbers of every region and type, written three ways, plus damaged copies."""
    rows = []
    kinds = (
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.MOBILE,
        PhoneNumberType.TOLL_FREE,
        PhoneNumberType.PREMIUM_RATE,
        PhoneNumberType.VOIP,
    )
    formats = (PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.E164)
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in kinds:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is None:
                continue
            for fmt in formats:
                text = phonenumbers.format_number(example, fmt)
                rows += [(text, region), (text[:-1], region), (text + "7", region)]
                rows.append((text.replace("1", "9"), region))
    return rows


def test_e164_and_validity_agree_with_phonenumbers():
    differences = []
    for raw, region in sample_numbers():
        check = check_phone(raw, region)
        if (check.e164, check.valid) != library(raw, region):
            differences.append((raw, region, check.region))
        strict = check_phone(raw, region, overseas_fallback=False)
        assert (strict.e164, strict.valid) == library(raw, region), (raw, region)
    # The only deliberate difference: French national numbers read in another region of
    # the family, overseas under a French default (PH-3), metropolitan under an overseas
    # one.
    assert all(
        default in {"FR", *FRENCH_OVERSEAS} and found in {"FR", *FRENCH_OVERSEAS}
        and found != default
        for _, default, found in differences
    ), differences


digits = st.text(alphabet="0123456789 +-().", min_size=1, max_size=20)
regions = st.sampled_from(["FR", "DE", "GB", "US", "BE", "CH", "ES", "IT", "RE", "CA", "IN"])


@settings(max_examples=400, deadline=None)
@given(digits, regions)
def test_validity_is_the_librarys(raw, region):
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return
    assert (valid_type(number) is not None) == phonenumbers.is_valid_number(number)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.one_of(st.text(), digits),
    st.one_of(st.none(), regions, st.text(max_size=12)),
)
def test_never_raises_and_e164_round_trips(raw, region):
    check = check_phone(raw, region)
    assert (check.e164 is not None) == check.valid
    assert (check.reason == "ok") is check.valid
    if check.valid:
        number = phonenumbers.parse(check.e164)
        assert phonenumbers.is_valid_number(number)
        assert phonenumbers.format_number(number, PhoneNumberFormat.E164) == check.e164
        assert check_phone(check.e164).e164 == check.e164  # E.164 in, same E.164 out
    split_phones(raw)
    find_phones(raw, region)


def test_non_strings_do_not_raise():
    assert check_phone(None).reason == "empty"  # type: ignore[arg-type]
    assert check_phone(612345678, "FR").reason == "empty"  # type: ignore[arg-type]
    assert split_phones(None) == []  # type: ignore[arg-type]
    assert find_phones(None) == []  # type: ignore[arg-type]
