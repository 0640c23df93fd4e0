"""US SEC EDGAR: listed companies from ``company_tickers.json`` and their submissions.

``GET https://www.sec.gov/files/company_tickers.json`` lists every CIK with a ticker;
``GET {base}/submissions/CIK##########.json`` gives the SIC code, business address,
phone, EIN, LEI, state of incorporation and former names. EDGAR has no search by SIC,
so the connector walks the ticker list (or ``--ticker``/``--cik``), fetches each
submission and keeps those whose SIC code and country fit the ICP; the cursor is the
position in that list, so an interrupted walk resumes where it stopped.

The SEC requires a User-Agent naming the requester with a contact address ("Company
Name admin@company.com") and at most 10 requests/s; without an address in
``[http] user_agent`` (or ``[connectors.sec_edgar] user_agent``) the run stops before any
request. ``website`` is empty in nearly every submission: EDGAR is not a website source.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from ..errors import ConfigError
from ..http import ResponseError
from ..icp import normalize_country
from ..models import Fact
from .base import CompanyRecord, Connector, Page, Query, domain_of, split_list

__all__ = ["SecEdgarConnector"]

TICKERS_URL = "https://www.sec.gov/files/company_tickers.json"
_US_STATES = frozenset({
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL",
    "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
    "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD",
    "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "PR", "VI", "GU", "AS", "MP",
})


class SecEdgarConnector(Connector):
    name = "sec_edgar"
    default_base_url = "https://data.sec.gov"
    max_rate = 10.0
    summary = "US-listed companies (SIC code, address, EIN, former names); declared UA."
    options_help: ClassVar[dict[str, str]] = {
        "ticker": "Tickers, comma-separated (default: every listed company).",
        "cik": "CIK numbers, comma-separated.",
        "limit": "At most this many companies from the ticker list.",
        "batch": "Submissions fetched per page (default 20).",
        "tickers_url": f"Where the ticker list lives (default {TICKERS_URL}).",
    }

    def __init__(self, client: Any, icp: Any, options: Mapping[str, str]) -> None:
        super().__init__(client, icp, options)
        agent = client.options.user_agent
        if "@" not in agent:
            raise ConfigError(
                "sec_edgar: the SEC requires a User-Agent with a contact address, e.g. "
                '[http] user_agent = "Acme Corp admin@acme.example" (now: '
                f"{agent!r})"
            )
        self._ciks: list[tuple[str, str]] | None = None

    def plan(self) -> list[Query]:
        sic = sorted(code for _, code in self.industries("sic"))
        ciks = [c.lstrip("0") for c in split_list(self.option("cik"))]
        for cik in ciks:
            if not cik.isdigit():
                raise ConfigError(f"sec_edgar: --cik {cik!r} is not a number")
        tickers = [t.upper() for t in split_list(self.option("ticker"))]
        if not (sic or ciks or tickers):
            raise ConfigError(
                "sec_edgar: the ICP has no SIC industry (scheme = \"sic\") and no --ticker or"
                " --cik was given; refusing to fetch every listed company"
            )
        params: dict[str, Any] = {"sic": ",".join(sic)}
        if ciks:
            params["cik"] = ",".join(ciks)
        if tickers:
            params["ticker"] = ",".join(tickers)
        if self.option("limit"):
            params["limit"] = self.int_option("limit", 0)
        return [Query(params, "EDGAR")]

    def _companies(self, query: Query) -> list[tuple[str, str]]:
        """(CIK, ticker) pairs to visit, in the ticker file's order, one per CIK."""
        if self._ciks is not None:
            return self._ciks
        explicit = split_list(query.params.get("cik"))
        tickers = set(split_list(query.params.get("ticker")))
        pairs: list[tuple[str, str]] = [(cik, "") for cik in explicit]
        if tickers or not explicit:
            answer = self.client.get_json(self.option("tickers_url", TICKERS_URL) or TICKERS_URL)
            data = answer.data
            if not isinstance(data, dict):
                raise ResponseError("sec_edgar: company_tickers.json is not an object",
                                    url=answer.url, raw=str(data)[:2000])
            seen = {cik for cik, _ in pairs}
            for entry in data.values():
                if not isinstance(entry, dict) or "cik_str" not in entry:
                    continue
                cik, ticker = str(entry["cik_str"]), str(entry.get("ticker") or "")
                if tickers and ticker.upper() not in tickers:
                    continue
                if cik not in seen:
                    seen.add(cik)
                    pairs.append((cik, ticker))
            missing = tickers - {t.upper() for _, t in pairs}
            if missing:
                self.messages.append(f"sec_edgar: tickers not listed: {', '.join(sorted(missing))}")
        limit = int(query.params.get("limit") or 0)
        self._ciks = pairs[:limit] if limit else pairs
        return self._ciks

    def fetch(self, query: Query, cursor: str | None) -> Page:
        pairs = self._companies(query)
        start = int(cursor or 0)
        batch = self.int_option("batch", 20, 1, 500)
        chunk = pairs[start:start + batch]
        page = Page(url=self.client.url("submissions/"), total=len(pairs))
        page.messages.extend(m for m in self.messages if m not in page.messages)
        for cik, _ticker in chunk:
            answer = self.client.get_json(f"submissions/CIK{int(cik):010d}.json",
                                          accept_404=True)
            if answer.status == 404:
                page.messages.append(f"sec_edgar: no submissions for CIK {cik}; skipped")
                continue
            try:
                page.records.append(self._record(answer.data, answer.url, query))
            except (KeyError, TypeError, ValueError) as exc:
                page.problems.append((answer.url, f"unusable submission: {exc}",
                                      str(answer.data)[:5000]))
        end = start + len(chunk)
        page.next_cursor = str(end) if end < len(pairs) else None
        return page

    def _record(self, data: dict[str, Any], url: str, query: Query) -> CompanyRecord:
        cik = str(int(data["cik"]))
        name = str(data["name"])
        facts: list[Fact] = [("name", name), ("legal_name", name), ("cik", cik)]
        sic, sic_label = str(data.get("sic") or ""), str(data.get("sicDescription") or "")
        if sic:
            facts.append(("extra:sic", sic))
        if sic_label:
            facts.append(("industry", sic_label))
        ein = str(data.get("ein") or "")
        if re.fullmatch(r"\d{9}", ein) and ein != "000000000":
            facts.append(("ein", f"{ein[:2]}-{ein[2:]}"))
        if data.get("lei"):
            facts.append(("lei", str(data["lei"])))
        website = (data.get("website") or "").strip()
        if website:
            facts.append(("website", website))
        if data.get("phone"):
            facts.append(("phone", str(data["phone"])))
        if data.get("tickers"):
            facts.append(("extra:tickers", ", ".join(map(str, data["tickers"]))))
        if data.get("stateOfIncorporationDescription"):
            facts.append(("extra:incorporated_in", str(data["stateOfIncorporationDescription"])))
        former = [f.get("name") for f in data.get("formerNames") or [] if isinstance(f, dict)]
        if former:
            facts.append(("extra:former_names", "; ".join(n for n in former if n)))
        category = re.sub(r"<[^>]+>", " ", str(data.get("category") or "")).strip()
        if category:
            facts.append(("extra:filer_category", " ".join(category.split())))
        address = (data.get("addresses") or {}).get("business") or {}
        country = _country(address)
        street = ", ".join(str(address[k]) for k in ("street1", "street2") if address.get(k))
        for value, field_name in ((street, "address"), (address.get("city"), "city"),
                                  (address.get("zipCode"), "postcode"),
                                  (address.get("stateOrCountryDescription")
                                   if country == "US" else None, "region"),
                                  (country, "country")):
            if value:
                facts.append((field_name, str(value)))
        record = CompanyRecord(
            record_id=cik, locator=f"{url}#{cik}", facts=facts, name=name,
            domain=domain_of(website), registry_key=f"cik:{cik}", text=sic_label,
        )
        wanted = split_list(query.params.get("sic"))
        if wanted:
            if sic in wanted:
                record.reasons.append(f"SIC {sic} ({sic_label}) is an ICP industry")
            else:
                record.mismatches.append(f"SIC {sic or 'unknown'} is not among the ICP industries")
        countries = self.icp.firmographics.countries
        if countries and country:
            if country in countries:
                record.reasons.append(f"business address in ICP country {country}")
            else:
                record.mismatches.append(f"business address in {country}, outside the ICP")
        if query.params.get("ticker") or query.params.get("cik"):
            record.reasons.append(f"CIK {cik} requested")
        return record


def _country(address: Mapping[str, Any]) -> str | None:
    if address.get("country"):
        return normalize_country(str(address["country"]))
    state = str(address.get("stateOrCountry") or "")
    if not address.get("isForeignLocation") and state in _US_STATES:
        return "US"
    return None
