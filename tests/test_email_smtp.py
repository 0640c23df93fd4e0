"""The SMTP mailbox probe against real mail servers on 127.0.0.1, one behaviour each."""

from __future__ import annotations

import math
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enrichers.email_smtp import (
    STATUSES,
    HostLimiter,
    SmtpProber,
    classify_reply,
    prober_from_settings,
)
from prospecting.errors import NotConfigured
from prospecting.settings import SmtpSettings

# The fixtures ``smtp_servers`` (once per session) and ``smtp`` (logs cleared per test).
pytest_plugins = ["tests.servers.smtp_server"]

HOST = "127.0.0.1"


def another_closed_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def prober(port: int, **options) -> SmtpProber:
    options.setdefault("timeout_s", 2.0)
    return SmtpProber(helo="probe.test", mail_from="verify@probe.test", port=port, **options)


def statuses(probe) -> dict[str, str]:
    return {email: result.status for email, result in probe.results.items()}


def assert_polite(server) -> None:
    """Every session ended with QUIT and none ever sent DATA."""
    server.log.wait_idle()
    sessions = server.log.by_connection()
    assert sessions
    for verbs in sessions.values():
        assert "DATA" not in verbs
        assert verbs[-1] == "QUIT"


# -- the reply table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "text", "status"),
    [
        (250, "2.1.5 OK", "deliverable"),
        (251, "User not local; will forward", "deliverable"),
        (550, "5.1.1 <x@a.fr>: Recipient address rejected: User unknown", "undeliverable"),
        (550, "5.1.1 The email account that you tried to reach does not exist", "undeliverable"),
        (551, "User not local", "undeliverable"),
        (553, "Requested action not taken: mailbox name not allowed", "undeliverable"),
        (550, "Adresse inexistante", "undeliverable"),
        (550, "Utilisateur inconnu", "undeliverable"),
        (550, "Boîte aux lettres inconnue", "undeliverable"),
        (550, "Le destinataire n’existe pas", "undeliverable"),
        (554, "5.2.1 Account disabled", "undeliverable"),
        (552, "Requested mail action aborted: exceeded storage allocation", "full_inbox"),
        (552, "5.2.2 Mailbox full", "full_inbox"),
        (550, "5.2.2 over quota", "full_inbox"),
        (452, "4.2.2 Boîte pleine", "full_inbox"),
        (550, "Boite pleine", "full_inbox"),
        (450, "4.2.0 Greylisted, see https://postgrey.schweikert.ch/", "greylisted"),
        (451, "4.7.1 Recipient address rejected: Greylisted for 60 seconds", "greylisted"),
        (421, "4.3.2 Service not available, closing transmission channel", "greylisted"),
        (452, "4.3.1 Insufficient system resources", "greylisted"),
        (554, "5.7.1 Service unavailable; Client host [1.2.3.4] listed at zen.spamhaus.org",
         "blocked"),
        (550, "5.7.1 Client host rejected: blocked using bl.spamcop.net", "blocked"),
        (550, "5.1.1 refused: our blacklist", "blocked"),
        (550, "Mail refused", "blocked"),
        (554, "Message refusé: adresse IP en liste noire", "blocked"),
        (450, "4.7.1 Client host rejected: cannot find your reverse hostname", "blocked"),
        (550, "5.7.25 The IP address sending this message does not have a PTR record", "blocked"),
        (554, "Transaction failed", "blocked"),
        (550, "5.7.1 Relaying denied", "blocked"),
        (500, "5.5.1 Command unrecognized", "unknown"),
        (503, "5.5.1 Bad sequence of commands", "unknown"),
    ],
)  # fmt: skip
def test_replies_are_classified(code, text, status):
    assert classify_reply(code, text)[0] == status


def test_greylisted_is_not_read_as_listed():
    assert classify_reply(451, "Greylisted, try again later")[0] == "greylisted"


@given(st.integers(min_value=0, max_value=999), st.text())
def test_any_reply_gets_a_known_status(code, text):
    status, reason = classify_reply(code, text)
    assert status in STATUSES
    assert reason


@given(
    st.sampled_from([550, 551, 553, 554, 450, 451]),
    st.text(max_size=30),
    st.sampled_from(["spamhaus", "blocked", "blacklisted", "listed at", "refused", "DNSBL"]),
)
def test_a_blocklist_reply_is_never_a_verdict_on_the_mailbox(code, noise, word):
    assert classify_reply(code, f"5.1.1 user unknown {noise} {word}")[0] == "blocked"


# -- one server, one behaviour ----------------------------------------------------------------


