"""Phone numbers: E.164, validity, type, region and time zones, with phonenumbers.

:func:`check_phone` never raises. It first asks phonenumbers about the text exactly as
given, so for ordinary input its E.164 and validity are the library's own. Only when the
library finds no valid number does it repair what the library gets wrong (reliability
PH-1 to PH-3):

- extension words are split off before parsing: phonenumbers reads the letters of
  ``poste`` as keypad digits (``+33 1 42 68 53 00 poste 123`` would become
  ``+3314268530076783123``);
- labels (``Tél :``, ``Fax :``) and invisible characters are removed, and a cell holding
  several numbers is cut into parts (:func:`split_phones`): the first part that is not a fax
  is checked (the others but a fax are :func:`further_numbers`);
- a French national number that is invalid for the default region is retried with the
  overseas regions (``0262 12 34 56`` is La Réunion, ``0590…`` Guadeloupe), and under an
  overseas default with metropolitan France first (``06 12 34 56 78`` written by someone
  in La Réunion is a metropolitan mobile);
- a national number without a default region is ``unknown_region``: never guessed; a
  number after the international prefix ``00`` (``0033 6 12 34 56 78``) needs none;
- a number a spreadsheet turned into a float (``6.12345678E+08``) is read back when every
  digit is printed, else it is ``scientific_notation``: its last digits are lost.

"Valid" means "in an assigned range" (the libphonenumber FAQ), never "in service".

Reasons: ``ok``, ``empty``, ``unknown_region``, ``not_a_number``, ``short_number``
(112, 3615, 15…), ``too_short``, ``too_long``, ``invalid_length``,
``invalid_country_code``, ``local_only``, ``invalid_number`` (a possible length outside the
assigned ranges, such as ``07 12 34 56 78``), ``scientific_notation``.

Example::

    >>> check_phone("+33 1 42 68 53 00 poste 123").e164
    '+33142685300'
    >>> check_phone("0262 12 34 56", "FR").region
    'RE'
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneMetadata, PhoneNumberFormat, PhoneNumberType
from phonenumbers import phonenumberutil as _util
from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX

from prospecting.icp import normalize_country
from prospecting.models import PHONE_EXTENSION, split_phone_extension

__all__ = [
    "METADATA_VERSION",
    "PHONE_TYPE_NAMES",
    "PhoneCheck",
    "cell_numbers",
    "check_phone",
    "find_phones",
    "further_numbers",
    "phone_type_name",
    "split_phones",
]

#: Stored beside each result: validity depends on the library's numbering metadata.
METADATA_VERSION: str = phonenumbers.__version__

PHONE_TYPE_NAMES: dict[int, str] = {
    PhoneNumberType.FIXED_LINE: "fixed_line",
    PhoneNumberType.MOBILE: "mobile",
    PhoneNumberType.FIXED_LINE_OR_MOBILE: "fixed_line_or_mobile",
    PhoneNumberType.TOLL_FREE: "toll_free",
    PhoneNumberType.PREMIUM_RATE: "premium_rate",
    PhoneNumberType.SHARED_COST: "shared_cost",
    PhoneNumberType.VOIP: "voip",
    PhoneNumberType.PERSONAL_NUMBER: "personal_number",
    PhoneNumberType.PAGER: "pager",
    PhoneNumberType.UAN: "uan",
    PhoneNumberType.VOICEMAIL: "voicemail",
    PhoneNumberType.UNKNOWN: "unknown",
}

# The French numbering family: national numbers start with 0 and the overseas departments
# and collectivities have their own region codes (PH-3).
_FRENCH_FAMILY = ("FR", "RE", "YT", "GP", "MQ", "GF", "PM", "BL", "MF")
_OVERSEAS_FALLBACK = ("RE", "YT", "GP", "MQ", "GF", "PM")

_POSSIBLE_REASONS = {
    phonenumbers.ValidationResult.TOO_SHORT: "too_short",
    phonenumbers.ValidationResult.TOO_LONG: "too_long",
    phonenumbers.ValidationResult.INVALID_LENGTH: "invalid_length",
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "invalid_country_code",
    phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "local_only",
}
_PARSE_REASONS = {
    NumberParseException.INVALID_COUNTRY_CODE: "invalid_country_code",
    NumberParseException.NOT_A_NUMBER: "not_a_number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "too_short",
    NumberParseException.TOO_SHORT_NSN: "too_short",
    NumberParseException.TOO_LONG: "too_long",
}
# Numbers of at most this many digits are service or short codes (112, 15, 3615, 118 218),
# never a subscriber's line.
_SHORT_CODE_DIGITS = 6
_UNKNOWN_ZONE = "Etc/Unknown"
_MAX_INPUT = 250  # phonenumbers refuses longer strings; a phone cell never needs more


@dataclass(frozen=True, slots=True)
class PhoneCheck:
    """What is known about one phone number; ``e164`` is None unless ``valid``."""

    raw: str
    e164: str | None
    valid: bool
    type: str | None
    region: str | None
    timezones: tuple[str, ...]
    extension: str | None
    reason: str


def phone_type_name(number_type: int) -> str:
    """``mobile``, ``fixed_line``, ``toll_free``… for a ``phonenumbers.PhoneNumberType``."""
    return PHONE_TYPE_NAMES.get(number_type, "unknown")


def check_phone(
    raw: str, default_region: str | None = None, *, overseas_fallback: bool = True,
    bare_international: bool = False,
) -> PhoneCheck:
    """Check one phone number; ``default_region`` is the contact's or company's country.

    The region may be an ISO code or a country name (``"fr"``, ``"France"``). With
    ``overseas_fallback=False`` a French national number is checked against the default
    region only, exactly as phonenumbers does. With ``bare_international``, for a cell
    known to hold a phone number, eleven to fifteen digits that are no valid national
    number are read as an international number written without its ``+``
    ("33612345678", as Brevo's SMS column writes numbers; see ``_bare_international``);
    not for a number found in running text, where such a run of digits is as often an
    order or account number. Never raises.
    """
    text = raw if isinstance(raw, str) else ""
    region = default_region if isinstance(default_region, str) else None
    return _check(text, region, overseas_fallback, bare_international)


@functools.lru_cache(maxsize=1 << 16)
def _check(raw: str, default_region: str | None, overseas_fallback: bool = True,
           bare: bool = False) -> PhoneCheck:
    region = _region(default_region) if default_region else None
    if not raw.strip():
        return _invalid(raw, "empty")
    # 1. The library on the text as given: its answer stands whenever it finds a valid
    #    number, so ordinary input gets exactly phonenumbers' E.164 and validity.
    first = _parse(raw, region)
    first_type = _valid_type(first)
    if first_type is not None:
        return _valid(raw, first, first_type)
    # 2. Repairs: labels, extension words, invisible characters, several numbers in one
    #    cell, the overseas fallback.
    scientific = _SCIENTIFIC.fullmatch(raw.strip())
    if scientific is not None:
        # A spreadsheet showed the number as a float ("6.12345678E+08"): its digits are
        # whole only when every one of them is printed before the exponent.
        whole, decimals, exponent = scientific.groups()
        if len(decimals) != int(exponent):
            return _invalid(raw, "scientific_notation")
        return dataclasses.replace(
            _check(whole + decimals, default_region, overseas_fallback, bare), raw=raw
        )
    float_tail = _FLOAT_TAIL.fullmatch(raw.strip())
    if float_tail is not None:
        return dataclasses.replace(
            _check(float_tail.group(1), default_region, overseas_fallback, bare), raw=raw
        )
    parts = split_phones(raw)
    if not parts:
        return _invalid(raw, "not_a_number")
    usable = _not_fax(parts)
    number_text = usable[0] if usable else parts[0][1]
    number_text, extension = split_phone_extension(number_text)
    if not _has_digit(number_text):
        return _invalid(raw, "not_a_number")
    international = number_text.lstrip().startswith("+")
    if region is None and not international:
        if not _EXIT_00.match(number_text):
            found = _bare_international(number_text) if bare else None
            if found is not None:
                return _valid(raw, *found, extension)
            return _invalid(raw, "unknown_region", extension)
        # "0033 6 12 34 56 78": 00 is the international prefix ITU-T E.164 recommends
        # and Europe dials; a region is not needed to read what follows it.
        number_text = "+" + number_text.lstrip()[2:]
        international = True
    # Most cells hold the number alone: parsed as given already.
    parsed = first if number_text == raw else _parse(number_text, region)
    if not isinstance(parsed, phonenumbers.PhoneNumber):
        return _invalid(raw, parsed, extension)
    if extension is None and parsed.extension:
        extension = parsed.extension
    parsed_type = first_type if parsed is first else _valid_type(parsed)
    if parsed_type is not None:
        return _valid(raw, parsed, parsed_type, extension)
    if (
        overseas_fallback
        and region in _FRENCH_FAMILY
        and not international
        and _national_digits(number_text)
    ):
        for other in ("FR", *_OVERSEAS_FALLBACK):
            if other == region:
                continue
            retry = _parse(number_text, other)
            retry_type = _valid_type(retry)
            if retry_type is not None:
                return _valid(raw, retry, retry_type, extension)
    if bare and not international:
        found = _bare_international(number_text)
        if found is not None:
            return _valid(raw, *found, extension)
    return _invalid(raw, _invalid_reason(parsed, number_text, region), extension)


def _bare_international(text: str,
                        ) -> tuple[phonenumbers.PhoneNumber, tuple[int, str | None]] | None:
    """The number ``text`` writes with its country code and no ``+`` or ``00`` before it
    ("33612345678", "4917612345678", "15125550147": Brevo's SMS column, and many tools'
    exports), when read so it is valid. Only eleven to fifteen digits that do not open
    on the trunk prefix 0: a national number is shorter (France's ten with the 0, a
    North American ten without its 1) or opens on 0."""
    digits = _digits(text)
    if not 11 <= len(digits) <= 15 or digits[0] == "0" or any(c.isalpha() for c in text):
        return None
    parsed = _parse("+" + digits, None)
    typed = _valid_type(parsed)
    return None if typed is None else (parsed, typed)  # type: ignore[return-value]


# ``number_type`` is ``_number_type_helper`` on the metadata of the number's region; with
# the helper at hand the region is found once for both (a +44 number's region is itself
# a type check against each region sharing the code).
_type_helper = getattr(_util, "_number_type_helper", None)
_metadata_for = getattr(PhoneMetadata, "metadata_for_region_or_calling_code", None)


def _valid_type(number: phonenumbers.PhoneNumber | str) -> tuple[int, str | None] | None:
    """The number's type and region (``region_code_for_number``) when it is valid, else
    None.

    ``is_valid_number(n)`` is exactly ``number_type(n) != UNKNOWN``: both look the number
    up in the metadata of ``region_code_for_number(n)``, whose calling code is the
    number's. Asking for the type once halves the work of a valid number.
    """
    if not isinstance(number, phonenumbers.PhoneNumber):
        return None
    try:
        region = phonenumbers.region_code_for_number(number)
        if _type_helper is None or _metadata_for is None:
            number_type = phonenumbers.number_type(number)
        else:
            metadata = _metadata_for(number.country_code, region)
            if metadata is None:
                return None
            number_type = _type_helper(_util.national_significant_number(number), metadata)
    except Exception:
        return None
    return None if number_type == PhoneNumberType.UNKNOWN else (number_type, region)


def _valid(
    raw: str,
    number: phonenumbers.PhoneNumber,
    typed: tuple[int, str | None],
    extension: str | None = None,
) -> PhoneCheck:
    number_type, region = typed
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return PhoneCheck(
        raw=raw,
        e164=e164,
        valid=True,
        type=phone_type_name(number_type),
        region=region,
        timezones=_time_zones(e164, number_type, number.country_code),
        extension=extension or number.extension or None,
        reason="ok",
    )


def _time_zones(e164: str, number_type: int, country_code: int) -> tuple[str, ...]:
    """``timezone.time_zones_for_number`` without computing the number's type again."""
    if number_type == PhoneNumberType.UNKNOWN:
        return ()
    if phonenumbers.is_number_type_geographical(number_type, country_code):
        key, shortest = e164[1:], 1
    else:
        key, shortest = str(country_code), 2  # the library's country-level lookup
    for length in range(TIMEZONE_LONGEST_PREFIX, shortest - 1, -1):
        zones = TIMEZONE_DATA.get(key[:length])
        if zones is not None:
            return tuple(zone for zone in zones if zone != _UNKNOWN_ZONE)
    return ()


_SCIENTIFIC = re.compile(r"\+?(\d)[.,](\d+)[eE]\+?(\d{1,2})")
# A spreadsheet's float written out: "612345678.0" (its leading 0 lost with it).
_FLOAT_TAIL = re.compile(r"(\+?\d{6,15})\.0")
_EXIT_00 = re.compile(r"\s*00[\s.\-]*[1-9]")


def _invalid(raw: str, reason: str, extension: str | None = None) -> PhoneCheck:
    return PhoneCheck(
        raw=raw,
        e164=None,
        valid=False,
        type=None,
        region=None,
        timezones=(),
        extension=extension,
        reason=reason,
    )


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | str:
    """The parsed number, or the reason it could not be parsed."""
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.INVALID_COUNTRY_CODE and region is None:
            return "unknown_region"
        return _PARSE_REASONS.get(exc.error_type, "not_a_number")
    except Exception:  # any library failure is a rejection, never a crash
        return "not_a_number"


def _invalid_reason(number: phonenumbers.PhoneNumber, text: str, region: str | None) -> str:
    """Why ``number`` (``text`` parsed with ``region``) is not valid."""
    if _digit_count(text) <= _SHORT_CODE_DIGITS or (
            region and _is_short_number(number, region)):
        return "short_number"
    try:
        possible = phonenumbers.is_possible_number_with_reason(number)
    except Exception:
        return "invalid_number"
    return _POSSIBLE_REASONS.get(possible, "invalid_number")


def _is_short_number(number: phonenumbers.PhoneNumber, region: str) -> bool:
    try:
        return phonenumbers.is_valid_short_number_for_region(number, region)
    except Exception:
        return False


@functools.lru_cache(maxsize=1024)
def _region(value: str) -> str | None:
    """An ISO region phonenumbers knows, from a code or a country name; None otherwise."""
    text = value.strip().upper()
    if text in phonenumbers.SUPPORTED_REGIONS:
        return text
    try:
        code = normalize_country(value)
    except Exception:
        return None
    return code if code in phonenumbers.SUPPORTED_REGIONS else None


def find_phones(text: str, default_region: str | None = None) -> list[PhoneCheck]:
    """Valid numbers in free text (a page, a signature), with ``PhoneNumberMatcher`` (PH-6).

    Only numbers valid for their region are returned, so a SIREN (``552 032 534``), a date,
    a price or a postcode in the text gives nothing. Without a region only international
    (``+``) numbers are found. Never raises.
    """
    if not isinstance(text, str) or not text.strip():
        return []
    region = _region(default_region) if isinstance(default_region, str) else None
    found: list[PhoneCheck] = []
    try:
        matcher = phonenumbers.PhoneNumberMatcher(
            _clean(text), region, leniency=phonenumbers.Leniency.VALID
        )
        for match in matcher:
            number_type = _valid_type(match.number)
            if number_type is not None:
                found.append(_valid(match.raw_string, match.number, number_type))
    except Exception:  # a page the matcher chokes on simply has no numbers
        return found
    return found


# ---------------------------------------------------------------------------------------------
# Cleaning and splitting

_INVISIBLE = dict.fromkeys(
    (0x00AD, 0x034F, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF),
    None,
)


def _clean(text: str) -> str:
    """NFKC (full-width digits and signs), any script's digits as ASCII, no invisibles."""
    text = unicodedata.normalize("NFKC", text[: _MAX_INPUT * 4]).translate(_INVISIBLE)
    if not text.isascii():
        text = "".join(
            str(unicodedata.decimal(c)) if c.isdecimal() else (" " if c.isspace() else c)
            for c in text
        )
    return text


# Labels before a number. One-letter labels (T, F, M) need a colon or a dot after them.
_LABELS = [
    (r"t[ée]l[ée]copie|fax|t[ée]l[ée]fax|facsimile", "fax"),
    (r"mobile|portable|port|mob|gsm|cell(?:ular|phone)?|handy", "mobile"),
    (r"ligne\s+directe|direct(?:\s+line)?|ld", "direct"),
    (r"standard|accueil|switchboard|reception", "switchboard"),
    (r"t[ée]l[ée]phone|telephone|phone|t[ée]l|tel|ph|tfno|tel[ée]fono", "phone"),
]
_LABEL_RE = re.compile(
    r"(?<![^\W\d_])(?:(?P<word>"
    + "|".join(f"(?P<r{i}>{pattern})" for i, (pattern, _) in enumerate(_LABELS))
    + r")\s*\.?\s*(?:\(\s*[a-z]{1,12}\s*\)\s*)?[:：]?|(?P<letter>[tfm])\s*[.:：])\s*(?=[+(\d])",
    re.IGNORECASE,
)
_LETTER_ROLES = {"t": "phone", "f": "fax", "m": "mobile"}
_TRAILING_ROLE = re.compile(r"\s*[(\[]?\s*(fax|mobile|portable|mob|gsm)\s*[)\]]?\s*$", re.I)
# A note in brackets after a number: "(standard)", "(perso)", "[Jean]". Without digits it
# is no part of the number (read as one, its letters would become digits, E.161).
_TRAILING_NOTE = re.compile(r"\s*[(\[]([^()\[\]\d]*)[)\]]\s*$")
_NOTE_ROLES = [(re.compile(rf"\s*(?:{pattern})\s*", re.I), role) for pattern, role in _LABELS]
# Separators between two numbers inside one labelled chunk.
_SEPARATORS = re.compile(
    r"\s*(?:[;|\n\r]+|\s/\s|\s+(?:ou|or|et|and|oder|und)\s+|,\s*(?=[+(\d]))\s*", re.IGNORECASE
)
_EXTENSION = PHONE_EXTENSION
_DIGIT = re.compile(r"\d")


def _not_fax(parts: list[tuple[str, str]]) -> list[str]:
    """The numbers of a cell's parts that are not a fax, in order."""
    return [text for role, text in parts if role != "fax"]


# Sixteen digits or more: room for two numbers in one cell.
_TWO_NUMBERS = re.compile(r"(?:\d\D*){16}")


def further_numbers(text: str) -> tuple[str, ...]:
    """The numbers of a phone cell after the one :func:`check_phone` checks, faxes left
    out (``Tél : 01 42 68 53 00 / Mobile : 06 12 34 56 78`` gives the mobile); none for a
    cell of one number. Never raises."""
    return cell_numbers(text)[1:] if isinstance(text, str) else ()


@functools.lru_cache(maxsize=1 << 14)
def cell_numbers(text: str) -> tuple[str, ...]:
    """The numbers of a phone cell that has room for two (sixteen digits or more), faxes
    left out, in order (``0173874100, 0685224874`` gives both); the cell itself
    otherwise, or where it names none but a fax."""
    if not _TWO_NUMBERS.search(text):
        return (text,)
    return tuple(_not_fax(split_phones(text))) or (text,)


def split_phones(text: str) -> list[tuple[str, str]]:
    """The numbers in one cell, each with its role (``phone``, ``mobile``, ``fax``…).

    ``Tél : 01 42 68 53 00 / Fax : 01 42 68 53 01`` gives
    ``[("phone", "01 42 68 53 00"), ("fax", "01 42 68 53 01")]``. Extensions stay with
    their number (``check_phone`` splits them). A German ``030/12345678`` stays one number:
    a bare slash splits only between two full-length numbers. Never raises.
    """
    if not isinstance(text, str):
        return []
    cleaned = _clean(text)
    chunks: list[tuple[str, str]] = []
    role, start = "phone", 0
    for match in _LABEL_RE.finditer(cleaned):
        chunks.append((role, cleaned[start : match.start()]))
        role = _label_role(match)
        start = match.end()
    chunks.append((role, cleaned[start:]))
    parts: list[tuple[str, str]] = []
    for chunk_role, chunk in chunks:
        for piece in _SEPARATORS.split(chunk):
            for number in _split_slashes(piece):
                part_role, number = chunk_role, number.strip(" \t-–—,.:;/")
                trailing = _TRAILING_ROLE.search(number)
                if trailing and _has_digit(number[: trailing.start()]):
                    part_role = _label_role_word(trailing.group(1))
                    number = number[: trailing.start()].strip(" \t-–—,.:;/")
                note = _TRAILING_NOTE.search(number)
                if note and _has_digit(number[: note.start()]):
                    part_role = _note_role(note.group(1), part_role)
                    number = number[: note.start()].strip(" \t-–—,.:;/")
                if not _has_digit(number):
                    continue
                if parts and _EXTENSION.fullmatch(" " + number):
                    # "…, poste 12" cut off by a separator belongs to the number before.
                    prev_role, prev = parts[-1]
                    parts[-1] = (prev_role, f"{prev} {number}")
                    continue
                parts.append((part_role, number))
    return parts


def _label_role(match: re.Match[str]) -> str:
    if match.group("letter"):
        return _LETTER_ROLES[match.group("letter").lower()]
    for i, (_, role) in enumerate(_LABELS):
        if match.group(f"r{i}"):
            return role
    return "phone"


def _label_role_word(word: str) -> str:
    return "fax" if word.lower() == "fax" else "mobile"


def _note_role(note: str, role: str) -> str:
    """The role a bracketed note names (``standard``: the switchboard), else ``role``."""
    for pattern, named in _NOTE_ROLES:
        if pattern.fullmatch(note):
            return named
    return role


_BETWEEN = re.compile(r"/|\s[-–—]\s")


def _split_slashes(piece: str) -> list[str]:
    """Split ``01 42 68 53 00/01 42 68 53 01`` and ``01 42 68 53 00 - 06 12 34 56 78``,
    but not ``030/12345678`` nor ``+33 1 - 42 68 53 00``."""
    if "/" not in piece and " " not in piece:
        return [piece]
    pieces = _BETWEEN.split(piece)
    if len(pieces) > 1 and all(_digit_count(p) >= 8 for p in pieces):
        return pieces
    return [piece]


def _has_digit(text: str) -> bool:
    return _DIGIT.search(text) is not None


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _digit_count(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _national_digits(text: str) -> bool:
    """A national-format number: its first digit is the trunk prefix 0, not 00."""
    digits = _digits(text)
    return digits.startswith("0") and not digits.startswith("00")
