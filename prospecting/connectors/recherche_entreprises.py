"""France's open company search (API Recherche d'entreprises, DINUM), no key needed.

The ICP becomes filters of ``GET /search`` (OpenAPI ``app/doc/open-api.yml`` of
``annuaire-entreprises-data-gouv-fr/search-api``):

- industries → ``activite_principale`` (NAF codes; NACE classes and UK SIC 2007
  sub-classes, whose first four digits are the NACE class, expand to the NAF codes under
  them; NACE sections alone → ``section_activite_principale``);
- headcount ranges → ``tranche_effectif_salarie`` bands that overlap them;
- legal forms → ``nature_juridique`` codes (SAS 5710, SARL 54xx…);
- ``etat_administratif=A``: active companies only;
- ``--departement``, ``--region``, ``--code-postal``, ``--q`` narrow further.

The API serves ``per_page`` ≤ 25 and at most 10,000 results per query (``page *
per_page ≤ 10 000``); a query that matches more is split by département, then by
headcount band, then by NAF code, each part with its own cursor. Dirigeants (natural
persons) become people with their role as title.

Limit: 7 requests/s per IP, 429 with Retry-After beyond.
"""

from __future__ import annotations

import json
import re
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any, ClassVar

from ..errors import ConfigError
from ..http import ResponseError
from ..icp import is_valid_siren
from ..models import Fact
from .base import CompanyRecord, Connector, Page, PersonRecord, Query, split_list
from .fr_codes import DEPARTEMENTS, FORM_OF_CODE, LEGAL_FORM_CODES, REGIONS, TRANCHES

__all__ = ["RechercheEntreprisesConnector"]

MAX_RESULTS = 10_000  # page * per_page may not exceed this; total_results is capped at it
MAX_PER_PAGE = 25

# NACE Rev. 2 section → its divisions (two-digit prefixes of NAF codes).
_SECTIONS = {
    "A": (1, 3), "B": (5, 9), "C": (10, 33), "D": (35, 35), "E": (36, 39), "F": (41, 43),
    "G": (45, 47), "H": (49, 53), "I": (55, 56), "J": (58, 63), "K": (64, 66), "L": (68, 68),
    "M": (69, 75), "N": (77, 82), "O": (84, 84), "P": (85, 85), "Q": (86, 88), "R": (90, 93),
    "S": (94, 96), "T": (97, 98), "U": (99, 99),
}

@lru_cache(maxsize=1)
def naf_labels() -> dict[str, str]:
    """NAF rév. 2 code → French label (the API's own ``codes-NAF.json``)."""
    text = resources.files(__package__).joinpath("naf_labels.json").read_text("utf-8")
    return dict(json.loads(text))


def naf_codes_under(prefix: str) -> list[str]:
    """NAF sub-classes whose code starts with a NACE division, group or class."""
    return [code for code in naf_labels() if code.startswith(prefix)]