def test_normal_domain(smtp):
    server = smtp.normal
    emails = [f"{local}@normal.test" for local in ("jean.dupont", "nobody", "plein", "ancien")]
    probe = prober(server.port).probe_domain("normal.test", [HOST], emails)

    assert statuses(probe) == {
        "jean.dupont@normal.test": "deliverable",
        "nobody@normal.test": "undeliverable",
        "plein@normal.test": "full_inbox",
        "ancien@normal.test": "undeliverable",
    }
    assert probe.catch_all is False
    assert probe.mx_host == HOST
    unknown = probe.results["nobody@normal.test"]
    assert (unknown.code, unknown.reason) == (550, "mailbox unknown")
    assert "5.1.1" in unknown.message
    assert unknown.mx_host == HOST
    assert probe.results["ancien@normal.test"].reason == "mailbox disabled"
    # One connection; the random address goes first and is not reported.
    assert list(server.log.by_connection().values()) == [
        ["EHLO", "MAIL", "RCPT", "RCPT", "RCPT", "RCPT", "RCPT", "QUIT"]
    ]
    recipients = server.log.recipients()
    assert recipients[1:] == emails
    random_local = recipients[0].partition("@")[0]
    assert len(random_local) == 15
    assert recipients[0] not in probe.results
    assert_polite(server)


def test_mail_from_and_helo_are_the_configured_ones(smtp):
    prober(smtp.normal.port).probe_domain("normal.test", [HOST], ["jean.dupont@normal.test"])
    commands = {c.verb: c.arg for c in smtp.normal.log.commands}
    assert commands["EHLO"] == "probe.test"
    assert commands["MAIL"] == "FROM:<verify@probe.test>"


def test_catch_all_domain(smtp):
    emails = ["jean.dupont@catchall.test", "nobody@catchall.test"]
    probe = prober(smtp.catch_all.port).probe_domain("catchall.test", [HOST], emails)
    assert probe.catch_all is True
    assert set(statuses(probe).values()) == {"catch_all"}
    assert "catch-all" in probe.results["nobody@catchall.test"].reason
    assert_polite(smtp.catch_all)


def test_greylisted_then_accepted_on_retry(smtp):
    p = prober(smtp.greylist.port)
    emails = ["jean.dupont@greylist.test", "nobody@greylist.test"]

    first = p.probe_domain("greylist.test", [HOST], emails)
    assert set(statuses(first).values()) == {"greylisted"}
    assert first.catch_all is None
    assert first.retry_after_s == 60  # the server's own "try again in 60 seconds"
    assert all(r.retry_after_s == 60 for r in first.results.values())
    assert p.failed_hosts == {}  # greylisting is no reason to give up on a host

    second = p.probe_domain("greylist.test", [HOST], emails)
    assert statuses(second) == {
        "jean.dupont@greylist.test": "deliverable",
        "nobody@greylist.test": "undeliverable",
    }
    # The catch-all test reused its random address, so it passed the greylist too.
    assert second.catch_all is False
    assert second.retry_after_s is None
    assert_polite(smtp.greylist)


def test_greylisting_without_a_delay_uses_the_default(smtp):
    assert classify_reply(450, "4.2.0 try later")[0] == "greylisted"
    p = prober(smtp.greylist.port, greylist_retry_s=123)
    assert p.greylist_retry_s == 123


def test_blocklisted_is_blocked_never_undeliverable(smtp):
    p = prober(smtp.blocklisted.port)
    emails = ["jean.dupont@bl.test", "nobody@bl.test"]
    probe = p.probe_domain("bl.test", [HOST], emails)

    assert set(statuses(probe).values()) == {"blocked"}
    result = probe.results["nobody@bl.test"]
    assert result.code == 554
    assert "spamhaus" in result.message
    assert probe.catch_all is None
    # The first refusal ends the session: no more RCPT from a refused address.
    assert smtp.blocklisted.log.verbs() == ["EHLO", "MAIL", "RCPT", "QUIT"]
    assert HOST in p.failed_hosts

    again = p.probe_domain("bl.test", [HOST], ["marie.martin@bl.test"])
    assert again.results["marie.martin@bl.test"].status == "blocked"
    assert len(smtp.blocklisted.log.connections) == 1  # not asked again this run


def test_french_server_without_ehlo(smtp):
    emails = ["jean.dupont@fr.test", "personne@fr.test", "plein@fr.test"]
    probe = prober(smtp.french.port).probe_domain("fr.test", [HOST], emails)
    assert statuses(probe) == {
        "jean.dupont@fr.test": "deliverable",
        "personne@fr.test": "undeliverable",
        "plein@fr.test": "full_inbox",
    }
    assert probe.results["personne@fr.test"].message == "Adresse inexistante"
    assert probe.catch_all is False
    assert smtp.french.log.verbs()[:3] == ["EHLO", "HELO", "MAIL"]
    assert_polite(smtp.french)


