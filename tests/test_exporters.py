"""Email-tool and CRM import files: headers, golden files, exclusions, formula safety."""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from sequences.exporters.profiles import PROFILES, ExportResult, export_tool

GOLDEN = Path(__file__).parent / "fixtures" / "exports"


def person(**fields: Any) -> dict[str, Any]:
    """A person in the shape of the JSONL dump (CLI.md), every key present."""
    record: dict[str, Any] = {
        "id": 1, "first_name": None, "last_name": None, "full_name": None, "title": None,
        "seniority": None, "department": None, "email": None, "emails": [], "phone": None,
        "phones": [], "linkedin_url": None, "company": None, "tags": ["non-enriched"],
        "suppressed": False, "stage": None, "score": None, "temperature": None,
        "source_ids": [], "address": None, "postcode": None, "city": None, "region": None,
        "country": None, "extra": {}, "sources": [], "steps": [],
    }
    email = fields.get("email")
    if email and "emails" not in fields:
        record["emails"] = [
            {"value": email, "status": "valid", "flags": [], "reason": "smtp 250",
             "sources": ["crm"]}
        ]
    record.update(fields)
    return record


def company(name: str | None, domain: str | None = None, website: str | None = None,
            country: str | None = "FR") -> dict[str, Any]:
    return {"name": name, "domain": domain, "website": website, "country": country,
            "siren": None}


HELENE = person(
    id=1, first_name="Hélène", last_name="Verrier", full_name="Hélène Verrier",
    title="Directrice commerciale", email="helene.verrier@kerlann.example",
    phone="+33612345678", linkedin_url="https://www.linkedin.com/in/helene-verrier",
    company=company("Kerlann SAS", "kerlann.example", "https://www.kerlann.example/"),
    tags=["enriched"], stage="MQL", address="12 rue de la Paix", postcode="75002",
    city="Paris", region="Île-de-France", country="FR",
    extra={"icebreaker": "Vu votre stand au salon"},
)
BOB = person(
    id=2, first_name="Bob", last_name="Smith", title='=HYPERLINK("http://evil.example","x")',
    email="bob@bis.example", phone="+442079460000",
    company=company("-Bis- Conseil", None, "http://www.bis.example/contact", "GB"),
    city="London", country="GB",
)
NO_EMAIL = person(
    id=3, first_name="Chloé", last_name="Durand", phone="+33142000000",
    company=company("Atelier Durand", "atelier-durand.example"), city="Lyon", country="FR",
)
SUPPRESSED = person(
    id=4, first_name="Marc", last_name="Leroy", email="marc@kerlann.example",
    company=company("Kerlann SAS", "kerlann.example"), suppressed=True,
)
PEOPLE = [HELENE, BOB, NO_EMAIL, SUPPRESSED]

HEADERS = {
    "lemlist": ["email", "firstName", "lastName", "companyName", "companyDomain", "jobTitle",
                "phone", "linkedinUrl", "icebreaker", "tags", "timezone", "sequence",
                "firstStepSubject", "firstStepBody"],
    "instantly": ["email", "first_name", "last_name", "company_name", "job_title", "phone",
                  "website", "personalization", "linkedin_url", "tags", "sequence",
                  "first_step_subject", "first_step_body"],
    "smartlead": ["email", "first_name", "last_name", "company_name", "job_title",
                  "phone_number", "website", "company_url", "linkedin_profile", "location",
                  "tags", "icebreaker", "sequence", "first_step_subject", "first_step_body"],
    "hubspot": ["First Name", "Last Name", "Email", "Phone Number", "Job Title",
                "Company Name", "Website URL", "City", "Country/Region", "Lifecycle Stage",
                "Tags"],
    "brevo": ["EMAIL", "FIRSTNAME", "LASTNAME", "SMS", "LANDLINE_NUMBER", "COMPANY",
              "JOB_TITLE", "TAGS"],
    "mailchimp": ["Email Address", "First Name", "Last Name", "Phone Number", "Address",
                  "Tags"],
    "apollo": ["First Name", "Last Name", "Title", "Company Name", "Company Website",
               "Contact Email", "Contact LinkedIn URL", "Phone", "City", "Country", "Tags"],
    "salesforce": ["FirstName", "LastName", "Company", "Email", "Title", "Phone",
                   "MobilePhone", "Website", "City", "Country", "LeadSource"],
}
EMAIL_TOOLS = ("lemlist", "instantly", "smartlead", "mailchimp", "brevo")


