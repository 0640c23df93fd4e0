"""Email verdicts: every status and flag, from syntax, DNS (local server) and SMTP results."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from enrichers.email_dns import MxResolver, MxResult
from enrichers.email_status import (
    CODES,
    FLAGS,
    METHODS,
    STATUSES,
    EmailVerdict,
    SmtpOutcome,
    email_status,
)
from enrichers.email_syntax import check_email_syntax
from tests.servers.dns_server import DnsTestServer, dns_server  # noqa: F401

OK_MX = MxResult("acme.example", "ok", ("mx1.acme.example",), 300, "1 MX host(s)")
A_FALLBACK = MxResult("aonly.example", "a_fallback", ("aonly.example",), 120, "A record")


@dataclass(frozen=True)
class Probe:
    """The two fields the verdict reads from an SMTP probe result."""

    status: str
    reason: str = ""


@pytest.fixture(scope="module")
def resolver(dns_server: DnsTestServer) -> MxResolver:  # noqa: F811
    return MxResolver(nameservers=dns_server.nameservers, port=dns_server.port, timeout_s=0.3)


def verdict(email: str, mx: MxResult | None = None, smtp: SmtpOutcome | None = None):
    result = email_status(check_email_syntax(email), mx, smtp)
    assert isinstance(result, EmailVerdict)
    assert result.status in STATUSES
    assert all(flag in FLAGS for flag in result.flags)
    assert list(result.flags) == sorted(result.flags, key=FLAGS.index)
    assert result.code in CODES  # EV-1: one machine-readable reason
    assert result.method in METHODS
    return result


# -- syntax and offline ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "jean..dupont@exemple.fr",
        "logo@2x.png",
        "votre@email.com",
        "a@x.fr;b@x.fr",
        "abc123@o12345.ingest.sentry.io",
        "",
    ],
)
def test_bad_syntax_placeholders_and_assets_are_invalid(email: str):
    result = verdict(email, OK_MX)
    assert result.status == "invalid"
    assert result.reason.startswith("syntax: ")
    assert (result.code, result.method) == ("syntax", "syntax")


def test_offline_is_unknown():
    result = verdict("jean@exemple.fr")
    assert result.status == "unknown"
    assert result.reason == "syntax valid; domain not checked (offline)"
    assert result.flags == ()
    assert (result.code, result.method) == ("not_checked", "syntax")


def test_offline_role_and_disposable_are_already_risky():
    result = verdict("contact@orange.fr")
    assert result.status == "risky"
    assert result.flags == ("role", "free")
    assert result.reason.startswith("syntax valid; domain not checked (offline)")
    assert result.code == "role"
    assert verdict("jean@yopmail.fr").status == "risky"
    assert verdict("jean@yopmail.fr").code == "disposable"
    assert verdict("jean@orange.fr").status == "unknown"


def test_a_dns_failure_does_not_hide_a_role_address():
    timeout = MxResult("acme.example", "timeout", (), 60, "no answer")
    assert verdict("contact@acme.example", timeout).status == "risky"
    nxdomain = MxResult("acme.example", "nxdomain", (), 120, "does not exist")
    assert verdict("contact@acme.example", nxdomain).status == "invalid"


# -- DNS ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("domain", "status", "code"),
    [
        ("acme.example", "valid", "accepts_mail"),
        ("aonly.example", "valid", "accepts_mail"),  # RFC 5321 §5.1 implicit MX
        ("mixeda.example", "valid", "accepts_mail"),
        ("nullmx.example", "invalid", "null_mx"),  # E19
        ("nxdomain.example", "invalid", "nxdomain"),  # E19
        ("privatea.example", "invalid", "no_mx"),  # E19: A record to a private IP only
        ("nomail.example", "invalid", "no_mx"),
        ("spfnone.example", "invalid", "spf_reject_all"),
        ("slow.example", "unknown", "dns_timeout"),  # E20
        ("servfail.example", "unknown", "no_nameservers"),  # E20
    ],
)
def test_domain_verdicts(resolver: MxResolver, domain: str, status: str, code: str):
    result = verdict(f"jean.dupont@{domain}", resolver.lookup(domain))
    assert result.status == status, result.reason
    assert (result.code, result.method) == (code, "dns"), result.reason


def test_mx_ok_is_valid_with_the_contract_reason():
    result = verdict("jean.dupont@acme.example", OK_MX)
    assert result == EmailVerdict("valid", (), "domain accepts mail (MX); mailbox not probed",
                                  "accepts_mail", "dns")


def test_a_fallback_is_valid():
    assert verdict("jean@aonly.example", A_FALLBACK).status == "valid"


@pytest.mark.parametrize("status", ["timeout", "servfail", "error"])
def test_dns_failures_are_unknown_never_valid(status: str):  # EV-4
    result = verdict("jean@acme.example", MxResult("acme.example", status, (), 60, "no answer"))
    assert result.status == "unknown"
    assert status in result.reason


# -- flags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "status", "flags"),
    [
        ("contact@acme.example", "risky", ("role",)),  # E17
        ("accueil@acme.example", "risky", ("role",)),
        ("jean@yopmail.fr", "risky", ("disposable",)),  # E18
        ("jean@orange.fr", "valid", ("free",)),  # E18: free-mail is a flag, not a risk
        ("info@gmail.com", "risky", ("role", "free")),
        ("jean.dupont@acme.example", "valid", ()),
    ],
)
def test_role_and_disposable_are_risky(email: str, status: str, flags: tuple[str, ...]):
    result = verdict(email, OK_MX)
    assert result.status == status
    assert result.flags == flags
    expected = ("role" if "role" in flags else "disposable" if "disposable" in flags
                else "free_mail" if "free" in flags else "accepts_mail")
    assert result.code == expected


def test_smtputf8_is_named_in_the_reason_not_in_flags():  # E12
    result = verdict("élodie@société.fr", OK_MX)
    assert result.status == "valid"
    assert "smtputf8" not in result.flags
    assert "SMTPUTF8" in result.reason


# -- SMTP -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "probe", "status", "flags", "code"),
    [
        ("jean@acme.example", "deliverable", "valid", (), "deliverable"),
        ("contact@acme.example", "deliverable", "risky", ("role",), "role"),
        ("jean@yopmail.fr", "deliverable", "risky", ("disposable",), "disposable"),
        ("jean@acme.example", "undeliverable", "invalid", (), "mailbox_unknown"),
        ("jean@acme.example", "catch_all", "risky", ("catch_all",), "catch_all"),  # E21
        ("contact@acme.example", "catch_all", "risky", ("catch_all", "role"), "catch_all"),
        ("jean@acme.example", "full_inbox", "risky", ("full_inbox",), "full_inbox"),
        ("jean@acme.example", "disabled", "invalid", ("disabled",), "disabled"),
        ("jean@acme.example", "greylisted", "unknown", ("greylisted",), "greylisted"),  # E22
        # E23: our IP, not the mailbox
        ("jean@acme.example", "blocked", "valid", (), "smtp_ip_blocked"),
        ("jean@acme.example", "timeout", "valid", (), "smtp_timeout"),
        ("jean@acme.example", "unknown", "valid", (), "accepts_mail"),
        ("contact@acme.example", "blocked", "risky", ("role",), "smtp_ip_blocked"),
    ],
)
def test_smtp_results(email: str, probe: str, status: str, flags: tuple[str, ...],
                      code: str):
    result = verdict(email, OK_MX, Probe(probe, "550 5.1.1 user unknown"))
    assert result.status == status
    assert result.flags == flags
    assert f"smtp {probe}" in result.reason
    assert result.code == code


@pytest.mark.parametrize(("reason", "code"), [
    ("mailbox disabled", "disabled"),
    ("mailbox unknown", "mailbox_unknown"),
])
def test_a_refused_mailbox_says_whether_it_is_disabled(reason: str, code: str):
    result = verdict("jean@acme.example", OK_MX, Probe("undeliverable", reason))
    assert (result.status, result.code, result.method) == ("invalid", code, "smtp")


def test_a_server_wanting_reverse_dns_is_not_a_verdict_on_the_mailbox():  # EV-7
    reason = "the server wants a reverse DNS (PTR) name for our address"
    result = verdict("jean@acme.example", OK_MX, Probe("blocked", reason))
    assert (result.status, result.code) == ("valid", "smtp_needs_rdns")


def test_inconclusive_smtp_keeps_the_dns_verdict_and_says_so():
    result = verdict("jean@acme.example", OK_MX, Probe("blocked", "554 listed at spamhaus"))
    assert result.reason.startswith("domain accepts mail (MX)")
    assert "verdict stands on DNS" in result.reason
    offline = verdict("jean@acme.example", None, Probe("timeout"))
    assert offline.status == "unknown"


def test_smtp_never_revives_a_domain_dns_rejected():
    null_mx = MxResult("nullmx.example", "null_mx", (), 3600, "null MX")
    assert verdict("jean@nullmx.example", null_mx, Probe("deliverable")).status == "invalid"


def test_an_unrecognised_smtp_status_is_ignored_with_a_note():
    result = verdict("jean@acme.example", OK_MX, Probe("something_new"))
    assert result.status == "valid"
    assert "unrecognised smtp status" in result.reason


def test_the_probe_result_type_fits_the_hook():
    smtp = pytest.importorskip("enrichers.email_smtp")
    probe = smtp.SmtpResult(
        email="jean@acme.example",
        status="catch_all",
        code=250,
        message="2.1.5 OK",
        mx_host="mx1.acme.example",
        reason="random local part accepted",
    )
    assert isinstance(probe, SmtpOutcome)
    result = email_status(check_email_syntax("jean@acme.example"), OK_MX, probe)
    assert (result.status, result.flags) == ("risky", ("catch_all",))
