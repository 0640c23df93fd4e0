"""Map the headers of an imported file onto the project's canonical fields.

Exports from prospecting tools and CRMs name the same column many ways ("First Name",
"firstName", "first_name", "Prénom"). Each header is normalised (:func:`normalize_header`)
and looked up without its spaces, so "E-mail", "e_mail", "EMail" and "Email" are one key.
What is not recognised maps to ``None``: the importer keeps it as an extra column under its
original header.

Several columns may map to one field ("Email" and "Secondary Email"); the importer keeps
every value and :func:`field_rank` says which comes first.

The alias tables are data, grouped by the tool whose exports they come from; an alias is
written as the tool writes it, and normalised when the module loads.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

__all__ = [
    "COMPANY_ALIASES",
    "COMPANY_FIELDS",
    "LOCATION_FIELDS",
    "PEOPLE_ALIASES",
    "PEOPLE_FIELDS",
    "company_location",
    "field_rank",
    "map_headers",
    "normalize_header",
    "shown_columns",
]

PEOPLE_FIELDS = (
    "first_name",
    "last_name",
    "full_name",
    "civility",
    "email",
    "phone",
    "mobile_phone",
    "title",
    "seniority",
    "department",
    "linkedin_url",
    "address",
    "street_number",
    "street_type",
    "postcode",
    "city",
    "region",
    "country",
    "company_name",
    "company_domain",
    "website",
    "company_linkedin_url",
    "company_phone",
    "industry",
    "naf",
    "siren",
    "siret",
    "vat",
    "headcount",
    "legal_form",
    "opt_out",
    "email_bounced",
    "email_bounce_reason",
    "email_verdict",
    "do_not_call",
    "location",
)

COMPANY_FIELDS = (
    "name",
    "legal_name",
    "domain",
    "website",
    "email",
    "phone",
    "linkedin_url",
    "address",
    "street_number",
    "street_type",
    "postcode",
    "city",
    "region",
    "country",
    "industry",
    "naf",
    "siren",
    "siret",
    "vat",
    "headcount",
    "legal_form",
)

#: Headers of ``--kind people`` files, by the tool whose exports use them.
PEOPLE_ALIASES: dict[str, dict[str, str]] = {
    # The canonical names themselves, and plain English spellings found everywhere.
    "generic": {
        **{field: field for field in PEOPLE_FIELDS},
        "First": "first_name",
        "Given Name": "first_name",
        "Forename": "first_name",
        "FName": "first_name",  # also "fname", "f_name", "F Name"
        "Last": "last_name",
        "Surname": "last_name",
        "Family Name": "last_name",
        "LName": "last_name",
        "Name": "full_name",
        "Contact Name": "full_name",
        "Contact": "full_name",
        "Display Name": "full_name",
        "Salutation": "civility",
        "Honorific": "civility",
        "Prefix": "civility",
        "Name Prefix": "civility",
        "E-mail": "email",
        "Mail": "email",
        "Email Address": "email",
        "E-mail Address": "email",
        "Work Email": "email",
        "Business Email": "email",
        "Professional Email": "email",
        "Personal Email": "email",
        "Other Email": "email",
        "Alternate Email": "email",
        "Phone Number": "phone",
        "Telephone": "phone",
        "Tel": "phone",
        "Work Phone": "phone",
        "Direct Phone": "phone",
        "Direct Dial": "phone",
        "Direct Number": "phone",
        # The person asked not to be emailed: the import suppresses their addresses.
        "Opt Out": "opt_out",
        "Opted Out": "opt_out",
        "Email Opt Out": "opt_out",
        "Has Opted Out Of Email": "opt_out",
        "Unsubscribed": "opt_out",
        "Is Unsubscribed": "opt_out",
        "Unsubscribed From All Email": "opt_out",
        "hs_email_optout": "opt_out",
        "Blacklisted": "opt_out",
        "Email Blacklisted": "opt_out",
        "Do Not Contact": "opt_out",
        "Do Not Email": "opt_out",
        "Marketing Status": "opt_out",
        # The person must not be called (Salesforce's DoNotCall checkbox): no call step.
        "Do Not Call": "do_not_call",
        "DoNotCall": "do_not_call",
        "Do Not Phone": "do_not_call",
        "Ne pas appeler": "do_not_call",
        "Nicht anrufen": "do_not_call",
        # The address bounced (a flag, a count, or the server's reason): it is invalid.
        "Bounced": "email_bounced",
        "Is Bounced": "email_bounced",
        "Hard Bounced": "email_bounced",
        "Email Bounced": "email_bounced",
        "Emails Bounced": "email_bounced",
        "Bounce Count": "email_bounced",
        "Marketing emails bounced": "email_bounced",
        "hs_email_bounce": "email_bounced",
        "Email hard bounce reason": "email_bounce_reason",
        "hs_email_hard_bounce_reason": "email_bounce_reason",
        "Hard Bounce Reason": "email_bounce_reason",
        # What the source's own verification said of the address (Hunter's
        # "Verification status", lemlist's emailStatus, ZeroBounce's "ZB Status"):
        # valid, invalid, catch-all, risky or unknown, in its words.
        "Email Status": "email_verdict",
        "Verification Status": "email_verdict",
        "Email Verification Status": "email_verdict",
        "Email Verification": "email_verdict",
        "Email Verification Result": "email_verdict",
        "Verification Result": "email_verdict",
        "Email Validation": "email_verdict",
        "Email Validation Status": "email_verdict",
        "Email Validity": "email_verdict",
        "Email Deliverability": "email_verdict",
        "Deliverability": "email_verdict",
        "ZB Status": "email_verdict",
        "Statut email": "email_verdict",
        "Statut de l'email": "email_verdict",
        "Statut de vérification": "email_verdict",
        "Vérification email": "email_verdict",
        "Street Number": "street_number",
        "Street No": "street_number",
        "House Number": "street_number",
        "House No": "street_number",
        "Building Number": "street_number",
        "Street Type": "street_type",
        "Suburb": "city",
        "Locality": "city",
        "Emails": "email",
        "Phones": "phone",
        "Phone Numbers": "phone",
        "Job Position": "title",
        "Office Phone": "phone",
        "Business Phone": "phone",
        "Other Phone": "phone",
        "Mobile": "mobile_phone",
        "Mobile Number": "mobile_phone",
        "Cell": "mobile_phone",
        "Cell Phone": "mobile_phone",
        "Job Title": "title",
        "Position": "title",
        "Role": "title",
        "Job": "title",
        "Seniority Level": "seniority",
        "Management Level": "seniority",
        "Department": "department",
        "Legal Form": "legal_form",
        "Legal Entity Type": "legal_form",
        "Linkedin": "linkedin_url",
        "LinkedIn URL": "linkedin_url",
        "LinkedIn Profile": "linkedin_url",
        "LinkedIn Profile URL": "linkedin_url",
        "Street": "address",
        "Street Address": "address",
        "Address Line 1": "address",
        "Address Line 2": "address",
        "Postal Code": "postcode",
        "Post Code": "postcode",
        "Zip": "postcode",
        "Zip Code": "postcode",
        "Zip/Postal Code": "postcode",
        "Town": "city",
        "City Name": "city",
        "State": "region",
        "Province": "region",
        "State/Province": "region",
        "Country Code": "country",
        "Company": "company_name",
        "Company Name": "company_name",
        "Organization": "company_name",
        "Organisation": "company_name",
        "Employer": "company_name",
        "Employer Name": "company_name",
        "Org": "company_name",
        "Org Name": "company_name",
        "Organization Name": "company_name",
        "Current Company": "company_name",
        "Domain": "company_domain",
        "Domain Name": "company_domain",
        "Company Domain": "company_domain",
        "Company Website": "website",
        "Website URL": "website",
        "URL": "website",
        "Web": "website",
        "Homepage": "website",
        "Web Page": "website",
        "Company URL": "website",
        "Company LinkedIn": "company_linkedin_url",
        "Company LinkedIn URL": "company_linkedin_url",
        "LinkedIn Company URL": "company_linkedin_url",
        "Company Phone": "company_phone",
        "Company Phone Number": "company_phone",
        "Main Phone": "company_phone",
        "Switchboard": "company_phone",
        "Sector": "industry",
        "Company Industry": "industry",
        "NAF Code": "naf",
        "VAT Number": "vat",
        "VAT ID": "vat",
        "Employees": "headcount",
        "Number of Employees": "headcount",
        "Employee Count": "headcount",
        "Company Size": "headcount",
    },
    # Google Contacts ("Google CSV"): the organisation's fields. Its numbered values
    # ("E-mail 1 - Value", "Phone 2 - Value", "Website 1 - Value") are read as numbered
    # copies of a field (see _match); their "- Label" columns are kept as extras.
    "google_contacts": {
        "Organization Title": "title",
        "Organization Department": "department",
    },
    # Apollo.io people export.
    "apollo": {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Title": "title",
        "Company": "company_name",
        "Company Name for Emails": "company_name",
        "Email": "email",
        "Secondary Email": "email",
        "Tertiary Email": "email",
        "Person Linkedin Url": "linkedin_url",
        "Website": "website",
        "Company Linkedin Url": "company_linkedin_url",
        "City": "city",
        "State": "region",
        "Country": "country",
        "Mobile Phone": "mobile_phone",
        "Work Direct Phone": "phone",
        "First Phone": "phone",
        "Corporate Phone": "company_phone",
        "Home Phone": "phone",
        "# Employees": "headcount",
        "Industry": "industry",
        "Company Address": "address",
        "Company Street": "address",
        "Company City": "city",
        "Company State": "region",
        "Company Postal Code": "postcode",
        "Company Country": "country",
        "Company Phone": "company_phone",
        "Seniority": "seniority",
        "Departments": "department",
        # Verified, Unverified, Extrapolated, Guessed, Unavailable or Bounced.
        "Email Status": "email_verdict",
    },
    # Dropcontact's enriched file: the company's registered establishment (SIRET) with
    # its address, and its NAF code and label.
    "dropcontact": {
        "naf5_code": "naf",
        "naf5_des": "industry",
        "siret_address": "address",
        "siret_zip": "postcode",
        "siret_city": "city",
    },
    # ZoomInfo contacts export.
    "zoominfo": {
        "LinkedIn Contact Profile URL": "linkedin_url",
        "LinkedIn Company Profile URL": "company_linkedin_url",
        "Employee Range": "headcount",
    },
    # HubSpot contacts export.
    "hubspot": {
        "First Name": "first_name",
        "Last Name": "last_name",
        "Email": "email",
        # The contact's other addresses, separated by semicolons (hs_additional_emails).
        "Additional email addresses": "email",
        "Phone Number": "phone",
        "Mobile Phone Number": "mobile_phone",
        "Job Title": "title",
        "Company Name": "company_name",
        "Associated Company": "company_name",
        "Company Domain Name": "company_domain",
        "Website URL": "website",
        "City": "city",
        "State/Region": "region",
        "Country/Region": "country",
        "Postal Code": "postcode",
        "Street Address": "address",
        "LinkedIn URL": "linkedin_url",
        "LinkedIn Company Page": "company_linkedin_url",
        "Industry": "industry",
        "Number of Employees": "headcount",
        # The same export with HubSpot's interface in French.
        "Adresses e-mail supplémentaires": "email",
        "Numéro de téléphone mobile": "mobile_phone",
        "Pays/Région": "country",
        "État/Région": "region",
        "Nombre d'employés": "headcount",
        "Nom de domaine de l'entreprise": "company_domain",
        "URL du site web": "website",
    },
    # Salesforce contacts ("Mailing ...") and leads reports.
    "salesforce": {
        "Salutation": "civility",
        "First Name": "first_name",
        "Last Name": "last_name",
        "Full Name": "full_name",
        "Title": "title",
        "Account Name": "company_name",
        "Company / Account": "company_name",
        "Email": "email",
        "Phone": "phone",
        "Mobile": "mobile_phone",
        "Mailing Street": "address",
        "Mailing City": "city",
        "Mailing State/Province": "region",
        "Mailing Zip/Postal Code": "postcode",
        "Mailing Country": "country",
        "Mailing State": "region",
        "Mailing Zip": "postcode",
        "Mailing Code": "postcode",
        "Street": "address",
        "Zip/Postal Code": "postcode",
        "State/Province": "region",
        "No. of Employees": "headcount",
        "Website": "website",
        "Account Website": "website",
        "Account: Website": "website",
        "Account Industry": "industry",
        "Account: Industry": "industry",
        "Account: Account Name": "company_name",
        "Industry": "industry",
    },
    # Pipedrive people export ("Entity - Field - Label").
    "pipedrive": {
        "Person - Name": "full_name",
        "Person - First name": "first_name",
        "Person - Last name": "last_name",
        "Person - Email": "email",
        "Person - Email - Work": "email",
        "Person - Email - Home": "email",
        "Person - Email - Other": "email",
        "Person - Phone": "phone",
        "Person - Phone - Work": "phone",
        "Person - Phone - Home": "phone",
        "Person - Phone - Other": "phone",
        "Person - Phone - Mobile": "mobile_phone",
        "Person - Job title": "title",
        "Person - Organization": "company_name",
        "Organization - Name": "company_name",
        "Organization - Address": "address",
        "Organization - Website": "website",
        # The parts of an address field, as Pipedrive names them ("Organization - Address
        # - City/town/village/locality", "… - ZIP/Postal code of Address").
        "City/town/village/locality": "city",
        "ZIP/Postal code": "postcode",
        "State/county": "region",
        "Street/road name": "address",
        "House number": "street_number",
        "Full/combined address": "address",
    },
    # The same export with Pipedrive's interface in French.
    "pipedrive_fr": {
        "Personne - Nom": "full_name",
        "Personne - Prénom": "first_name",
        "Personne - Nom de famille": "last_name",
        "Personne - E-mail": "email",
        "Personne - E-mail - Travail": "email",
        "Personne - E-mail - Domicile": "email",
        "Personne - E-mail - Autre": "email",
        "Personne - Téléphone": "phone",
        "Personne - Téléphone - Travail": "phone",
        "Personne - Téléphone - Domicile": "phone",
        "Personne - Téléphone - Autre": "phone",
        "Personne - Téléphone - Portable": "mobile_phone",
        "Personne - Téléphone - Mobile": "mobile_phone",
        "Personne - Intitulé du poste": "title",
        "Personne - Poste": "title",
        "Personne - Organisation": "company_name",
        "Organisation - Nom": "company_name",
        "Organisation - Adresse": "address",
        "Organisation - Site web": "website",
    },
    # LinkedIn Sales Navigator lists, as scraped by PhantomBuster, Evaboot and the like.
    # "Location" is free text ("Lyon, Auvergne-Rhône-Alpes, France"): the import reads a
    # city, a region and a country from it.
    "sales_navigator": {
        "Profile URL": "linkedin_url",
        "LinkedIn Profile URL": "linkedin_url",
        "profileUrl": "linkedin_url",
        "linkedInProfileUrl": "linkedin_url",
        "defaultProfileUrl": "linkedin_url",
        "Public Profile URL": "linkedin_url",
        "Job Title": "title",
        "Company": "company_name",
        "Location": "location",
        "Company LinkedIn URL": "company_linkedin_url",
        "regularCompanyUrl": "company_linkedin_url",
        "Company Headcount": "headcount",
    },
    # Cold-email tools: lemlist and Smartlead (camelCase), Instantly (snake_case). Their
    # "personalization" and "icebreaker" columns are copy, kept as extras.
    "lemlist_instantly_smartlead": {
        "firstName": "first_name",
        "lastName": "last_name",
        "companyName": "company_name",
        "companyDomain": "company_domain",
        "jobTitle": "title",
        "linkedinUrl": "linkedin_url",
        "phone": "phone",
        "email": "email",
        "first_name": "first_name",
        "last_name": "last_name",
        "company_name": "company_name",
        "website": "website",
        "phone_number": "phone",
        "linkedin_profile": "linkedin_url",
        "company_url": "website",
        "location": "location",
        # Brevo contact attributes: SMS and WHATSAPP hold mobile numbers.
        "SMS": "mobile_phone",
        "WhatsApp": "mobile_phone",
    },
    # French CRMs, Excel sheets and directories.
    "french": {
        "Prénom": "first_name",
        "Nom": "last_name",
        "Nom de famille": "last_name",
        "Nom complet": "full_name",
        "Nom et prénom": "full_name",
        "Prénom Nom": "full_name",
        "Nom Prénom": "full_name",
        "Civilité": "civility",
        "Société": "company_name",
        "Entreprise": "company_name",
        "Raison sociale": "company_name",
        "Nom de l'entreprise": "company_name",
        "Nom de la société": "company_name",
        "Organisme": "company_name",
        "Dénomination": "company_name",
        "Dénomination sociale": "company_name",
        "Fonction": "title",
        "Poste": "title",
        "Intitulé de poste": "title",
        "Intitulé du poste": "title",
        "Titre du poste": "title",
        "Titre": "title",
        "Niveau hiérarchique": "seniority",
        "Service": "department",
        "Téléphone": "phone",
        "Tél": "phone",
        "Tél.": "phone",
        "Téléphone fixe": "phone",
        "Tél. fixe": "phone",
        "Ligne directe": "phone",
        "Téléphone professionnel": "phone",
        "Numéro de téléphone": "phone",
        "Tel. portable": "mobile_phone",
        "Téléphone portable": "mobile_phone",
        "Téléphone mobile": "mobile_phone",
        "Tél. mobile": "mobile_phone",
        "Portable": "mobile_phone",
        "Mobile": "mobile_phone",
        "GSM": "mobile_phone",
        "E-mail": "email",
        "Email": "email",
        "Mél": "email",
        "Courriel": "email",
        "Adresse e-mail": "email",
        "Adresse email": "email",
        "Adresse mail": "email",
        "Adresse électronique": "email",
        "Adresse de messagerie": "email",
        "Désabonné": "opt_out",
        "Désinscrit": "opt_out",
        "Désinscription": "opt_out",
        "Opposition": "opt_out",
        "Ne pas contacter": "opt_out",
        "Ne pas envoyer d'email": "opt_out",
        "Numéro de voie": "street_number",
        "Numéro voie": "street_number",
        "N° de voie": "street_number",
        "Numéro de rue": "street_number",
        "N° de rue": "street_number",
        "Indice de répétition": "street_number",
        "Indice répétition": "street_number",
        "Type de voie": "street_type",
        "Type voie": "street_type",
        "Libellé de voie": "address",
        "Libellé voie": "address",
        "Complément d'adresse": "address",
        "Complément adresse": "address",
        "Localisation": "location",
        "Lieu": "location",
        "Libellé commune": "city",
        "Libellé de la commune": "city",
        "Hausnummer": "street_number",
        "Hausnr": "street_number",
        "Straße": "address",
        "Strasse": "address",
        "Ort": "city",
        "PLZ": "postcode",
        "E-mails": "email",
        "Téléphones": "phone",
        "Poste occupé": "title",
        "Adresse": "address",
        "Adresse postale": "address",
        "Siège social": "address",  # the company's head office (see company_location)
        "Rue": "address",
        "Code postal": "postcode",
        "CP": "postcode",
        "Ville": "city",
        "Commune": "city",
        "Localité": "city",
        "Région": "region",
        "Pays": "country",
        "Site web": "website",
        "Site internet": "website",
        "Site": "website",
        "Nom de domaine": "company_domain",
        "Domaine": "company_domain",
        "Standard": "company_phone",
        "Téléphone standard": "company_phone",
        "Tél. standard": "company_phone",
        "Téléphone entreprise": "company_phone",
        "SIREN": "siren",
        "N° SIREN": "siren",
        "Numéro SIREN": "siren",
        "SIRET": "siret",
        "N° SIRET": "siret",
        "Numéro SIRET": "siret",
        "Code NAF": "naf",
        "Code APE": "naf",
        "APE": "naf",
        "NAF": "naf",
        "Code NAF/APE": "naf",
        "Activité principale": "naf",
        "N° TVA": "vat",
        "Nº TVA": "vat",
        "TVA": "vat",
        "Numéro de TVA": "vat",
        "N° TVA intracommunautaire": "vat",
        "TVA intracommunautaire": "vat",
        "Forme juridique": "legal_form",
        "Forme légale": "legal_form",
        "Statut juridique": "legal_form",
        "Catégorie juridique": "legal_form",  # SIRENE's categorieJuridiqueUniteLegale
        "Rechtsform": "legal_form",
        "Effectif": "headcount",
        "Effectifs": "headcount",
        "Tranche d'effectif": "headcount",
        "Tranche d'effectifs": "headcount",
        "Tranche effectif": "headcount",
        "Tranche effectifs": "headcount",
        "Nombre de salariés": "headcount",
        "Nb salariés": "headcount",
        "Secteur": "industry",
        "Secteur d'activité": "industry",
        "Activité": "industry",
        "Profil LinkedIn": "linkedin_url",
        "URL LinkedIn": "linkedin_url",
        "Lien LinkedIn": "linkedin_url",
        "URL du profil LinkedIn": "linkedin_url",
        "Taille de l'entreprise": "headcount",
        "Page LinkedIn": "company_linkedin_url",
        "LinkedIn entreprise": "company_linkedin_url",
    },
}

#: Headers of ``--kind companies`` files. People aliases of company facts also apply
#: ("Company Domain" is the domain, "Corporate Phone" the phone); these come first.
COMPANY_ALIASES: dict[str, dict[str, str]] = {
    "generic": {
        **{field: field for field in COMPANY_FIELDS},
        "Name": "name",
        "Company": "name",
        "Company Name": "name",
        "Account Name": "name",
        "Organization": "name",
        "Organization - Name": "name",
        "Legal Name": "legal_name",
        "Registered Name": "legal_name",
        "Domain": "domain",
        "Company Domain": "domain",
        "Company Domain Name": "domain",
        "LinkedIn": "linkedin_url",
        "LinkedIn URL": "linkedin_url",
        "Company LinkedIn URL": "linkedin_url",
        "LinkedIn Company Page": "linkedin_url",
        "Phone": "phone",
        "Phone Number": "phone",
        "Email": "email",
        "Billing Street": "address",
        "Billing City": "city",
        "Billing State/Province": "region",
        "Billing Zip/Postal Code": "postcode",
        "Billing Country": "country",
    },
    "french": {
        "Siège social": "address",
        "Nom": "name",
        "Société": "name",
        "Entreprise": "name",
        "Enseigne": "name",
        "Nom commercial": "name",
        "Dénomination usuelle": "name",
        "Raison sociale": "legal_name",
        "Dénomination": "legal_name",
        "Dénomination sociale": "legal_name",
        "Dénomination unité légale": "legal_name",  # SIRENE's denominationUniteLegale
        "Téléphone": "phone",
        "Standard": "phone",
        "Profil LinkedIn": "linkedin_url",
        "Page LinkedIn": "linkedin_url",
    },
}

# What a people field becomes in a companies file; people-only fields have no entry.
#: The company's facts a people file states ("Company Name" is the company's name): people
#: field → company field. The importer files these under the person's company.
COMPANY_FROM_PERSON = {
    "company_name": "name",
    "company_domain": "domain",
    "website": "website",
    "company_linkedin_url": "linkedin_url",
    "company_phone": "phone",
    "industry": "industry",
    "naf": "naf",
    "siren": "siren",
    "siret": "siret",
    "vat": "vat",
    "headcount": "headcount",
    "legal_form": "legal_form",
}
_PEOPLE_TO_COMPANY = {
    **COMPANY_FROM_PERSON,
    "location": "city",
    "street_number": "street_number",
    "street_type": "street_type",
    "phone": "phone",
    "email": "email",
    **{f: f for f in ("address", "postcode", "city", "region", "country")},
}

# Words that mark a column as the second choice for its field, wherever they stand.
_SECONDARY_WORDS = frozenset(
    {
        "secondary",
        "second",
        "tertiary",
        "other",
        "alternate",
        "alternative",
        "alt",
        "home",
        "personal",
        "perso",
        "personnel",
        "domicile",
        "autre",
    }
)
# The fields of a place. A company's location in a people file ranks after the person's own.
LOCATION_FIELDS = frozenset({"address", "postcode", "city", "region", "country"})
# Words that qualify a field without changing it ("Email pro", "Primary Email").
_QUALIFIER_WORDS = frozenset(
    {
        "pro",
        "professionnel",
        "professionnelle",
        "professional",
        "work",
        "business",
        "principal",
        "principale",
        "primary",
        "main",
        "direct",
        "directe",
        "current",
        "actuel",
        "actuelle",
        "mailing",
        "publipostage",  # Salesforce in French: "Ville de publipostage"
        "liee",  # Odoo: "Société liée"
        "hq",  # "Company HQ Country"
        "headquarters",
    }
)
# "Numéro de mobile", "N° de téléphone", "No. of employees".
_NUMBER_WORDS = frozenset({"numero", "num", "no", "n", "number", "nr", "nbr", "nb", "nombre"})
# ("unité" before "légale": SIRENE's "…UniteLegale" is the company's.)
_FILLER_WORDS = frozenset({"de", "du", "des", "d", "la", "le", "l", "of", "the", "unite"})
# Whose fact a column holds, named after it: "Email du contact", "Ville de l'entreprise".
_ENTITY_WORDS = {
    **dict.fromkeys(
        ("contact", "person", "personne", "lead", "prospect", "interlocuteur"), "person"
    ),
    **dict.fromkeys(
        (
            "entreprise",
            "societe",
            "company",
            "organisation",
            "organization",
            "account",
            "compte",
            "etablissement",
            "legale",
            "siege",  # "Adresse du siège", "Ville du siège": the head office's
            "headquarters",
            "hq",
        ),
        "company",
    ),
}
# What a person's field becomes when a people file names it after the company.
_COMPANY_SIDE = {
    "last_name": "company_name",  # "Nom de l'entreprise": "nom" alone is a surname
    "phone": "company_phone",
    "mobile_phone": "company_phone",
    "linkedin_url": "company_linkedin_url",
}
_COMPANY_LEVEL = frozenset(COMPANY_FROM_PERSON)
# Entity words some tools put before a field ("Person - Email", "Contact Phone").
_PREFIXES = {
    "people": ("person", "contact", "lead", "prospect"),
    "companies": ("company", "organization", "organisation", "account", "org"),
}
# Whose fact the start of a nested JSON path names: the same words ("organization.phone",
# "person.email"), and the containers API dumps put a person's fields in.
_PREFIX_OWNER = {
    **dict.fromkeys((*_PREFIXES["people"], "people", "properties"), "person"),
    **dict.fromkeys(_PREFIXES["companies"], "company"),
}

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")
_NON_WORD = re.compile(r"[\W_]+")
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=[0-9])")


def normalize_header(header: str) -> str:
    """Reduce a header to lower-case words separated by single spaces.

    Accents go (NFKD), camelCase splits, anything not a letter or digit becomes a
    space: ``"E-mail"`` -> ``"e mail"``, ``"Prénom"`` -> ``"prenom"``, ``"firstName"``
    -> ``"first name"``, ``"# Employees"`` -> ``"employees"``.
    """
    text = _CAMEL.sub(" ", _strip_accents(header))
    # Case folding can bring back marks ("İ" folds to "i" and a dot above).
    text = _strip_accents(text.casefold())
    # Folding can also create a letter-digit boundary ("ß0" -> "ss0"): split it too, so
    # that normalising twice gives the same as once.
    text = _LETTER_DIGIT.sub(" ", text)
    return _NON_WORD.sub(" ", text).strip()


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _key(header: str) -> str:
    return normalize_header(header).replace(" ", "")


def _build_lookup(tables: dict[str, dict[str, str]], fields: Sequence[str]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for tool, table in tables.items():
        for alias, field in table.items():
            if field not in fields:
                raise ValueError(f"alias {alias!r} ({tool}) maps to unknown field {field!r}")
            key = _key(alias)
            if lookup.setdefault(key, field) != field:
                raise ValueError(f"alias {alias!r} ({tool}) maps to {field!r} and {lookup[key]!r}")
    return lookup


def _company_lookup() -> dict[str, str]:
    own = _build_lookup(COMPANY_ALIASES, COMPANY_FIELDS)
    derived = {
        key: _PEOPLE_TO_COMPANY[field]
        for key, field in _PEOPLE_LOOKUP.items()
        if field in _PEOPLE_TO_COMPANY
    }
    return derived | own


def _sorted_lookup(tables: list[dict[str, str]]) -> dict[str, str]:
    """Aliases keyed by their words in sorted order; word sets two fields share are left
    out."""
    found: dict[str, str | None] = {}
    for table in tables:
        for alias, field in table.items():
            key = " ".join(sorted(normalize_header(alias).split()))
            if found.setdefault(key, field) != field:
                found[key] = None
    return {k: v for k, v in found.items() if v is not None}


_PEOPLE_LOOKUP = _build_lookup(PEOPLE_ALIASES, PEOPLE_FIELDS)
_LOOKUPS = {"people": _PEOPLE_LOOKUP, "companies": _company_lookup()}
_SORTED_LOOKUPS = {
    "people": _sorted_lookup(list(PEOPLE_ALIASES.values())),
    "companies": _sorted_lookup([
        {a: _PEOPLE_TO_COMPANY[f] for a, f in t.items() if f in _PEOPLE_TO_COMPANY}
        for t in PEOPLE_ALIASES.values()
    ] + list(COMPANY_ALIASES.values())),
}
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def _match(header: str, kind: str) -> tuple[str | None, int]:
    """Return (field, choice) for one header: choice 0 is a plain column, 1 a second
    choice ("Secondary Email", "Home Phone"), n - 1 the n-th numbered copy ("Email 3")."""
    lookup = _LOOKUPS[kind]
    words = normalize_header(header).split()
    choice = 1 if _SECONDARY_WORDS.intersection(words) else 0
    # Each candidate with the choice it says: "Email 2", "Téléphone 3" are numbered copies
    # of a field; so are Outlook's "E-mail 2 Address" and Google Contacts' "E-mail 1 -
    # Value" and "Organization 1 - Name", the number inside.
    candidates = [(words, choice)]
    if len(words) > 1 and words[-1].isdecimal() and len(words[-1]) <= 3:
        choice = max(choice, int(words[-1]) - 1)
        candidates = [(words, choice), (words[:-1], choice)]
    inside = [i for i, w in enumerate(words[1:-1], 1) if w.isdecimal() and len(w) <= 3]
    if len(inside) == 1:
        i = inside[0]
        rest = words[:i] + words[i + 1:]
        if rest[-1] == "value" and len(rest) > 1:
            rest = rest[:-1]
        candidates.append((rest, max(choice, int(words[i]) - 1)))
    for prefix in _PREFIXES[kind]:
        if len(words) > 1 and words[0] == prefix:
            candidates += [(c[1:], n) for c, n in list(candidates)]
            break
    for candidate, chosen in candidates:
        field = lookup.get("".join(candidate))
        if field is not None:
            if kind == "people" and field in LOCATION_FIELDS and company_location(header):
                chosen = max(chosen, 1)
            return field, chosen
    for candidate, chosen in candidates:
        found = _loose_match(candidate, kind)
        if found is not None:
            return found[0], max(chosen, found[1])
    # The same words in another order: "Phone (Mobile)", "Name (First)".
    field = _SORTED_LOOKUPS[kind].get(" ".join(sorted(words)))
    if field is not None:
        return field, choice
    # A note in brackets: "Téléphone (bureau)", "Ville (adresse postale)".
    if "(" in header:
        outside = _BRACKETED.sub(" ", header)
        if outside.strip() and outside != header:
            field, inner = _match(outside, kind)
            if field is not None:
                return field, max(choice, inner)
    if "." in header:
        return _dotted_match(header, kind, choice)
    return None, 0


def company_location(header: str) -> bool:
    """Whether a people file's column mapped to a location field (address, postcode,
    city, region, country) holds the company's: its header names the company ("Company
    City", "Organization - Address", "Ville de l'entreprise", "organization.address")
    and not the person."""
    owners = {
        _ENTITY_WORDS.get(word) or _PREFIX_OWNER.get(word)
        or ("company" if word in _ACCOUNT_PLACES else None)
        for word in normalize_header(header.replace(".", " ")).split()
    }
    return "company" in owners and "person" not in owners


# A place that is a company's in a people file: its head office or its registered
# establishment (Dropcontact's "siret_city"). (A billing address
# alone may be a customer's own: "Account Billing City" names the company.)
_ACCOUNT_PLACES = frozenset({"siege", "headquarters", "hq", "siret", "etablissement"})


def _loose_match(words: list[str], kind: str) -> tuple[str | None, int] | None:
    """A header no alias names, read without what does not change its field.

    ``"E-mail professionnel"``, ``"Email pro"`` and ``"Primary Email"`` are an email;
    ``"Numéro de mobile"`` and ``"N° de téléphone"`` a number; ``"Prénom du contact"`` a
    first name; ``"Ville de l'entreprise"`` the company's city (a second choice) and
    ``"Téléphone de la société"`` its switchboard. Only words in those places go:
    ``"Email du commercial"`` (the account owner's address) stays unmapped. ``None``
    when nothing was left out or nothing matched.
    """
    rest = list(words)
    owner = None
    if len(rest) > 1 and rest[-1] in _ENTITY_WORDS:
        owner = _ENTITY_WORDS[rest[-1]]
        rest = rest[:-1]
        while len(rest) > 1 and rest[-1] in _FILLER_WORDS:
            rest = rest[:-1]
    choice = 1 if _SECONDARY_WORDS.intersection(rest) else 0
    if len(rest) > 1 and rest[-1].isdecimal() and len(rest[-1]) <= 2:
        choice = max(choice, int(rest[-1]) - 1)  # "enseigne1Etablissement"
        rest = rest[:-1]
    variants = [rest]  # tried in turn, the first that an alias names wins
    while len(rest) > 1 and rest[0] in _NUMBER_WORDS:  # "numéro de", "n° de"
        rest = rest[1:]
        while len(rest) > 1 and rest[0] in _FILLER_WORDS:
            rest = rest[1:]
    # Dynamics 365: "Address 1: City", "Adresse 2 : Code postal" (the second address).
    if len(rest) > 2 and rest[0] in ("address", "adresse") and rest[1].isdecimal():
        choice = max(choice, int(rest[1]) - 1)
        rest = rest[2:]
        if len(rest) > 1 and rest[-1].isdecimal():  # "Street 1"
            rest = rest[:-1]
    elif len(rest) > 1 and rest[0] in ("address", "adresse") and _LOOKUPS[kind].get(
            "".join(rest[1:])) in LOCATION_FIELDS:
        rest = rest[1:]  # Sellsy: "Adresse - Rue", "Adresse - Code postal"
    variants.append(rest)
    rest = [w for w in rest if w not in _QUALIFIER_WORDS and w not in _SECONDARY_WORDS]
    while len(rest) > 1 and rest[-1] in _FILLER_WORDS:  # "Ville de [publipostage]"
        rest = rest[:-1]
    variants.append(rest)
    for variant in variants:
        if not variant or variant == words:
            continue
        field = _LOOKUPS[kind].get("".join(variant))
        if field is not None:
            return _owned(field, choice, owner, kind)
    if owner is None and len(words) > 1 and words[0] in _ENTITY_WORDS:
        # "Organisation City", "Company HQ Country", "Account Billing City": the owner
        # first; "Organization - Address - City/town/village/locality", "… - ZIP/Postal
        # code of Address": a part of the owner's address.
        rest = [w for w in words[1:]
                if w not in _QUALIFIER_WORDS and w not in ("billing", "facturation")
                ] or words[1:]
        if rest[-2:] == ["of", "address"] and len(rest) > 2:
            rest = rest[:-2]
        if rest[0] in ("address", "adresse") and len(rest) > 1:
            rest = rest[1:]
        field = _LOOKUPS[kind].get("".join(rest))
        if field is not None:
            return _owned(field, choice, _ENTITY_WORDS[words[0]], kind)
    return None


def entity_label(label: str) -> bool:
    """Whether a group label above a header names whose columns follow ("Contact",
    "Entreprise", "Company", "Organisation")."""
    words = normalize_header(label).split()
    return len(words) == 1 and (words[0] in _ENTITY_WORDS or words[0] in _PREFIX_OWNER)


def _owned(field: str, choice: int, owner: str | None, kind: str) -> tuple[str | None, int]:
    """The field a column gets when its header names whose fact it is (``owner``:
    ``"person"``, ``"company"`` or ``None``)."""
    if owner is None:
        return field, choice
    if kind == "companies":
        return (field, choice) if owner == "company" else (None, 0)
    if owner == "person":
        return field, choice
    # A company's fact in a people file.
    if field in LOCATION_FIELDS:
        return field, max(choice, 1)
    field = _COMPANY_SIDE.get(field, field)
    return (field, choice) if field in _COMPANY_LEVEL else (None, 0)


def _dotted_match(header: str, kind: str, choice: int) -> tuple[str | None, int]:
    """A nested JSON key flattened to a path (``properties.email``, ``person.name.first``,
    ``organization.phone``): the end of the path names the field, the start whose it is."""
    parts = header.split(".")
    for i in range(1, len(parts)):
        tail = ".".join(parts[i:])
        if not tail.strip():
            continue
        field, inner = _match(tail, kind)
        if field is None:
            continue
        owner = None
        for part in parts[:i]:
            for word in normalize_header(part).split():
                owner = _ENTITY_WORDS.get(word) or _PREFIX_OWNER.get(word) or owner
        return _owned(field, max(choice, inner), owner, kind)
    return None, 0


def map_headers(headers: Sequence[str], kind: str = "people") -> list[str | None]:
    """Give each column its canonical field, or ``None`` for a column kept as an extra.

    ``kind`` is ``"people"`` or ``"companies"``. Two columns may get the same field
    ("Email" and "Secondary Email"): both are kept, ranked by :func:`field_rank`.
    """
    if kind not in _LOOKUPS:
        raise ValueError(f"unknown kind {kind!r}: expected 'people' or 'companies'")
    mapping = [_match(header, kind)[0] for header in headers]
    if kind == "people" and not {"first_name", "full_name"}.intersection(mapping):
        # A French "Nom" with no first-name column holds whole names ("Jean Dupont", as
        # Odoo exports them): read as a full name, which a lone surname also survives.
        for i, header in enumerate(headers):
            words = normalize_header(header).split()
            if mapping[i] == "last_name" and words[0] == "nom" and "famille" not in words:
                mapping[i] = "full_name"
    if kind == "people" and any(
            field == "title" and "job" in normalize_header(header).split()
            for header, field in zip(headers, mapping, strict=True)):
        # Outlook's "Title" beside its "Job Title" holds "Mr." or "Dr.": the civility.
        for i, header in enumerate(headers):
            if mapping[i] == "title" and normalize_header(header) == "title":
                mapping[i] = "civility"
    return mapping


_ADDRESS_PARTS = ("street_number", "street_type")
_LINE_WORDS = frozenset({"line", "ligne", "zeile"})
_COMPLEMENT_WORDS = frozenset({"complement", "supplement", "zusatz", "adresszusatz"})


def address_groups(
    headers: Sequence[str], mapping: Sequence[str | None]
) -> list[tuple[int, list[int], list[int]]]:
    """How the address columns of a file make whole addresses.

    Returns (column holding the first line, columns written before it, columns written
    after it) for each address that takes more than one column: a street number and
    type go before the first line (``7`` + ``wallaby place``), its other lines after it
    (``Address 2``, ``address_2``, ``Adresse 3``, ``Street 2``, ``Complément
    d'adresse``). Dynamics' ``Address 2: Street 1`` is the first line of a second
    address, not a second line. Columns no group takes keep their own mapping.
    """
    lines: dict[tuple[str, ...], list[tuple[int, int]]] = {}
    firsts: list[int] = []
    for index, field in enumerate(mapping):
        if field != "address":
            continue
        words = normalize_header(headers[index]).split()
        block: list[str] = []
        if len(words) > 2 and words[0] in ("address", "adresse") and words[1].isdecimal():
            block, words = words[:2], words[2:]  # Dynamics: which address
        number = next((int(w) for w in reversed(words) if w.isdecimal()), None)
        line = number if number is not None else (
            2 if _COMPLEMENT_WORDS.intersection(words) else 1)
        base = tuple(block + [w for w in words if not w.isdecimal() and w not in _LINE_WORDS])
        lines.setdefault(base, []).append((line, index))
        if line == 1:
            firsts.append(index)
    if not firsts:
        return []
    main_first = firsts[0]
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for members in lines.values():
        members.sort()
        head = members[0][1] if members[0][0] == 1 else main_first
        for line, index in members:
            if index != head and line > 1:
                groups.setdefault(head, ([], []))[1].append(index)
    parts = [i for i, field in enumerate(mapping) if field in _ADDRESS_PARTS]
    if parts:
        # The number first, then the type of street ("12", "bis", "rue").
        parts.sort(key=lambda i: _ADDRESS_PARTS.index(mapping[i] or ""))
        groups.setdefault(main_first, ([], []))[0].extend(parts)
    return [(head, before, after) for head, (before, after) in groups.items()]


def field_rank(
    mapping: Sequence[str | None],
    headers: Sequence[str] | None = None,
    kind: str = "people",
) -> list[int]:
    """Rank each column among the columns mapped to the same field: 0 is preferred.

    Without ``headers`` the first column ranks first. With them, a column named as a
    second choice ("Secondary Email", "Home Phone", "Email 2", "Company City" in a
    people file) ranks after the plain ones, whatever its position. Unmapped columns
    rank 0.
    """
    if headers is not None and len(headers) != len(mapping):
        raise ValueError("mapping and headers differ in length")
    if headers is None:
        choices = [0] * len(mapping)
    else:
        if kind not in _LOOKUPS:
            raise ValueError(f"unknown kind {kind!r}: expected 'people' or 'companies'")
        choices = [_match(header, kind)[1] for header in headers]
    order = sorted(range(len(mapping)), key=lambda i: (choices[i], i))
    ranks = [0] * len(mapping)
    seen: dict[str, int] = {}
    for index in order:
        field = mapping[index]
        if field is not None:
            ranks[index] = seen.get(field, 0)
            seen[field] = ranks[index] + 1
    return ranks


def shown_columns(headers: Sequence[str], most: int = 12) -> str:
    """The first column names for an error message, on one short readable line.

    A binary or wrongly decoded file has "headers" of control characters and stray
    bytes: those are shown as ``?`` and each name is cut, so the message stays one line.
    """
    names = []
    for header in headers[:most]:
        clean = "".join(c if c.isprintable() else "?" for c in header)
        names.append(clean if len(clean) <= 40 else clean[:39] + "…")
    return ", ".join(names) + (" …" if len(headers) > most else "")