def read(path: Path, name: str) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=PROFILES[name].delimiter))


def export(tmp_path: Path, name: str, people: list[dict[str, Any]]) -> ExportResult:
    return export_tool(people, PROFILES[name], tmp_path / f"{name}.csv")


def test_every_format_has_a_profile():
    assert set(PROFILES) == set(HEADERS)


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header_row(tmp_path: Path, name: str):
    result = export(tmp_path, name, [])
    assert result == ExportResult(0, [tmp_path / f"{name}.csv"], {})
    delimiter = PROFILES[name].delimiter
    first_line = (tmp_path / f"{name}.csv").read_bytes().split(b"\r\n")[0].decode()
    assert first_line == delimiter.join(f'"{h}"' for h in HEADERS[name])


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_golden_file(tmp_path: Path, name: str):
    result = export(tmp_path, name, PEOPLE)
    assert (tmp_path / f"{name}.csv").read_bytes() == (GOLDEN / f"{name}.csv").read_bytes()
    assert result.left_out["suppressed"] == 1


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_formula_cells_are_escaped(tmp_path: Path, name: str):
    export(tmp_path, name, [BOB])
    [row] = read(tmp_path / f"{name}.csv", name)
    values = set(row.values())
    columns = HEADERS[name]
    title = next((c for c in columns if c.lower().replace("_", "") in ("title", "jobtitle")),
                 None)
    if title:
        assert row[title] == '\'=HYPERLINK("http://evil.example","x")'
    company_column = next((c for c in columns if c.lower().replace("_", "").replace(" ", "")
                           in ("companyname", "company")), None)
    if company_column:
        assert row[company_column] == "'-Bis- Conseil"
    assert not any(v.startswith(("=", "-", "+", "@")) for v in values if v != "+442079460000")


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_e164_phone_is_written_unchanged(tmp_path: Path, name: str):
    export(tmp_path, name, [HELENE])
    [row] = read(tmp_path / f"{name}.csv", name)
    # A mobile: in each tool's phone column (Brevo's SMS, Salesforce's Phone and
    # MobilePhone), none in a landline's.
    assert {row[c] for c in PROFILES[name].phone_columns if c != "LANDLINE_NUMBER"} == {
        "+33612345678"}


def test_only_e164_phones_are_written(tmp_path: Path):
    export(tmp_path, "brevo", [person(email="a@b.example", phone="01 42 00 00 00")])
    [row] = read(tmp_path / "brevo.csv", "brevo")
    assert row["SMS"] == ""


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_suppressed_people_are_left_out(tmp_path: Path, name: str):
    result = export(tmp_path, name, [SUPPRESSED, HELENE])
    assert result.written == 1
    assert result.left_out == {"suppressed": 1}
    assert "marc" not in (tmp_path / f"{name}.csv").read_text(encoding="utf-8").lower()


@pytest.mark.parametrize("name", EMAIL_TOOLS)
def test_email_tools_need_an_email(tmp_path: Path, name: str):
    result = export(tmp_path, name, [NO_EMAIL, HELENE])
    assert (result.written, result.left_out) == (1, {"no email": 1})


def entry(value: str, status: str = "valid", flags: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"value": value, "status": status, "flags": list(flags), "reason": "smtp 250",
            "sources": ["crm"]}


@pytest.mark.parametrize("name", EMAIL_TOOLS)
def test_an_idn_domain_is_written_in_ascii(tmp_path: Path, name: str):  # catalogue E11
    export(tmp_path, name, [person(first_name="Jean", last_name="Roy",
                                   email="contact@société.fr")])
    text = (tmp_path / f"{name}.csv").read_text(encoding="utf-8-sig")
    assert "contact@xn--socit-esab.fr" in text
    assert "société" not in text


