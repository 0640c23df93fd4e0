"""Extraction on pages kept in the shape of real websites (tests/fixtures/sites).

Each folder is one site, its markup taken from the CMS that real sites of that kind run
(WordPress/Astra and Gutenberg columns, TYPO3 with its mail encryption, Elementor image
boxes and post grids, a Drupal view table); people, addresses and numbers are made up.
Every test lists exactly what the site states — people, emails, phones, identifiers — so
it checks recall and precision at once: navigation labels, headings, cookie banners,
testimonials, post authors, footers, the host's and the web agency's details are not the
site's facts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from prospecting.crawl.extract import extract_page
from prospecting.crawl.site import SiteFacts

from .conftest import dump
from .servers import http_site

SITES = Path(__file__).parent / "fixtures" / "sites"
ID_FIELDS = {"siren", "siret", "vat", "rcs", "naf", "share_capital", "hrb", "register_court",
             "uk_company_number", "ein", "rna"}


def read_site(pages: dict[str, str], domain: str) -> dict:
    """The facts SiteFacts keeps for the site made of ``pages`` ({url: fixture file})."""
    site = SiteFacts(next(iter(pages)))
    for url, name in pages.items():
        site.add(extract_page((SITES / name).read_text("utf-8"), url))
    result = site.result(domain)
    company = {(f, v) for f, v, _ in result["company"]}
    staff: dict[str, dict[str, set[str]]] = {}
    for facts in result["people"]:
        values: dict[str, set[str]] = {}
        for f, v, _ in facts:
            values.setdefault(f, set()).add(v)
        staff[next(iter(values["full_name"]))] = values
    return {"company": company, "people": staff}


def of(company: set[tuple[str, str]], *fields: str) -> set[str]:
    return {v for f, v in company if f in fields}


def person_values(staff: dict, fieldname: str) -> set[str]:
    return {v for facts in staff.values() for v in facts.get(fieldname, ())}


def ids(company: set[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(f, v) for f, v in company if f in ID_FIELDS}


# -- a French association (WordPress, Astra theme, Gutenberg blocks) ---------------------


@pytest.fixture(scope="module")
def association() -> dict:
    return read_site({
        "https://jardins-val.example/mentions-legales/": "asso-fr/mentions-legales.html",
        "https://jardins-val.example/le-bureau/": "asso-fr/le-bureau.html",
    }, "jardins-val.example")


def test_association_people(association):
    staff = association["people"]
    assert set(staff) == {
        "Odile Ferrand", "Karim Benali", "Lucie Da Silva", "Bastien Lemaire",
        "Gérard Blanc", "Sylvie Roux", "Patrick Morel", "Joël Perrin", "Nadia Haddad",
        "Thomas Nguyen"}
    # Not: the web designer (credits), the photographer, the testimonial's author.
    assert staff["Karim Benali"]["title"] == {"Trésorier"}
    assert staff["Bastien Lemaire"]["title"] == {"Responsable de la rédaction"}


def test_association_emails_phones_and_ids(association):
    company, staff = association["company"], association["people"]
    assert of(company, "email") | person_values(staff, "email") == {
        "bonjour@jardins-val.example", "rgpd@jardins-val.example",
        "bureau@jardins-val.example"}
    # The web agency's address is kept apart, not as the association's.
    assert of(company, "third_party_email") == {"contact@atelier-pixel.example"}
    # "01 43 28 17 90" and "01.43.28.17.90" are one number; the host's and the agency's
    # numbers are not the association's.
    assert of(company, "phone") | person_values(staff, "phone") == {"+33143281790"}
    # The host's SIRET, RCS, capital, NAF and VAT (OVH) are not the association's.
    assert ids(company) == {("rna", "W943004512"), ("siret", "81234567600017"),
                            ("siren", "812345676"), ("naf", "94.99Z")}
    assert ("legal_form", "Association loi 1901") in company


# -- a German firm's Impressum (TYPO3, e-recht24 layout) ---------------------------------


@pytest.fixture(scope="module")
def firma() -> dict:
    return read_site({"https://www.kessler-antrieb.de/impressum": "firma-de/impressum.html"},
                     "kessler-antrieb.de")


def test_impressum_people(firma):
    staff = firma["people"]
    # "Vertreten durch:" then one name a line; the data protection officer under his heading.
    assert set(staff) == {"Matthias Kessler", "Sabine Weißenborn", "Jörg Albrecht"}
    assert staff["Jörg Albrecht"]["title"] == {"Datenschutzbeauftragter"}


def test_impressum_obfuscated_emails_phones_and_register(firma):
    company, staff = firma["company"], firma["people"]
    # "info (at) kessler-antrieb (punkt) de", and a TYPO3 encrypted mailto whose text is
    # split by <span>s; the officer's address is a picture and stays unknown.
    assert of(company, "email", "third_party_email") | person_values(staff, "email") == {
        "info@kessler-antrieb.de", "vertrieb@kessler-antrieb.de"}
    # "+49 (0) 89 3197650-0", the fax "-99", "Tel.: 089 / 31 97 65 - 50" (region DE from
    # the page's language); the agency's "040 / 22 33 44 55" is not the firm's.
    assert of(company, "phone") | person_values(staff, "phone") == {
        "+498931976500", "+4989319765099", "+498931976550"}
    # The agency's HRB, court and USt-IdNr. are printed below: not the firm's.
    assert ids(company) == {("hrb", "HRB 187432"), ("register_court", "Amtsgericht München"),
                            ("vat", "DE129273398")}


# -- a US non-profit's team page (WordPress + Elementor) ---------------------------------


@pytest.fixture(scope="module")
def nonprofit() -> dict:
    return read_site({"https://riverbendliteracy.example/about/our-team/":
                      "nonprofit-us/our-team.html"}, "riverbendliteracy.example")


def test_nonprofit_staff_and_board(nonprofit):
    staff = nonprofit["people"]
    # Not: the testimonial's learner, the news grid's post authors, the footer's name of
    # the organisation ("Riverbend Literacy Project" is no "Riverbend Literacy").
    assert set(staff) == {
        "Denise Whitfield", "Marcus O'Neal", "Priya Raman", "Robert Kline",
        "Angela Torres-Brown", "Samuel Okafor", "Linda Hsu", "Elaine Porter",
        "James McAllister", "Teresa Vaughn"}
    assert staff["Denise Whitfield"]["title"] == {"Executive Director"}
    assert staff["Priya Raman"]["title"] == {"Volunteer & Community Engagement Manager"}
    assert staff["Linda Hsu"]["title"] == {"Secretary"}
    assert "title" not in staff["James McAllister"] or staff["James McAllister"]["title"] == {
        "Board of Directors"}


def test_nonprofit_contacts_and_ein(nonprofit):
    company, staff = nonprofit["company"], nonprofit["people"]
    assert staff["Denise Whitfield"]["email"] == {"dwhitfield@riverbendliteracy.example"}
    assert staff["Denise Whitfield"]["phone"] == {"+15135550142"}
    assert staff["Marcus O'Neal"]["email"] == {"moneal@riverbendliteracy.example"}
    # Split by <span>s: "priya<span>@</span>riverbendliteracy<span>.</span>example".
    assert staff["Priya Raman"]["email"] == {"priya@riverbendliteracy.example"}
    assert of(company, "email", "third_party_email") == set()
    assert of(company, "phone") == {"+15135550100"}
    assert ids(company) == {("ein", "31-1598743")}


# -- a French research lab's directory (Drupal view table) -------------------------------


@pytest.fixture(scope="module")
def lab() -> dict:
    return read_site({"https://www.lpi.example/annuaire": "labo-fr/annuaire.html"},
                     "lpi.example")


def test_lab_directory_people(lab):
    staff = lab["people"]
    # "Nom | Prénom" columns, last names in capitals; the search form's labels and the
    # pager are not people.
    assert set(staff) == {
        "Hélène Marchetti", "François Leclerc", "Camille Aubert", "Yanis Benhamou",
        "Margaux de La Fontaine", "Jean-Baptiste Guérin", "Thi Lan Nguyen", "Étienne Roussel",
        "Léa Schmitt"}
    assert staff["Yanis Benhamou"]["title"] == {"Doctorant"}
    assert staff["Étienne Roussel"]["title"] == {"Directeur de recherche émérite"}
    assert staff["Hélène Marchetti"]["title"] == {
        "Directrice de l'unité – Directrice de recherche CNRS"}


def test_lab_directory_emails_and_phones_belong_to_their_rows(lab):
    staff, company = lab["people"], lab["company"]
    expected = {
        "Camille Aubert": ("camille.aubert@lpi.cnrs.fr", "+33169154237"),
        "Yanis Benhamou": ("yanis.benhamou@universite-paris-saclay.fr", "+33169154258"),
        "Margaux de La Fontaine": ("margaux.de-la-fontaine@universite-paris-saclay.fr",
                                   "+33169154240"),
        "Jean-Baptiste Guérin": ("jean-baptiste.guerin@lpi.cnrs.fr", "+33169154261"),
        "Étienne Roussel": ("etienne.roussel@lpi.cnrs.fr", "+33169154205"),
        "Léa Schmitt": ("lea.schmitt@lpi.cnrs.fr", "+33169154200"),
    }
    for name, (email, phone) in expected.items():
        assert staff[name]["email"] == {email}, name
        assert staff[name]["phone"] == {phone}, name
    assert staff["Thi Lan Nguyen"]["email"] == {"thilan.nguyen@lpi.cnrs.fr"}
    assert "phone" not in staff["Thi Lan Nguyen"]
    assert staff["Hélène Marchetti"]["phone"] == {"+33169154210"}
    assert staff["François Leclerc"]["phone"] == {"+33169154211"}
    # The secretariat's number, also in the footer, is the lab's too.
    assert of(company, "phone") == {"+33169154200"}
    assert of(company, "email", "third_party_email") == set()


# -- phone formats and the region they are read with -------------------------------------


def _page(body: str, lang: str, head: str = "", title: str = "Contact") -> str:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title>{head}</head><body>{body}</body></html>")


def test_french_phone_formats():
    html = _page("""
      <p>Accueil : 01 23 45 67 89</p><p>Standard : +33 (0)1 23 45 67 88</p>
      <p>Ligne directe : 01.23.45.67.87</p><p>Portable : 06-12-34-56-78</p>
      <p>Tél. 0123456786</p><p>+33(0)123456783</p><p>0033 1 23 45 67 82</p>
      <div class="contact"><span class="label">Tél.</span>
        <span class="value">04&nbsp;78&nbsp;62&nbsp;18&nbsp;40</span></div>
      <p>SIRET 812 345 676 00017 — publié le 12/05/2024 — version 2.14.3</p>""", "fr")
    found = {p.value for p in extract_page(html, "http://127.0.0.1:8000/contact").phones}
    assert found == {"+33123456789", "+33123456788", "+33123456787", "+33612345678",
                     "+33123456786", "+33123456783", "+33123456782", "+33478621840"}


def test_german_phone_formats():
    html = _page("""
      <p>Telefon: +49 (0) 89 1234567-0</p><p>Tel.: 089 / 12 34 56</p>
      <p>Fon 0 89 / 1 23 45 - 67</p><p>Mobil: 0171 1234567</p>
      <p>T: 0049 (0)30 12345678</p><p>Tel.: (089) 123 456 78</p>""", "de")
    found = {p.value for p in extract_page(html, "http://127.0.0.1:8000/kontakt").phones}
    assert found == {"+498912345670", "+4989123456", "+49891234567", "+491711234567",
                     "+493012345678", "+498912345678"}


def test_national_numbers_of_an_english_page_use_the_sites_country():
    # A German firm's English imprint, served from anywhere: the "+49" it prints and its
    # canonical .de address say which country "089 / 12 34 56" is in.
    body = "<p>Head office: +49 (0) 89 1234567-0</p><p>Service: Tel.: 089 / 12 34 56</p>"
    found = {p.value for p in extract_page(_page(body, "en", title="Imprint"),
                                           "http://127.0.0.1:8000/en/imprint").phones}
    assert found == {"+498912345670", "+4989123456"}
    canonical = '<link rel="canonical" href="https://www.firma.de/en/imprint">'
    html = _page('<p>Phone: 089 / 12 34 56</p><a href="tel:08912345699">Call</a>', "en",
                 head=canonical, title="Imprint")
    assert {p.value for p in extract_page(html, "http://127.0.0.1:8000/en/imprint").phones} \
        == {"+4989123456", "+498912345699"}


# -- addresses split across tags, written with entities, or with a picture for @ ---------


def test_emails_split_across_tags_or_written_with_entities():
    html = _page("""
      <p><span>jean</span><span>@</span><span>acme.fr</span></p>
      <p>marie&#46;curie&#64;acme&#46;fr</p><p>paul&#x40;acme.fr</p>
      <p><a href="mailto:&#108;&#117;&#99;&#64;acme.fr">&#108;&#117;&#99;&#64;acme.fr</a></p>
      <p><a href="mailto:%6Eina%40acme.fr">Nina</a></p>
      <p>zoe<!-- anti-spam -->@acme.fr</p>
      <p>leo<span style="display:none">null</span>@acme.fr</p>
      <p>hugo<i class="fa fa-at"></i>acme.fr</p>
      <p><span class="u">anna</span><img src="/at.gif" alt="@"><span>acme.fr</span></p>
      <p>info<wbr>@acme<wbr>.fr</p>
      <p>contact&nbsp;[at]&nbsp;acme&nbsp;[dot]&nbsp;fr — rh {at} acme {dot} fr</p>
      <p>compta arobase acme point fr</p><p>presse<span> @ </span>acme.fr</p>
      <p>Max.Muster(at)firma(dot)de — vorname.nachname [ät] firma.de</p>
      <p>Datenschutz: <img src="/fileadmin/mail.png" alt="E-Mail-Adresse als Grafik"></p>""",
                 "fr")
    found = {e.value for e in extract_page(html, "https://acme.fr/contact",
                                           site_domain="acme.fr").emails}
    assert found == {
        "jean@acme.fr", "marie.curie@acme.fr", "paul@acme.fr", "luc@acme.fr", "nina@acme.fr",
        "zoe@acme.fr", "leo@acme.fr", "hugo@acme.fr", "anna@acme.fr", "info@acme.fr",
        "contact@acme.fr", "rh@acme.fr", "compta@acme.fr", "presse@acme.fr",
        "Max.Muster@firma.de", "vorname.nachname@firma.de"}


# -- team grids of common site builders --------------------------------------------------


def test_divi_team_members():
    found = read_site({"https://www.vauban-conseil.example/notre-equipe/":
                       "cms/divi-equipe.html"}, "vauban-conseil.example")
    company, staff = found["company"], found["people"]
    # Not the testimonial's author, nor "Notre équipe" (the menu and the heading).
    assert set(staff) == {"Claire Vasseur", "Olivier N'Diaye", "Inès Carpentier"}
    assert staff["Claire Vasseur"]["title"] == {"Associée fondatrice, expert-comptable"}
    assert staff["Claire Vasseur"]["linkedin_url"] == {
        "https://www.linkedin.com/in/claire-vasseur-exemple"}
    assert staff["Olivier N'Diaye"]["email"] == {"o.ndiaye@vauban-conseil.example"}
    assert staff["Olivier N'Diaye"]["phone"] == {"+33139245612"}
    assert of(company, "phone") == {"+33139245600"}


def test_wix_team_columns():
    found = read_site({"https://www.harborlightpantry.example/our-team": "cms/wix-team.html"},
                      "harborlightpantry.example")
    company, staff = found["company"], found["people"]
    assert set(staff) == {"Rachel Abernathy", "Tomás Ibarra", "Grace Whitaker-Lowe"}
    assert staff["Rachel Abernathy"]["title"] == {"Founder & Executive Director"}
    assert staff["Rachel Abernathy"]["email"] == {"rachel@harborlightpantry.example"}
    assert of(company, "phone") == {"+19785550117"}
    assert ids(company) == {("ein", "27-4415096")}  # "Tax ID #&nbsp;27-4415096"


def test_typo3_tt_address_list():
    found = read_site({"https://www.schreinerei-albers.example/ueber-uns/ansprechpartner/":
                       "cms/typo3-ansprechpartner.html"}, "schreinerei-albers.example")
    company, staff = found["company"], found["people"]
    assert set(staff) == {"Jan Albers", "Birgit König", "Mehmet Yılmaz"}
    # TYPO3's encrypted mailto, its "(at)" text and a display:none decoy: one address.
    assert staff["Jan Albers"]["email"] == {"j.albers@schreinerei-albers.example"}
    assert staff["Jan Albers"]["phone"] == {"+494218392140"}
    assert staff["Birgit König"]["phone"] == {"+4942183921412"}
    assert staff["Mehmet Yılmaz"]["phone"] == {"+491705551234"}
    assert of(company, "email", "third_party_email") == set()


# -- a 600-page site, crawled end to end -------------------------------------------------

site_factory = http_site.site_factory


def _slug(k: int) -> str:
    """A post's slug, words only like real ones ("spring-gala-raises"): numbered URLs of
    one shape are capped as a trap."""
    letters = "".join("abcdefghijklmnopqrstuvwxyz"[int(d)] for d in f"{k:03d}")
    return f"story-{letters}"


def _big_nonprofit() -> dict[str, str]:
    """The non-profit's team page behind /about/, and 600 news posts in 30 listing pages
    that the home page links to first."""
    nav = ('<nav class="site-navigation"><a href="/news/">News</a> <a href="/programs/">'
           'Programs</a> <a href="/donate/">Donate</a> <a href="/about/">About Us</a></nav>')
    posts = 600
    pages = {
        "index.html": http_site.page(
            nav + "<h1>Riverbend Literacy Project</h1>" + "".join(
                f'<a href="/news/{_slug(k)}/">Story {k}</a> ' for k in range(40)),
            title="Riverbend Literacy Project", lang="en"),
        "about/index.html": http_site.page(
            nav + '<h1>About Us</h1><a href="/about/our-team/">Meet our team</a>'
            ' <a href="/about/history/">Our history</a>', title="About", lang="en"),
        "about/history.html": http_site.page(nav + "<h1>History</h1>", lang="en"),
        "about/our-team/index.html": (SITES / "nonprofit-us" / "our-team.html").read_text(
            "utf-8"),
        "programs.html": http_site.page(nav + "<h1>Programs</h1>", lang="en"),
        "donate.html": http_site.page(nav + "<h1>Donate</h1>", lang="en"),
    }
    archive = "".join(f'<a href="/news/archive-{n}/">{n + 1}</a> ' for n in range(1, 30))
    for n in range(30):
        listing = "".join(f'<a href="/news/{_slug(k)}/">Story {k}</a> '
                          for k in range(n * 20, n * 20 + 20))
        pages["news/index.html" if n == 0 else f"news/archive-{n}/index.html"] = (
            http_site.page(nav + f"<h1>News</h1>{listing}{archive}", lang="en"))
    for k in range(posts):
        pages[f"news/{_slug(k)}/index.html"] = http_site.page(
            nav + f"<h1>Story {k}</h1><p>Tutors met {k} learners.</p>"
            f'<a href="/news/{_slug((k + 1) % posts)}/">Next story</a>', lang="en")
    return pages


def test_a_600_page_site_finishes_and_reads_the_team_page_early(run, db, site_factory,
                                                                   tmp_path):
    site = site_factory(_big_nonprofit())
    config = tmp_path / "crawl.toml"  # no delay; a timeout a busy machine cannot reach
    config.write_text('[http]\nrequests_per_second = 200.0\ntimeout_s = 20.0\n'
                      'user_agent = "TestCrawler/1.0"\n[crawl]\nretries = 1\n'
                      "autothrottle = false\n", encoding="utf-8")
    result = run("crawl", db, site.url, "--max-pages", "1000", "--config", config)
    assert result.exit_code == 0, result.output
    fetched = [p for p in site.paths if p != "/robots.txt"]
    assert 600 < len(fetched) <= 1000  # the whole site, within the cap
    # The about page, then the team page, come right after the home page and the few
    # pages already asked for, long before the news.
    assert fetched.index("/about/") < 3
    assert fetched.index("/about/our-team/") < 12
    found = {p["full_name"] for p in dump(db)}
    assert {"Denise Whitfield", "Robert Kline", "Teresa Vaughn"} <= found
    assert "Kevin Marsh" not in found


def test_lists_of_programmes_and_places_are_not_people():
    html = _page("""
      <h1>About Us</h1>
      <h2>Our Programs</h2><ul class="programs">
        <li><a href="/programs/adult-education/">Adult Education</a></li>
        <li><a href="/programs/family-literacy/">Family Literacy</a></li>
        <li><a href="/programs/summer-reading/">Summer Reading</a></li>
        <li><a href="/programs/tutor-training/">Tutor Training</a></li></ul>
      <h2>Where we work</h2><p>Hamilton County, Butler County, Clermont County et Warren
        County.</p>
      <div class="card"><h3>Food Pantry</h3><p>Tuesdays</p></div>
      <h2>Staff</h2><ul class="staff"><li>Denise Whitfield</li><li>Yanis Benhamou</li>
        <li>Teresa Vaughn</li><li>Ségolène Marchais</li></ul>""", "en", title="About Us")
    found = {p.full_name for p in extract_page(html, "https://x.example/about/").people}
    # Names listed without roles count when most begin with a known given name.
    assert found == {"Denise Whitfield", "Yanis Benhamou", "Teresa Vaughn",
                     "Ségolène Marchais"}


def test_lab_member_lists_with_grades_and_surnames_first():
    html = _page("""
      <h1>Membres de l'équipe</h1>
      <h2>Permanents</h2><ul><li>Camille AUBERT, CR CNRS</li>
        <li>Étienne ROUSSEL (DR émérite)</li><li>Margaux DE LA FONTAINE – MCF</li>
        <li>Paul Girard, PU</li></ul>
      <h2>Doctorants</h2><ul><li>Yanis BENHAMOU</li><li>Lina Haddad</li>
        <li>NGUYEN Thi Lan</li></ul>""", "fr", title="Membres - Équipe Surfaces")
    found = {p.full_name: p.title
             for p in extract_page(html, "https://lab.example/membres").people}
    assert found == {
        "Camille Aubert": "CR CNRS", "Étienne Roussel": "DR émérite",
        "Margaux de La Fontaine": "MCF", "Paul Girard": "PU", "Yanis Benhamou": "Doctorants",
        "Lina Haddad": "Doctorants", "Thi Lan Nguyen": "Doctorants"}


def test_staff_written_as_prose_with_bold_names():
    html = _page("""
      <h1>Staff</h1>
      <p><strong>Alice Brown</strong> is the founder and executive director of the
        organization. She has worked in literacy since 1998.</p>
      <p><b>Carlos Diaz</b> joined the team in 2019 and manages our adult programs. Reach
        him at cdiaz@org.example.</p>
      <p><strong>Important:</strong> the office is closed on Mondays.</p>
      <p>Our volunteers, led by <strong>Dana Scully</strong>, tutor 300 adults.</p>""",
                 "en", title="Staff | Org")
    page = extract_page(html, "https://org.example/staff/")
    assert {p.full_name: p.title for p in page.people} == {
        "Alice Brown": "Founder and executive director", "Carlos Diaz": None}
    assert [(e.value, page.people[e.person].full_name) for e in page.emails] == [
        ("cdiaz@org.example", "Carlos Diaz")]


def test_legal_notice_people_as_labels_and_as_prose():
    html = _page("""
      <h1>Mentions légales</h1>
      <p>Directeur de la publication : M. Jean Dupont, Président</p>
      <p>Le directeur de la publication est Madame Claire Martin.</p>
      <p>Le site est édité par l'association. La responsable de la publication est
        Mme Anne Petit, présidente.</p>
      <p><strong>Contact</strong> : Hélène Roux – 06 12 34 56 78 – helene.roux@asso.fr</p>
      <p>Contact : Service communication</p>
      <p>Conception et réalisation : Agence Web Lumière – Marc Lefèvre</p>
      <p>Crédits photos : © Karl Schmidt / Fotolia</p>""", "fr", title="Mentions légales")
    found = {p.full_name: p.title
             for p in extract_page(html, "https://asso.fr/mentions-legales").people}
    assert found == {"Jean Dupont": "Directeur de la publication",
                     "Claire Martin": "Directeur de la publication",
                     "Anne Petit": "Responsable de la publication", "Hélène Roux": None}


def test_post_authors_in_json_ld_are_not_team_members():
    graph = ('{"@context":"https://schema.org","@graph":[{"@type":"Article","author":'
             '{"name":"Kevin Marsh","@id":"https://org.example/#/schema/person/abc"}},'
             '{"@type":"Organization","name":"Riverbend","employee":[{"@type":"Person",'
             '"name":"Denise Whitfield","jobTitle":"Executive Director"}]},'
             '{"@type":"Person","@id":"https://org.example/#/schema/person/abc",'
             '"name":"Kevin Marsh"}]}')
    inline = ('{"@context":"https://schema.org","@type":"BlogPosting","author":'
              '{"@type":"Person","name":"Amy Lindqvist"}}')
    head = "".join(f'<script type="application/ld+json">{block}</script>'
                   for block in (graph, inline))
    html = _page("<h1>Spring Gala Raises $48,000</h1>", "en", head=head, title="Spring Gala")
    found = {p.full_name: p.title
             for p in extract_page(html, "https://org.example/news/gala/").people}
    assert found == {"Denise Whitfield": "Executive Director"}


def test_academic_and_german_titles_before_names():
    html = _page("""
      <h1>Impressum</h1>
      <p>Vorstand: Prof. Dr. Klaus Weber, Dr. med. Anna Schulz</p>
      <p>Wissenschaftliche Leitung: Prof. Dr.-Ing. Eva Lange</p>
      <p>Verantwortlich: Dr. rer. nat. Jan Berg</p>""", "de", title="Impressum")
    found = {p.full_name for p in extract_page(html, "https://verein.de/impressum").people}
    assert found == {"Klaus Weber", "Anna Schulz", "Eva Lange", "Jan Berg"}


def test_wordpress_email_encoder_plugin():
    import codecs
    from urllib.parse import quote

    target = quote('<a href="mailto:bureau@jardins-val.example">bureau@jardins-val.example</a>')
    ml = "".join(sorted(set(target)))
    mi = "".join(chr(ml.index(c) + 48) for c in target)
    enc = codecs.encode("contact[at]jardins-val.example", "rot13")
    html = _page(f"""
      <p><a href="javascript:;" data-enc-email="{enc}" class="mail-link"
        data-wpel-link="ignore"><span id="eeb-1"></span></a></p>
      <p><span id="eeb-2"></span><script type="text/javascript">(function() {{
        var ml="{ml}",mi="{mi}",o="";for(var j=0,l=mi.length;j<l;j++){{
        o+=ml.charAt(mi.charCodeAt(j)-48);}}
        document.getElementById("eeb-2").innerHTML = decodeURIComponent(o);}}());</script>
        <noscript>*protected email*</noscript></p>""", "fr")
    found = {e.value for e in extract_page(html, "https://jardins-val.example/contact/").emails}
    assert found == {"contact@jardins-val.example", "bureau@jardins-val.example"}


def test_a_hosting_paragraph_without_headings_ends_where_the_owner_speaks_again():
    html = _page("""
      <h1>Mentions légales</h1>
      <p>Le site asso.fr est édité par l'association Les Amis, association loi 1901,
        SIRET 812 345 676 00017.</p>
      <p>Hébergeur : OVH SAS, 2 rue Kellermann 59100 Roubaix. RCS Lille 424 761 419.
        Tél : 09 72 10 10 07</p>
      <p>Directeur de la publication : Jean Dupont</p>
      <p>Contact : contact@asso.fr – 01 43 28 17 90</p>
      <p>Hébergement :</p><p>o2switch</p><p>Chemin des Pardiaux, 63000 Clermont-Ferrand</p>
      <p>SIRET 510 909 807 00032 – Tél. 04 44 44 60 40</p>""", "fr", title="Mentions légales")
    page = extract_page(html, "https://asso.fr/mentions-legales")
    assert [p.full_name for p in page.people] == ["Jean Dupont"]
    assert {p.value for p in page.phones} == {"+33143281790"}
    assert {(f, v) for f, v in page.company if f in ("siren", "siret", "rcs")} == {
        ("siret", "81234567600017"), ("siren", "812345676")}
