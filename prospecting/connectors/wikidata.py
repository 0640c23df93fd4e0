"""Wikidata: companies by industry and country, with website, headcount and founding date.

One SPARQL query per run against the Wikidata Query Service (``GET /sparql?query=…``,
``application/sparql-results+json``), grouped to one row per company and paged with
``LIMIT``/``OFFSET`` (the cursor). Industries are Wikidata items (P452), given with
``--industry Q638608`` (software industry) since the ICP's codes have no Wikidata
equivalent; countries (P17) come from the ICP's ISO codes (P297). Identifiers that
Wikidata holds link the company to the registries: SIREN (P1616), Companies House number
(P2622), SEC CIK (P5531), LEI (P1278).

WDQS throttles per client (60 s of query time per minute) and bans clients that ignore
429 for a day: one request at a time, Retry-After honoured, a declared User-Agent.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from ..errors import ConfigError
from ..http import ResponseError
from ..models import Fact
from .base import CompanyRecord, Connector, Page, Query, domain_of, split_list

__all__ = ["WikidataConnector", "build_query"]

_QID = re.compile(r"^Q\d+$")
_VARS = ("item", "name", "website", "employees", "inception", "country", "siren",
         "ukNumber", "cik", "lei", "industryLabel")


def build_query(industries: list[str], countries: list[str], language: str, limit: int,
                offset: int) -> str:
    """The SPARQL text: one grouped row per company, ordered so OFFSET pages are stable."""
    values_industry = " ".join(f"wd:{q}" for q in industries)
    country_filter = ""
    if countries:
        codes = " ".join(f'"{c}"' for c in countries)
        country_filter = f"VALUES ?iso {{ {codes} }}\n  ?countryItem wdt:P297 ?iso ."
    else:
        country_filter = "OPTIONAL { ?countryItem wdt:P297 ?iso . }"
    return f"""SELECT ?item (SAMPLE(?label) AS ?name) (SAMPLE(?site) AS ?website)
  (MAX(?staff) AS ?employees) (MIN(?founded) AS ?inception) (SAMPLE(?iso) AS ?country)
  (SAMPLE(?sirenV) AS ?siren) (SAMPLE(?ukV) AS ?ukNumber) (SAMPLE(?cikV) AS ?cik)
  (SAMPLE(?leiV) AS ?lei) (SAMPLE(?industryName) AS ?industryLabel)
