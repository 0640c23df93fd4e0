"""The enrich stage's shortcuts give exactly what the general code gives."""

from __future__ import annotations

import pytest

from enrichers import pipeline


def _row(**changes):
    row = {
        "id": "p_1", "first_name": "Hélène", "last_name": "Lefèvre", "full_name": None,
        "civility": "Mme", "title": 'Directrice "commerciale"', "country": "FR",
        "company_id": "c_1",
        "_emails": [
            {"value": "helene@acme.example", "flags": []},
            {"value": "h.lefevre@acme.example", "flags": ["guessed"]},
        ],
        "_phones": [{"raw": "01 99 00 12 34"}, {"raw": "+44 20 7946 0123"}],
    }
    row.update(changes)
    return row


@pytest.mark.parametrize("company", [None, ("FR", "https://acme.example", "acme.example"),
                                     (None, None, None)])
@pytest.mark.parametrize("changes", [{}, {"company_id": None, "_emails": [], "_phones": []},
                                     {"first_name": "Zoé\u2028", "title": None},
                                     {"title": 7, "_phones": [{"raw": 12}, {"raw": "+33"}]}])
def test_row_hash_is_the_input_hash_of_the_row(company, changes):
    row = _row(**changes)
    assert pipeline._row_hash(row, company) == pipeline.input_hash(
        pipeline._row_input(row, company)
    )


def test_rows_keeping_their_email_and_company_are_written_alike(tmp_path):
    from prospecting.store import _PEOPLE_COLUMNS, Store, split_same_links

    def row(**values):
        base = dict.fromkeys(_PEOPLE_COLUMNS)
        base.update(id="p_1", emails="[]", phones="[]", extra="{}", source_ids="[]",
                    sources='["csv:a"]', tags='["non-enriched"]', suppressed=0,
                    updated_at="2026-01-01", email="a@x.example", company_id="c_1",
                    first_name="Ana")
        base.update(values)
        return tuple(base[c] for c in _PEOPLE_COLUMNS)

    first = row()
    kept = row(first_name="Anna", title="CEO", updated_at="2026-01-02")
    moved = row(id="p_2", email="b@x.example", updated_at="2026-01-02")
    stored = {"p_1": ("a@x.example", "c_1"), "p_2": ("z@x.example", "c_1")}
    changed, same = split_same_links([kept, moved], stored)
    assert same == [kept]
    assert changed == [moved]
    tables = []
    for name, split in (("plain.db", False), ("split.db", True)):
        with Store(tmp_path / name) as store, store.write():
            store.write_people([first, row(id="p_2", email="z@x.example")], [], ["c_1"])
            if split:
                store.write_people(changed, [], ["c_1"], same_links=same)
            else:
                store.write_people([kept, moved], [], ["c_1"])
            tables.append(store.conn.execute("SELECT * FROM people ORDER BY id").fetchall())
    assert tables[0] == tables[1]
    assert [r[1] for r in tables[0]] == ["p_1", "p_2"]


@pytest.mark.parametrize("emails", [
    ["jean.dupont@acme.example", "Jean.Dupont@ACME.example", "contact@acme.example",
     "info@gmail.com", "x@mailinator.com", "jean..dupont@acme.example", "logo@2x.png",
     "no-at-sign", "@acme.example", "contact@acme.example", "prénom@exemple.fr"],
])
def test_email_status_facts_without_lookups_are_those_of_email_status(emails):
    """The verdicts kept by (valid, reason, flags) are the ones email_status gives."""
    from enrichers.email_status import email_status
    from enrichers.email_syntax import check_email_syntax
    from prospecting.models import loads

    for _ in range(2):  # the second time from what was kept
        results = [{"facts": [], "syntax": [(e, check_email_syntax(e))]} for e in emails]
        pipeline._status_facts(results, None, None)
        for result in results:
            email, syntax = result["syntax"][0]
            verdict = email_status(syntax, None, None)
            assert loads(result["facts"][0][1])["email"] == email
            for fact in result["facts"]:
                payload = loads(fact[1])
                assert payload["normalized"] == syntax.normalized
                assert (payload["status"], tuple(payload["flags"]), payload["reason"]) == (
                    verdict.status, verdict.flags, verdict.reason
                )


_FIELDS = ["first_name", "last_name", "full_name", "civility", "title", "seniority",
           "department", "country", "company_id", "linkedin_url", "city"]
_TEXTS = ["Jean", "JEAN", "jean", "Hélène", "Zoé", "", "FR", "GB", "vp", "c_1", "Marketing"]


