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
                                     {"first_name": "Zoé\u2028", "title": None}])
def test_row_hash_is_the_input_hash_of_the_row(company, changes):
    row = _row(**changes)
    assert pipeline._row_hash(row, company) == pipeline.input_hash(
        pipeline._row_input(row, company)
    )