@pytest.mark.parametrize("name", EMAIL_TOOLS)
def test_an_address_needing_smtputf8_is_not_written(tmp_path: Path, name: str):  # E12
    only = person(first_name="Élodie", last_name="Roy", email="élodie@société.fr")
    result = export(tmp_path, name, [only, HELENE])
    assert (result.written, result.left_out) == (
        1, {"address needs SMTPUTF8 (internationalised local part)": 1})
    # The person's next usable address is, if any (not an invalid one, nor a guess).
    second = person(first_name="Élodie", last_name="Roy", email="élodie@société.fr",
                    emails=[entry("élodie@société.fr"), entry("bad@x.fr", "invalid"),
                            entry("e.roy@x.fr", "unknown", ("guessed",)),
                            entry("elodie.roy@acme.fr", "valid", ("free",))])
    assert export(tmp_path, name, [second]).written == 1
    assert "elodie.roy@acme.fr" in (tmp_path / f"{name}.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("kind", ["premium_rate", "shared_cost", "uan"])
def test_a_number_that_is_no_direct_line_is_not_written(tmp_path: Path, kind: str):  # PH-5
    phones = [{"raw": "08 99 12 34 56", "e164": "+33899123456", "valid": True, "type": kind,
               "reason": "ok", "sources": ["crm"]}]
    alone = person(email="a@b.example", phone="+33899123456", phones=phones)
    export(tmp_path, "brevo", [alone])
    [row] = read(tmp_path / "brevo.csv", "brevo")
    assert row["SMS"] == ""
    mobile = {"raw": "06 12 34 56 78", "e164": "+33612345678", "valid": True,
              "type": "mobile", "reason": "ok", "sources": ["crm"]}
    export(tmp_path, "brevo", [{**alone, "phones": [*phones, mobile]}])
    [row] = read(tmp_path / "brevo.csv", "brevo")
    assert row["SMS"] == "+33612345678"


def test_mobiles_and_landlines_go_to_their_own_columns(tmp_path: Path):
    """Brevo texts the SMS attribute and keeps a landline in LANDLINE_NUMBER; Salesforce
    keeps the mobile in MobilePhone beside the best number in Phone. Types come from the
    phone check, else from the numbering plan (an unchecked +33 1 is a landline)."""
    def line(raw: str, e164: str, kind: str | None) -> dict[str, Any]:
        return {"raw": raw, "e164": e164, "valid": None if kind is None else True,
                "type": kind, "reason": "ok", "sources": ["crm"]}
    office = line("01 42 68 53 00", "+33142685300", "fixed_line")
    mobile = line("06 12 34 56 78", "+33612345678", "mobile")
    both = person(email="a@acme.example", phone="+33142685300", phones=[office, mobile])
    unchecked = person(email="b@acme.example", phone="+33142685300",
                       phones=[line("01 42 68 53 00", "+33142685300", None)])
    us = person(email="c@acme.example", phone="+12015550123",
                phones=[line("201 555 0123", "+12015550123", "fixed_line_or_mobile")])
    export(tmp_path, "brevo", [both, unchecked, us])
    rows = {r["EMAIL"]: r for r in read(tmp_path / "brevo.csv", "brevo")}
    assert (rows["a@acme.example"]["SMS"], rows["a@acme.example"]["LANDLINE_NUMBER"]) == (
        "+33612345678", "+33142685300")
    assert (rows["b@acme.example"]["SMS"], rows["b@acme.example"]["LANDLINE_NUMBER"]) == (
        "", "+33142685300")
    # North America's plan cannot tell: as before, the number a text may reach.
    assert (rows["c@acme.example"]["SMS"], rows["c@acme.example"]["LANDLINE_NUMBER"]) == (
        "+12015550123", "")
    export(tmp_path, "salesforce", [{**both, "last_name": "Roy", "company": company("Acme")},
                                    {**unchecked, "last_name": "Roy",
                                     "company": company("Acme")}])
    rows = {r["Email"]: r for r in read(tmp_path / "salesforce.csv", "salesforce")}
    assert (rows["a@acme.example"]["Phone"], rows["a@acme.example"]["MobilePhone"]) == (
        "+33142685300", "+33612345678")
    assert (rows["b@acme.example"]["Phone"], rows["b@acme.example"]["MobilePhone"]) == (
        "+33142685300", "")
    # A number the plan cannot tell is no known mobile: Phone only.
    export(tmp_path, "salesforce", [{**us, "last_name": "Roy", "company": company("Acme")}])
    [row] = read(tmp_path / "salesforce.csv", "salesforce")
    assert (row["Phone"], row["MobilePhone"]) == ("+12015550123", "")


def test_hubspot_needs_a_name_or_an_email(tmp_path: Path):
    people = [
        person(company=company("Acme")),
        person(last_name="Only"),
        person(email="only@acme.example"),
    ]
    result = export(tmp_path, "hubspot", people)
    assert (result.written, result.left_out) == (2, {"no name or email": 1})


def test_hubspot_dedupes_on_email(tmp_path: Path):
    people = [
        person(first_name="Ann", email="ann@acme.example"),
        person(first_name="Annie", email="ANN@Acme.example"),
        person(first_name="Other", email="other@acme.example"),
    ]
    result = export(tmp_path, "hubspot", people)
    assert (result.written, result.left_out) == (2, {"duplicate email": 1})
    rows = read(tmp_path / "hubspot.csv", "hubspot")
    assert [r["First Name"] for r in rows] == ["Ann", "Other"]


def test_hubspot_lifecycle_stage(tmp_path: Path):
    export(tmp_path, "hubspot", [HELENE, BOB])
    rows = read(tmp_path / "hubspot.csv", "hubspot")
    assert [r["Lifecycle Stage"] for r in rows] == ["Marketing Qualified Lead", ""]


def test_apollo_needs_company_website_linkedin_or_email(tmp_path: Path):
    people = [
        person(first_name="Nobody", last_name="Known", phone="+33612345678"),
        person(linkedin_url="https://www.linkedin.com/in/x"),
        person(company=company(None, "acme.example")),
    ]
    result = export(tmp_path, "apollo", people)
    assert (result.written, result.left_out) == (
        2, {"no company, website, LinkedIn or email": 1}
    )


@pytest.mark.parametrize(("domain", "website"), [
    (None, "https://www.Kerlann.example/contact?x=1"),
    ("www.kerlann.example", None),
    ("kerlann.example", "http://other.example"),
])
def test_apollo_company_website_is_a_bare_domain(tmp_path: Path, domain, website):
    export(tmp_path, "apollo", [person(company=company("Kerlann", domain, website))])
    [row] = read(tmp_path / "apollo.csv", "apollo")
    assert row["Company Website"] == "kerlann.example"


def test_apollo_splits_files_above_the_row_cap(tmp_path: Path):
    assert PROFILES["apollo"].max_rows == 10_000
    assert PROFILES["salesforce"].max_rows == 50_000
    profile = dataclasses.replace(PROFILES["apollo"], max_rows=3)
    people = [person(id=i, first_name=f"P{i}", email=f"p{i}@acme.example") for i in range(7)]
    people.insert(2, SUPPRESSED)
    out = tmp_path / "apollo.csv"
    result = export_tool(people, profile, out)
    names = ["apollo-1.csv", "apollo-2.csv", "apollo-3.csv"]
    assert result == ExportResult(7, [tmp_path / n for n in names], {"suppressed": 1})
    assert not out.exists()
    chunks = [[r["First Name"] for r in read(tmp_path / n, "apollo")] for n in names]
    assert chunks == [["P0", "P1", "P2"], ["P3", "P4", "P5"], ["P6"]]


def test_apollo_at_the_row_cap_writes_one_file(tmp_path: Path):
    profile = dataclasses.replace(PROFILES["apollo"], max_rows=3)
    people = [person(id=i, email=f"p{i}@acme.example") for i in range(3)]
    result = export_tool(people, profile, tmp_path / "apollo.csv")
    assert result == ExportResult(3, [tmp_path / "apollo.csv"], {})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["apollo.csv"]


def test_mailchimp_refuses_role_addresses(tmp_path: Path):
    role = person(
        email="contact@acme.example",
        emails=[
            {"value": "contact@acme.example", "status": "valid", "flags": ["role"],
             "reason": "smtp 250", "sources": ["crawl"]},
        ],
    )
    result = export(tmp_path, "mailchimp", [role, HELENE])
    assert (result.written, result.left_out) == (1, {"role address refused by Mailchimp": 1})
    # Other tools take a role address.
    assert export(tmp_path, "lemlist", [role]).written == 1


def test_mailchimp_clips_text_to_255_bytes(tmp_path: Path):
    long_name = "é" * 200  # 400 bytes
    formula = "=" + "a" * 300
    export(tmp_path, "mailchimp", [
        person(email="a@acme.example", first_name=long_name, last_name=formula),
    ])
    [row] = read(tmp_path / "mailchimp.csv", "mailchimp")
    assert row["First Name"] == "é" * 127
    assert len(row["Last Name"].encode()) == 255
    assert row["Last Name"].startswith("'=aaa")


def test_salesforce_required_fields(tmp_path: Path):
    people = [
        person(first_name="No", company=company("Acme")),
        person(last_name="Nocompany"),
        person(last_name="Smith", company=company("Acme"), email="s@acme.example"),
    ]
    result = export(tmp_path, "salesforce", people)
    assert (result.written, result.left_out) == (1, {"no last name": 1, "no company": 1})


def test_salesforce_text_limits(tmp_path: Path):
    export(tmp_path, "salesforce", [
        person(first_name="F" * 60, last_name="L" * 100, company=company("C" * 300)),
    ])
    [row] = read(tmp_path / "salesforce.csv", "salesforce")
    assert (len(row["FirstName"]), len(row["LastName"]), len(row["Company"])) == (40, 80, 255)
    assert row["LeadSource"] == "non-enriched"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from prospecting import api

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    api.demo(db)
    return db


def _demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    """The demo's database, copied for a test of its own (one file: checkpointed)."""
    import sqlite3

    db = tmp_path / "demo.db"
    with sqlite3.connect(demo_db) as source, sqlite3.connect(db) as target:
        source.backup(target)
    return db


def test_the_jsonl_dump_writes_the_stored_json_as_the_records_hold_it(tmp_path: Path,
                                                                       demo_db: Path):
    """The full dump splices the stored JSON columns instead of decoding and encoding
    them: every line is the object iter_people builds, key order included."""
    import json

    from prospecting import api
    from prospecting.store import Store
    from sequences.export import iter_people, people_lines

    db = _demo_copy(demo_db, tmp_path)
    people = _people(db)
    assert any(p["steps"] for p in people)
    assert any(p["company"] for p in people)
    with Store(db) as store:
        lines = list(people_lines(store))
    assert [json.loads(line) for line in lines] == people
    assert [list(json.loads(line)) for line in lines] == [list(p) for p in people]
    # A suppressed address flags its person in both.
    address = next(p["email"] for p in people if p["email"] and not p["suppressed"])
    api.suppress(db, [address])
    with Store(db) as store:
        flagged = {p["id"]: p["suppressed"] for p in iter_people(store)}
        spliced = {p["id"]: p["suppressed"] for p in map(json.loads, people_lines(store))}
    assert spliced == flagged
    assert sum(flagged.values()) > sum(p["suppressed"] for p in people)
    out = tmp_path / "dump.jsonl"
    api.export(db, format="jsonl", out=out)
    # Byte for byte what json.dumps writes of each object.
    assert out.read_text("utf-8").splitlines() == [
        json.dumps(p, ensure_ascii=False) for p in _people(db)
    ]


def test_the_dump_written_by_two_processes_is_the_same(tmp_path: Path, demo_db: Path,
                                                       monkeypatch: pytest.MonkeyPatch):
    """A large dump is shared out between two processes at the middle id: the same
    bytes and counts as one process writes, and no file of the second half left."""
    import sequences.export as export_module
    from prospecting import api
    from prospecting.forked import can_fork

    if not can_fork():
        pytest.skip("one process where it cannot fork")
    db = _demo_copy(demo_db, tmp_path)
    api.suppress(db, [next(p["email"] for p in _people(db) if p["email"])])
    one = api.export(db, format="jsonl", out=tmp_path / "one.jsonl")
    monkeypatch.setattr(export_module, "PARALLEL_MIN_PEOPLE", 2)
    middle = export_module._middle_id
    used: list[str | None] = []
    monkeypatch.setattr(export_module, "_middle_id",
                        lambda store: used.append(middle(store)) or used[-1])
    two = api.export(db, format="jsonl", out=tmp_path / "two.jsonl")
    assert used[0] is not None
    text = (tmp_path / "two.jsonl").read_bytes()
    assert text == (tmp_path / "one.jsonl").read_bytes()
    lines = text.decode().splitlines()
    # Both halves hold people.
    assert sum(line < f'{{"id": "{used[0]}"' for line in lines) not in (0, len(lines))
    assert (two.read, two.written) == (one.read, one.written) == (len(lines), len(lines))
    assert not [f for f in tmp_path.iterdir() if f.name.startswith(".")]


def _people(db: Path) -> list[dict[str, Any]]:
    from prospecting.store import Store
    from sequences.export import iter_people

    with Store(db) as store:
        return list(iter_people(store))
