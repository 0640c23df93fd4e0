"""The ICP file: validated up front, every problem with its key and line; stable hash."""

from __future__ import annotations

import hashlib
import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospecting.errors import ConfigError
from prospecting.icp import (
    DEPARTMENTS,
    SENIORITIES,
    HeadcountRange,
    Icp,
    Industry,
    is_valid_siren,
    load_icp,
    loads_icp,
    normalize_country,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "icp.example.toml"


def write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as excinfo:
        load_icp(path)
    return excinfo.value.problems


# ---------------------------------------------------------------------------------------------
# The example file


def test_example_icp_loads():
    icp = load_icp(EXAMPLE)
    assert icp.name == "saas-sales-teams-fr-eu"
    assert icp.description
    firmo = icp.firmographics
    assert {"FR", "BE", "CH", "LU", "DE", "GB"} <= set(firmo.countries)
    assert Industry("naf", "62.01Z", "Programmation informatique") in firmo.industries
    assert ("naf", "70.22Z") in {(i.scheme, i.code) for i in firmo.industries}
    assert ("sic", "7372") in {(i.scheme, i.code) for i in firmo.industries}
    assert firmo.headcount[0] == HeadcountRange(10, 49)
    assert firmo.headcount[-1].max == 499
    assert "SAS" in firmo.legal_forms
    names = [p.name for p in icp.personas]
    assert len(names) == len(set(names)) >= 2
    titles = {t for p in icp.personas for t in p.titles}
    assert {"Directeur commercial", "Head of Sales", "VP Sales", "Responsable marketing"} <= titles
    assert icp.exclusions.students is True
    assert all(is_valid_siren(s) for s in icp.exclusions.customer_sirens)
    assert icp.source == str(EXAMPLE)
    assert icp.source_text == EXAMPLE.read_text(encoding="utf-8")


def test_as_dict_is_json_without_source():
    icp = load_icp(EXAMPLE)
    dumped = icp.as_dict()
    assert json.loads(json.dumps(dumped)) == dumped
    assert "source" not in dumped
    assert "source_text" not in dumped
    assert dumped["firmographics"]["headcount"][0] == {"min": 10, "max": 49}
    assert dumped["personas"][0]["name"] == "sales-leaders"


# ---------------------------------------------------------------------------------------------
# content_hash


def test_content_hash_is_sha256_of_canonical_json():
    icp = load_icp(EXAMPLE)
    canonical = json.dumps(
        icp.as_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")
    assert icp.content_hash == hashlib.sha256(canonical).hexdigest()
    assert load_icp(EXAMPLE).content_hash == icp.content_hash


def test_content_hash_ignores_comments_layout_and_spelling(tmp_path):
    one = write(
        tmp_path / "one.toml",
        """
        name = "p"
        [firmographics]
        countries = ["FR", "GB"]
        headcount = [[10, 49]]
        """,
    )
    two = write(
        tmp_path / "two.toml",
        """
        # same profile, written differently
        [firmographics]
        headcount = [{ min = 10, max = 49 }]
        countries = [
            "France",  # a name instead of the code
            "uk",
        ]

        [exclusions]
        """,
    )
    two.write_text('name = "p"\n' + two.read_text())
    assert load_icp(one).content_hash == load_icp(two).content_hash
    assert load_icp(one).source_text != load_icp(two).source_text


def test_content_hash_changes_with_content(tmp_path):
    one = write(tmp_path / "one.toml", 'name = "p"\n[firmographics]\ncountries = ["FR"]\n')
    two = write(tmp_path / "two.toml", 'name = "p"\n[firmographics]\ncountries = ["BE"]\n')
    assert load_icp(one).content_hash != load_icp(two).content_hash


def test_loads_icp_from_stored_text_gives_the_same_profile():
    icp = load_icp(EXAMPLE)
    again = loads_icp(icp.source_text, source="run 12")
    assert again.content_hash == icp.content_hash
    assert again.source == "run 12"


# ---------------------------------------------------------------------------------------------
# Minimal and defaults


def test_minimal_icp_has_defaults(tmp_path):
    icp = load_icp(write(tmp_path / "icp.toml", 'name = "any"\n'))
    assert icp == Icp(name="any", source=icp.source, source_text=icp.source_text)
    assert icp.firmographics.countries == ()
    assert icp.personas == ()
    assert icp.exclusions.students is True
    assert "étudiant" in icp.exclusions.school_keywords
    assert "university" in icp.exclusions.school_keywords
    assert icp.exclusions.personal_freemail_only is False
    assert icp.scoring.mql == 50
    assert icp.scoring.sql == 80
    assert icp.scoring.min_fit == 0
    assert icp.scoring.fit.seniority is None  # from the personas when not written
    assert {rule.kind for rule in icp.scoring.signals} >= {"visit", "product_usage"}
    assert icp.temperature.hot_days == 14


def test_name_is_required(tmp_path):
    path = write(tmp_path / "icp.toml", '[firmographics]\ncountries = ["FR"]\n')
    assert problems(path) == [f"{path}: key 'name': missing (this key is required)"]


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(ConfigError, match=r"absent\.toml: file not found"):
        load_icp(tmp_path / "absent.toml")


def test_syntax_error_gives_line(tmp_path):
    path = write(tmp_path / "icp.toml", 'name = "x"\n[firmographics\n')
    with pytest.raises(ConfigError, match=rf"^{path}:2:\d+: TOML syntax error"):
        load_icp(path)


def test_unknown_keys_are_refused_with_suggestions(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        descripton = "typo"

        [firmographics]
        country = ["FR"]

        [exclusion]
        students = true
        """,
    )
    assert problems(path) == [
        f"{path}:2: unknown key 'descripton' (did you mean 'description'?)",
        f"{path}:5: unknown key 'firmographics.country' (did you mean 'countries'?)",
        f"{path}:7: unknown key 'exclusion' (did you mean 'exclusions'?)",
    ]


def test_wrong_types_name_the_expected_type(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"

        [firmographics]
        countries = "FR"
        keywords = ["saas", 3]

        [exclusions]
        students = "yes"
        """,
    )
    assert problems(path) == [
        f"{path}:4: key 'firmographics.countries': expected an array, got a string ('FR')",
        f"{path}:5: key 'firmographics.keywords[1]': expected a string, got an integer (3)",
        f"{path}:8: key 'exclusions.students': expected a boolean (true or false), "
        "got a string ('yes')",
    ]


# ---------------------------------------------------------------------------------------------
# Firmographics


def test_countries_accept_codes_and_english_or_french_names(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [firmographics]
        countries = ["fr", "Belgique", "Switzerland", "UK", "Royaume-Uni", "États-Unis",
                     "Allemagne", "the Netherlands", "Pays-Bas", "lu", "MT"]
        """,
    )
    assert load_icp(path).firmographics.countries == (
        "FR",
        "BE",
        "CH",
        "GB",
        "US",
        "DE",
        "NL",
        "LU",
        "MT",
    )


def test_unknown_country_is_refused_on_its_own_line(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"

        [firmographics]
        countries = [
            "FR",
            "Atlantis",
            "XX",
        ]
        """,
    )
    found = problems(path)
    assert len(found) == 2
    assert found[0].startswith(
        f"{path}:6: key 'firmographics.countries': unknown country 'Atlantis'"
    )
    assert found[1].startswith(f"{path}:7: key 'firmographics.countries': unknown country 'XX'")


def test_industries_are_validated_by_scheme(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"

        [[firmographics.industries]]
        scheme = "NAF"
        code = "6201z"

        [[firmographics.industries]]
        scheme = "naf"
        code = "62.01"
        label = "missing the letter"

        [[firmographics.industries]]
        scheme = "sic"
        code = "737"

        [[firmographics.industries]]
        scheme = "naics"
        code = "5112101"

        [[firmographics.industries]]
        scheme = "isic"
        code = "6201"

        [[firmographics.industries]]
        scheme = "nace"
        """,
    )
    assert problems(path) == [
        f"{path}:9: key 'firmographics.industries[1].code': '62.01' is not a NAF code "
        "(expected e.g. '62.01Z')",
        f"{path}:14: key 'firmographics.industries[2].code': '737' is not a SIC code "
        "(expected e.g. '7372')",
        f"{path}:18: key 'firmographics.industries[3].code': '5112101' is not a NAICS code "
        "(expected e.g. '511210')",
        f"{path}:21: key 'firmographics.industries[4].scheme': unknown scheme 'isic'; "
        "expected one of naf, nace, sic, uk_sic, naics",
        f"{path}:24: key 'firmographics.industries[5].code': missing (this key is required)",
    ]


def test_industry_codes_are_normalised(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [firmographics]
        industries = [
            { scheme = "NAF", code = "6201z" },
            { scheme = "nace", code = "62.01" },
            { scheme = "naics", code = "51" },
            { scheme = "uk_sic", code = "62012", label = "Software development" },
        ]
        """,
    )
    assert load_icp(path).firmographics.industries == (
        Industry("naf", "62.01Z"),
        Industry("nace", "62.01"),
        Industry("naics", "51"),
        Industry("uk_sic", "62012", "Software development"),
    )


def test_headcount_as_pairs_or_tables(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [firmographics]
        headcount = [[10, 49], { min = 50, max = 249 }, { min = 500 }]
        """,
    )
    ranges = load_icp(path).firmographics.headcount
    assert ranges == (HeadcountRange(10, 49), HeadcountRange(50, 249), HeadcountRange(500))
    assert ranges[2].contains(10_000)
    assert not ranges[0].contains(50)


def test_headcount_as_array_of_tables(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [[firmographics.headcount]]
        min = 1
        max = 9
        """,
    )
    assert load_icp(path).firmographics.headcount == (HeadcountRange(1, 9),)


def test_headcount_problems(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"

        [firmographics]
        legal_forms = ["SAS"]
        headcount = [[250, 50], [-5, 10], [10], { min = 1, maximum = 5 }, "big"]
        """,
    )
    assert problems(path) == [
        f"{path}:5: key 'firmographics.headcount[0]': min (250) is greater than max (50)",
        f"{path}:5: key 'firmographics.headcount[1]': a headcount cannot be negative",
        f"{path}:5: key 'firmographics.headcount[2]': expected [min, max] with two integers, "
        "got [10]",
        f"{path}:5: unknown key 'firmographics.headcount[3].maximum' (did you mean 'max'?)",
        f"{path}:5: key 'firmographics.headcount[4]': expected [min, max] or "
        "{ min = N, max = N }, got 'big'",
    ]


def test_legal_forms_and_keywords_are_trimmed_and_deduplicated(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [firmographics]
        legal_forms = [" SAS ", "SARL", "sas", "GmbH"]
        keywords = ["saas  b2b", "SaaS B2B"]
        """,
    )
    firmo = load_icp(path).firmographics
    assert firmo.legal_forms == ("SAS", "SARL", "GmbH")
    assert firmo.keywords == ("saas b2b",)


# ---------------------------------------------------------------------------------------------
# Personas


def test_single_personas_table(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [personas]
        titles = ["Head of Sales"]
        seniorities = ["Head", "VP", "c-suite"]
        departments = ["Sales", "customer success"]
        """,
    )
    (persona,) = load_icp(path).personas
    assert persona.name == "default"
    assert persona.titles == ("Head of Sales",)
    assert persona.seniorities == ("head", "vp", "c_suite")
    assert persona.departments == ("sales", "customer_success")


def test_named_persona_tables(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [personas.sales]
        titles = ["Directeur commercial"]

        [personas.marketing]
        departments = ["marketing"]
        """,
    )
    personas = load_icp(path).personas
    assert [p.name for p in personas] == ["sales", "marketing"]
    assert personas[1].departments == ("marketing",)


def test_list_of_personas(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [[personas]]
        name = "sales"
        titles = ["VP Sales"]

        [[personas]]
        name = "founders"
        seniorities = ["founder", "owner"]
        """,
    )
    personas = load_icp(path).personas
    assert [p.name for p in personas] == ["sales", "founders"]
    assert personas[1].seniorities == ("founder", "owner")


def test_persona_problems(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"

        [[personas]]
        name = "sales"
        seniorities = [
            "vp",
            "directr",
        ]
        departments = ["sales", "rnd"]

        [[personas]]
        titles = ["CMO"]

        [[personas]]
        name = "empty"

        [[personas]]
        name = "typo"
        title = ["CEO"]
        """,
    )
    found = problems(path)
    assert found[0].startswith(
        f"{path}:7: key 'personas[0].seniorities': unknown seniority 'directr' "
        "(did you mean 'director'?); expected some of: owner, founder"
    )
    assert found[1].startswith(f"{path}:9: key 'personas[0].departments': unknown department 'rnd'")
    assert found[2:] == [
        f"{path}:11: key 'personas[1].name': missing: each [[personas]] entry needs a name",
        f"{path}:14: key 'personas[2]': a persona needs titles, seniorities or departments",
        f"{path}:19: unknown key 'personas[3].title' (did you mean 'titles'?)",
    ]


def test_duplicate_persona_names(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [[personas]]
        name = "sales"
        titles = ["VP Sales"]
        [[personas]]
        name = "sales"
        titles = ["Head of Sales"]
        """,
    )
    assert problems(path) == [
        f"{path}:6: key 'personas[1].name': another persona is already named 'sales'"
    ]


def test_persona_vocabularies_are_the_documented_ones():
    assert SENIORITIES == (
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
    assert "customer_success" in DEPARTMENTS
    assert len(DEPARTMENTS) == 15


# ---------------------------------------------------------------------------------------------
# Exclusions


def test_exclusions_are_normalised(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [exclusions]
        competitor_domains = ["Rival.COM", "www.other.io", "@third.fr", "rival.com"]
        customer_domains = ["client.example."]
        customer_sirens = ["552 032 534", "356000000"]
        students = false
        school_keywords = ["école"]
        personal_freemail_only = true
        """,
    )
    ex = load_icp(path).exclusions
    assert ex.competitor_domains == ("rival.com", "other.io", "third.fr")
    assert ex.customer_domains == ("client.example",)
    assert ex.customer_sirens == ("552032534", "356000000")
    assert ex.students is False
    assert ex.school_keywords == ("école",)
    assert ex.personal_freemail_only is True


def test_exclusion_problems(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"

        [exclusions]
        competitor_domains = ["https://rival.com/", "rival"]
        customer_domains = ["a b.com"]
        customer_sirens = [
            "552032534",
            "552032535",
            "12345",
        ]
        """,
    )
    assert problems(path) == [
        f"{path}:4: key 'exclusions.competitor_domains': 'https://rival.com/' is a URL; "
        "write the bare domain, e.g. 'example.com'",
        f"{path}:4: key 'exclusions.competitor_domains': 'rival' is not a domain name like "
        "'example.com'",
        f"{path}:5: key 'exclusions.customer_domains': 'a b.com' is not a domain name like "
        "'example.com'",
        f"{path}:8: key 'exclusions.customer_sirens': '552032535' fails the SIREN check digit "
        "(a typo?)",
        f"{path}:9: key 'exclusions.customer_sirens': '12345' is not a SIREN (9 digits)",
    ]


@pytest.mark.parametrize(
    ("siren", "valid"),
    [
        ("552032534", True),  # Danone
        ("356000000", True),  # La Poste
        ("123456782", True),
        ("552032535", False),
        ("55203253", False),
        ("55203253A", False),
    ],
)
def test_siren_luhn(siren, valid):
    assert is_valid_siren(siren) is valid


# ---------------------------------------------------------------------------------------------
# Free tables and gathering


def test_scoring_and_temperature_are_read(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [scoring]
        mql = 40
        sql = 70
        [scoring.fit.country]
        France = 10
        [temperature]
        hot_days = 7
        """,
    )
    icp = load_icp(path)
    assert (icp.scoring.mql, icp.scoring.sql) == (40.0, 70.0)
    assert icp.scoring.fit.country == {"FR": 10.0}
    assert icp.temperature.hot_days == 7.0


def test_secret_references_are_refused_in_an_icp(tmp_path):
    path = write(tmp_path / "icp.toml", 'name = "x"\ndescription = { env = "HOME" }\n')
    assert problems(path) == [
        f"{path}:2: key 'description': secret references ({{ env = ... }}) are not allowed here"
    ]


def test_every_problem_is_gathered_into_one_error(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = ""

        [firmographics]
        countries = ["Narnia"]
        headcount = [[9, 1]]

        [personas]
        seniorities = ["boss"]

        [exclusions]
        customer_sirens = ["000000001"]
        """,
    )
    with pytest.raises(ConfigError) as excinfo:
        load_icp(path)
    found = excinfo.value.problems
    assert [p.split(": key ")[0] for p in found] == [
        f"{path}:1",
        f"{path}:4",
        f"{path}:5",
        f"{path}:8",
        f"{path}:11",
    ]
    assert str(excinfo.value).startswith(f"5 problems in the ICP in {path}:")


# ---------------------------------------------------------------------------------------------
# Country normalisation


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("FR", "FR"),
        ("fr", "FR"),
        ("France", "FR"),
        ("UK", "GB"),
        ("United Kingdom", "GB"),
        ("Royaume-Uni", "GB"),
        ("royaume uni", "GB"),
        ("USA", "US"),
        ("Etats-Unis", "US"),
        ("Suisse", "CH"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d Ivoire", "CI"),
        ("Allemagne", "DE"),
        ("Irlande", "IE"),
        ("Espagne", "ES"),
        ("Italie", "IT"),
        ("Canada", "CA"),
        ("France métropolitaine", "FR"),
        # ISO 3166-2 subdivisions, as CRMs store a region
        ("FR-75", "FR"),
        ("FR-IDF", "FR"),
        ("US-CA", "US"),
        ("GB-ENG", "GB"),
        ("XX-12", None),
        ("ZZ", None),
        ("Atlantis", None),
    ],
)
def test_normalize_country(text, code):
    assert normalize_country(text) == code


@given(st.text(max_size=30))
def test_normalize_country_is_idempotent(text):
    code = normalize_country(text)
    if code is not None:
        assert normalize_country(code) == code


def test_named_persona_table_takes_its_name_from_the_table(tmp_path):
    path = write(
        tmp_path / "icp.toml",
        """
        name = "x"
        [personas.sales]
        name = "other"
        titles = ["VP Sales"]
        """,
    )
    assert problems(path) == [
        f"{path}:3: key 'personas.sales.name': not needed: the table's name is the name"
    ]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Lyon, Auvergne-Rhône-Alpes, France", ("Lyon", "Auvergne-Rhône-Alpes", "FR")),
        ("London Area, United Kingdom", ("London", None, "GB")),
        ("Greater Paris Metropolitan Region", ("Paris", None, None)),
        ("Paris et périphérie", ("Paris", None, None)),
        ("France", (None, None, "FR")),
        ("", (None, None, None)),
    ],
)
def test_parse_location(text, parts):
    from prospecting.icp import parse_location

    assert parse_location(text) == parts


@pytest.mark.parametrize(
    ("text", "code"),
    [("FRA", "FR"), ("DEU", "DE"), ("U.K.", "GB"), ("Réunion", "RE"),
     ("Korea, Republic of", "KR"), ("Russia", "RU"), ("fra", None)],
)
def test_more_country_spellings(text, code):
    assert normalize_country(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [("+33", "FR"), ("0033", "FR"), ("44", "GB"), ("+1", "US"), ("1", None), ("999", None)],
)
def test_a_dialling_code_names_its_country(text, code):
    assert normalize_country(text) == code