def test_a_server_that_takes_mail_only_over_tls(smtp):
    emails = ["jean.dupont@tls.test", "personne@tls.test"]
    probe = prober(smtp.tls_required.port).probe_domain("tls.test", [HOST], emails)
    assert statuses(probe) == {
        "jean.dupont@tls.test": "deliverable",
        "personne@tls.test": "undeliverable",
    }
    # MAIL FROM refused in the clear (before the server logs it), then over TLS.
    assert smtp.tls_required.log.verbs()[:4] == ["EHLO", "STARTTLS", "EHLO", "MAIL"]
    assert_polite(smtp.tls_required)


def test_too_many_recipients_starts_a_new_transaction(smtp):
    locals_ = ["jean.dupont", "nobody", "marie.martin", "plein", "contact"]
    emails = [f"{local}@limited.test" for local in locals_]
    probe = prober(smtp.limited.port).probe_domain("limited.test", [HOST], emails)
    assert statuses(probe) == {
        "jean.dupont@limited.test": "deliverable",
        "nobody@limited.test": "undeliverable",
        "marie.martin@limited.test": "deliverable",
        "plein@limited.test": "full_inbox",
        "contact@limited.test": "deliverable",
    }
    verbs = smtp.limited.log.verbs()
    assert verbs.count("RSET") == 2
    assert verbs.count("MAIL") == 3
    assert len(smtp.limited.log.connections) == 1
    assert_polite(smtp.limited)


def test_connection_dropped_after_greeting(smtp):
    p = prober(smtp.dropping.port)
    probe = p.probe_domain("drop.test", [HOST], ["jean.dupont@drop.test"])
    result = probe.results["jean.dupont@drop.test"]
    assert result.status == "unknown"
    assert "connection lost" in result.reason
    assert probe.mx_host is None
    assert HOST in p.failed_hosts

    p.probe_domain("drop.test", [HOST], ["marie.martin@drop.test"])
    assert len(smtp.dropping.log.connections) == 1  # the host is not tried again


def test_server_that_never_answers_times_out(smtp):
    p = prober(smtp.silent.port, timeout_s=0.3)
    started = time.monotonic()
    probe = p.probe_domain("silent.test", [HOST], ["jean.dupont@silent.test"])
    assert time.monotonic() - started < 2
    result = probe.results["jean.dupont@silent.test"]
    assert result.status == "timeout"
    assert "timed out after 0.3 s" in result.reason


def test_nothing_listening_ends_quickly_as_unknown(smtp):
    p = prober(smtp.closed_port)
    started = time.monotonic()
    probe = p.probe_domain("closed.test", [HOST], ["jean.dupont@closed.test"])
    assert time.monotonic() - started < 2
    result = probe.results["jean.dupont@closed.test"]
    assert result.status == "unknown"
    assert result.reason.startswith(f"could not connect to any MX on port {smtp.closed_port}: ")
    assert "refused" in result.reason.lower()


def test_next_mx_when_the_first_cannot_be_reached(smtp):
    p = prober(25)
    mx_hosts = [(HOST, smtp.closed_port), (HOST, smtp.normal.port)]
    probe = p.probe_domain("normal.test", mx_hosts, ["jean.dupont@normal.test"])
    assert probe.results["jean.dupont@normal.test"].status == "deliverable"
    assert probe.mx_host == f"{HOST}:{smtp.normal.port}"
    assert f"{HOST}:{smtp.closed_port}" in p.failed_hosts


def test_gives_up_when_port_25_looks_blocked(smtp):
    p = prober(25, unreachable_hosts_before_giving_up=2)
    for port in (smtp.closed_port, another_closed_port()):
        p.probe_domain("a.test", [(HOST, port)], ["x@a.test"])

    probe = p.probe_domain("normal.test", [(HOST, smtp.normal.port)], ["jean.dupont@normal.test"])
    result = probe.results["jean.dupont@normal.test"]
    assert result.status == "unknown"
    assert result.reason.startswith("could not connect to any MX on port 25")
    assert "looks blocked" in result.reason
    assert smtp.normal.log.connections == []


def test_one_answering_host_keeps_probing_on(smtp):
    p = prober(25, unreachable_hosts_before_giving_up=2)
    p.probe_domain("normal.test", [(HOST, smtp.normal.port)], ["jean.dupont@normal.test"])
    for port in (smtp.closed_port, another_closed_port()):
        p.probe_domain("a.test", [(HOST, port)], ["x@a.test"])
    probe = p.probe_domain("catchall.test", [(HOST, smtp.catch_all.port)], ["a@catchall.test"])
    assert probe.results["a@catchall.test"].status == "catch_all"


