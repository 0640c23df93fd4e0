"""The ideal customer profile (ICP): who to look for, who to leave out.

An ICP file is TOML (see ``data/icp.example.toml``), validated up front: every problem is
reported at once with its key and line, as for ``prospecting.toml``. The loaded :class:`Icp`
keeps the file's text (``source_text``) so a run can store exactly what it was scored
against, and a ``content_hash`` of its canonical JSON so two runs can tell whether the
profile changed (comments and layout do not count).

Example::

    >>> icp = loads_icp('name = "SaaS FR"\\n[firmographics]\\ncountries = ["France", "uk"]')
    >>> icp.firmographics.countries
    ('FR', 'GB')
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from pathlib import Path
from typing import Any

from prospecting.tomlconf import (
    INVALID,
    Context,
    build,
    loads_toml,
    non_empty,
    read_toml,
    schema,
    setting,
    to_dict,
)

__all__ = [
    "DEPARTMENTS",
    "INDUSTRY_SCHEMES",
    "SENIORITIES",
    "Exclusions",
    "Firmographics",
    "HeadcountRange",
    "Icp",
    "Industry",
    "Persona",
    "Scoring",
    "SignalRule",
    "Temperature",
    "is_valid_siren",
    "load_icp",
    "loads_icp",
    "normalize_country",
]

SENIORITIES = (
    "owner",
    "founder",
    "c_suite",
    "vp",
    "head",
    "director",
    "manager",
    "senior",
    "entry",
    "intern",
)
DEPARTMENTS = (
    "executive",
    "sales",
    "marketing",
    "engineering",
    "product",
    "it",
    "finance",
    "hr",
    "operations",
    "legal",
    "customer_success",
    "procurement",
    "data",
    "design",
    "other",
)
_SENIORITY_ALIASES = {
    "c_level": "c_suite",
    "cxo": "c_suite",
    "chief": "c_suite",
    "vice_president": "vp",
    "head_of": "head",
    "junior": "entry",
    "entry_level": "entry",
    "internship": "intern",
}
_DEPARTMENT_ALIASES = {
    "human_resources": "hr",
    "people": "hr",
    "purchasing": "procurement",
    "customer_support": "customer_success",
    "support": "customer_success",
    "ops": "operations",
    "management": "executive",
}

DEFAULT_SCHOOL_KEYWORDS = (
    "école",
    "ecole",
    "université",
    "universite",
    "university",
    "school",
    "campus",
    "lycée",
    "student",
    "étudiant",
    "étudiante",
    "etudiant",
    "stagiaire",
    "internship",
    "alternant",
    "alternante",
    "alternance",
    "apprenti",
    "apprentie",
    "doctorant",
    "phd student",
)

# ---------------------------------------------------------------------------------------------
# Countries: ISO 3166-1 alpha-2 (all 249 officially assigned codes) and common names


# fmt: off
_ISO_ALPHA2 = frozenset({
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
    "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ",
    "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK",
    "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
    "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR",
    "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
    "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN",
    "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
    "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV",
    "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ",
    "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI",
    "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
    "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC",
    "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
    "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR",
    "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
})
# fmt: on

# Two-letter forms in common use that are not the ISO code of the country meant.
_CODE_ALIASES = {"UK": "GB", "EL": "GR"}

# code: English name, French name, other names (matched without case, accents or punctuation).
_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "FR": ("France", "France", "République française", "France métropolitaine",
           "Metropolitan France"),
    "BE": ("Belgium", "Belgique", "België", "Belgien"),
    "CH": ("Switzerland", "Suisse", "Schweiz", "Svizzera"),
    "LU": ("Luxembourg", "Luxembourg", "Luxemburg"),
    "DE": ("Germany", "Allemagne", "Deutschland"),
    "GB": (
        "United Kingdom",
        "Royaume-Uni",
        "Great Britain",
        "Grande-Bretagne",
        "Britain",
        "England",
        "Angleterre",
        "Scotland",
        "Écosse",
        "Wales",
        "Pays de Galles",
        "Northern Ireland",
        "Irlande du Nord",
    ),
    "US": ("United States", "États-Unis", "United States of America", "USA", "U.S.A.", "U.S."),
    "CA": ("Canada", "Canada"),
    "ES": ("Spain", "Espagne", "España"),
    "IT": ("Italy", "Italie", "Italia"),
    "NL": ("Netherlands", "Pays-Bas", "Holland", "Hollande", "Nederland"),
    "IE": ("Ireland", "Irlande", "Éire"),
    "PT": ("Portugal", "Portugal"),
    "AT": ("Austria", "Autriche", "Österreich"),
    "DK": ("Denmark", "Danemark", "Danmark"),
    "SE": ("Sweden", "Suède", "Sverige"),
    "NO": ("Norway", "Norvège", "Norge"),
    "FI": ("Finland", "Finlande", "Suomi"),
    "IS": ("Iceland", "Islande"),
    "PL": ("Poland", "Pologne", "Polska"),
    "CZ": ("Czechia", "Tchéquie", "Czech Republic", "République tchèque"),
    "SK": ("Slovakia", "Slovaquie"),
    "HU": ("Hungary", "Hongrie"),
    "RO": ("Romania", "Roumanie"),
    "BG": ("Bulgaria", "Bulgarie"),
    "GR": ("Greece", "Grèce"),
    "HR": ("Croatia", "Croatie"),
    "SI": ("Slovenia", "Slovénie"),
    "EE": ("Estonia", "Estonie"),
    "LV": ("Latvia", "Lettonie"),
    "LT": ("Lithuania", "Lituanie"),
    "CY": ("Cyprus", "Chypre"),
    "MT": ("Malta", "Malte"),
    "MC": ("Monaco", "Monaco"),
    "LI": ("Liechtenstein", "Liechtenstein"),
    "AD": ("Andorra", "Andorre"),
    "RS": ("Serbia", "Serbie"),
    "UA": ("Ukraine", "Ukraine"),
    "TR": ("Turkey", "Turquie", "Türkiye"),
    "IL": ("Israel", "Israël"),
    "AE": ("United Arab Emirates", "Émirats arabes unis", "UAE", "EAU"),
    "SA": ("Saudi Arabia", "Arabie saoudite"),
    "QA": ("Qatar", "Qatar"),
    "MA": ("Morocco", "Maroc"),
    "DZ": ("Algeria", "Algérie"),
    "TN": ("Tunisia", "Tunisie"),
    "SN": ("Senegal", "Sénégal"),
    "CI": ("Côte d'Ivoire", "Côte d'Ivoire", "Ivory Coast"),
    "ZA": ("South Africa", "Afrique du Sud"),
    "NG": ("Nigeria", "Nigeria"),
    "KE": ("Kenya", "Kenya"),
    "EG": ("Egypt", "Égypte"),
    "MX": ("Mexico", "Mexique", "México"),
    "BR": ("Brazil", "Brésil", "Brasil"),
    "AR": ("Argentina", "Argentine"),
    "CL": ("Chile", "Chili"),
    "CO": ("Colombia", "Colombie"),
    "IN": ("India", "Inde"),
    "CN": ("China", "Chine"),
    "JP": ("Japan", "Japon"),
    "KR": ("South Korea", "Corée du Sud", "Korea", "Republic of Korea"),
    "SG": ("Singapore", "Singapour"),
    "HK": ("Hong Kong", "Hong Kong"),
    "TW": ("Taiwan", "Taïwan"),
    "AU": ("Australia", "Australie"),
    "NZ": ("New Zealand", "Nouvelle-Zélande"),
    "ID": ("Indonesia", "Indonésie"),
    "MY": ("Malaysia", "Malaisie"),
    "TH": ("Thailand", "Thaïlande"),
    "VN": ("Vietnam", "Viêt Nam", "Viet Nam"),
    "PH": ("Philippines", "Philippines"),
    "RU": ("Russia", "Russie", "Russian Federation"),
    "RE": ("Réunion", "La Réunion"),
    "GP": ("Guadeloupe", "Guadeloupe"),
    "MQ": ("Martinique", "Martinique"),
    "GF": ("French Guiana", "Guyane", "Guyane française"),
    "YT": ("Mayotte", "Mayotte"),
    "NC": ("New Caledonia", "Nouvelle-Calédonie"),
    "PF": ("French Polynesia", "Polynésie française"),
    "PM": ("Saint Pierre and Miquelon", "Saint-Pierre-et-Miquelon"),
}
# ISO 3166-1 alpha-3 codes of the countries above, as some exports write them ("FRA").
_ALPHA3 = {
    "FRA": "FR", "BEL": "BE", "CHE": "CH", "LUX": "LU", "DEU": "DE", "GBR": "GB", "USA": "US",
    "CAN": "CA", "ESP": "ES", "ITA": "IT", "NLD": "NL", "IRL": "IE", "PRT": "PT", "AUT": "AT",
    "DNK": "DK", "SWE": "SE", "NOR": "NO", "FIN": "FI", "ISL": "IS", "POL": "PL", "CZE": "CZ",
    "SVK": "SK", "HUN": "HU", "ROU": "RO", "BGR": "BG", "GRC": "GR", "HRV": "HR", "SVN": "SI",
    "EST": "EE", "LVA": "LV", "LTU": "LT", "CYP": "CY", "MLT": "MT", "MCO": "MC", "LIE": "LI",
    "AND": "AD", "SRB": "RS", "UKR": "UA", "TUR": "TR", "ISR": "IL", "ARE": "AE", "SAU": "SA",
    "QAT": "QA", "MAR": "MA", "DZA": "DZ", "TUN": "TN", "SEN": "SN", "CIV": "CI", "ZAF": "ZA",
    "NGA": "NG", "KEN": "KE", "EGY": "EG", "MEX": "MX", "BRA": "BR", "ARG": "AR", "CHL": "CL",
    "COL": "CO", "IND": "IN", "CHN": "CN", "JPN": "JP", "KOR": "KR", "SGP": "SG", "HKG": "HK",
    "TWN": "TW", "AUS": "AU", "NZL": "NZ", "IDN": "ID", "MYS": "MY", "THA": "TH", "VNM": "VN",
    "PHL": "PH", "RUS": "RU", "REU": "RE", "GLP": "GP", "MTQ": "MQ", "GUF": "GF", "MYT": "YT",
    "NCL": "NC", "PYF": "PF", "SPM": "PM",
}

_LEADING_ARTICLE = r"^(?:the|la|le|les|l) "
_DIALLING_CODE = re.compile(r"(?:\+|00)[1-9]\d{0,2}|[1-9]\d{1,2}")
_SUBDIVISION = re.compile(r"([A-Za-z]{2})-[A-Za-z0-9]{1,3}")
# "korea republic of" (the ISO list's "Korea, Republic of") read as "republic of korea".
_COMMA_NAME = re.compile(r"^(.+?) ((?:the )?(?:republic|kingdom|federation|state)s? of)$")


def _fold(text: str) -> str:
    """Lower-case, accents off, punctuation to spaces: 'Royaume-Uni' -> 'royaume uni'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", bare.replace(".", "")).strip()
    return re.sub(_LEADING_ARTICLE, "", words)