WHERE {{
  VALUES ?industry {{ {values_industry} }}
  ?item wdt:P452 ?industry ; wdt:P17 ?countryItem .
  {country_filter}
  FILTER NOT EXISTS {{ ?item wdt:P576 ?dissolved . }}
  OPTIONAL {{ ?item rdfs:label ?label . FILTER(LANG(?label) IN ("{language}", "en")) }}
  OPTIONAL {{ ?industry rdfs:label ?industryName . FILTER(LANG(?industryName) = "en") }}
  OPTIONAL {{ ?item wdt:P856 ?site . }}
  OPTIONAL {{ ?item wdt:P1128 ?staff . }}
  OPTIONAL {{ ?item wdt:P571 ?founded . }}
  OPTIONAL {{ ?item wdt:P1616 ?sirenV . }}
  OPTIONAL {{ ?item wdt:P2622 ?ukV . }}
  OPTIONAL {{ ?item wdt:P5531 ?cikV . }}
  OPTIONAL {{ ?item wdt:P1278 ?leiV . }}
}}
GROUP BY ?item
ORDER BY ?item
LIMIT {limit}
OFFSET {offset}"""


class WikidataConnector(Connector):
    name = "wikidata"
    default_base_url = "https://query.wikidata.org"
    max_rate = 1.0  # one query at a time; WDQS counts query time, not requests
    summary = "Companies by industry and country (website, headcount, founding date)."
    options_help: ClassVar[dict[str, str]] = {
        "industry": "Wikidata industry items (P452), e.g. Q638608 (software industry).",
        "language": "Label language (default fr, then en).",
        "per_page": "Companies per query page, 1 to 1000 (default 200).",
    }

    def plan(self) -> list[Query]:
        industries = [q.upper() for q in split_list(self.option("industry"))]
        if not industries:
            raise ConfigError(
                "wikidata: give the industries as Wikidata items with --industry "
                "Q638608[,Q...] (the ICP's NAF/SIC codes have no Wikidata equivalent)"
            )
        for qid in industries:
            if not _QID.match(qid):
                raise ConfigError(f"wikidata: --industry {qid!r} is not a Wikidata item (Q123)")
        language = (self.option("language", "fr") or "fr").lower()
        if not re.fullmatch(r"[a-z]{2,3}", language):
            raise ConfigError(f"wikidata: --language {language!r} is not a language code")
        return [Query({"industry": ",".join(sorted(set(industries))),
                       "countries": ",".join(self.icp.firmographics.countries),
                       "language": language}, "SPARQL")]

    def fetch(self, query: Query, cursor: str | None) -> Page:
        offset = int(cursor or 0)
        limit = self.int_option("per_page", 200, 1, 1000)
        text = build_query(split_list(query.params["industry"]),
                           split_list(query.params.get("countries")),
                           str(query.params.get("language") or "fr"), limit, offset)
        answer = self.client.get_json(
            "sparql", {"query": text, "format": "json"},
            headers={"Accept": "application/sparql-results+json"},
        )
        data = answer.data
        bindings = (data.get("results") or {}).get("bindings") if isinstance(data, dict) else None
        if not isinstance(bindings, list):
            raise ResponseError("wikidata: SPARQL answer without results.bindings",
                                url=answer.url, raw=str(data)[:2000])
        page = Page(url=answer.url)
        for position, row in enumerate(bindings):
            try:
                page.records.append(self._record(row, answer.url))
            except (KeyError, TypeError, ValueError) as exc:
                page.problems.append((f"{answer.url} bindings[{position}]",
                                      f"unusable row: {exc}", str(row)[:2000]))
        page.next_cursor = str(offset + limit) if len(bindings) == limit else None
        return page

    def _record(self, row: dict[str, Any], url: str) -> CompanyRecord:
        values = {k: v.get("value") for k, v in row.items() if isinstance(v, dict)}
        item = values.get("item") or ""
        qid = item.rsplit("/", 1)[-1]
        if not _QID.match(qid):
            raise ValueError(f"no company item in the row (item={item!r})")
        name = values.get("name") or qid
        facts: list[Fact] = [("name", name), ("extra:wikidata", qid)]
        website = values.get("website")
        if website:
            facts.append(("website", website))
        siren = re.sub(r"\D", "", values.get("siren") or "")
        siren = siren if len(siren) == 9 else None
        if siren:
            facts.append(("siren", siren))
        for var, field_name in (("ukNumber", "uk_company_number"), ("cik", "cik"),
                                ("lei", "lei"), ("country", "country")):
            if values.get(var):
                value = values[var]
                facts.append((field_name, value.lstrip("0") if var == "cik" else value))
        headcount = _number(values.get("employees"))
        if headcount is not None:
            facts.append(("headcount", str(headcount)))
        founded = values.get("inception")
        if founded:
            facts.append(("extra:inception", founded[:10].lstrip("+")))
        industry = values.get("industryLabel") or ""
        if industry:
            facts.append(("industry", industry))
        uk = values.get("ukNumber")
        registry = (f"uk_company_number:{uk}" if uk else
                    f"cik:{values['cik'].lstrip('0')}" if values.get("cik") else f"wikidata:{qid}")
        record = CompanyRecord(
            record_id=qid, locator=f"{url}#{qid}", facts=facts, name=name, siren=siren,
            domain=domain_of(website), registry_key=registry, text=industry,
        )
        record.reasons.append(f"Wikidata industry {industry or 'requested'} (P452)")
        if values.get("country"):
            record.reasons.append(f"country {values['country']} (P17)")
        ranges = self.icp.firmographics.headcount
        if ranges and headcount is not None:
            if any(r.contains(headcount) for r in ranges):
                record.reasons.append(f"{headcount} employees (P1128) within the ICP ranges")
            else:
                record.mismatches.append(f"{headcount} employees (P1128) outside the ICP ranges")
        return record


def _number(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(float(text))
    except ValueError:
        return None