def test_addresses_that_cannot_be_asked(smtp):
    odd = ["élodie@normal.test", "jean@other.test", "not-an-address", "a b@normal.test"]
    probe = prober(smtp.normal.port).probe_domain("normal.test", [HOST], odd)
    assert set(statuses(probe).values()) == {"unknown"}
    assert probe.results["jean@other.test"].reason == "address is not at normal.test"
    assert "SMTPUTF8" in probe.results["élodie@normal.test"].reason
    assert smtp.normal.log.connections == []  # nothing worth a connection

    mixed = prober(smtp.normal.port).probe_domain(
        "normal.test", [HOST], ["jean@other.test", "jean.dupont@normal.test"]
    )
    assert statuses(mixed) == {
        "jean@other.test": "unknown",
        "jean.dupont@normal.test": "deliverable",
    }
    assert "jean@other.test" not in smtp.normal.log.recipients()


def test_no_mx_host(smtp):
    probe = prober(smtp.normal.port).probe_domain("normal.test", [], ["jean.dupont@normal.test"])
    assert probe.results["jean.dupont@normal.test"].status == "unknown"
    assert probe.reason == "no MX host to ask"


def test_consumer_providers_skip_the_catch_all_test(smtp):
    probe = prober(smtp.catch_all.port).probe_domain("gmail.com", [HOST], ["a.b@gmail.com"])
    assert probe.catch_all is False
    assert smtp.catch_all.log.recipients() == ["a.b@gmail.com"]


def test_never_data_and_always_quit_across_behaviours(smtp):
    p = prober(25)
    for server in (smtp.normal, smtp.catch_all, smtp.greylist, smtp.blocklisted, smtp.french):
        p.probe_domain("x.test", [(HOST, server.port)], ["jean.dupont@x.test", "zz@x.test"])
        assert_polite(server)


# -- rate limits ------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_limiter_caps_connections_per_minute():
    clock = FakeClock()
    limiter = HostLimiter(max_concurrent=5, max_per_minute=2, clock=clock)
    assert limiter.try_acquire("mx") is None
    limiter.release("mx")
    clock.now += 10
    assert limiter.try_acquire("mx") is None
    limiter.release("mx")
    assert limiter.try_acquire("mx") == pytest.approx(50)
    assert limiter.try_acquire("other") is None  # per host
    clock.now += 50
    assert limiter.try_acquire("mx") is None


def test_limiter_caps_simultaneous_connections():
    limiter = HostLimiter(max_concurrent=1, max_per_minute=100, clock=FakeClock())
    assert limiter.try_acquire("mx") is None
    assert limiter.try_acquire("mx") == math.inf
    limiter.release("mx")
    assert limiter.try_acquire("mx") is None


def test_limiter_rejects_nonsense():
    with pytest.raises(ValueError, match="at least 1"):
        HostLimiter(max_concurrent=0, max_per_minute=1)


@pytest.mark.parametrize("limit", [1, 2])
def test_concurrent_probes_respect_the_host_limit(smtp, limit):
    p = prober(smtp.catch_all.port, max_connections_per_host=limit)
    domains = [f"d{i}.test" for i in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        probes = list(pool.map(lambda d: p.probe_domain(d, [HOST], [f"jean@{d}"]), domains))
    assert all(probe.catch_all for probe in probes)
    smtp.catch_all.log.wait_idle()
    assert len(smtp.catch_all.log.connections) == 6
    assert 1 <= smtp.catch_all.log.max_active <= limit


# -- settings ---------------------------------------------------------------------------------


def test_prober_from_settings():
    settings = SmtpSettings(mail_from="verify@exemple.fr", port=2525, timeout_s=4.0)
    p = prober_from_settings(settings)
    assert (p.mail_from, p.port, p.timeout_s) == ("verify@exemple.fr", 2525, 4.0)
    assert p.helo == socket.getfqdn()
    assert p.limiter.max_concurrent == settings.max_connections_per_host
    named = prober_from_settings(SmtpSettings(mail_from="v@exemple.fr", helo="mx.exemple.fr"))
    assert named.helo == "mx.exemple.fr"


def test_prober_needs_a_sender():
    with pytest.raises(NotConfigured, match=r"set \[smtp\] mail_from"):
        prober_from_settings(SmtpSettings())


def test_servers_fixture_is_shared(smtp_servers, smtp):
    assert smtp is smtp_servers