@functools.cache
def _name_to_code() -> dict[str, str]:
    return {_fold(name): code for code, names in _COUNTRY_NAMES.items() for name in names}


def normalize_country(value: str) -> str | None:
    """ISO 3166-1 alpha-2 code for a code or an English/French name; None when unknown.

    >>> normalize_country("Royaume-Uni"), normalize_country("uk"), normalize_country("de")
    ('GB', 'GB', 'DE')
    """
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        code = _CODE_ALIASES.get(text.upper(), text.upper())
        return code if code in _ISO_ALPHA2 else None
    if _DIALLING_CODE.fullmatch(text):
        # A "Country Code" column may hold the dialling code: +33, 0033, 44.
        import phonenumbers

        region = phonenumbers.region_code_for_country_code(int(text.lstrip("+0") or "0"))
        return region if region in _ISO_ALPHA2 else None
    if len(text) == 3 and text.isalpha() and text.isupper():
        return _ALPHA3.get(text)
    subdivision = _SUBDIVISION.fullmatch(text)
    if subdivision is not None:  # ISO 3166-2: FR-75, FR-IDF, US-CA, GB-ENG
        return normalize_country(subdivision.group(1))
    folded = _fold(text)
    if folded.replace(" ", "") in ("uk", "us", "usa"):  # "U.K.", "U S"
        return {"uk": "GB", "us": "US", "usa": "US"}[folded.replace(" ", "")]
    return _name_to_code().get(folded) or _name_to_code().get(_COMMA_NAME.sub(r"\2 \1", folded))


