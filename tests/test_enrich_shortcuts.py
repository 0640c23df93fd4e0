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
