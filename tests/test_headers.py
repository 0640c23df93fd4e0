"""Header aliasing: real export headers of each tool family land on the canonical fields."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospecting.headers import (
    COMPANY_ALIASES,
    COMPANY_FIELDS,
    PEOPLE_ALIASES,
    PEOPLE_FIELDS,
    address_groups,
    company_location,
    field_rank,
    map_headers,
    normalize_header,
)


def mapped(headers: list[str], kind: str = "people") -> dict[str, str | None]:
    return dict(zip(headers, map_headers(headers, kind), strict=True))


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("E-mail", "e mail"),
        ("Prénom", "prenom"),
        ("firstName", "first name"),
        ('\ufeff"First Name"', "first name"),
        ("# Employees", "employees"),
        ("LinkedInURL", "linked in url"),
        ("Person - Phone - Mobile", "person phone mobile"),
        ("email2", "email 2"),
        ("N° TVA", "n tva"),
        ("Tranche d'effectif", "tranche d effectif"),
        ("  Code_Postal  ", "code postal"),
        ("STRASSE", "strasse"),
        ("", ""),
    ],
)
def test_normalize_header(header, expected):
    assert normalize_header(header) == expected


@given(st.text())
def test_normalizing_twice_equals_once(header):
    once = normalize_header(header)
    assert normalize_header(once) == once


def test_apollo():
    headers = [
        "First Name",
        "Last Name",
        "Title",
        "Company",
        "Company Name for Emails",
        "Email",
        "Email Status",
        "Secondary Email",
        "Seniority",
        "Departments",
        "Work Direct Phone",
        "Home Phone",
        "Mobile Phone",
        "Corporate Phone",
        "# Employees",
        "Industry",
        "Keywords",
        "Person Linkedin Url",
        "Website",
        "Company Linkedin Url",
        "City",
        "State",
        "Country",
        "Company Address",
        "Company City",
        "Company Country",
    ]
    assert mapped(headers) == {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Title": "title",
        "Company": "company_name",
        "Company Name for Emails": "company_name",
        "Email": "email",
        "Email Status": "email_verdict",  # Bounced: bounced; Verified: valid
        "Secondary Email": "email",
        "Seniority": "seniority",
        "Departments": "department",
        "Work Direct Phone": "phone",
        "Home Phone": "phone",
        "Mobile Phone": "mobile_phone",
        "Corporate Phone": "company_phone",
        "# Employees": "headcount",
        "Industry": "industry",
        "Keywords": None,
        "Person Linkedin Url": "linkedin_url",
        "Website": "website",
        "Company Linkedin Url": "company_linkedin_url",
        "City": "city",
        "State": "region",
        "Country": "country",
        "Company Address": "address",
        "Company City": "city",
        "Company Country": "country",
    }


def test_hubspot():
    headers = [
        "Record ID",
        "First Name",
        "Last Name",
        "Email",
        "Phone Number",
        "Mobile Phone Number",
        "Job Title",
        "Company Name",
        "Website URL",
        "City",
        "State/Region",
        "Country/Region",
        "Postal Code",
        "Street Address",
        "LinkedIn URL",
        "Contact owner",
        "Additional email addresses",
    ]
    assert mapped(headers) == {
        "Record ID": None,
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        "Phone Number": "phone",
        "Mobile Phone Number": "mobile_phone",
        "Job Title": "title",
        "Company Name": "company_name",
        "Website URL": "website",
        "City": "city",
        "State/Region": "region",
        "Country/Region": "country",
        "Postal Code": "postcode",
        "Street Address": "address",
        "LinkedIn URL": "linkedin_url",
        "Contact owner": None,
        "Additional email addresses": "email",
    }


def test_salesforce():
    headers = [
        "Salutation",
        "First Name",
        "Last Name",
        "Title",
        "Account Name",
        "Email",
        "Phone",
        "Mobile",
        "Mailing Street",
        "Mailing City",
        "Mailing State/Province",
        "Mailing Zip/Postal Code",
        "Mailing Country",
        "Lead Source",
        "Account Website",
        "Account: Industry",
    ]
    assert map_headers(headers) == [
        "civility",
        "first_name",
        "last_name",
        "title",
        "company_name",
        "email",
        "phone",
        "mobile_phone",
        "address",
        "city",
        "region",
        "postcode",
        "country",
        None,
        "website",
        "industry",
    ]


def test_pipedrive():
    headers = [
        "Person - Name",
        "Person - Email - Work",
        "Person - Email - Home",
        "Person - Phone - Work",
        "Person - Phone - Mobile",
        "Person - Job title",
        "Organization - Name",
        "Person - Label",
    ]
    assert map_headers(headers) == [
        "full_name",
        "email",
        "email",
        "phone",
        "mobile_phone",
        "title",
        "company_name",
        None,
    ]


def test_pipedrive_in_french():
    headers = [
        "Personne - Nom",
        "Personne - Prénom",
        "Personne - Nom de famille",
        "Personne - E-mail - Travail",
        "Personne - E-mail - Domicile",
        "Personne - Téléphone - Portable",
        "Personne - Intitulé du poste",
        "Organisation - Nom",
        "Organisation - Adresse",
        "Personne - Étiquette",
    ]
    mapping = map_headers(headers)
    assert mapping == [
        "full_name",
        "first_name",
        "last_name",
        "email",
        "email",
        "mobile_phone",
        "title",
        "company_name",
        "address",
        None,
    ]
    assert field_rank(mapping, headers)[3:5] == [0, 1]  # the home address comes second


def test_notes_in_brackets_and_words_in_another_order():
    headers = [
        "Téléphone (bureau)",
        "Téléphone (domicile)",
        "E-mail (travail)",
        "Ville (adresse postale)",
        "Phone (Mobile)",
        "Name (First)",
        "Name (Last)",
        "Commentaire (interne)",
    ]
    mapping = map_headers(headers)
    assert mapping == [
        "phone",
        "phone",
        "email",
        "city",
        "mobile_phone",
        "first_name",
        "last_name",
        None,
    ]
    assert field_rank(mapping, headers)[:2] == [0, 1]


def test_salesforce_in_french_dynamics_and_odoo():
    headers = [
        "Ville de publipostage",
        "Code postal de publipostage",
        "Adresse de messagerie",
        "Address 1: City",
        "Adresse 1 : Code postal",
        "Address 1: Street 1",
        "Société liée",
        "Poste occupé",
        "Current Job Title",
        "Emails",
        "Phone Numbers",
    ]
    assert map_headers(headers) == [
        "city",
        "postcode",
        "email",
        "city",
        "postcode",
        "address",
        "company_name",
        "title",
        "title",
        "email",
        "phone",
    ]
    # Dynamics' second address ranks after its first.
    ranked = ["Address 2: City", "Address 1: City"]
    assert field_rank(map_headers(ranked), ranked) == [1, 0]


def test_paths_of_nested_json_objects():
    headers = [
        "properties.firstname",
        "properties.email",
        "person.name.first",
        "person.name.last",
        "person.emails",
        "organization.name",
        "organization.phone",
        "organization.address.city",
        "properties.hs_object_id",
    ]
    mapping = map_headers(headers)
    assert mapping == [
        "first_name",
        "email",
        "first_name",
        "last_name",
        "email",
        "company_name",
        "company_phone",
        "city",
        None,
    ]
    assert map_headers(["organization.name", "organization.address.city"], "companies") == [
        "name",
        "city",
    ]


@pytest.mark.parametrize(
    ("headers", "kind", "groups"),
    [
        # FEBRL: the number before the first line, the second line after it.
        (["given_name", "street_number", "address_1", "address_2", "suburb"], "people",
         [(2, [1], [3])]),
        (["Adresse 1", "Adresse 2", "Adresse 3", "Ville"], "people", [(0, [], [1, 2])]),
        (["Address 2", "Address"], "people", [(1, [], [0])]),
        (["Street Address", "Complément d'adresse", "Numéro de voie", "Type de voie"],
         "people", [(0, [2, 3], [1])]),
        # Dynamics: two addresses of two lines each.
        (["Address 1: Street 1", "Address 1: Street 2", "Address 2: Street 1",
          "Address 2: Street 2"], "people", [(0, [], [1]), (2, [], [3])]),
        # SIRENE's establishment file.
        (["numeroVoieEtablissement", "indiceRepetitionEtablissement", "typeVoieEtablissement",
          "libelleVoieEtablissement", "complementAdresseEtablissement"], "companies",
         [(3, [0, 1, 2], [4])]),
        (["Address"], "people", []),
        (["Email", "Street Number"], "people", []),
    ],
)
def test_address_groups(headers, kind, groups):
    assert address_groups(headers, map_headers(headers, kind)) == groups


def test_sales_navigator_and_phantombuster():
    headers = ["Profile URL", "LinkedIn Profile URL", "Job Title", "Company", "Location"]
    assert map_headers(headers) == [
        "linkedin_url", "linkedin_url", "title", "company_name", "location"]
    assert map_headers(["profileUrl", "fullName", "companyName", "title"]) == [
        "linkedin_url",
        "full_name",
        "company_name",
        "title",
    ]


def test_lemlist_instantly_smartlead():
    assert map_headers(
        [
            "firstName",
            "lastName",
            "companyName",
            "companyDomain",
            "jobTitle",
            "linkedinUrl",
            "phone",
            "icebreaker",
        ]
    ) == [
        "first_name",
        "last_name",
        "company_name",
        "company_domain",
        "title",
        "linkedin_url",
        "phone",
        None,
    ]
    assert map_headers(["first_name", "company_name", "personalization", "website"]) == [
        "first_name",
        "company_name",
        None,
        "website",
    ]


def test_french_crm_and_excel():
    expected = {
        "Prénom": "first_name",
        "Nom": "last_name",
        "Nom complet": "full_name",
        "Civilité": "civility",
        "Société": "company_name",
        "Entreprise": "company_name",
        "Raison sociale": "company_name",
        "Fonction": "title",
        "Poste": "title",
        "Intitulé de poste": "title",
        "Téléphone": "phone",
        "Tél": "phone",
        "Tel. portable": "mobile_phone",
        "Portable": "mobile_phone",
        "Mobile": "mobile_phone",
        "E-mail": "email",
        "Email": "email",
        "Courriel": "email",
        "Adresse e-mail": "email",
        "Adresse": "address",
        "Code postal": "postcode",
        "CP": "postcode",
        "Ville": "city",
        "Région": "region",
        "Pays": "country",
        "Site web": "website",
        "Site internet": "website",
        "SIREN": "siren",
        "SIRET": "siret",
        "Code NAF": "naf",
        "Code APE": "naf",
        "N° TVA": "vat",
        "Effectif": "headcount",
        "Tranche d'effectif": "headcount",
        "Secteur d'activité": "industry",
        "Profil LinkedIn": "linkedin_url",
        "Département": None,  # a French département or a business unit: kept as is
    }
    assert mapped(list(expected)) == expected


def test_qualified_headers_keep_their_field():
    """Headers no alias names, read without the words that do not change the field."""
    expected = {
        "E-mail professionnel": "email",
        "Email pro": "email",
        "Adresse email professionnelle": "email",
        "Adresse e-mail principale": "email",
        "Primary Email": "email",
        "Work Email Address": "email",
        "Numéro de mobile": "mobile_phone",
        "N° de portable": "mobile_phone",
        "Numéro de téléphone portable": "mobile_phone",
        "N° de téléphone": "phone",
        "Téléphone direct": "phone",
        "Business Phone Number": "phone",
        "Prénom du contact": "first_name",
        "Nom du contact": "last_name",
        "Email du contact": "email",
        "Fonction du contact": "title",
        "LinkedIn du contact": "linkedin_url",
        "Nom de l'établissement": "company_name",
        "Téléphone de la société": "company_phone",
        "LinkedIn de l'entreprise": "company_linkedin_url",
        "Site web de l'entreprise": "website",
        "Ville de l'entreprise": "city",
        "No. of Employees": "headcount",
        # Someone else's facts, or not a field at all: kept as extras.
        "Email de l'entreprise": None,
        "Email du commercial": None,
        "Nom du commercial": None,
        "Propriétaire du contact": None,
        "Numéro client": None,
        "Date de création": None,
    }
    assert mapped(list(expected)) == expected


def test_qualified_second_choices_rank_last():
    headers = ["Email perso", "E-mail professionnel", "Ville de l'entreprise", "Ville"]
    mapping = map_headers(headers)
    assert mapping == ["email", "email", "city", "city"]
    assert field_rank(mapping, headers) == [1, 0, 1, 0]


def test_qualified_headers_in_a_companies_file():
    headers = ["Nom de la société", "Ville de l'entreprise", "Téléphone du contact",
               "Nom du commercial"]
    assert map_headers(headers, "companies") == ["name", "city", None, None]


def test_spelling_variants_meet_on_one_key():
    variants = ["E-mail", "e_mail", "EMail", "email", " Email ", "E‑mail", "Adresse e‑mail"]
    assert set(map_headers(variants)) == {"email"}
    assert set(map_headers(["LinkedIn URL", "linkedinUrl", "Linkedin Url", "linkedin_url"])) == {
        "linkedin_url"
    }


def test_canonical_names_map_to_themselves():
    assert map_headers(list(PEOPLE_FIELDS)) == list(PEOPLE_FIELDS)
    assert map_headers(list(COMPANY_FIELDS), "companies") == list(COMPANY_FIELDS)


def test_unknown_headers_are_extras():
    assert map_headers(["Lead Score", "Notes", "", "column_3", "Lead Source"]) == [None] * 5


def test_companies_kind():
    headers = [
        "Name",
        "Raison sociale",
        "Company Domain",
        "Website",
        "Corporate Phone",
        "LinkedIn URL",
        "SIREN",
        "First Name",
        "Job Title",
        "Nom",
        "Dénomination",
        "Billing City",
    ]
    assert map_headers(headers, "companies") == [
        "name",
        "legal_name",
        "domain",
        "website",
        "phone",
        "linkedin_url",
        "siren",
        None,
        None,
        "name",
        "legal_name",
        "city",
    ]


def test_unknown_kind():
    with pytest.raises(ValueError, match="unknown kind"):
        map_headers(["email"], "deals")


def test_every_alias_names_a_known_field():
    for table in PEOPLE_ALIASES.values():
        assert set(table.values()) <= set(PEOPLE_FIELDS)
    for table in COMPANY_ALIASES.values():
        assert set(table.values()) <= set(COMPANY_FIELDS)


def test_rank_by_column_order():
    headers = ["E-mail 2", "Email", "Prénom", "Téléphone", "Notes"]
    mapping = map_headers(headers)
    assert mapping == ["email", "email", "first_name", "phone", None]
    assert field_rank(mapping) == [0, 1, 0, 0, 0]


def test_a_french_nom_without_a_first_name_column_is_the_whole_name():
    assert map_headers(["Nom", "Email"]) == ["full_name", "email"]
    assert map_headers(["Nom du contact", "Email"]) == ["full_name", "email"]
    assert map_headers(["Nom", "Prénom"]) == ["last_name", "first_name"]
    assert map_headers(["Nom de famille", "Email"]) == ["last_name", "email"]
    assert map_headers(["Last Name", "Email"]) == ["last_name", "email"]
    assert map_headers(["Nom", "Nom complet"]) == ["last_name", "full_name"]


def test_rank_puts_second_choices_last():
    headers = ["Secondary Email", "Email", "Home Phone", "Work Direct Phone", "Email 3", "Email 2"]
    mapping = map_headers(headers)
    assert field_rank(mapping, headers) == [1, 0, 1, 0, 3, 2]


def test_rank_company_location_after_the_persons():
    headers = ["Company City", "City", "Company Address"]
    mapping = map_headers(headers)
    assert mapping == ["city", "city", "address"]
    assert field_rank(mapping, headers) == [1, 0, 0]


def test_rank_checks_its_arguments():
    with pytest.raises(ValueError, match="length"):
        field_rank(["email"], ["Email", "Other"])


@given(st.lists(st.text(max_size=30), max_size=8), st.sampled_from(["people", "companies"]))
def test_any_headers_map_and_rank(headers, kind):
    mapping = map_headers(headers, kind)
    fields = PEOPLE_FIELDS if kind == "people" else COMPANY_FIELDS
    assert all(field is None or field in fields for field in mapping)
    ranks = field_rank(mapping, headers, kind)
    for field in set(mapping) - {None}:
        assert sorted(r for r, f in zip(ranks, mapping, strict=True) if f == field) == list(
            range(mapping.count(field))
        )


def test_more_export_dialects():
    """Apollo's first phone, HubSpot exported with its interface in French, Zoho's short
    mailing address, Sales Navigator's headcount and Brevo's mobile attributes."""
    assert mapped(["First Phone", "Other Phone"]) == {
        "First Phone": "phone", "Other Phone": "phone",
    }
    assert mapped([
        "ID de fiche d'informations", "Prénom", "Nom", "E-mail", "Numéro de téléphone",
        "Numéro de téléphone mobile", "Pays/Région", "État/Région", "Nombre d'employés",
        "Nom de domaine de l'entreprise", "URL du site web",
    ]) == {
        "ID de fiche d'informations": None, "Prénom": "first_name", "Nom": "last_name",
        "E-mail": "email", "Numéro de téléphone": "phone",
        "Numéro de téléphone mobile": "mobile_phone", "Pays/Région": "country",
        "État/Région": "region", "Nombre d'employés": "headcount",
        "Nom de domaine de l'entreprise": "company_domain", "URL du site web": "website",
    }
    assert mapped(["Mailing State", "Mailing Zip", "Company Headcount", "SMS", "WHATSAPP"]) == {
        "Mailing State": "region", "Mailing Zip": "postcode", "Company Headcount": "headcount",
        "SMS": "mobile_phone", "WHATSAPP": "mobile_phone",
    }
    assert mapped(["Company Headcount", "Pays/Région"], "companies") == {
        "Company Headcount": "headcount", "Pays/Région": "country",
    }


@pytest.mark.parametrize(("header", "field", "company"), [
    ("Company City", "city", True),
    ("Organization - Address", "address", True),
    ("Ville de l'entreprise", "city", True),
    ("Pays (société)", "country", True),
    ("organization.address", "address", True),
    ("Organisation City", "city", True),
    ("Company HQ Country", "country", True),
    ("Headquarters City", "city", True),
    ("Account Billing City", "city", True),
    ("Adresse du siège", "address", True),
    ("Siège social", "address", True),
    ("City", "city", False),
    ("person.city", "city", False),
    ("Contact City", "city", False),
    ("Adresse", "address", False),
    ("Billing City", None, False),  # maybe a customer's own: kept as an extra
    # Pipedrive's parts of an organisation's address field.
    ("Organization - Address - City/town/village/locality", "city", True),
    ("Organization - ZIP/Postal code of Address", "postcode", True),
])
def test_a_location_named_after_the_company_is_the_company_s(header, field, company):
    mapping = map_headers(["City", header])
    assert mapping[1] == field
    assert company_location(header) is company
    if field == "city" and company:
        # The person's own city comes first; the company's is their place of work.
        assert field_rank(mapping, ["City", header]) == [0, 1]


def test_zoominfo():
    headers = ["ZoomInfo Contact ID", "First Name", "Last Name", "Job Title",
               "Direct Phone Number", "Email Address", "Mobile phone",
               "LinkedIn Contact Profile URL", "Person City", "Company Name", "Website",
               "Employees", "LinkedIn Company Profile URL", "Company City"]
    assert mapped(headers) == {
        "ZoomInfo Contact ID": None, "First Name": "first_name", "Last Name": "last_name",
        "Job Title": "title", "Direct Phone Number": "phone", "Email Address": "email",
        "Mobile phone": "mobile_phone", "LinkedIn Contact Profile URL": "linkedin_url",
        "Person City": "city", "Company Name": "company_name", "Website": "website",
        "Employees": "headcount", "LinkedIn Company Profile URL": "company_linkedin_url",
        "Company City": "city",
    }


def test_short_names_for_the_names():
    """Hand-made lists and test sets write the names short."""
    assert mapped(["fname", "lname", "f_name", "L Name", "FName", "display_name"]) == {
        "fname": "first_name", "lname": "last_name", "f_name": "first_name",
        "L Name": "last_name", "FName": "first_name", "display_name": "full_name",
    }
    assert mapped(["employer_name", "org", "Org Name", "domain_name", "city_name"]) == {
        "employer_name": "company_name", "org": "company_name", "Org Name": "company_name",
        "domain_name": "company_domain", "city_name": "city",
    }


def test_google_contacts():
    """Google CSV as Google Contacts exports it now, and its older form: the numbered
    values are numbered copies, their labels extras."""
    headers = ["First Name", "Middle Name", "Last Name", "Name Prefix", "Nickname",
               "Organization Name", "Organization Title", "Organization Department",
               "E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value",
               "Phone 1 - Label", "Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value",
               "Address 1 - Label", "Address 1 - City", "Address 1 - Postal Code",
               "Website 1 - Label", "Website 1 - Value"]
    got = mapped(headers)
    assert {h: f for h, f in got.items() if f} == {
        "First Name": "first_name", "Last Name": "last_name", "Name Prefix": "civility",
        "Organization Name": "company_name", "Organization Title": "title",
        "Organization Department": "department", "E-mail 1 - Value": "email",
        "E-mail 2 - Value": "email", "Phone 1 - Value": "phone", "Phone 2 - Value": "phone",
        "Address 1 - City": "city", "Address 1 - Postal Code": "postcode",
        "Website 1 - Value": "website",
    }
    mapping = map_headers(headers)
    ranks = dict(zip(headers, field_rank(mapping, headers), strict=True))
    assert (ranks["E-mail 1 - Value"], ranks["E-mail 2 - Value"]) == (0, 1)
    assert (ranks["Phone 1 - Value"], ranks["Phone 2 - Value"]) == (0, 1)
    older = ["Name", "Given Name", "Family Name", "E-mail 1 - Type", "E-mail 1 - Value",
             "Organization 1 - Type", "Organization 1 - Name", "Organization 1 - Title"]
    assert mapped(older) == {
        "Name": "full_name", "Given Name": "first_name", "Family Name": "last_name",
        "E-mail 1 - Type": None, "E-mail 1 - Value": "email", "Organization 1 - Type": None,
        "Organization 1 - Name": "company_name", "Organization 1 - Title": "title",
    }


def test_outlook_contacts():
    """Outlook's CSV: "Title" holds Mr. or Dr. beside the "Job Title"; the second and
    third addresses are numbered inside their header."""
    headers = ["Title", "First Name", "Middle Name", "Last Name", "Suffix", "Company",
               "Department", "Job Title", "Business Street", "Business City",
               "Business Phone", "Mobile Phone", "E-mail Address", "E-mail 2 Address",
               "E-mail 3 Address", "Web Page"]
    got = mapped(headers)
    assert (got["Title"], got["Job Title"]) == ("civility", "title")
    assert got["Web Page"] == "website"
    mapping = map_headers(headers)
    ranks = dict(zip(headers, field_rank(mapping, headers), strict=True))
    assert [mapping[headers.index(h)] for h in headers if "E-mail" in h] == ["email"] * 3
    assert [ranks[h] for h in headers if "E-mail" in h] == [0, 1, 2]
    # Without a job title column, "Title" is the job title (Salesforce, Apollo).
    assert mapped(["Title", "First Name"])["Title"] == "title"


def test_sellsy_address_parts():
    """Sellsy writes its address's parts after the word: "Adresse - Ville"."""
    assert mapped(["Raison sociale", "Adresse - Rue", "Adresse - Code postal",
                   "Adresse - Ville", "Adresse - Pays", "Address Type"]) == {
        "Raison sociale": "company_name", "Adresse - Rue": "address",
        "Adresse - Code postal": "postcode", "Adresse - Ville": "city",
        "Adresse - Pays": "country", "Address Type": None,
    }