class RechercheEntreprisesConnector(Connector):
    name = "recherche_entreprises"
    default_base_url = "https://recherche-entreprises.api.gouv.fr"
    max_rate = 7.0
    burst = 1.0
    summary = "French companies (SIREN registry) and their dirigeants; no key."
    options_help: ClassVar[dict[str, str]] = {
        "q": "Text search (name, address, dirigeants), at least 3 characters.",
        "departement": "Département codes, comma-separated (e.g. 35,75).",
        "region": "Région codes, comma-separated (e.g. 53).",
        "code_postal": "Postcodes, comma-separated.",
        "per_page": "Results per page, 1 to 25 (default 25).",
        "siren": "Fetch these SIRENs only (the API ignores every filter then).",
    }

    def plan(self) -> list[Query]:
        fir = self.icp.firmographics
        if fir.countries and "FR" not in fir.countries:
            self.messages.append(
                f"{self.name}: the ICP's countries ({', '.join(fir.countries)}) leave out FR;"
                " nothing to ask this French registry"
            )
            return []
        sirens = split_list(self.option("siren"))
        for siren in sirens:
            if not is_valid_siren(siren):
                raise ConfigError(f"{self.name}: --siren {siren!r} is not a valid SIREN")
        if sirens:
            return [Query({"q": siren}, f"SIREN {siren}") for siren in sirens]
        params: dict[str, Any] = {"etat_administratif": "A"}
        naf, sections, bands, natures = self._filters
        if naf:
            params["activite_principale"] = ",".join(naf)
        elif sections:
            params["section_activite_principale"] = ",".join(sections)
        if bands:
            params["tranche_effectif_salarie"] = ",".join(bands)
        if natures:
            params["nature_juridique"] = ",".join(natures)
        for option, key in (("departement", "departement"), ("region", "region"),
                            ("code_postal", "code_postal")):
            values = split_list(self.option(option))
            if values:
                params[key] = ",".join(values)
        q = self.option("q")
        if q is not None:
            if len(q.strip()) < 3:
                raise ConfigError(f"{self.name}: --q needs at least 3 characters")
            params["q"] = q.strip()
        if len(params) == 1:
            raise ConfigError(
                f"{self.name}: the ICP gives no filter this API can use (NAF/NACE industries,"
                " headcount, legal forms) and no --q, --departement or --region was given;"
                " refusing to page through every French company"
            )
        return [Query(params, "ICP")]

    # -- ICP → filters -----------------------------------------------------------------

    def _naf_filter(self) -> tuple[list[str], list[str]]:
        codes: list[str] = []
        sections: list[str] = []
        skipped: list[str] = []
        for scheme, code in self.industries("naf", "nace", "uk_sic", "sic", "naics"):
            if scheme == "naf":
                codes.append(code)
            elif scheme == "nace" and code.isalpha():
                sections.append(code)
            elif scheme == "nace":
                prefix = code if "." in code else code + "."
                codes.extend(naf_codes_under(prefix))
            elif scheme == "uk_sic":
                # UK SIC 2007 sub-classes refine NACE Rev. 2 classes: 62012 → 62.01.
                codes.extend(naf_codes_under(f"{code[:2]}.{code[2:4]}"))
            else:
                skipped.append(f"{scheme} {code}")
        if skipped:
            self.messages.append(
                f"{self.name}: industries {', '.join(skipped)} have no NAF equivalent here;"
                " not used as filters"
            )
        if sections and codes:
            for letter in sections:
                low, high = _SECTIONS[letter]
                codes.extend(c for c in naf_labels() if low <= int(c[:2]) <= high)
            sections = []
        return sorted(set(codes)), sorted(set(sections))

    def _bands(self) -> list[str]:
        ranges = self.icp.firmographics.headcount
        if not ranges:
            return []
        out = []
        for code, (low, high, _label) in TRANCHES.items():
            for r in ranges:
                top = high if high is not None else 10**9
                if low <= (r.max if r.max is not None else 10**9) and r.min <= top:
                    out.append(code)
                    break
        return out

    def _natures(self) -> list[str]:
        forms = self.icp.firmographics.legal_forms
        codes: list[str] = []
        other: list[str] = []
        for form in forms:
            key = re.sub(r"[^A-Z]", "", form.upper())
            if key in LEGAL_FORM_CODES:
                codes.extend(LEGAL_FORM_CODES[key])
            else:
                other.append(form)
        if forms and not codes:
            self.messages.append(
                f"{self.name}: none of the ICP's legal forms ({', '.join(forms)}) is French;"
                " not filtering on legal form"
            )
        elif other:
            self.messages.append(
                f"{self.name}: legal forms {', '.join(other)} are not French; ignored here"
            )
        return sorted(set(codes))

    # -- fetching ------------------------------------------------------------------------

    def fetch(self, query: Query, cursor: str | None) -> Page:
        page_no = int(cursor or 1)
        per_page = self.int_option("per_page", MAX_PER_PAGE, 1, MAX_PER_PAGE)
        params = {**query.params, "page": page_no, "per_page": per_page}
        answer = self.client.get_json("search", params)
        data = answer.data
        if not isinstance(data, dict) or "erreur" in data:
            detail = data.get("erreur") if isinstance(data, dict) else type(data).__name__
            raise ResponseError(f"{self.name}: error answer: {detail}", url=answer.url,
                                raw=json.dumps(data, ensure_ascii=False)[:2000])
        results = data.get("results")
        total = data.get("total_results")
        if not isinstance(results, list) or not isinstance(total, int):
            raise ResponseError(
                f"{self.name}: answer without 'results' list or 'total_results' number",
                url=answer.url, raw=json.dumps(data, ensure_ascii=False)[:2000],
            )
        page = Page(url=answer.url, total=total)
        if page_no == 1 and total >= MAX_RESULTS:
            page.split = self._split(query)
            if not page.split:
                page.messages.append(
                    f"{self.name}: a query still matches {total}+ companies and cannot be "
                    "split further; only its first 10,000 are reachable"
                )
        for position, item in enumerate(results):
            try:
                page.records.append(self._record(item, answer.url, query))
            except (KeyError, TypeError, ValueError) as exc:
                page.problems.append((
                    f"{answer.url} results[{position}]", f"unusable result: {exc}",
                    json.dumps(item, ensure_ascii=False)[:5000],
                ))
        if page.split:
            return page
        last = min(-(-total // per_page), MAX_RESULTS // per_page)
        page.next_cursor = str(page_no + 1) if page_no < last and results else None
        return page

    def _split(self, query: Query) -> list[Query]:
        params = dict(query.params)
        if "departement" not in params and "code_postal" not in params and (
            "region" not in params
        ):
            return [Query({**params, "departement": d}) for d in DEPARTEMENTS]
        for key in ("tranche_effectif_salarie", "activite_principale", "nature_juridique"):
            values = split_list(params.get(key))
            if len(values) > 1:
                return [Query({**params, key: v}) for v in values]
        return []

    def _record(self, item: dict[str, Any], url: str, query: Query) -> CompanyRecord:
        siren = str(item["siren"])
        if not re.fullmatch(r"\d{9}", siren):
            raise ValueError(f"siren {siren!r} is not 9 digits")
        siege = item.get("siege") or {}
        name = item.get("nom_raison_sociale") or item.get("nom_complet")
        if not name:
            raise ValueError("no nom_complet or nom_raison_sociale")
        facts: list[Fact] = [("name", str(item.get("nom_complet") or name)),
                             ("legal_name", str(name)), ("siren", siren), ("country", "FR")]
        naf = item.get("activite_principale")
        label = naf_labels().get(naf or "", "")
        if naf:
            facts.append(("naf", naf))
            if label:
                facts.append(("industry", label))
        nature = item.get("nature_juridique")
        if nature:
            facts.append(("extra:nature_juridique", str(nature)))
            if nature in FORM_OF_CODE:
                facts.append(("legal_form", FORM_OF_CODE[nature]))
        band = item.get("tranche_effectif_salarie")
        if band in TRANCHES:
            low, high, band_label = TRANCHES[band]
            shown = f"{low}+" if high is None else str(low) if low == high else f"{low}-{high}"
            facts.append(("headcount", shown))
            facts.append(("extra:tranche_effectif_salarie", f"{band} ({band_label})"))
        for key in ("categorie_entreprise", "date_creation", "sigle"):
            if item.get(key):
                facts.append((f"extra:{key}", str(item[key])))
        for vat in item.get("tva") or []:
            if isinstance(vat, str) and vat:
                facts.append(("vat", vat))
                break
        if siege.get("siret"):
            facts.append(("siret", str(siege["siret"])))
        for key, field_name in (("adresse", "address"), ("code_postal", "postcode"),
                                ("libelle_commune", "city")):
            if siege.get(key):
                facts.append((field_name, str(siege[key])))
        if siege.get("region") in REGIONS:
            facts.append(("region", REGIONS[siege["region"]]))
        record = CompanyRecord(
            record_id=siren, locator=f"{url}#{siren}", facts=facts, name=str(name), siren=siren,
            text=label,
        )
        self._verdict(record, item, siege, query)
        for position, person in enumerate(item.get("dirigeants") or []):
            built = _dirigeant(siren, position, person)
            if built is not None:
                record.people.append(built)
        return record

    def _verdict(self, record: CompanyRecord, item: dict[str, Any], siege: dict[str, Any],
                 query: Query) -> None:
        """Reasons from the record's own values, checked again (a SIREN query ignores filters)."""
        state = item.get("etat_administratif")
        if state == "C" or item.get("date_fermeture"):
            record.exclusions.append(
                f"closed company (etat_administratif {state}, date_fermeture "
                f"{item.get('date_fermeture') or 'unknown'})"
            )
        else:
            record.reasons.append("active company (etat_administratif A)")
        naf = item.get("activite_principale")
        wanted_naf, sections, bands, natures = self._filters
        if wanted_naf or sections:
            if naf in wanted_naf or item.get("section_activite_principale") in sections:
                label = naf_labels().get(naf or "", "")
                record.reasons.append(f"NAF {naf} ({label}) is an ICP industry")
            else:
                record.mismatches.append(f"NAF {naf} is not among the ICP industries")
        band = item.get("tranche_effectif_salarie")
        if self.icp.firmographics.headcount:
            if band in bands:
                record.reasons.append(
                    f"headcount band {band} ({TRANCHES[band][2]}) within the ICP ranges"
                )
            else:
                record.mismatches.append(f"headcount band {band or 'unknown'} outside the ICP")
        nature = item.get("nature_juridique")
        if natures:
            if nature in natures:
                record.reasons.append(
                    f"legal form {FORM_OF_CODE.get(nature, nature)} (nature juridique "
                    f"{nature}) is an ICP legal form"
                )
            else:
                record.mismatches.append(f"nature juridique {nature} is not an ICP legal form")
        for key in ("departement", "region", "code_postal"):
            if key in query.params and siege.get(key):
                record.reasons.append(f"siège {key} {siege[key]} requested")

    @cached_property
    def _filters(self) -> tuple[list[str], list[str], list[str], list[str]]:
        """(NAF codes, NACE sections, headcount bands, natures juridiques) from the ICP,
        worked out once; what cannot be translated is said once, in the run's messages."""
        naf, sections = self._naf_filter()
        return naf, sections, self._bands(), self._natures()


def _dirigeant(siren: str, position: int, item: dict[str, Any]) -> PersonRecord | None:
    """A natural-person dirigeant as a person; a company acting as dirigeant is not one."""
    if not isinstance(item, dict) or item.get("type_dirigeant") != "personne physique":
        return None
    nom = (item.get("nom") or "").strip()
    prenoms = (item.get("prenoms") or "").strip()
    if not nom and not prenoms:
        return None
    # "THEISSIG (MOLITOR)": birth name, then the usage name in brackets.
    match = re.fullmatch(r"(.*?)\s*\(([^)]*)\)", nom)
    last = (match.group(2) or match.group(1)).strip() if match else nom
    first = prenoms.split()[0] if prenoms else ""
    full = " ".join(p for p in (first, last) if p)
    facts: list[Fact] = []
    if first:
        facts.append(("first_name", first))
    if last:
        facts.append(("last_name", last))
    facts.append(("full_name", full))
    if item.get("qualite"):
        facts.append(("title", str(item["qualite"])))
    if match and match.group(1).strip() and match.group(2).strip():
        facts.append(("extra:birth_name", match.group(1).strip()))
    if prenoms and " " in prenoms:
        facts.append(("extra:given_names", prenoms))
    # Dates of birth stay out of ids and locators: name and company identify the role.
    record_id = f"{siren}/dirigeant/{'-'.join((full or str(position)).split())}"
    return PersonRecord(record_id=record_id, facts=facts, full_name=full)
