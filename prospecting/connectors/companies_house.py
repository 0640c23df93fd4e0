"""UK Companies House Public Data API: companies, their profile and their officers.

Auth: the API key as HTTP Basic user name with an empty password, from
``[connectors.companies_house] api_key = { env = "COMPANIES_HOUSE_API_KEY" }`` or the
``COMPANIES_HOUSE_API_KEY`` variable. Limit: 600 requests per rolling 5 minutes (2/s).

Queries, offset-paged with ``start_index`` (the stored cursor):

- ``--q TEXT`` → ``GET /search/companies?q=`` (items: title, number, status, type, address);
- otherwise the ICP → ``GET /advanced-search/companies`` with ``sic_codes`` (UK SIC 2007
  codes of the ICP), ``company_status=active`` and ``company_type`` from the legal forms
  (Ltd → ltd, PLC → plc, LLP → llp), optionally ``--location``;
- ``--number 01234567,...`` → those companies only.

Each company's profile (``GET /company/{number}``: SIC codes, status, type, registered
office, previous names) and officers (``GET /company/{number}/officers``) follow;
current officers who are natural persons become people, their role as title. The
advanced-search and profile shapes are taken from the developer specification; the
search and officer shapes also from recorded answers.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from ..errors import ConfigError
from ..http import ResponseError
from ..models import Fact
from .base import CompanyRecord, Connector, Page, PersonRecord, Query, split_list

__all__ = ["CompaniesHouseConnector"]

_TYPES = {"LTD": "ltd", "LIMITED": "ltd", "PLC": "plc", "LLP": "llp", "LP": "limited-partnership",
          "CIC": "community-interest-company"}
_FORMS = {"ltd": "Ltd", "plc": "PLC", "llp": "LLP", "limited-partnership": "LP",
          "private-limited-guarant-nsc": "Ltd", "private-unlimited": "Unlimited",
          "community-interest-company": "CIC"}
_PERSON_ROLES = frozenset({"director", "secretary", "llp-member", "llp-designated-member",
                           "member", "general-partner-in-a-limited-partnership",
                           "managing-officer"})


class CompaniesHouseConnector(Connector):
    name = "companies_house"
    default_base_url = "https://api.company-information.service.gov.uk"
    max_rate = 2.0  # 600 per 5 minutes
    summary = "UK companies (SIC codes, registered office) and their officers; API key."
    auth_hint = ('set [connectors.companies_house] api_key = { env = '
                 '"COMPANIES_HOUSE_API_KEY" } or $COMPANIES_HOUSE_API_KEY to a live key')
    options_help: ClassVar[dict[str, str]] = {
        "q": "Company name search instead of the ICP's SIC codes.",
        "number": "Company numbers, comma-separated.",
        "location": "Advanced search: a town or postcode area.",
        "per_page": "Results per page, 1 to 100 (default 50).",
        "officers": "'yes' (default) or 'no': fetch officers as people.",
    }

    @classmethod
    def _key(cls, options: Mapping[str, str]) -> str | None:
        return options.get("api_key") or os.environ.get("COMPANIES_HOUSE_API_KEY") or None

    @classmethod
    def request_auth(cls, options: Mapping[str, str]) -> tuple[str, str] | None:
        key = cls._key(options)
        if not key:
            raise ConfigError(f"companies_house: no API key; {cls.auth_hint}")
        return (key, "")

    def plan(self) -> list[Query]:
        countries = self.icp.firmographics.countries
        if countries and "GB" not in countries:
            self.messages.append(f"{self.name}: the ICP's countries leave out GB; nothing to ask")
            return []
        numbers = [n.strip().upper() for n in split_list(self.option("number"))]
        for number in numbers:
            if not re.fullmatch(r"[A-Z0-9]{8}", number):
                raise ConfigError(f"companies_house: --number {number!r} is not 8 characters")
        if numbers:
            return [Query({"number": n}, n) for n in numbers]
        q = self.option("q")
        if q:
            return [Query({"q": q.strip()}, q)]
        sic = sorted(code for _, code in self.industries("uk_sic"))
        if not sic:
            raise ConfigError(
                "companies_house: the ICP has no UK SIC industry (scheme = \"uk_sic\") and no"
                " --q or --number was given"
            )
        params: dict[str, Any] = {"sic_codes": ",".join(sic), "company_status": "active"}
        types = sorted({_TYPES[k] for k in self._form_keys() if k in _TYPES})
        if types:
            params["company_type"] = ",".join(types)
        if self.option("location"):
            params["location"] = self.option("location")
        return [Query(params, "ICP")]

    def _form_keys(self) -> list[str]:
        return [re.sub(r"[^A-Z]", "", f.upper()) for f in self.icp.firmographics.legal_forms]

    def fetch(self, query: Query, cursor: str | None) -> Page:
        if "number" in query.params:
            number = str(query.params["number"])
            page = Page(url=self.client.url(f"company/{number}"))
            record = self._company(number, {}, page)
            if record is not None:
                page.records.append(record)
            return page
        start = int(cursor or 0)
        size = self.int_option("per_page", 50, 1, 100)
        if "q" in query.params:
            answer = self.client.get_json("search/companies", {
                "q": query.params["q"], "items_per_page": size, "start_index": start})
            total_key = "total_results"
        else:
            answer = self.client.get_json("advanced-search/companies", {
                **query.params, "size": size, "start_index": start})
            total_key = "hits"
        data = answer.data
        if not isinstance(data, dict) or not isinstance(data.get("items", []), list):
            raise ResponseError("companies_house: search answer without an items list",
                                url=answer.url, raw=str(data)[:2000])
        items = data.get("items") or []
        total = data.get(total_key)
        page = Page(url=answer.url, total=total if isinstance(total, int) else None)
        for position, item in enumerate(items):
            number = item.get("company_number") if isinstance(item, dict) else None
            if not number:
                page.problems.append((f"{answer.url} items[{position}]",
                                      "item without company_number", str(item)[:2000]))
                continue
            record = self._company(str(number), item, page)
            if record is not None:
                page.records.append(record)
        end = start + len(items)
        more = items and (page.total is None or end < page.total)
        page.next_cursor = str(end) if more else None
        return page

    def _company(self, number: str, item: dict[str, Any], page: Page) -> CompanyRecord | None:
        answer = self.client.get_json(f"company/{number}", accept_404=True)
        profile = answer.data if answer.status == 200 and isinstance(answer.data, dict) else {}
        if not profile and not item:
            page.messages.append(f"companies_house: company {number} not found; skipped")
            return None
        name = profile.get("company_name") or item.get("title") or item.get("company_name")
        if not name:
            page.problems.append((answer.url, "company without a name", str(profile)[:2000]))
            return None
        status = profile.get("company_status") or item.get("company_status")
        kind = profile.get("type") or item.get("company_type")
        address = (profile.get("registered_office_address") or item.get("address")
                   or item.get("registered_office_address") or {})
        sic = [str(s) for s in profile.get("sic_codes") or item.get("sic_codes") or []]
        facts: list[Fact] = [("name", str(name)), ("legal_name", str(name)),
                             ("uk_company_number", number), ("country", "GB")]
        if kind in _FORMS:
            facts.append(("legal_form", _FORMS[kind]))
        if kind:
            facts.append(("extra:company_type", str(kind)))
        if sic:
            facts.append(("extra:uk_sic", ", ".join(sic)))
        created = profile.get("date_of_creation") or item.get("date_of_creation")
        if created:
            facts.append(("extra:date_of_creation", str(created)))
        street = ", ".join(str(address[k]) for k in ("premises", "address_line_1",
                                                     "address_line_2") if address.get(k))
        for value, field_name in ((street, "address"), (address.get("locality"), "city"),
                                  (address.get("postal_code"), "postcode"),
                                  (address.get("region"), "region")):
            if value:
                facts.append((field_name, str(value)))
        previous = [p.get("name") for p in profile.get("previous_company_names") or []
                    if isinstance(p, dict) and p.get("name")]
        if previous:
            facts.append(("extra:previous_names", "; ".join(previous)))
        record = CompanyRecord(
            record_id=number, locator=f"{answer.url}#{number}", facts=facts, name=str(name),
            registry_key=f"uk_company_number:{number}",
            text=str(item.get("snippet") or ""),
        )
        self._judge(record, status, kind, sic)
        if not (record.exclusions or record.mismatches) and self.option(
            "officers", "yes"
        ) != "no":
            record.people = self._officers(number, page)
        return record

    def _judge(self, record: CompanyRecord, status: Any, kind: Any, sic: list[str]) -> None:
        if status and status != "active":
            record.exclusions.append(f"company_status {status}")
        elif status:
            record.reasons.append("active company (company_status active)")
        wanted = {code for _, code in self.industries("uk_sic")}
        if wanted:
            hits = sorted(wanted & set(sic))
            if hits:
                record.reasons.append(f"UK SIC {', '.join(hits)} is an ICP industry")
            else:
                record.mismatches.append(
                    f"UK SIC {', '.join(sic) or 'unknown'} not among the ICP industries")
        types = {_TYPES[k] for k in self._form_keys() if k in _TYPES}
        if types and kind:
            if kind in types:
                record.reasons.append(f"company type {kind} is an ICP legal form")
            else:
                record.mismatches.append(f"company type {kind} is not an ICP legal form")

    def _officers(self, number: str, page: Page) -> list[PersonRecord]:
        answer = self.client.get_json(f"company/{number}/officers",
                                      {"items_per_page": 100, "start_index": 0},
                                      accept_404=True)
        if answer.status == 404 or not isinstance(answer.data, dict):
            return []
        people = []
        for item in answer.data.get("items") or []:
            if not isinstance(item, dict) or item.get("resigned_on"):
                continue
            if item.get("officer_role") not in _PERSON_ROLES:
                continue  # corporate directors and secretaries are companies, not people
            person = _officer(number, item)
            if person is not None:
                people.append(person)
        return people


def _officer(number: str, item: dict[str, Any]) -> PersonRecord | None:
    raw = str(item.get("name") or "").strip()
    if not raw:
        return None
    last, _, given = raw.partition(",")
    last, given = last.strip(), given.strip()
    first = given.split()[0] if given else ""
    full = " ".join(p for p in (first, last) if p) if given else raw
    facts: list[Fact] = [("full_name", full)]
    if first:
        facts.append(("first_name", first))
    if last and given:
        facts.append(("last_name", last))
    role = str(item.get("officer_role") or "").replace("-", " ")
    occupation = str(item.get("occupation") or "").strip()
    title = occupation if occupation and occupation.lower() != role else role.capitalize()
    if title:
        facts.append(("title", title))
    if role:
        facts.append(("extra:officer_role", role))
    if item.get("appointed_on"):
        facts.append(("extra:appointed_on", str(item["appointed_on"])))
    residence = item.get("country_of_residence")
    if residence:
        facts.append(("extra:country_of_residence", str(residence)))
    link = ((item.get("links") or {}).get("officer") or {}).get("appointments") or ""
    officer_id = link.split("/")[2] if link.count("/") >= 3 else "-".join(full.split())
    return PersonRecord(record_id=f"{number}/officers/{officer_id}", facts=facts,
                        full_name=full)
