"""Page extraction rules, on pages written like real sites (no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from prospecting.crawl.extract import (
    decode_cfemail,
    extract_page,
    legal_ids,
    looks_like_name,
    looks_like_title,
)
from prospecting.crawl.site import Guard, SiteFacts, canonical_url, refusal

URL = "https://www.acme.example/equipe"


def doc(body: str, *, lang: str = "fr", head: str = "", title: str = "Notre équipe") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}'
            f"</title>{head}</head><body>{body}</body></html>")


def emails(page) -> set[str]:
    return {e.value for e in page.emails}


def people(page) -> dict[str, str | None]:
    return {p.full_name: p.title for p in page.people}


# -- emails ------------------------------------------------------------------------------


def test_cloudflare_vectors():
    assert decode_cfemail("42212d2c3623213602273a272f322e276c2430") == "contact@exemple.fr"
    assert decode_cfemail(
        "7ab9d316151e131f541e0f081b141e3a09151913b9d30eb9d3541c08"
    ) == "élodie.durand@société.fr"
    assert decode_cfemail("zz") is None


def test_emails_from_every_form():
    html = doc("""
      <p><a href="mailto:Jean.Dupont@acme.example?subject=Bonjour">écrire</a></p>
      <p>Service client : service-client@acme.example.</p>
      <p>Presse : presse [at] acme [dot] example</p>
      <p>Compta : compta(at)acme(dot)example — RH : rh (at) acme (punkt) example</p>
      <p>Achats : achats at acme dot example</p>
      <p>Direction : direction&#64;acme.example</p>
      <p><span class="__cf_email__" data-cfemail="42212d2c3623213602273a272f322e276c2430">
         [email&#160;protected]</span></p>
      <p><a href="/cdn-cgi/l/email-protection#42212d2c3623213602273a272f322e276c2430">x</a></p>
    """)
    found = emails(extract_page(html, URL))
    assert found == {
        "Jean.Dupont@acme.example", "service-client@acme.example", "presse@acme.example",
        "compta@acme.example", "rh@acme.example", "achats@acme.example",
        "direction@acme.example", "contact@exemple.fr",
    }


def test_things_that_are_not_emails():
    html = doc("""
      <img src="/img/logo@2x.png" alt="logo@2x.png"><p>hero@3x.webp</p>
      <p>Installez lodash@4.17.21 puis react@18.2.0</p>
      <p>Exemple : votre@email.fr, prenom.nom@entreprise.fr, you@domain.com,
         contact@example.com</p>
      <script>Sentry.init({dsn: "https://0123456789abcdef0123456789abcdef@o12345.ingest.sentry.io/1"});
      var x = "hidden@acme.example";</script>
      <p>Meet us at home dot com soon. Look at it.</p>
    """)
    assert emails(extract_page(html, URL)) == set()


# -- phones --------------------------------------------------------------------------------


def test_phones_from_tel_links_and_text_with_the_site_country():
    html = doc("""
      <p>Standard : 04 78 62 18 40 – Fax : 04.78.62.18.49</p>
      <p><a href="tel:+33612345678">Appeler</a></p>
      <p>Version 2.14.3 du 12/05/2024, mise à jour 2023-05-12, SIREN 812 345 676</p>
      <p>Capital de 1 000 000 €, réf. 2024-0001-17</p>
    """)
    page = extract_page(html, URL, country="FR")
    assert {p.value for p in page.phones} == {"+33478621840", "+33478621849", "+33612345678"}


def test_us_numbers_without_country_use_the_page_language():
    html = doc("<p>Call (503) 682-4190 or +44 20 7946 0958.</p><p>Founded 1998-2004.</p>",
               lang="en-US", title="Contact")
    page = extract_page(html, "https://brightpath.example/contact")
    assert {p.value for p in page.phones} == {"+15036824190", "+442079460958"}


# -- people --------------------------------------------------------------------------------


ELEMENTOR_TEAM = """
<header><nav><ul><li><a href="/">Accueil</a></li><li><a href="/equipe">Notre Équipe</a></li>
<li><a href="/contact">Nous Contacter</a></li></ul></nav></header>
<h1>Notre équipe</h1>
<div class="elementor-row">
 <div class="elementor-widget-image-box"><div class="elementor-image-box-content">
  <h3 class="elementor-image-box-title">Claire Bonnet</h3>
  <p class="elementor-image-box-description">Présidente, paysagiste conceptrice</p>
  <a href="mailto:claire.bonnet@acme.example">Email</a>
  <a href="https://www.linkedin.com/in/clairebonnet/">LinkedIn</a></div></div>
 <div class="elementor-widget-image-box"><div class="elementor-image-box-content">
  <h3 class="elementor-image-box-title">Hugo MARCHAND</h3>
  <p class="elementor-image-box-description">Directeur général</p>
  <p>Tél. direct : 04 78 62 18 41</p></div></div>
 <div class="elementor-widget-image-box"><div class="elementor-image-box-content">
  <h3 class="elementor-image-box-title">Inès Fabre</h3>
  <p class="elementor-image-box-description">Chargée d'études</p></div></div>
</div>
<section class="testimonials"><div class="testimonial">
  <p>« Une équipe formidable, réactive et compétente sur tous nos chantiers depuis des
  années, nous recommandons vivement leurs services à toutes les collectivités. »</p>
  <p class="name">Marc Lévy</p><p class="role">Directeur technique chez Ville de Caluire</p>
</div></section>
<p>Contact général : contact@acme.example</p>
"""


def test_team_cards_keep_name_title_email_phone_together():
    page = extract_page(doc(ELEMENTOR_TEAM), URL, country="FR")
    assert people(page) == {
        "Claire Bonnet": "Présidente, paysagiste conceptrice",
        "Hugo Marchand": "Directeur général",
        "Inès Fabre": "Chargée d'études",
    }
    by_name = {p.full_name: i for i, p in enumerate(page.people)}
    owners = {e.value: e.person for e in page.emails}
    assert owners["claire.bonnet@acme.example"] == by_name["Claire Bonnet"]
    assert owners["contact@acme.example"] is None
    phone = next(p for p in page.phones if p.value == "+33478621841")
    assert phone.person == by_name["Hugo Marchand"]
    assert page.people[by_name["Claire Bonnet"]].linkedin_url == (
        "https://www.linkedin.com/in/clairebonnet/"
    )


def test_a_plain_title_next_to_a_phone_link_stays_a_title():
    html = doc("""<h1>Notre équipe</h1>
      <div class="member"><h3>Sophie Nguyen</h3><span>CTO</span>
        <a href="tel:+33612345678">06 12 34 56 78</a></div>
      <div class="member"><h3>Marc Duval</h3><span>Responsable commercial</span>
        <a href="mailto:m.duval@acme.example">Écrire</a></div>""")
    page = extract_page(html, URL, country="FR")
    assert people(page) == {"Sophie Nguyen": "CTO", "Marc Duval": "Responsable commercial"}
    phone = next(p for p in page.phones if p.value == "+33612345678")
    assert page.people[phone.person].full_name == "Sophie Nguyen"


def test_a_role_heading_just_above_the_name_in_its_card():
    html = doc('<div class="card"><h4>CEO</h4><p>Jean Dupont</p></div>'
               '<div class="card"><h4>CFO</h4><p>Anne Martin</p></div>')
    assert people(extract_page(html, URL, country="FR")) == {
        "Jean Dupont": "CEO", "Anne Martin": "CFO"}


@pytest.mark.parametrize(
    ("body", "lang", "found"),
    [
        ("<p>Fondée en 2010 par Jean Dupont et Marie Curie, ACME accompagne les PME.</p>",
         "fr", {"Jean Dupont": "Fondateur", "Marie Curie": "Fondateur"}),
        ("<p>Notre PDG, Jean Dupont, a 20 ans d'expérience.</p>", "fr", {"Jean Dupont": "PDG"}),
        ("<p>Acme was founded in 2015 by John Smith and Jane Doe.</p>", "en",
         {"John Smith": "Founder", "Jane Doe": "Founder"}),
        ("<p>Die Firma wurde 2012 von Max Mustermann gegründet. Unser Geschäftsführer Erika"
         " Muster leitet das Team.</p>", "de",
         {"Max Mustermann": "Gründer", "Erika Muster": "Geschäftsführer"}),
        # Not people: customers, a team's name, founders who are not named.
        ("<p>Nos clients, comme Paris Habitat, nous font confiance.</p>", "fr", {}),
        ("<p>Notre équipe Paris Nord accueille vos projets.</p>", "fr", {}),
        ("<p>Fondée par des passionnés, la Maison Dupont existe depuis 1920.</p>", "fr", {}),
        ("<p>Our customers include Google Cloud and Amazon Web Services.</p>", "en", {}),
    ],
)
def test_founders_and_executives_named_in_a_sentence(body, lang, found):
    html = doc(f"<h1>Qui sommes-nous</h1>{body}", lang=lang, title="Qui sommes-nous")
    assert people(extract_page(html, "https://acme.example/qui-sommes-nous")) == found


def test_json_ld_people_and_organization():
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "Organization", "name": "BrightPath Analytics",
             "legalName": "BrightPath Analytics, Inc.",
             "sameAs": ["https://www.linkedin.com/company/brightpath",
                        "https://github.com/brightpath", "https://twitter.com/brightpathhq",
                        "https://www.youtube.com/@brightpath"],
             "address": {"@type": "PostalAddress", "postalCode": "97209",
                         "addressLocality": "Portland", "addressCountry": "US"},
             "founder": {"@type": "Person", "name": "Dana Whitfield", "jobTitle": "CEO"}},
            {"@type": "Person", "name": "Rahul Mehta", "jobTitle": "VP Engineering",
             "email": "mailto:rahul@brightpath.example"},
            {"@type": "Person", "name": "admin"},
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    page = extract_page(doc("<h1>Team</h1>", head=head, lang="en", title="Team"),
                        "https://brightpath.example/team")
    assert people(page) == {"Dana Whitfield": "CEO", "Rahul Mehta": "VP Engineering"}
    assert emails(page) == {"rahul@brightpath.example"}
    facts = set(page.company)
    assert {("name", "BrightPath Analytics"), ("legal_name", "BrightPath Analytics, Inc."),
            ("postcode", "97209"), ("city", "Portland"), ("country", "US"),
            ("linkedin_url", "https://www.linkedin.com/company/brightpath"),
            ("github_url", "https://github.com/brightpath"),
            ("twitter_url", "https://twitter.com/brightpathhq"),
            ("youtube_url", "https://www.youtube.com/@brightpath")} <= facts


def test_inline_names_tables_and_legal_notice_roles():
    html = doc("""
      <h1>Qui sommes-nous ?</h1>
      <ul><li>Jean-Pierre Martin, fondateur</li><li>Sophie Durand – Responsable RH</li></ul>
      <table><tr><th>Nom</th><th>Fonction</th><th>Téléphone</th></tr>
        <tr><td>Dr. Anne Lefèvre</td><td>Chercheuse</td><td>01 42 68 53 00</td></tr>
        <tr><td>Paul Girard</td><td>Doctorant</td><td></td></tr></table>
      <p>Directeur de la publication : Marc Antoine Petit</p>
      <p>Geschäftsführer: Max Mustermann, Erika Musterfrau</p>
    """, title="Qui sommes-nous")
    found = people(extract_page(html, "https://acme.example/qui-sommes-nous", country="FR"))
    assert found == {
        "Jean-Pierre Martin": "Fondateur",
        "Sophie Durand": "Responsable RH",
        "Anne Lefèvre": "Chercheuse",
        "Paul Girard": "Doctorant",
        "Marc Antoine Petit": "Directeur de la publication",
        "Max Mustermann": "Geschäftsführer",
        "Erika Musterfrau": "Geschäftsführer",
    }


def test_research_team_lists_under_role_headings():
    html = doc("""
      <h1>Membres de l'équipe</h1>
      <h2>Chercheurs</h2><ul class="members"><li><a href="/m/1">Alice Moreau</a></li>
      <li><a href="/m/2">Bruno Lambert</a></li><li><a href="/m/3">Chloé Garnier</a></li></ul>
      <h2>Actualités</h2><p>Séminaire le 12 mars</p>
    """, title="Membres")
    found = people(extract_page(html, "https://lab.example/membres"))
    assert found == {"Alice Moreau": "Chercheurs", "Bruno Lambert": "Chercheurs",
                     "Chloé Garnier": "Chercheurs"}


def test_no_people_from_navigation_headings_or_testimonials():
    html = doc("""
      <nav><a href="/">Nos Services</a><a href="/a">Jean Dupont</a></nav>
      <h2>Nos Valeurs</h2><p>Engagement et qualité</p>
      <h2>Digital Strategy</h2><p>We help you grow.</p>
      <blockquote>“Great partner to work with.”
        <cite>Jane Doe, CEO at Other Corp</cite></blockquote>
      <div class="testimonial"><p>Jamie Ortega</p><p>COO at Fresh Basket Co.</p></div>
    """, lang="en", title="Home")
    assert extract_page(html, "https://acme.example/").people == []


@pytest.mark.parametrize(("text", "name"), [
    ("Jean Dupont", "Jean Dupont"), ("M. Jean DUPONT", "Jean Dupont"),
    ("Marie-Claire de La Fontaine", "Marie-Claire de La Fontaine"), ("Notre Équipe", None),
    ("Read More", None), ("Contact Us", None), ("Program Manager", None),
    ("12 rue des Lilas", None), ("Lyon", None), ("ACME GmbH", None),
])
def test_looks_like_name(text, name):
    assert looks_like_name(text) == name


def test_looks_like_title():
    assert looks_like_title("Chief Executive Officer")
    assert looks_like_title("Geschäftsführerin")
    assert looks_like_title("Chargée de communication")
    assert not looks_like_title("We help independent retailers forecast demand every day.")
    assert not looks_like_title("Lyon")


# -- company facts, legal identifiers and signals ----------------------------------------------


def test_french_legal_notice_without_the_hosts_identifiers():
    html = doc("""
      <h1>Mentions légales</h1><h2>Éditeur</h2>
      <p>La Sablière, SAS au capital de 40 000 €, immatriculée au RCS de Lyon sous le
      numéro 812 345 676. Siège social : 14 quai Saint-Vincent, 69001 Lyon</p>
      <p>SIRET : 812 345 676 00017 – Code APE : 7112B – TVA : FR 19 812 345 676</p>
      <h2>Hébergement</h2><p>OVH SAS au capital de 10 174 560 €, RCS Lille Métropole
      424 761 419, 2 rue Kellermann 59100 Roubaix</p>
    """, title="Mentions légales")
    facts = dict(extract_page(html, "https://sabliere.example/mentions-legales").company)
    assert facts["siren"] == "812345676"
    assert facts["siret"] == "81234567600017"
    assert facts["vat"] == "FR19812345676"
    assert facts["rcs"] == "Lyon"
    assert facts["naf"] == "71.12B"
    assert facts["share_capital"] == "40000 EUR"
    assert facts["postcode"] == "69001"
    assert facts["city"] == "Lyon"
    assert facts["legal_form"] == "SAS"
    assert facts["legal_name"] == "La Sablière SAS"  # not the host's "OVH SAS"


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("<p>Raison sociale : Dupont & Fils SARL</p>", "Dupont & Fils SARL"),
        ("<p>Le présent site est édité par la société Boulangerie Martin, SARL au capital"
         " de 8 000 €</p>", "Boulangerie Martin SARL"),
        ("<p>Éditeur : ACME Conseil SAS, 3 rue X</p>", "ACME Conseil SAS"),
        ("<p>La Sablière, société par actions simplifiée (SAS) au capital de 40 000 €</p>",
         "La Sablière SAS"),
        ("<p>Angaben gemäß § 5 TMG</p><p>Kessler Antriebstechnik GmbH</p>"
         "<p>Industriestraße 4</p>", "Kessler Antriebstechnik GmbH"),
        # No legal form, no label: a sole trader or a sentence is not a company name.
        ("<p>Ce site est édité par Jean Dupont, entrepreneur individuel.</p>", None),
        ("<p>Nous sommes une SAS au capital de 1000 €.</p>", None),
        ("<h2>Hébergeur</h2><p>OVH SAS</p><p>2 rue Kellermann</p>", None),
    ],
)
def test_the_company_name_a_legal_notice_prints(body, name):
    html = doc(f"<h1>Mentions légales</h1>{body}", title="Mentions légales")
    facts = dict(extract_page(html, "https://x.example/mentions-legales").company)
    assert facts.get("legal_name") == name


@pytest.mark.parametrize(
    ("body", "address"),
    [
        ("<p>Siège social : 14 quai Saint-Vincent, 69001 Lyon</p>", "14 quai Saint-Vincent"),
        ("<p>Siège social : ACME SAS, 12 rue de la République, 69002 Lyon</p>",
         "12 rue de la République"),
        ("<p>Anschrift: Musterstraße 1, 10115 Berlin</p>", "Musterstraße 1"),
        ("<p>Siège social : RCS Lyon 552 032 534 – 69002 Lyon</p>", None),
    ],
)
def test_the_street_of_the_registered_office(body, address):
    html = doc(f"<h1>Mentions légales</h1>{body}", title="Mentions légales")
    facts = dict(extract_page(html, "https://x.example/mentions-legales").company)
    assert facts.get("address") == address


@pytest.mark.parametrize(
    ("url", "body", "expected"),
    [
        # A contact page or a home page's footer: the address without a label.
        ("https://x.example/contact", "<h1>Contact</h1><p>Écrivez-nous</p>"
         "<p>12 rue de la République, 69002 Lyon</p>",
         ("12 rue de la République", "69002", "Lyon")),
        ("https://x.example/", "<h1>Bienvenue</h1><footer><p>Boulangerie Dupain</p>"
         "<p>8 avenue Jean Jaurès</p><p>69007 Lyon</p></footer>",
         ("8 avenue Jean Jaurès", "69007", "Lyon")),
        ("https://x.example/kontakt", "<h1>Kontakt</h1><p>Musterstraße 1</p>"
         "<p>10115 Berlin</p>", ("Musterstraße 1", "10115", "Berlin")),
        # A street without a postcode, or a page of another kind: nothing.
        ("https://x.example/contact", "<p>Rendez-vous rue de la Paix</p>", (None, None, None)),
        ("https://x.example/blog/ouverture", "<p>12 rue de la République, 69002 Lyon</p>",
         (None, None, None)),
    ],
)
def test_the_address_a_contact_page_or_a_footer_prints(url, body, expected):
    facts = dict(extract_page(doc(body, title="Acme"), url).company)
    assert (facts.get("address"), facts.get("postcode"), facts.get("city")) == expected


def test_german_impressum_and_other_countries():
    text = ("Müller Werkzeugbau GmbH, Registergericht: Amtsgericht München, "
            "Registernummer: HRB 214587. USt-IdNr.: DE 812345673")
    found = dict(legal_ids(text))
    assert found["hrb"] == "HRB 214587"
    assert found["register_court"] == "Amtsgericht München"
    assert found["vat"] == "DE812345673"
    assert dict(legal_ids("Registered in England and Wales, company number 04567891."))[
        "uk_company_number"] == "04567891"
    assert dict(legal_ids("Federal Tax ID (EIN): 27-1234567"))["ein"] == "27-1234567"
    # Check digits are checked: a wrong SIREN or VAT number is no identifier.
    assert legal_ids("SIREN 812 345 677 – TVA FR00812345676") == []


def test_signals_careers_technologies_language():
    html = doc("""
      <h1>Careers</h1><ul><li><a href="/careers/data-engineer">Data Engineer</a></li>
      <li><a href="/careers/designer">Product Designer</a></li>
      <li><a href="/about">About</a></li></ul>
    """, lang="en-GB", head=(
        '<meta name="generator" content="WordPress 6.4">'
        '<script src="https://www.googletagmanager.com/gtm.js?id=1"></script>'
        '<script src="https://js.hs-scripts.com/1.js"></script>'), title="Careers")
    facts = extract_page(html, "https://acme.example/careers").company
    assert ("careers_url", "https://acme.example/careers") in facts
    assert ("open_positions", "2") in facts
    assert {v for f, v in facts if f == "technology"} >= {
        "WordPress", "Google Tag Manager", "HubSpot"}
    assert ("site_language", "en") in facts


def test_site_facts_tie_emails_to_people_and_mark_third_parties():
    site = SiteFacts("https://acme.example/")
    site.add(extract_page(doc(ELEMENTOR_TEAM), URL, country="FR"))
    site.add(extract_page(doc("""<p>Écrire à Inès : ifabre@acme.example ; notre partenaire
        Vert Horizon : bonjour@verthorizon.example ; bénévoles : asso.acme@gmail.com</p>""",
                              title="Contact"), "https://www.acme.example/contact"))
    result = site.result("acme.example")
    company = {(f, v) for f, v, _ in result["company"]}
    assert ("email", "contact@acme.example") in company
    assert ("email", "asso.acme@gmail.com") in company
    assert ("third_party_email", "bonjour@verthorizon.example") in company
    by_name = {next(v for f, v, _ in facts if f == "full_name"): facts
               for facts in result["people"]}
    assert ("email", "ifabre@acme.example", "https://www.acme.example/contact") in {
        tuple(f) for f in by_name["Inès Fabre"]}


# -- crawl rules --------------------------------------------------------------------------


def test_trap_rules():
    guard = Guard()
    assert refusal(canonical_url("https://a.example/a/b/a/b/"), guard) == "repeated path segments"
    assert refusal(canonical_url("https://a.example/x/" + "y" * 2100), guard) == "URL too long"
    assert refusal("https://a.example/brochure.pdf", guard) == "not a page (file extension)"
    assert refusal("https://a.example/news?page=99", guard) == "pagination beyond 20"
    reasons = [refusal(f"https://a.example/agenda?month={m}", guard) for m in range(30)]
    assert reasons.count(None) == 5
    assert canonical_url("https://a.example/p?utm_source=x&b=2&a=1&sid=9#top") == (
        "https://a.example/p?a=1&b=2"
    )


@given(st.text(max_size=300))
def test_extraction_never_raises(text):
    extract_page(text, "https://acme.example/")
    extract_page(f"<html><body><p>{text}</p></body></html>", "https://acme.example/equipe")


# -- pages shaped like real sites (tests/fixtures/crawl) ----------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "crawl"


def read_site(pages: dict[str, str], domain: str) -> dict:
    site = SiteFacts(next(iter(pages)))
    for url, name in pages.items():
        site.add(extract_page((FIXTURES / name).read_text("utf-8"), url))
    result = site.result(domain)
    company = {(f, v) for f, v, _ in result["company"]}
    staff = {}
    for facts in result["people"]:
        values = {}
        for f, v, _ in facts:
            values.setdefault(f, set()).add(v)
        staff[next(iter(values["full_name"]))] = values
    return {"company": company, "people": staff}


def test_french_association():
    found = read_site({
        "https://amisduvieuxlavoir.fr/mentions-legales/": "fr_association_mentions.html",
        "https://amisduvieuxlavoir.fr/le-bureau/": "fr_association_bureau.html",
    }, "amisduvieuxlavoir.fr")
    company, staff = found["company"], found["people"]
    assert {v for f, v in company if f == "email"} == {
        "contact@amisduvieuxlavoir.fr", "rgpd@amisduvieuxlavoir.fr",
        "amisduvieuxlavoir@gmail.com"}
    assert ("third_party_email", "bonjour@studiopixel.fr") in company
    # The host's phone and SIREN (o2switch) are not the association's.
    assert {v for f, v in company if f == "phone"} == {"+33476381234", "+33671234567"}
    assert {("siret", "81234567600017"), ("siren", "812345676"), ("rna", "W381012345"),
            ("legal_form", "Association loi 1901"), ("city", "Saint-Marcellin")} <= company
    assert set(staff) == {
        "Françoise Delorme", "Bernard Chapuis", "Monique Garcin", "Alain Rey", "Gérard Blanc",
        "Sylvie Roux", "Patrick Morel", "Nadine Faure", "Joël Perrin"}
    assert staff["Françoise Delorme"]["email"] == {"francoise.delorme@amisduvieuxlavoir.fr"}


def test_german_impressum_with_obfuscated_addresses():
    found = read_site({"https://www.holzwerk-bauer.de/impressum/": "de_impressum.html"},
                      "holzwerk-bauer.de")
    company, staff = found["company"], found["people"]
    assert {v for f, v in company if f == "email"} == {
        "info@holzwerk-bauer.de", "datenschutz@holzwerk-bauer.de"}
    assert {v for f, v in company if f == "phone"} == {"+49712134560", "+497121345699"}
    assert {("vat", "DE812345673"), ("hrb", "HRB 734512"),
            ("register_court", "Amtsgericht Stuttgart")} <= company
    assert set(staff) == {"Markus Bauer", "Stefanie Bauer-Lang", "Jürgen Schäfer"}
    assert staff["Jürgen Schäfer"]["email"] == {"j.schaefer@holzwerk-bauer.de"}
    assert staff["Markus Bauer"]["title"] == {"Geschäftsführer"}


def test_us_nonprofit_staff_and_board():
    found = read_site({"https://www.riverbendliteracy.org/about/staff/":
                       "us_nonprofit_staff.html"}, "riverbendliteracy.org")
    company, staff = found["company"], found["people"]
    assert set(staff) == {
        "Maria Lopez", "DeShawn Carter", "Emily Nguyen", "Robert Hughes", "Linda Park",
        "Samuel O'Brien", "Angela Rossi", "Tom Becker"}
    assert staff["Samuel O'Brien"]["title"] == {"Secretary"}
    assert staff["Maria Lopez"]["email"] == {"mlopez@riverbendliteracy.org"}
    assert staff["Maria Lopez"]["phone"] == {"+16145550148"}
    assert staff["DeShawn Carter"]["email"] == {"dcarter@riverbendliteracy.org"}
    # The main line is also printed outside Maria's card: it is the organisation's too.
    assert ("phone", "+16145550148") in company
    assert {("email", "info@riverbendliteracy.org"), ("ein", "31-1234567"),
            ("name", "Riverbend Literacy Coalition")} <= company


def test_french_research_lab_members():
    found = read_site({"https://lisc.univ-exemple.fr/membres": "fr_lab_members.html"},
                      "univ-exemple.fr")
    staff = found["people"]
    assert set(staff) == {
        "Sophie Durand", "Marc Petit", "Julien Leroy", "Thi Mai Nguyen", "Élise Bernard",
        "Antoine Moreau", "Fatima El Amrani", "Lucas Girard", "Yuki Tanaka", "Nathalie Colin"}
    assert staff["Sophie Durand"]["email"] == {"sophie.durand@lisc.univ-exemple.fr"}
    assert staff["Sophie Durand"]["phone"] == {"+33476512345"}
    assert staff["Yuki Tanaka"]["title"] == {"Doctorants"}
    assert "Pierre Lemaire" not in staff  # a seminar's speaker


def test_names_and_roles_in_one_element_or_with_dates():
    html = doc("""
      <h1>Our Team</h1><div class="grid">
      <div><h3>Jane Doe <span>Founder &amp; CEO</span></h3>
        <p>Jane spent twenty years in logistics before starting the company in 2015.</p></div>
      <div><h3>Mary Ann Lee <span>Designer</span></h3></div>
      <div><h3>John Smith, PhD • Head of Research</h3></div></div>
      <h2>PhD students</h2><ul>
      <li><a href="/a">Jean Dupont</a> - Doctorant (2021-2024)</li>
      <li><a href="/b">Marie Lenoir</a> - co-encadrée avec l'ENS, 2022-2025</li>
      <li><a href="/c">Paul Martin</a> (2023)</li></ul>
    """, lang="en", title="Our Team")
    found = people(extract_page(html, "https://acme.example/team"))
    assert found == {
        "Jane Doe": "Founder & CEO", "Mary Ann Lee": "Designer",
        "John Smith": "PhD • Head of Research", "Jean Dupont": "Doctorant",
        "Marie Lenoir": "PhD students", "Paul Martin": "PhD students",
    }


def test_addresses_written_by_scripts_and_spaced_dots():
    html = doc("""
      <p>Vertrieb: vertrieb (at) firma . de</p>
      <script>document.write('<a href="mai' + 'lto:' + 'info' + '@' + 'firma.de">Mail</a>');
      </script>
      <script>var form = {hint: "you@domain.com"};
        Sentry.init({dsn: "https://abcdef0123456789abcdef0123456789@o123.ingest.sentry.io/5"});
      </script>
      <p>Fediverse: @team@mastodon.social — ftp://user@files.firma.de</p>
    """, lang="de", title="Kontakt")
    assert emails(extract_page(html, "https://firma.de/kontakt")) == {
        "vertrieb@firma.de", "info@firma.de"}