def _checks_strategy():
    from hypothesis import strategies as st

    from prospecting.models import dumps

    email_check = st.builds(
        lambda subject, status, flags: dumps({
            "email": subject, "normalized": subject, "status": status, "flags": flags,
            "reason": "syntax valid",
        }),
        st.sampled_from(["jean@acme.example", "JEAN@acme.example", "other@acme.example",
                         "j.dupont@acme.example"]),
        st.sampled_from(["valid", "risky", "invalid", "unknown"]),
        st.lists(st.sampled_from(["role", "guessed", "free"]), max_size=2, unique=True),
    ) | st.just("not json")
    phone_check = st.builds(
        lambda raw, valid: dumps({
            "raw": raw, "e164": "+33199001234" if valid is not False else None,
            "valid": valid, "type": "fixed_line", "region": "FR", "timezones": [],
            "extension": None, "reason": "ok",
        }),
        st.sampled_from(["01 99 00 12 34", "+33 1 99 00 12 34"]),
        st.sampled_from([True, False, None]),
    )
    return email_check, phone_check


def _added_strategy():
    from hypothesis import strategies as st

    email_check, phone_check = _checks_strategy()
    sources = st.sampled_from(["enricher:names", "enricher:titles", "enricher:place",
                               "enricher:email", "enricher:phones"])
    confidences = st.sampled_from([0.5, 0.8, 0.85, 0.95])  # ties with the stored ones
    times = st.sampled_from(["2026-06-01T00:00:00+00:00", "2026-07-01T00:00:00+00:00"])
    plain = st.tuples(st.sampled_from(_FIELDS), st.sampled_from(_TEXTS), confidences, sources,
                      times)
    checks = st.tuples(st.just("email_status"), email_check, st.just(0.95),
                       st.just("enricher:email"), times) | st.tuples(
        st.just("phone_check"), phone_check, st.just(0.95), st.just("enricher:phones"), times)
    guesses = st.tuples(
        st.just("email"),
        st.sampled_from(["j.dupont@acme.example", "jean.dupont@acme.example",
                         "JEAN@acme.example"]),
        st.sampled_from([0.5, 0.79, 0.8]), st.sampled_from(["enricher:finder", "enricher:email"]),
        times,
    )
    other = st.tuples(st.sampled_from(["phone", "extra:x"]), st.sampled_from(_TEXTS),
                      confidences, sources, times)
    # Mostly what the shortcut takes, now and then what it declines.
    unique = st.lists(st.one_of(plain, plain, plain, checks, checks, guesses, other),
                      max_size=8, unique_by=lambda fact: fact[0])
    # Several checks of addresses and several guesses, as after the finder.
    return st.tuples(unique, st.lists(checks | guesses, max_size=3)).map(
        lambda parts: parts[0] + parts[1]
    )


def _stored_strategy():
    from hypothesis import strategies as st

    plain = st.tuples(st.sampled_from(_FIELDS), st.sampled_from(_TEXTS))
    fact = plain | plain | plain | st.tuples(
        st.sampled_from(_FIELDS), st.sampled_from(_TEXTS), st.sampled_from([0.85, 0.95])
    ) | st.tuples(
        st.sampled_from(["email"]), st.sampled_from(["jean@acme.example", "Jean@ACME.example"])
    ) | st.tuples(
        st.sampled_from(["phone"]), st.sampled_from(["01 99 00 12 34", "+33 1 99 00 12 34"])
    ) | st.tuples(
        st.sampled_from(["source_id", "extra:Notes", "extra:Stage", "unknown_field"]),
        st.sampled_from(_TEXTS),
    )
    email = st.tuples(st.just("email"), st.sampled_from(["jean@acme.example", "Jean@ACME.example"]))
    return st.tuples(
        st.sampled_from(["csv:crm", "crawl:site", "connector:sirene"]),
        st.sampled_from(["2026-01-01T00:00:00+00:00", "2027-01-01T00:00:00+00:00"]),
        st.sampled_from([0.8, 0.95]),
        # Half the time an address first, as most files have.
        st.tuples(st.lists(email, max_size=1), st.lists(fact, max_size=10)).map(
            lambda parts: list({f[0]: f for f in parts[0] + parts[1]}.values())
        ),
    )


