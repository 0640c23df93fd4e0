"""Companies: legal forms, company domains, SIREN/SIRET/VAT checks."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enrichers.company import (
    CompanyName,
    check_identifiers,
    company_domain,
    is_free_or_disposable_domain,
    normalize_company,
)
from prospecting.models import company_name_key

# --- names and legal forms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "display", "form"),
    [
        ("SAS DUPONT ET FILS", "DUPONT ET FILS", "SAS"),
        ("Dupont & Fils SARL", "Dupont & Fils", "SARL"),
        ("Dupont & Fils S.A.R.L.", "Dupont & Fils", "SARL"),
        ("Dupont & Fils, s.a.r.l", "Dupont & Fils", "SARL"),
        ("S.A.R.L. Martin", "Martin", "SARL"),
        ("Martin SASU", "Martin", "SASU"),
        ("EURL Martin", "Martin", "EURL"),
        ("Société Générale S.A.", "Société Générale", "SA"),
        ("SCI Les Tilleuls", "Les Tilleuls", "SCI"),
        ("Dupont Frères SNC", "Dupont Frères", "SNC"),
        ("Cabinet Durand SELARL", "Cabinet Durand", "SELARL"),
        ("Dupont (SAS)", "Dupont", "SAS"),
        ("« Dupont » SAS", "Dupont", "SAS"),
        ("Müller GmbH", "Müller", "GmbH"),
        ("Müller GmbH & Co. KG", "Müller", "GmbH & Co. KG"),
        ("Müller GmbH & Co KG", "Müller", "GmbH & Co. KG"),
        ("Beispiel UG (haftungsbeschränkt)", "Beispiel", "UG (haftungsbeschränkt)"),
        ("Beispiel UG", "Beispiel", "UG (haftungsbeschränkt)"),
        ("Siemens AG", "Siemens", "AG"),
        ("Schmidt KG", "Schmidt", "KG"),
        ("Acme Ltd", "Acme", "Ltd"),
        ("Acme Ltd.", "Acme", "Ltd"),
        ("Acme Limited", "Acme", "Ltd"),
        ("Acme PLC", "Acme", "PLC"),
        ("Acme plc", "Acme", "PLC"),
        ("Acme LLP", "Acme", "LLP"),
        ("Acme, LLC", "Acme", "LLC"),
        ("Acme L.L.C.", "Acme", "LLC"),
        ("Acme Inc.", "Acme", "Inc."),
        ("Acme, Inc", "Acme", "Inc."),
        ("Acme Incorporated", "Acme", "Inc."),
        ("Acme Corp.", "Acme", "Corp."),
        ("Shell B.V.", "Shell", "BV"),
        ("Philips N.V.", "Philips", "NV"),
        ("Barilla S.r.l.", "Barilla", "SRL"),
        ("Fiat S.p.A.", "Fiat", "SpA"),
        ("Acme Sp. z o.o.", "Acme", "Sp. z o.o."),
        ("Dupont S.à r.l.", "Dupont", "SARL"),
        ("Air France", "Air France", None),
        ("BNP Paribas", "BNP Paribas", None),
        ("Ets Dupont", "Ets Dupont", None),
        # one- and two-letter forms count only with their capitals
        ("Dupont sa", "Dupont sa", None),
        ("Data as", "Data as", None),
        ("Dupont SA", "Dupont", "SA"),
        # a name that is only a legal form keeps it
        ("SARL", "SARL", None),
        ("", "", None),
    ],
)
def test_legal_forms(name, display, form):
    found = normalize_company(name)
    assert (found.display, found.legal_form) == (display, form)
    assert found.key == (company_name_key(display) if display else "")


@pytest.mark.parametrize(
    ("name", "display", "form"),
    [
        ("ACME SAS au capital de 10 000 €", "ACME", "SAS"),
        ("ACME, SAS au capital variable", "ACME", "SAS"),
        ("ACME SAS au capital social de 1 000 000 euros", "ACME", "SAS"),
        ("ACME SA à directoire et conseil de surveillance", "ACME", "SA"),
        ("ACME SARL, RCS Lyon 552 032 534", "ACME", "SARL"),
        ("ACME SARL - R.C.S. Paris B 552 032 534", "ACME", "SARL"),
        ("ACME SAS immatriculée au RCS de Paris", "ACME", "SAS"),
        ("ACME, SIRET 552 032 534 00013", "ACME", None),
        # Names that only look like such a tail stay as they are.
        ("Acme Capital SAS", "Acme Capital", "SAS"),
        ("Café Au Capital", "Café Au Capital", None),
        ("RCS Conseil SARL", "RCS Conseil", "SARL"),
    ],
)
def test_a_legal_notice_tail_is_not_part_of_the_name(name, display, form):
    found = normalize_company(name)
    assert (found.display, found.legal_form) == (display, form)


def test_n08_legal_form_noise_gives_one_key():
    keys = {
        normalize_company(name).key
        for name in (
            "SAS DUPONT ET FILS",
            "Dupont & Fils SARL",
            "Dupont et Fils",
            "DUPONT & FILS S.A.S.",
        )
    }
    assert keys == {"dupont et fils"}


def test_n09_empty_names_have_no_key():
    assert normalize_company("").key == ""
    assert normalize_company("   ").key == ""
    assert normalize_company(" , - ").key == ""


def test_n10_short_names_keep_their_own_key():
    assert normalize_company("Air").key != normalize_company("Air France").key
    assert normalize_company("BNP").key == "bnp"


def test_result_fields():
    assert normalize_company("  Dupont   &  Fils   SARL ") == CompanyName(
        "Dupont & Fils", "SARL", "dupont et fils"
    )


forms = st.sampled_from(
    [
        "SAS",
        "S.A.",
        "sa",
        "GmbH",
        "&",
        "Co.",
        "KG",
        "«",
        "»",
        '"',
        "(",
        ")",
        "Dupont",
        ",",
        "-",
        "Inc",
        "Ltd",
        "UG",
        "SARL",
        "'",
        "é",
        "SA",
        "AG",
        "Oy",
        "Sàrl",
        "\u00a0",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.text(), st.lists(forms, max_size=10).map(" ".join)))
def test_normalize_is_idempotent_and_never_raises(name):
    found = normalize_company(name)
    again = normalize_company(found.display)
    assert again.display == found.display
    assert again.key == found.key


# --- domains ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("website", "email", "domain"),
    [
        ("https://www.acme.co.uk/contact", None, "acme.co.uk"),
        ("acme.fr", None, "acme.fr"),
        ("http://shop.acme.fr:8080/path?q=1", None, "acme.fr"),
        ("https://société.fr", None, "xn--socit-esab.fr"),
        (None, "jean.dupont@acme.fr", "acme.fr"),
        (None, "Jean@Sub.Acme.FR", "acme.fr"),
        ("mailto:jean@acme.fr", None, "acme.fr"),
        # free mail and disposable domains never count (E-18)
        (None, "jean@gmail.com", None),
        (None, "prenom.nom@orange.fr", None),
        (None, "jean@sfr.fr", None),
        (None, "jean@free.fr", None),
        (None, "jean@yopmail.fr", None),
        ("gmail.com", None, None),
        # a profile or a site-builder page is not the company's domain
        ("https://www.linkedin.com/company/acme", None, None),
        ("https://dupont.wixsite.com/site", None, None),
        ("https://www.facebook.com/dupont", "jean@dupont-fils.fr", "dupont-fils.fr"),
        # the website wins over the email
        ("https://acme.fr", "jean@acme-group.com", "acme.fr"),
        # a free-mail website falls back on the email
        ("gmail.com", "jean@acme.fr", "acme.fr"),
        ("http://192.168.0.1", None, None),
        ("", "", None),
        (None, None, None),
        ("not a url", "not an email", None),
    ],
)
def test_company_domain(website, email, domain):
    assert company_domain(website=website, email=email) == domain


def test_free_or_disposable():
    assert is_free_or_disposable_domain("gmail.com")
    assert is_free_or_disposable_domain("jean@wanadoo.fr")
    assert is_free_or_disposable_domain("mailinator.com")
    assert is_free_or_disposable_domain("neuf.fr")
    assert not is_free_or_disposable_domain("acme.fr")
    assert not is_free_or_disposable_domain("")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text()), st.one_of(st.none(), st.text()))
def test_company_domain_never_raises(website, email):
    domain = company_domain(website=website, email=email)
    assert domain is None or (domain == domain.lower() and "." in domain)


# --- identifiers -----------------------------------------------------------------------------


def test_siren_alone():
    assert check_identifiers(siren="552 032 534") == {
        "siren": "552032534",
        "siret": None,
        "vat": None,
        "country": "FR",
        "errors": {},
        "derived": [],
    }


def test_siren_derived_from_siret():
    found = check_identifiers(siret="552 032 534 00646")
    assert (found["siren"], found["siret"], found["derived"]) == (
        "552032534",
        "55203253400646",
        ["siren"],
    )


def test_siren_derived_from_french_vat():
    found = check_identifiers(vat="FR 27 552032534")
    assert (found["siren"], found["vat"], found["derived"]) == (
        "552032534",
        "FR27552032534",
        ["siren"],
    )
    # without its prefix, the country says which VAT number it is
    assert check_identifiers(vat="27552032534", country="France")["vat"] == "FR27552032534"


def test_inconsistent_identifiers():
    found = check_identifiers(siren="732829320", siret="55203253400646")
    assert found["siren"] == "732829320"
    assert found["siret"] is None
    assert found["errors"] == {"siret": "siren_mismatch"}
    found = check_identifiers(siren="732829320", vat="FR27552032534")
    assert (found["vat"], found["errors"]) == (None, {"vat": "siren_mismatch"})


def test_a_bad_siren_is_replaced_by_the_sirets():
    found = check_identifiers(siren="552032535", siret="55203253400646")
    assert found["siren"] == "552032534"
    assert found["errors"] == {"siren": "invalid_checksum"}
    assert found["derived"] == ["siren"]


@pytest.mark.parametrize(
    ("kwargs", "field", "reason"),
    [
        ({"siren": "abc"}, "siren", "invalid_format"),
        ({"siren": "55203253"}, "siren", "invalid_length"),
        ({"siren": "552032535"}, "siren", "invalid_checksum"),
        ({"siret": "55203253400647"}, "siret", "invalid_checksum"),
        ({"vat": "FR00552032534"}, "vat", "invalid_checksum"),
        ({"vat": "12345"}, "vat", "unknown_country"),
        ({"vat": "123", "country": "US"}, "vat", "unsupported_country"),
    ],
)
def test_invalid_identifiers(kwargs, field, reason):
    found = check_identifiers(**kwargs)
    assert found[field] is None
    assert found["errors"][field] == reason


@pytest.mark.parametrize(
    ("vat", "country", "compact", "found_country"),
    [
        ("DE136695976", None, "DE136695976", "DE"),
        ("BE 0403.170.701", None, "BE0403170701", "BE"),
        ("GB980780684", None, "GB980780684", "GB"),
        ("980 7806 84", "United Kingdom", "GB980780684", "GB"),
        ("EL094259216", None, "EL094259216", "GR"),
        ("CHE-116.281.710 MWST", None, "CHE116281710MWST", "CH"),
    ],
)
def test_vat_numbers(vat, country, compact, found_country):
    found = check_identifiers(vat=vat, country=country)
    assert (found["vat"], found["country"], found["errors"]) == (compact, found_country, {})


def test_la_poste_siret_exception():
    # La Poste's establishments do not follow the Luhn key; python-stdnum knows it.
    assert check_identifiers(siret="35600000000048")["siret"] == "35600000000048"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(st.none(), st.text()),
    st.one_of(st.none(), st.text()),
    st.one_of(st.none(), st.text()),
    st.one_of(st.none(), st.text()),
)
def test_identifiers_never_raise(siren, siret, vat, country):
    found = check_identifiers(siren, siret, vat, country)
    assert set(found) == {"siren", "siret", "vat", "country", "errors", "derived"}
