"""Word lists the page extractor reads: link priorities, role words, words no name holds.

Kept apart from the rules so they can grow with real pages. Everything is compared
lower case and without accents.
"""

from __future__ import annotations

import re


def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of ``text``."""
    return frozenset(text.split())

# Pages worth fetching first, best first: (score, words found in the URL path or link text).
LINK_PRIORITIES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (100, (
        "contact", "nous-contacter", "contactez", "kontakt", "impressum", "imprint",
        "mentions-legales", "mentions legales", "mentions", "legal-notice", "legal notice",
        "legal", "informations legales", "team", "equipe", "our-team", "notre-equipe",
        "qui-sommes-nous", "qui sommes-nous", "qui sommes nous", "about", "a-propos",
        "a propos", "about-us", "ueber-uns", "uber-uns", "uber uns", "ueber uns", "leadership",
        "management", "direction", "gouvernance", "governance", "board", "staff", "people",
        "our-people", "founders", "fondateurs", "membres", "members", "annuaire", "directory",
        "personnel", "mitarbeiter", "ansprechpartner", "das-team", "wer-wir-sind",
        "who-we-are", "chercheurs", "researchers", "faculty", "bureau", "conseil",
    )),
    (60, (
        "careers", "career", "jobs", "job", "recrutement", "recrute", "emploi", "emplois",
        "karriere", "stellenangebote", "stellen", "join-us", "rejoignez", "rejoindre",
        "nous-rejoindre", "press", "presse", "media", "newsroom", "partenaires", "partners",
        "organigramme", "organisation", "organization", "unternehmen", "societe", "company",
        "histoire", "history", "auteur", "author", "authors",
    )),
)

CAREERS_WORDS = (
    "careers", "career", "jobs", "recrutement", "emploi", "emplois", "karriere",
    "stellenangebote", "join-us", "nous-rejoindre", "rejoignez-nous", "offres-d-emploi",
    "work-with-us", "vacancies", "openings",
)
PEOPLE_PAGE_WORDS = (
    "team", "equipe", "about", "a-propos", "qui-sommes-nous", "leadership", "management",
    "direction", "gouvernance", "governance", "board", "staff", "people", "founders",
    "membres", "members", "annuaire", "directory", "personnel", "mitarbeiter",
    "ansprechpartner", "ueber-uns", "uber-uns", "wer-wir-sind", "who-we-are", "chercheurs",
    "researchers", "faculty", "bureau", "conseil", "contact", "kontakt", "author", "auteur",
    "organigramme", "trustees", "our-people", "unser-team", "das-team",
)
LEGAL_PAGE_WORDS = (
    "mentions", "legal", "impressum", "imprint", "legales", "informations-legales",
    "conditions", "cgv", "cgu", "terms", "privacy", "confidentialite", "datenschutz",
)
# Pages that print the company's postal address without a label.
CONTACT_PAGE_WORDS = (
    "contact", "contacts", "contactez-nous", "nous-contacter", "kontakt", "acces",
    "plan-d-acces", "nous-trouver", "find-us", "anfahrt", "location", "locations",
)

# Words that make a text a job title even when the title rules do not know it.
ROLE_WORDS = word_set(
    # French academic grades as labs print them: "CR CNRS", "DR émérite", "MCF", "PU-PH".
    "cr crcn crhc dr drce mcf pu pu-ph mcu-ph ir ie ingr post-doc postdoctorante "
    "postdoctorant phd "
    # German team pages put a department under the name: "Vertrieb", "Buchhaltung".
    "leitung geschaftsleitung geschaeftsleitung projektleitung teamleitung bereichsleitung "
    "vertriebsleitung werkstattleitung vertrieb buchhaltung sekretariat verwaltung einkauf "
    "kundenservice kundendienst "
    """
    ceo cto cfo coo cmo cio cso cpo chro vp svp evp president presidente vice chair chairman
    chairwoman chairperson founder cofounder co-founder fondateur fondatrice cofondateur
    cofondatrice director directrice directeur directeurs direktor direktorin manager
    managerin head lead leader officer partner associe associee gerant gerante cogerant
    owner inhaber inhaberin geschaftsfuhrer geschaftsfuhrerin geschaeftsfuehrer
    geschaeftsfuehrerin vorstand vorsitzender vorsitzende prokurist prokuristin
    leiter leiterin abteilungsleiter referent referentin berater beraterin sachbearbeiter
    sachbearbeiterin assistent assistentin engineer ingenieur ingenieure developer
    developpeur developpeuse designer consultant consultante analyst analyste scientist
    researcher chercheur chercheuse doctorant doctorante postdoc post-doctorant
    post-doctorante postdoctoral professor professeur professeure maitre maitresse
    conferences gestionnaire hdr emerite emeritus ater vacataire lecturer ingenieure
    konstrukteur meister meisterin geselle auszubildender azubi schreiner
    enseignant enseignante lecturer fellow student etudiant etudiante stagiaire intern
    technicien technicienne responsable charge chargee coordinator coordinateur
    coordinatrice coordonnateur coordonnatrice secretary secretaire secretaire-general
    tresorier tresoriere treasurer trustee administrateur administratrice administrator
    counsel attorney avocat avocate accountant comptable comptabilite specialist
    specialiste representative commercial commerciale sales account executive
    executive-director assistant assistante advisor adviser conseiller conseillere
    strategist editor redacteur redactrice journalist coach trainer formateur formatrice
    architect architecte nurse physician doctor docteur pharmacien chef cheffe principal
    superintendent organizer organiser volunteer benevole benevoles membre member board
    delegue deleguee delegate ambassador ambassadeur animateur animatrice educateur
    educatrice mediateur mediatrice juriste notaire expert experte auditeur auditrice
    controleur controleuse acheteur acheteuse marketing communication communications
    comms rh hr operations finance financier financiere product produit programme program
    project projet research recherche community success support office operations
    """)

# Words that never appear in a person's name: navigation, headings, common prose.
NOT_NAME_WORDS = word_set(
    # Places: "Hamilton County", "Clermont Township", "Grace Church" are no one.
    "county counties city township parish district platz weg chemin campus school "
    "library church cathedral hospital clinic museum "
    # Research sites: schools, rooms, prizes, journals and profiles named after people.
    "ecole college polytechnique inria centrale labex equipex idex cite actions medaille "
    "seminaire salle amphi amphitheatre batiment archives orcid profile scholar nature physics "
    "review reviews letters journal science sciences advances prix prize award lecture "
    "chaire chair-holder "
    """
    a about accueil actualites actualite agence all and annuaire apply apropos are articles
    au aux avec blog board bureau but by careers carrieres catalogue cgu cgv chez click
    client clients company conditions conseil contact contactez contacts cookie cookies
    copyright dans de des direction donate donner du en english equipe et events evenements
    faq fonctionnement for formation francais from get help home impressum in inc index info
    informations is join jobs kontakt la le learn legal les linkedin login ma mehr menu
    mentions mes mission more my news newsletter nos nose notre nous of on or our ours par
    partenaires partners plus politique pour presse press privacy produits products projets
    projects qui read recrutement recherche register rejoindre resources ressources sa sarl
    sas search see services site sitemap sommes sur team terms the this to toggle tous
    twitter uber ueber uns unsere unser und us valeurs values view voir vos votre we welcome
    what who why with you your zur zum die der das den ein eine mit von fur weiter lire
    suite savoir en-savoir decouvrir discover our histoire history vision offre offres
    solutions solution expertise expertises references reference temoignages testimonials
    gmbh ag kg ltd llc plc inc corp sasu eurl association foundation fondation institut
    institute universite university laboratoire laboratory lab labs group groupe street
    rue avenue boulevard place road strasse munchen
    new york janvier fevrier mars avril juin juillet aout septembre octobre novembre
    decembre january february march july september october november
    december monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi
    jeudi vendredi samedi dimanche tel phone telephone fax email e-mail mail adresse address
    newsletter subscribe follow facebook instagram youtube github x previous next precedent
    suivant page pages back retour top haut bas open close fermer ouvrir lorem ipsum dolor
    sit amet annual report rapport bilan nos-equipes staff people members membres direction
    leadership management conseil-d-administration ca office bureau general generale
    executive committee comite assemblee president presidente vice director directeur
    directrice manager responsable ceo cto cfo coo founder fondateur cofondateur co-founder
    tresorier tresoriere secretaire secretary treasurer chair doctorant doctorante
    chercheur chercheuse researcher engineer ingenieur professor professeur student
    etudiant intern stagiaire assistant assistante head lead officer partner associe
    charge chargee consultant developer developpeur designer analyst coordinator
    coordinatrice coordinateur administrateur administratrice member membre
    ihre ihr ihren sie wir uns unserem unseren ansprechpartner ansprechpartnerin leistungen
    produkte referenzen karriere aktuelles neuigkeiten startseite datenschutz anfahrt
    metiers realisations mot nouvelles actus agenda espace presentation engagements
    engagement publications publication seminaires colloque theses these soutenances
    offres emploi partenariats financeurs adherer adhesion dons benevolat stages stage
    get involved programs program donate support board governance annual reports impact
    stories story careers openings latest featured upcoming past recent related popular
    quick links useful liens utiles plan acces horaires tarifs prix pricing features
    customers case studies studies overview platform integrations docs documentation
    api status community forum download downloads demo trial free sign up in out
    council advisory committee trustees volunteers donors supporters alumni fellows
    interns ambassadors friends coalition network alliance center centre initiative
    project fund society club studio agency media meet our-team conseil-scientifique
    scientifique scientific partenaire sponsor sponsors mecenes mecene adherents
    hours opening directions parking map access getting visit location locations
    headquarters siege bureaux agences agence sales billing inquiries enquiries relations
    service customer clientele accueil reception standard hotline helpdesk
    """)

# Ancestors whose names are never people on their own: navigation, forms, quotes.
SKIP_CONTAINER = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|navigation|menu|breadcrumbs?|cookie|consent|"
    r"testimonials?|temoignages?|reviews?|quotes?|blockquote|citation|comments?|"
    r"sidebar|widget_recent|related|share|social|newsletter|search|pagination|"
    r"footer-menu|logo|carousel-partners|partners?|sponsors?|clients?)(?:$|[\s_-])",
    re.IGNORECASE,
)

# Generator meta tags and script hosts that name a technology.
GENERATOR_NAMES = (
    ("wordpress", "WordPress"), ("drupal", "Drupal"), ("joomla", "Joomla"),
    ("wix", "Wix"), ("squarespace", "Squarespace"), ("webflow", "Webflow"),
    ("shopify", "Shopify"), ("ghost", "Ghost"), ("hugo", "Hugo"), ("jekyll", "Jekyll"),
    ("gatsby", "Gatsby"), ("next.js", "Next.js"), ("nuxt", "Nuxt"), ("typo3", "TYPO3"),
    ("prestashop", "PrestaShop"), ("magento", "Magento"), ("elementor", "Elementor"),
    ("divi", "Divi"), ("hubspot", "HubSpot"), ("jimdo", "Jimdo"), ("spip", "SPIP"),
    ("contao", "Contao"), ("craft", "Craft CMS"), ("umbraco", "Umbraco"),
    ("sitecore", "Sitecore"), ("docusaurus", "Docusaurus"), ("mkdocs", "MkDocs"),
    ("sphinx", "Sphinx"), ("woocommerce", "WooCommerce"), ("yoast", "Yoast SEO"),
    ("wpml", "WPML"), ("site kit by google", "Google Site Kit"),
)
SCRIPT_HOSTS = (
    ("googletagmanager.com", "Google Tag Manager"), ("google-analytics.com", "Google Analytics"),
    ("hs-scripts.com", "HubSpot"), ("hsforms.net", "HubSpot"), ("hs-analytics.net", "HubSpot"),
    ("hotjar.com", "Hotjar"), ("intercom.io", "Intercom"), ("intercomcdn.com", "Intercom"),
    ("widget.intercom.io", "Intercom"), ("js.driftt.com", "Drift"), ("drift.com", "Drift"),
    ("segment.com", "Segment"), ("cdn.segment.com", "Segment"), ("matomo", "Matomo"),
    ("plausible.io", "Plausible"), ("js.stripe.com", "Stripe"), ("cdn.shopify.com", "Shopify"),
    ("static.wixstatic.com", "Wix"), ("squarespace.com", "Squarespace"),
    ("website-files.com", "Webflow"), ("webflow.com", "Webflow"), ("crisp.chat", "Crisp"),
    ("zendesk.com", "Zendesk"), ("zdassets.com", "Zendesk"), ("tawk.to", "Tawk.to"),
    ("connect.facebook.net", "Facebook Pixel"), ("snap.licdn.com", "LinkedIn Insight"),
    ("axeptio", "Axeptio"), ("didomi", "Didomi"), ("cookiebot.com", "Cookiebot"),
    ("onetrust.com", "OneTrust"), ("cookielaw.org", "OneTrust"), ("tarteaucitron", "tarteaucitron"),
    ("recaptcha", "reCAPTCHA"), ("hcaptcha.com", "hCaptcha"), ("jquery", "jQuery"),
    ("cloudflareinsights.com", "Cloudflare"), ("cdnjs.cloudflare.com", "Cloudflare"),
    ("mailchimp", "Mailchimp"), ("chimpstatic.com", "Mailchimp"), ("sendinblue", "Brevo"),
    ("brevo", "Brevo"), ("calendly.com", "Calendly"), ("typeform.com", "Typeform"),
    ("youtube.com/iframe_api", "YouTube"), ("vimeo.com", "Vimeo"), ("salesforce", "Salesforce"),
    ("pardot", "Pardot"), ("marketo", "Marketo"), ("munchkin", "Marketo"),
    ("clarity.ms", "Microsoft Clarity"), ("bing.com/bat", "Microsoft Advertising"),
    ("piwik", "Matomo"), ("/wp-content/", "WordPress"), ("/wp-includes/", "WordPress"),
    ("/elementor/", "Elementor"), ("/_next/", "Next.js"), ("/_nuxt/", "Nuxt"),
    ("/sites/default/files/", "Drupal"), ("/typo3", "TYPO3"), ("lemlist", "lemlist"),
    ("donorbox", "Donorbox"), ("helloasso", "HelloAsso"), ("givewp", "GiveWP"),
)