def test_enriched_rows_are_the_rows_of_the_general_derivation(tmp_path):
    """enriched_person_row, whenever it builds a row, builds _person_row's."""
    from hypothesis import given, settings

    from prospecting.models import fact_observations
    from prospecting.store import Store, enriched_person_row

    rank = {"csv": 10, "enricher": 50, "crawl": 30, "enricher:place": 60}
    store = Store(tmp_path / "p.db")
    store.source_rank = rank
    built = {"direct": 0, "ranked": 0}

    @settings(max_examples=800, deadline=None, derandomize=True)
    @given(stored=_stored_strategy(), added=_added_strategy())
    def check(stored, added):
        source, at, confidence, facts = stored
        direct = enriched_person_row(
            "p_1", (source, None, at, confidence, "r1", facts), added, rank, "now"
        )
        if direct is None:
            return
        built["direct"] += 1
        if len(direct["_emails"]) > 1:
            built["ranked"] += 1
        obs = fact_observations("p_1", source, None, at, confidence, "r1", facts)
        for field, value, fact_confidence, fact_source, fact_at in added:
            obs += fact_observations("p_1", fact_source, None, fact_at, fact_confidence, "r2",
                                     [(field, value)])
        assert direct == store._person_row("p_1", obs, "now")

    check()
    store.close()
    assert built["direct"] > 100  # the shortcut was taken, not only declined
    assert built["ranked"] > 10  # with several addresses to rank


def test_a_first_enrichment_writes_what_the_general_way_writes(tmp_path, monkeypatch):
    """The same database, row for row, with the shortcut and without it."""
    import sqlite3

    from prospecting import api

    source = tmp_path / "contacts.csv"
    source.write_text(
        "First Name,Last Name,Email,Phone,Job Title,Company,Country,Website\n"
        "JEAN-PIERRE,DE LA FONTAINE,jp@lumenia.example,01 99 00 12 34,Directeur commercial,"
        "Lumenia SAS,FR,https://lumenia.example\n"
        "zoé,martin,Zoe.Martin@Lumenia.example,+33 6 12 34 56 78,DRH,Lumenia,,\n"
        "Oliver,Jones,info@gmail.com,020 7946 0299,VP Marketing,Acme Ltd,GB,\n"
        "Ana,,jean@@acme,abc,,Acme Ltd,,\n"
        "Bob,Smith,,,,,,\n"
        "Hélène,Lefèvre,helene@kerlann.fr,,Responsable marketing,Kerlann SARL,,\n"
        "Marc,Durand,marc@@lumenia,,CTO,Lumenia SAS,FR,https://lumenia.example\n"
        "Léa,Petit,,01 99 00 12 35,,Lumenia SAS,FR,https://lumenia.example\n",
        encoding="utf-8",
    )
    # Worker processes for both the offline pass and the finder, as on a large file.
    monkeypatch.setattr(pipeline, "_PARALLEL_MIN", 1)
    monkeypatch.setattr(pipeline, "_FINDER_PARALLEL_MIN", 1)
    tables = []
    for name, shortcut in (("short.db", True), ("general.db", False)):
        db = tmp_path / name
        api.import_files(db, [source], source="crm")
        if not shortcut:
            monkeypatch.setattr(pipeline, "_direct_rows", lambda *a, **k: ({}, []))
        api.enrich(db, offline=True)
        conn = sqlite3.connect(db)
        tables.append([
            conn.execute(
                "SELECT id, first_name, last_name, full_name, civility, title, seniority,"
                " department, email, phone, company_id, country, emails, phones, extra,"
                " source_ids, sources, tags, suppressed FROM people ORDER BY id"
            ).fetchall(),
            conn.execute(
                "SELECT entity_id, source, confidence, facts FROM statements"
                " ORDER BY entity_id, source, facts"
            ).fetchall(),
            conn.execute(
                "SELECT entity_id, component, input_hash FROM work_log ORDER BY 1, 2"
            ).fetchall(),
        ])
        conn.close()
    assert tables[0] == tables[1]
    assert len(tables[0][0]) == 8
    guessed = [row for row in tables[0][0] if '"guessed"' in row[12]]
    assert len(guessed) == 2  # Marc and Léa, at lumenia.example


def test_only_companies_people_move_between_are_recounted():
    from prospecting.store import moved_companies, people_columns

    columns = people_columns()

    def row(pid, company):
        values = dict.fromkeys(columns)
        values.update(id=pid, company_id=company)
        return tuple(values[c] for c in columns)

    links = {"p_1": ("a@x.example", "c_1"), "p_2": (None, "c_1"), "p_3": (None, None),
             "p_4": ("d@x.example", "c_4")}
    rows = [row("p_1", "c_1"), row("p_2", "c_2"), row("p_3", "c_3"), row("p_9", "c_9")]
    assert moved_companies(rows, ["p_4"], links) == ["c_1", "c_2", "c_3", "c_9", "c_4"]
    assert moved_companies([row("p_1", "c_1")], [], links) == []
