"""Email finding: patterns learnt from a domain's known addresses, checked on local servers."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from enrichers.email_smtp import DomainProbe, SmtpProber, SmtpResult
from enrichers.finder import (
    PATTERNS,
    Candidate,
    PatternStats,
    candidates,
    find_email,
    learn_patterns,
    verify_candidates,
)

# The fixtures ``smtp_servers`` (once per session) and ``smtp`` (logs cleared per test).
pytest_plugins = ["tests.servers.smtp_server"]

HOST = "127.0.0.1"
LOCAL_PART = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")


def emails(first: str, last: str, domain: str = "exemple.fr", stats=None) -> list[str]:
    return [c.email for c in candidates(first, last, domain, stats)]


def top(first: str, last: str, stats=None, domain: str = "exemple.fr") -> Candidate:
    return candidates(first, last, domain, stats)[0]


def prober(port: int) -> SmtpProber:
    return SmtpProber(helo="probe.test", mail_from="verify@probe.test", port=port, timeout_s=2.0)


# -- names ----------------------------------------------------------------------------------


def test_accents_are_stripped():
    assert top("Hélène", "Bézier").email == "helene.bezier@exemple.fr"
    assert "francois.lecoeur@exemple.fr" in emails("François", "Lecœur")
    assert top("Jürgen", "Strauß").email == "jurgen.strauss@exemple.fr"


def test_apostrophes_are_dropped():
    assert top("Sean", "O'Neil").email == "sean.oneil@exemple.fr"
    assert top("Sean", "O’Neil").email == "sean.oneil@exemple.fr"


def test_particles_are_joined_hyphenated_or_left_out():
    found = emails("Jean", "de La Fontaine")
    assert found[0] == "jean.delafontaine@exemple.fr"
    for email in (
        "jean.de-la-fontaine@exemple.fr",
        "jean.lafontaine@exemple.fr",
        "jean.fontaine@exemple.fr",
        "jdelafontaine@exemple.fr",
    ):
        assert email in found
    assert "valery.giscarddestaing@exemple.fr" in emails("Valéry", "Giscard d'Estaing")
    assert "charles.gaulle@exemple.fr" in emails("Charles", "DE GAULLE")
    # "Le" of a Breton name is no particle to drop.
    assert "yann.gall@exemple.fr" not in emails("Yann", "Le Gall")
    assert "yann.legall@exemple.fr" in emails("Yann", "Le Gall")


def test_compound_first_names():
    found = emails("Jean-Pierre", "Martin")
    assert found[0] == "jean-pierre.martin@exemple.fr"
    for email in (
        "jeanpierre.martin@exemple.fr",
        "jp.martin@exemple.fr",
        "jpmartin@exemple.fr",
        "jmartin@exemple.fr",
    ):
        assert email in found


def test_one_name_only():
    assert emails("", "Dupont") == ["dupont@exemple.fr"]
    assert emails("Zoë", "") == ["zoe@exemple.fr"]
    assert emails("", "") == []
    assert emails("王", "李") == []


def test_domains_are_normalised():
    assert top("Jean", "Dupont", domain="  Exemple.FR. ").email == "jean.dupont@exemple.fr"
    assert top("Jean", "Dupont", domain="société.fr").email.endswith("@xn--socit-esab.fr")
    assert candidates("Jean", "Dupont", "not a domain", None) == []
    assert candidates("Jean", "Dupont", "", None) == []


# -- evidence -------------------------------------------------------------------------------


def test_no_evidence_uses_small_priors():
    ranked = candidates("Jean", "Dupont", "exemple.fr", None)
    assert ranked[0].email == "jean.dupont@exemple.fr"
    assert ranked[0].pattern == "first.last"
    assert all(c.confidence <= 0.35 for c in ranked)
    assert "prior" in ranked[0].evidence
    assert max(prior for _, prior in PATTERNS.values()) == PATTERNS["first.last"][1]
    assert candidates("Jean", "Dupont", "exemple.fr", PatternStats()) == ranked


def test_three_of_three_gives_high_confidence():
    stats = learn_patterns(
        [
            ("Marie", "Martin", "marie.martin@exemple.fr"),
            ("Paul", "Durand", "Paul.Durand@exemple.fr"),
            ("Léa", "Petit", "lea.petit@exemple.fr"),
        ]
    )
    assert stats.total == 3
    assert stats.counts["first.last"] == 3
    assert stats.best == "first.last"
    best = top("Jean", "Dupont", stats)
    assert best.email == "jean.dupont@exemple.fr"
    assert 0.85 <= best.confidence <= 0.95
    assert best.evidence == "3 of 3 known addresses at exemple.fr fit first.last"


def test_one_of_one_is_moderate_and_two_of_five_lower():
    one = learn_patterns([("Marie", "Martin", "mmartin@exemple.fr")])
    one_conf = top("Jean", "Dupont", one).confidence
    assert top("Jean", "Dupont", one).email == "jdupont@exemple.fr"
    assert 0.4 <= one_conf <= 0.7

    three = learn_patterns(
        [(f, lst, f"{f[0]}{lst}@exemple.fr".lower()) for f, lst in
         [("Marie", "Martin"), ("Paul", "Durand"), ("Anne", "Roux")]]
    )  # fmt: skip
    assert top("Jean", "Dupont", three).confidence > one_conf

    mixed = learn_patterns(
        [
            ("Marie", "Martin", "mmartin@exemple.fr"),
            ("Paul", "Durand", "pdurand@exemple.fr"),
            ("Anne", "Roux", "anne.roux@exemple.fr"),
            ("Luc", "Blanc", "luc@exemple.fr"),
            ("Eva", "Noir", "contact@exemple.fr"),
        ]
    )
    ranked = candidates("Jean", "Dupont", "exemple.fr", mixed)
    flast = next(c for c in ranked if c.email == "jdupont@exemple.fr")
    assert ranked[0] == flast
    assert flast.confidence < one_conf
    assert flast.evidence == "2 of 5 known addresses at exemple.fr fit flast"


def test_unseen_patterns_lose_confidence_with_evidence():
    stats = learn_patterns([(f"P{i}", f"N{i}", f"p{i}.n{i}@exemple.fr") for i in range(5)])
    by_pattern = {c.pattern: c.confidence for c in candidates("Jean", "Dupont", "x.fr", stats)}
    assert by_pattern["flast"] < PATTERNS["flast"][1] / 5


def test_house_spelling_of_compound_names_is_learnt():
    stats = learn_patterns(
        [
            ("Jean-Pierre", "Martin", "jeanpierre.martin@exemple.fr"),
            ("Anne", "de Gaulle", "anne.gaulle@exemple.fr"),
            ("Paul", "Durand", "paul.durand@exemple.fr"),
        ]
    )
    assert stats.counts["first.last"] == 3
    assert stats.spellings == {"first:joined": 1, "last:no_particle": 1}
    assert top("Marie-Claire", "Roux", stats).email == "marieclaire.roux@exemple.fr"
    # "de La Fontaine": the particle goes, as in "de Gaulle" → "gaulle".
    assert top("Luc", "de La Fontaine", stats).email == "luc.lafontaine@exemple.fr"


def test_learning_ignores_what_it_cannot_use():
    stats = learn_patterns(
        [
            ("", "", "someone@exemple.fr"),
            ("Jean", "Dupont", "not an email"),
            ("Jean", "Dupont", "jean.dupont+news@exemple.fr"),
        ]
    )
    assert (stats.total, stats.counts) == (1, {"first.last": 1})


def test_candidates_are_unique_and_ranked():
    ranked = candidates("Jean-Pierre", "de La Fontaine", "exemple.fr", None)
    assert len({c.email for c in ranked}) == len(ranked)
    assert [c.confidence for c in ranked] == sorted((c.confidence for c in ranked), reverse=True)
    assert candidates("Jean", "Dupont", "exemple.fr", None, limit=3) == ranked_for_jean()[:3]


def ranked_for_jean() -> list[Candidate]:
    return candidates("Jean", "Dupont", "exemple.fr", None)


names = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["Jean-Pierre", "de La Fontaine", "O'Neil", "d’Estaing", "ß", "İ", "-'-"]),
)


@given(first=names, last=names, domain=st.one_of(st.text(max_size=30), st.just("exemple.fr")))
def test_candidates_never_raise_and_are_lower_case_ascii(first, last, domain):
    ranked = candidates(first, last, domain, None)
    for candidate in ranked:
        local, _, host = candidate.email.partition("@")
        assert LOCAL_PART.fullmatch(local)
        assert len(local) <= 64
        assert host.isascii()
        assert host == host.lower()
        assert 0 <= candidate.confidence <= 0.35
        assert candidate.pattern in PATTERNS


@given(st.lists(st.tuples(names, names, st.text(max_size=40)), max_size=8), names, names)
def test_learning_never_raises(known, first, last):
    stats = learn_patterns(known)
    assert stats.total <= len(known)
    for candidate in candidates(first, last, "exemple.fr", stats):
        assert LOCAL_PART.fullmatch(candidate.email.partition("@")[0])
        assert 0 <= candidate.confidence < 1


# -- verification against mail servers -------------------------------------------------------


def probe_top(server, domain: str, ranked: list[Candidate], how_many: int = 6) -> DomainProbe:
    return prober(server.port).probe_domain(domain, [HOST], [c.email for c in ranked[:how_many]])


def test_the_address_the_server_accepts_is_chosen(smtp):
    stats = learn_patterns([("Anne", "Roux", "aroux@normal.test")])
    ranked = candidates("Jean", "Dupont", "normal.test", stats)
    assert ranked[0].email == "jdupont@normal.test"

    probe = probe_top(smtp.normal, "normal.test", ranked)
    found = verify_candidates(ranked, probe)
    assert found.status == "deliverable"
    assert found.email == "jean.dupont@normal.test"
    assert found.confidence == 0.95
    assert found.catch_all is False
    assert found.candidate is not None
    assert found.candidate.pattern == "first.last"


def test_catch_all_domain_gives_a_guess_never_valid(smtp):
    ranked = candidates("Jean", "Dupont", "catchall.test", None)
    found = verify_candidates(ranked, probe_top(smtp.catch_all, "catchall.test", ranked))
    assert found.status == "catch_all"
    assert found.catch_all is True
    assert found.email == ranked[0].email == "jean.dupont@catchall.test"
    assert found.confidence == ranked[0].confidence <= 0.35
    assert "accepts any address" in found.reason


def test_greylisted_domain_is_unverified_until_retried(smtp):
    ranked = candidates("Marie", "Martin", "greylist.test", None)
    p = prober(smtp.greylist.port)
    asked = [c.email for c in ranked[:4]]

    first = verify_candidates(ranked, p.probe_domain("greylist.test", [HOST], asked))
    assert first.status == "unverified"
    assert first.email == "marie.martin@greylist.test"
    assert first.retry_after_s == 60

    second = verify_candidates(ranked, p.probe_domain("greylist.test", [HOST], asked))
    assert second.status == "deliverable"
    assert second.email == "marie.martin@greylist.test"


def test_blocked_probe_leaves_the_guess_unverified(smtp):
    ranked = candidates("Jean", "Dupont", "bl.test", None)
    found = verify_candidates(ranked, probe_top(smtp.blocklisted, "bl.test", ranked))
    assert found.status == "unverified"
    assert found.email == ranked[0].email
    assert "blocked" in found.reason


def test_every_candidate_refused_is_not_found(smtp):
    ranked = candidates("Nobody", "Here", "normal.test", None)
    found = verify_candidates(ranked, probe_top(smtp.normal, "normal.test", ranked, len(ranked)))
    assert found.status == "not_found"
    assert found.email is None
    assert found.confidence == 0.0


def test_full_mailbox_is_found_but_flagged(smtp):
    ranked = candidates("Plein", "", "normal.test", None)
    found = verify_candidates(ranked, probe_top(smtp.normal, "normal.test", ranked))
    assert (found.status, found.email) == ("full_inbox", "plein@normal.test")


def test_find_email_end_to_end(smtp):
    found = find_email(
        "Jean", "Dupont", "normal.test",
        prober=SmtpProber(helo="probe.test", mail_from="verify@probe.test", timeout_s=2.0),
        mx_hosts=[(HOST, smtp.normal.port)],
    )  # fmt: skip
    assert (found.status, found.email) == ("deliverable", "jean.dupont@normal.test")
    assert len(smtp.normal.log.recipients()) == 1 + 5  # the catch-all test, then max_probes
    assert "DATA" not in smtp.normal.log.verbs()


def test_find_email_without_smtp_is_a_guess():
    found = find_email("Jean", "Dupont", "exemple.fr")
    assert (found.status, found.email) == ("unverified", "jean.dupont@exemple.fr")
    assert found.confidence == PATTERNS["first.last"][1]
    assert find_email("", "", "exemple.fr").status == "not_found"


@pytest.mark.parametrize("catch_all", [None, False])
def test_accepted_confidence_depends_on_the_catch_all_test(catch_all):
    ranked = candidates("Jean", "Dupont", "exemple.fr", None)[:2]
    results = {
        ranked[0].email: SmtpResult(ranked[0].email, "undeliverable", 550, "", "mx", ""),
        ranked[1].email: SmtpResult(ranked[1].email, "deliverable", 250, "", "mx", ""),
    }
    found = verify_candidates(ranked, DomainProbe("exemple.fr", catch_all, results, "mx", ""))
    assert found.email == ranked[1].email
    assert found.confidence == (0.95 if catch_all is False else 0.8)