_AREA = re.compile(
    r"(?i)^(?:greater|grand|r[ée]gion\s+de|area\s+of)\s+|\s+(?:metropolitan\s+(?:area|region)|"
    r"bay\s+area|area|region|et\s+p[ée]riph[ée]rie|metropolregion|und\s+umgebung)$"
)


def parse_location(text: str) -> tuple[str | None, str | None, str | None]:
    """(city, region, country code) from a free-text location as LinkedIn and the tools
    that copy it write one: "Lyon, Auvergne-Rhône-Alpes, France" gives ("Lyon",
    "Auvergne-Rhône-Alpes", "FR"); "London Area, United Kingdom" ("London", None, "GB");
    "Greater Paris Metropolitan Region" ("Paris", None, None); "France" (None, None, "FR").
    """
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        return None, None, None
    country = normalize_country(parts[-1])
    if country is not None:
        parts = parts[:-1]
    if not parts:
        return None, None, country
    city = _AREA.sub("", parts[0]).strip() or parts[0]
    region = parts[1] if len(parts) > 1 else None
    return city, region, country


# ---------------------------------------------------------------------------------------------
# Field normalisers (each records its problems and returns INVALID, or the clean value)


def _did_you_mean(word: str, choices: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _countries(values: tuple[str, ...], key: str, ctx: Context) -> Any:
    codes, ok = [], True
    for text in values:
        code = normalize_country(text)
        if code is None:
            ok = False
            ctx.problem(
                key,
                f"unknown country {text!r} (use an ISO 3166-1 alpha-2 code such as 'FR', "
                "or an English or French name)",
                value=text,
            )
        else:
            codes.append(code)
    return _unique(codes) if ok else INVALID


def _texts(values: tuple[str, ...], key: str, ctx: Context) -> Any:
    cleaned = [" ".join(v.split()) for v in values]
    if any(not v for v in cleaned):
        ctx.problem(key, "holds an empty string")
        return INVALID
    seen: dict[str, str] = {}
    for text in cleaned:
        seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


def _choices(choices: tuple[str, ...], aliases: dict[str, str], what: str) -> Any:
    def normalize(values: tuple[str, ...], key: str, ctx: Context) -> Any:
        out, ok = [], True
        for text in values:
            word = re.sub(r"[\s-]+", "_", text.strip().lower())
            word = aliases.get(word, word)
            if word in choices:
                out.append(word)
                continue
            ok = False
            ctx.problem(
                key,
                f"unknown {what} {text!r}{_did_you_mean(word, choices)}; "
                f"expected some of: {', '.join(choices)}",
                value=text,
            )
        return _unique(out) if ok else INVALID

    return normalize


_DOMAIN = (
    r"^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$"
)


def _domains(values: tuple[str, ...], key: str, ctx: Context) -> Any:
    out, ok = [], True
    for text in values:
        domain = text.strip().lower().rstrip(".").removeprefix("@").removeprefix("www.")
        try:
            ascii_form = domain.encode("idna").decode("ascii")
        except UnicodeError:
            ascii_form = ""
        if "/" in domain or ":" in domain:
            problem = "is a URL; write the bare domain, e.g. 'example.com'"
        elif not re.match(_DOMAIN, ascii_form):
            problem = "is not a domain name like 'example.com'"
        else:
            out.append(domain)
            continue
        ok = False
        ctx.problem(key, f"{text!r} {problem}", value=text)
    return _unique(out) if ok else INVALID


def is_valid_siren(siren: str) -> bool:
    """Nine digits passing the Luhn check (INSEE's SIREN key)."""
    if len(siren) != 9 or not siren.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(siren)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def _sirens(values: tuple[str, ...], key: str, ctx: Context) -> Any:
    out, ok = [], True
    for text in values:
        siren = re.sub(r"[\s.]", "", text)
        if len(siren) != 9 or not siren.isdigit():
            ok = False
            ctx.problem(key, f"{text!r} is not a SIREN (9 digits)", value=text)
        elif not is_valid_siren(siren):
            ok = False
            ctx.problem(key, f"{text!r} fails the SIREN check digit (a typo?)", value=text)
        else:
            out.append(siren)
    return _unique(out) if ok else INVALID


# scheme: (pattern of the accepted input, canonical form from the match, example)
_CODE_SHAPES: dict[str, tuple[str, str, str]] = {
    # NAF rév. 2 (INSEE): 2 digits, dot, 2 digits, one letter.
    "naf": (r"^(\d{2})\.?(\d{2})([A-Z])$", r"\1.\2\3", "62.01Z"),
    # NACE Rev. 2 (Eurostat): section letter, division, group or class.
    "nace": (r"^([A-U]|\d{2}(?:\.\d{1,2})?)$", r"\1", "62.01"),
    # US SIC (1987): four digits.
    "sic": (r"^(\d{4})$", r"\1", "7372"),
    # UK SIC 2007 (Companies House): five digits.
    "uk_sic": (r"^(\d{5})$", r"\1", "62012"),
    # NAICS: sector (2 digits) down to national industry (6 digits).
    "naics": (r"^(\d{2,6})$", r"\1", "511210"),
}
INDUSTRY_SCHEMES = tuple(_CODE_SHAPES)


def _scheme(value: str) -> str | None:
    scheme = value.strip().lower()
    if scheme in _CODE_SHAPES:
        return None
    return f"unknown scheme {value!r}; expected one of {', '.join(INDUSTRY_SCHEMES)}"


# ---------------------------------------------------------------------------------------------
# The schema


@schema
class Industry:
    """One industry code: ``{ scheme = "naf", code = "62.01Z", label = "..." }``."""

    scheme: str = setting(help="Code system: " + ", ".join(INDUSTRY_SCHEMES) + ".", check=_scheme)
    code: str = setting(help="The code, e.g. '62.01Z' (NAF) or '7372' (SIC).")
    label: str | None = setting(None, help="What the code means, for people reading the file.")

    @classmethod
    def _config_check(cls, values: dict[str, Any], prefix: str, ctx: Context) -> None:
        scheme = values["scheme"] = values["scheme"].strip().lower()
        pattern, canonical, example = _CODE_SHAPES[scheme]
        code = values["code"].strip().upper()
        match = re.match(pattern, code)
        if match is None:
            ctx.problem(
                f"{prefix}.code",
                f"{values['code']!r} is not a {scheme.upper()} code (expected e.g. {example!r})",
                value=values["code"],
            )
            return
        values["code"] = match.expand(canonical)


@schema
class HeadcountRange:
    """Employees from ``min`` to ``max`` inclusive; ``max`` None means no upper bound."""

    min: int
    max: int | None = None

    def contains(self, headcount: int) -> bool:
        return self.min <= headcount and (self.max is None or headcount <= self.max)


def _headcount(value: Any, key: str, ctx: Context) -> Any:
    """``[[10, 49], [50, 249]]``, ``[{ min = 10, max = 249 }]`` or one such table."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        ctx.problem(key, "expected a list of ranges such as [[10, 49], [50, 249]]")
        return INVALID
    ranges, ok = [], True
    for position, item in enumerate(value):
        item_key = f"{key}[{position}]"
        if isinstance(item, list):
            if len(item) != 2 or not all(_is_int(v) for v in item):
                ok = False
                ctx.problem(item_key, f"expected [min, max] with two integers, got {item!r}")
                continue
            low, high = item
        elif isinstance(item, dict):
            unknown = set(item) - {"min", "max"}
            for name in sorted(unknown):
                ok = False
                ctx.unknown_key(f"{item_key}.{name}", ("min", "max"))
            low, high = item.get("min", 0), item.get("max")
            if not _is_int(low) or (high is not None and not _is_int(high)):
                ok = False
                ctx.problem(item_key, "min and max must be integers")
                continue
        else:
            ok = False
            ctx.problem(item_key, f"expected [min, max] or {{ min = N, max = N }}, got {item!r}")
            continue
        if low < 0 or (high is not None and high < 0):
            ok = False
            ctx.problem(item_key, "a headcount cannot be negative")
        elif high is not None and low > high:
            ok = False
            ctx.problem(item_key, f"min ({low}) is greater than max ({high})")
        else:
            ranges.append(HeadcountRange(low, high))
    return tuple(ranges) if ok else INVALID


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@schema
class Firmographics:
    """``[firmographics]``: which companies fit. An empty list means "any"."""

    countries: tuple[str, ...] = setting(
        (), help="ISO 3166-1 alpha-2 codes (English or French names accepted).", after=_countries
    )
    industries: tuple[Industry, ...] = setting(
        (), help="[[firmographics.industries]] entries: scheme, code, label."
    )
    headcount: tuple[HeadcountRange, ...] = setting(
        (), help="Employee ranges, e.g. [[10, 49], [50, 249]].", parse=_headcount
    )
    legal_forms: tuple[str, ...] = setting(
        (), help="Legal forms, e.g. 'SAS', 'SARL', 'GmbH', 'Ltd'.", after=_texts
    )
    keywords: tuple[str, ...] = setting(
        (), help="Words that describe a fitting company's activity.", after=_texts
    )


@schema
class Persona:
    """Who to contact inside a fitting company. An empty list means "any"."""

    name: str = setting("default", help="How reasons and reports refer to it.")
    titles: tuple[str, ...] = setting((), help="Job titles, in any language.", after=_texts)
    seniorities: tuple[str, ...] = setting(
        (),
        help="Some of: " + ", ".join(SENIORITIES) + ".",
        after=_choices(SENIORITIES, _SENIORITY_ALIASES, "seniority"),
    )
    departments: tuple[str, ...] = setting(
        (),
        help="Some of: " + ", ".join(DEPARTMENTS) + ".",
        after=_choices(DEPARTMENTS, _DEPARTMENT_ALIASES, "department"),
    )

    @classmethod
    def _config_check(cls, values: dict[str, Any], prefix: str, ctx: Context) -> None:
        if not any(values.get(k) for k in ("titles", "seniorities", "departments")):
            ctx.problem(prefix, "a persona needs titles, seniorities or departments")


_PERSONA_KEYS = frozenset({"name", "titles", "seniorities", "departments"})


def _personas(value: Any, key: str, ctx: Context) -> Any:
    """``[personas]`` (one), ``[personas.NAME]`` tables or ``[[personas]]`` entries."""
    personas: list[Any] = []
    if isinstance(value, list):
        for position, item in enumerate(value):
            item_key = f"{key}[{position}]"
            if not isinstance(item, dict):
                ctx.problem(item_key, "expected a table ([[personas]] entry)")
                personas.append(INVALID)
                continue
            if "name" not in item:
                ctx.problem(f"{item_key}.name", "missing: each [[personas]] entry needs a name")
                personas.append(INVALID)
                continue
            personas.append(build(Persona, item, item_key, ctx))
    elif isinstance(value, dict):
        named = value and all(isinstance(v, dict) for v in value.values())
        if named and not set(value) & _PERSONA_KEYS:
            for name, item in value.items():
                if "name" in item:
                    ctx.problem(f"{key}.{name}.name", "not needed: the table's name is the name")
                    personas.append(INVALID)
                    continue
                personas.append(build(Persona, {**item, "name": name}, f"{key}.{name}", ctx))
        else:
            personas.append(build(Persona, value, key, ctx))
    else:
        ctx.problem(key, "expected a [personas] table or [[personas]] entries")
        return INVALID
    if any(p is INVALID for p in personas):
        return INVALID
    seen: set[str] = set()
    ok = True
    for position, persona in enumerate(personas):
        if persona.name in seen:
            ok = False
            ctx.problem(
                f"{key}[{position}].name",
                f"another persona is already named {persona.name!r}",
                value=persona.name,
            )
        seen.add(persona.name)
    return tuple(personas) if ok else INVALID


@schema
class Exclusions:
    """``[exclusions]``: companies and people never to contact."""

    competitor_domains: tuple[str, ...] = setting(
        (), help="Competitors' domains, e.g. 'rival.com'.", after=_domains
    )
    customer_domains: tuple[str, ...] = setting(
        (), help="Existing customers' domains.", after=_domains
    )
    customer_sirens: tuple[str, ...] = setting(
        (), help="Existing customers' SIREN numbers (9 digits).", after=_sirens
    )
    students: bool = setting(True, help="Leave out students and schools.")
    school_keywords: tuple[str, ...] = setting(
        DEFAULT_SCHOOL_KEYWORDS,
        help="Words in a title or company name that mark a student or a school.",
        after=_texts,
    )
    personal_freemail_only: bool = setting(
        False, help="Leave out people whose only email is at a free-mail provider."
    )


# ---------------------------------------------------------------------------------------------
# Scoring: the points grid, stage thresholds and temperature

# Behavioural signals a [[scoring.signals]] rule may give points for: person activities
# (imported with ``prospecting signals`` or from email tools' exports) and company facts
# (``open_positions`` for hiring, one ``technology`` fact per technology).
PERSON_SIGNAL_KINDS = ("visit", "product_usage", "open", "click", "reply")
COMPANY_SIGNAL_KINDS = ("hiring", "technology")
SIGNAL_KINDS = PERSON_SIGNAL_KINDS + COMPANY_SIGNAL_KINDS

_INDUSTRY_KEY = re.compile(r"^(?:[A-U]|[A-U]?\d{2,6}(?:\.\d{1,2}[A-Z]?)?)$")


def _points_table(normalize_key: Any = None) -> Any:
    """A ``{ key = points }`` table whose keys are checked and normalised."""

    def normalize(values: dict[str, float], key: str, ctx: Context) -> Any:
        out: dict[str, float] = {}
        ok = True
        for name, points in values.items():
            clean = name if normalize_key is None else normalize_key(name, f"{key}.{name}", ctx)
            if clean is INVALID:
                ok = False
                continue
            out[clean] = points
        return out if ok else INVALID

    return normalize


def _choice_key(choices: tuple[str, ...], aliases: dict[str, str], what: str) -> Any:
    def check(name: str, key: str, ctx: Context) -> Any:
        word = re.sub(r"[\s-]+", "_", name.strip().lower())
        word = aliases.get(word, word)
        if word in choices:
            return word
        ctx.problem(
            key, f"unknown {what} {name!r}{_did_you_mean(word, choices)}; "
            f"expected some of: {', '.join(choices)}",
        )
        return INVALID

    return check


def _country_key(name: str, key: str, ctx: Context) -> Any:
    code = normalize_country(name)
    if code is None:
        ctx.problem(key, f"unknown country {name!r} (use an ISO 3166-1 alpha-2 code such as 'FR')")
        return INVALID
    return code


def _industry_key(name: str, key: str, ctx: Context) -> Any:
    code = name.strip().upper()
    if not _INDUSTRY_KEY.match(code):
        ctx.problem(
            key, f"{name!r} is not an industry code or prefix (e.g. '62.01Z', '62', '7372')"
        )
        return INVALID
    return code


def _text_key(name: str, key: str, ctx: Context) -> Any:
    text = " ".join(name.split())
    if not text:
        ctx.problem(key, "empty name")
        return INVALID
    return text


def _points_range(value: float) -> str | None:
    return None if -1000 <= value <= 1000 else f"must be between -1000 and 1000, got {value!r}"


@schema
class HeadcountPoints:
    """``{ min = 10, max = 49, points = 5 }``: points for a company of that size."""

    min: int = setting(help="Fewest employees (inclusive).", check=lambda v: None if v >= 0
                       else "a headcount cannot be negative")
    points: float = setting(help="Points given.", check=_points_range)
    max: int | None = setting(None, help="Most employees (inclusive); none for no upper bound.")

    @classmethod
    def _config_check(cls, values: dict[str, Any], prefix: str, ctx: Context) -> None:
        if values.get("max") is not None and values["max"] < values["min"]:
            ctx.problem(prefix, f"min ({values['min']}) is greater than max ({values['max']})")


@schema
class FitGrid:
    """``[scoring.fit]``: demographic and firmographic points.

    A table left out takes its points from the ICP's own lists (each persona seniority
    and department, each firmographics country, industry code, headcount range and
    legal form earns the ``*_default`` points); a table written replaces that, and may
    give negative points (``intern = -20``).
    """

    title: float = setting(20.0, help="Title matches one of a persona's titles.",
                           check=_points_range)
    keyword: float = setting(5.0, help="Company name or activity holds a firmographics keyword.",
                             check=_points_range)
    seniority: dict[str, float] | None = setting(
        None, help="Points per seniority: " + ", ".join(SENIORITIES) + ".",
        after=_points_table(_choice_key(SENIORITIES, _SENIORITY_ALIASES, "seniority")),
    )
    department: dict[str, float] | None = setting(
        None, help="Points per department: " + ", ".join(DEPARTMENTS) + ".",
        after=_points_table(_choice_key(DEPARTMENTS, _DEPARTMENT_ALIASES, "department")),
    )
    country: dict[str, float] | None = setting(
        None, help="Points per country (ISO code or name).", after=_points_table(_country_key)
    )
    industry: dict[str, float] | None = setting(
        None, help="Points per industry code or prefix (NAF '62.01Z', '62'; SIC '7372'); "
        "the longest matching code wins.", after=_points_table(_industry_key),
    )
    headcount: tuple[HeadcountPoints, ...] | None = setting(
        None, help="[{ min, max, points }] ranges; the first matching range counts."
    )
    legal_form: dict[str, float] | None = setting(
        None, help="Points per legal form (SAS, SARL, GmbH…).", after=_points_table(_text_key)
    )
    site_language: dict[str, float] | None = setting(
        None, help="Points per language of the company's website ('fr', 'en').",
        after=_points_table(_text_key),
    )
    seniority_default: float = setting(15.0, help="Persona seniority, when no table.",
                                       check=_points_range)
    department_default: float = setting(15.0, help="Persona department, when no table.",
                                        check=_points_range)
    country_default: float = setting(10.0, help="ICP country, when no table.",
                                     check=_points_range)
    industry_default: float = setting(15.0, help="ICP industry code, when no table.",
                                      check=_points_range)
    headcount_default: float = setting(10.0, help="ICP headcount range, when no table.",
                                       check=_points_range)
    legal_form_default: float = setting(5.0, help="ICP legal form, when no table.",
                                        check=_points_range)


@schema
class SignalRule:
    """One ``[[scoring.signals]]`` rule: points per matching signal, decaying with age."""

    kind: str = setting(help="One of: " + ", ".join(SIGNAL_KINDS) + ".",
                        check=lambda v: None if v in SIGNAL_KINDS else
                        f"unknown signal kind {v!r}{_did_you_mean(v, SIGNAL_KINDS)}; "
                        f"expected one of: {', '.join(SIGNAL_KINDS)}")
    points: float = setting(help="Points per signal (before decay).", check=_points_range)
    name: str | None = setting(None, help="How reasons name the rule (default: the kind).")
    max_points: float | None = setting(None, help="Cap on this rule's total.")
    half_life_days: float | None = setting(
        None, help="Points halve every N days of age; none: no decay.",
        check=lambda v: None if v > 0 else "must be greater than 0",
    )
    window_days: float | None = setting(
        None, help="Signals older than N days count for nothing.",
        check=lambda v: None if v > 0 else "must be greater than 0",
    )
    detail_contains: tuple[str, ...] = setting(
        (), help="Only signals whose detail (URL, feature, technology) holds one of these.",
        after=_texts,
    )
    min_count: int = setting(1, help="hiring: fewest open positions that count.",
                             check=lambda v: None if v >= 1 else "must be at least 1")


def _default_signals() -> tuple[SignalRule, ...]:
    return (
        SignalRule(kind="visit", points=5.0, max_points=20.0, half_life_days=30.0,
                   window_days=90.0),
        SignalRule(kind="open", points=1.0, max_points=3.0, half_life_days=14.0,
                   window_days=60.0),
        SignalRule(kind="click", points=5.0, max_points=15.0, half_life_days=30.0,
                   window_days=90.0),
        SignalRule(kind="reply", points=20.0, max_points=20.0, window_days=180.0),
        SignalRule(kind="product_usage", points=5.0, max_points=30.0, half_life_days=14.0,
                   window_days=60.0),
        SignalRule(kind="hiring", points=10.0, window_days=120.0),
    )


@schema
class PqlRule:
    """``[scoring.pql]``: product usage that makes a product-qualified lead."""

    min_events: int = setting(3, help="Product-usage events needed.",
                              check=lambda v: None if v >= 1 else "must be at least 1")
    window_days: float = setting(30.0, help="Within the last N days.",
                                 check=lambda v: None if v > 0 else "must be greater than 0")


@schema
class Scoring:
    """``[scoring]``: the points grid and the stage thresholds."""

    mql: float = setting(50.0, help="Total score from which a lead is marketing-qualified.")
    sql: float = setting(80.0, help="Total score from which a lead is sales-qualified.")
    min_fit: float = setting(
        0.0, help="Below this fit score a person is disqualified (too few points)."
    )
    fit: FitGrid = setting(factory=FitGrid, help="Demographic and firmographic points.")
    signals: tuple[SignalRule, ...] = setting(
        factory=_default_signals, help="[[scoring.signals]] rules; written, they replace "
        "the defaults."
    )
    pql: PqlRule = setting(factory=PqlRule, help="Product usage that qualifies a PQL.")

    @classmethod
    def _config_check(cls, values: dict[str, Any], prefix: str, ctx: Context) -> None:
        mql, sql = values.get("mql", 50.0), values.get("sql", 80.0)
        if sql < mql:
            ctx.problem(_join_key(prefix, "sql"), f"sql ({sql:g}) is lower than mql ({mql:g})")


@schema
class Temperature:
    """``[temperature]``: hot, warm or cold from recent signals and the total score."""

    hot_score: float = setting(60.0, help="Hot: total at least this and a recent signal.")
    hot_days: float = setting(14.0, help="Hot: a person signal within this many days.",
                              check=lambda v: None if v > 0 else "must be greater than 0")
    warm_score: float = setting(30.0, help="Warm: total at least this, or a fairly recent "
                                "signal.")
    warm_days: float = setting(60.0, help="Warm: a person signal within this many days.",
                               check=lambda v: None if v > 0 else "must be greater than 0")

    @classmethod
    def _config_check(cls, values: dict[str, Any], prefix: str, ctx: Context) -> None:
        hot_days, warm_days = values.get("hot_days", 14.0), values.get("warm_days", 60.0)
        hot, warm = values.get("hot_score", 60.0), values.get("warm_score", 30.0)
        if hot_days > warm_days:
            ctx.problem(_join_key(prefix, "hot_days"),
                        f"hot_days ({hot_days:g}) is longer than warm_days ({warm_days:g})")
        if hot < warm:
            ctx.problem(_join_key(prefix, "hot_score"),
                        f"hot_score ({hot:g}) is lower than warm_score ({warm:g})")


def _join_key(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


@schema
class Icp:
    """A loaded ICP file. ``Icp(name="any")`` is a profile with no criteria but the defaults."""

    name: str = setting(help="Short name of the profile.", check=non_empty)
    description: str | None = setting(None, help="What the profile is for.")
    firmographics: Firmographics = setting(factory=Firmographics, help="Which companies fit.")
    personas: tuple[Persona, ...] = setting((), help="Who to contact.", parse=_personas)
    exclusions: Exclusions = setting(factory=Exclusions, help="Who never to contact.")
    scoring: Scoring = setting(factory=Scoring, help="Points grid and stage thresholds.")
    temperature: Temperature = setting(factory=Temperature, help="Hot, warm, cold thresholds.")
    source: str | None = setting(None, help="Path of the file it was read from.", skip=True)
    source_text: str = setting("", help="The file's text, as read.", skip=True)

    def as_dict(self) -> dict[str, Any]:
        """The profile as JSON-able data (without its source path and text)."""
        return to_dict(self)

    @property
    def content_hash(self) -> str:
        """sha256 (hex) of the canonical JSON of :meth:`as_dict`."""
        import hashlib
        import json

        canonical = json.dumps(
            self.as_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _build_icp(data: dict[str, Any], text: str, source: str | None) -> Icp:
    ctx = Context(source or "<icp>", text, env={}, allow_secrets=False)
    icp = build(Icp, data, "", ctx)
    ctx.raise_if_any("ICP")
    return dataclasses.replace(icp, source=source, source_text=text)


def load_icp(path: str | Path) -> Icp:
    """Read and validate an ICP file; ConfigError lists every problem with key and line."""
    data, text = read_toml(path)
    return _build_icp(data, text, str(path))


def loads_icp(text: str, *, source: str | None = None) -> Icp:
    """Validate ICP text (as stored for a run); ``source`` names it in messages."""
    return _build_icp(loads_toml(text, source or "<icp>"), text, source)
