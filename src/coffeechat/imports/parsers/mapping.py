"""Guessing which column of an unknown CSV holds which field.

Header cells are compared in a normal form: accents folded, lower case, punctuation
to single spaces, and every spelling of "e-mail" as ``email`` (so ``E-Mail-Adresse``,
``e_mail`` and ``Email`` compare equal). A cell matches a field when its normal form
is one of the field's synonyms; failing that, when it contains one of the field's
keywords ("Work E-mail" is an e-mail, "Mobile phone (personal)" a phone).
"""

from __future__ import annotations

import hashlib
import re

from coffeechat.imports.records import ColumnMapping
from coffeechat.network.normalize import fold

#: (field key, label) for the mapping form, in the order the form shows them.
MAPPABLE_FIELDS: list[tuple[str, str]] = [
    ("full_name", "Full name"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("linkedin_url", "LinkedIn URL"),
    ("organization", "Organization"),
    ("department", "Department"),
    ("title", "Title"),
    ("location", "Location"),
    ("notes", "Notes"),
    ("tags", "Tags"),
    ("connected_on", "Connected on"),
    ("class_year", "Class year"),
    ("affiliation_detail", "Affiliation detail (degree, chapter, program)"),
]
NAME_FIELDS = frozenset({"full_name", "first_name", "last_name"})

_NON_WORD = re.compile(r"[^a-z0-9]+")
_EMAIL_SPELLINGS = re.compile(r"\be ?mail")


def normalize_header(cell: str) -> str:
    """``"E-Mail-Adresse "`` → ``"email adresse"``; ``"Prénom"`` → ``"prenom"``."""
    text = _NON_WORD.sub(" ", fold(cell.replace("\ufeff", ""))).strip()
    return _EMAIL_SPELLINGS.sub("email", text)


def header_signature(header: list[str]) -> str:
    """A stable hash of the normalised header, to remember a mapping for files of one shape."""
    joined = "\x1f".join(normalize_header(cell) for cell in header)
    return hashlib.sha256(joined.encode()).hexdigest()[:32]


# Exact synonyms (in normal form) per field. English first, then German, French, Spanish
# and Dutch; a few Italian and Portuguese words where they cost nothing.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "full_name": (
        "name", "full name", "fullname", "display name", "contact name", "contact",
        "member name", "member", "student name", "alumni name", "alumnus name", "person",
        "person name", "attendee", "attendee name", "names", "your name",
        "vollstandiger name", "anzeigename", "kontakt", "mitglied",
        "nom complet", "nom et prenom", "nom prenom", "prenom et nom", "prenom nom",
        "nombre completo", "nombre y apellidos", "naam", "volledige naam", "nome completo",
    ),
    "first_name": (
        "first name", "first", "firstname", "given name", "given", "forename", "fname",
        "first names", "given names", "preferred name", "preferred first name",
        "vorname", "vornamen", "prenom", "nombre de pila", "voornaam", "voornamen",
        "nome", "primeiro nome",
    ),
    "last_name": (
        "last name", "last", "lastname", "surname", "family name", "lname", "last names",
        "nachname", "familienname", "nom de famille", "apellido", "apellidos",
        "achternaam", "familienaam", "cognome", "sobrenome", "apelido",
    ),
    "email": (
        "email", "email address", "emails", "email addresses", "mail", "mail address",
        "primary email", "work email", "personal email", "business email", "email 1",
        "email adresse", "emailadresse", "adresse email", "courriel", "adresse courriel",
        "correo", "correo electronico", "direccion de correo electronico",
        "emailadres", "email adres",
    ),
    "phone": (
        "phone", "phones", "phone number", "telephone", "telephone number", "tel", "mobile",
        "mobile phone", "mobile number", "cell", "cell phone", "cellphone", "work phone",
        "business phone", "home phone", "primary phone", "contact number",
        "telefon", "telefonnummer", "handy", "handynummer", "mobil", "mobiltelefon",
        "portable", "numero de telephone", "telefono", "movil", "celular", "telefoon",
        "telefoonnummer", "mobiel", "mobiele telefoon", "gsm",
    ),
    "linkedin_url": (
        "linkedin", "linkedin url", "linkedin profile", "linkedin profile url", "profile",
        "profile url", "url", "linkedin link", "profil", "perfil", "profiel",
        "linkedin profil", "perfil de linkedin", "profil linkedin",
    ),
    "organization": (
        "organization", "organisation", "company", "employer", "firm", "company name",
        "organization name", "organisation name", "current company", "current employer",
        "employer name", "business", "org", "workplace",
        "unternehmen", "firma", "arbeitgeber", "organisation", "entreprise", "societe",
        "employeur", "empresa", "organizacion", "empleador", "bedrijf", "werkgever",
        "organisatie", "azienda",
    ),
    "title": (
        "title", "position", "job title", "role", "job", "current position", "current title",
        "current role", "jobtitle", "occupation", "designation", "job role", "profession",
        "funktion", "berufsbezeichnung", "stelle", "beruf", "jobtitel", "poste", "titre",
        "fonction", "intitule du poste", "cargo", "puesto", "ocupacion", "functie",
        "functietitel", "beroep", "posizione", "ruolo",
    ),
    "department": (
        "department", "dept", "division", "team", "unit", "business unit",
        "abteilung", "bereich", "departement", "service", "departamento", "afdeling",
    ),
    "location": (
        "location", "city", "town", "place", "city state", "metro", "metro area",
        "current location", "home town", "hometown", "based in", "address", "lives in",
        "ort", "stadt", "standort", "wohnort", "ville", "lieu", "localisation", "ciudad",
        "ubicacion", "localidad", "plaats", "stad", "woonplaats", "locatie", "citta",
    ),
    "notes": (
        "notes", "note", "comments", "comment", "remarks", "description", "bio", "about",
        "notizen", "notiz", "bemerkungen", "bemerkung", "kommentar", "anmerkungen",
        "remarques", "commentaires", "commentaire", "notas", "comentarios",
        "observaciones", "opmerkingen", "notities", "opmerking",
    ),
    "tags": (
        "tags", "tag", "labels", "label", "groups", "group", "categories", "category",
        "group membership", "kategorien", "schlagworter", "gruppen", "etiquettes",
        "categorias", "etiquetas", "groupes", "categorieen",
    ),
    "connected_on": (
        "connected on", "connected", "date connected", "connection date", "connected date",
        "verbunden am", "verbunden seit", "connecte le", "connecte depuis", "date de connexion",
        "fecha de conexion", "conectado el", "conectado desde", "verbonden op",
        "verbonden sinds", "connesso il", "conectado em",
    ),
    "class_year": (
        "class", "class year", "graduation year", "year", "grad year", "class of",
        "year of graduation", "graduation", "cohort", "graduating class", "grad class",
        "abschlussjahr", "jahrgang", "abschlussjahrgang", "promotion", "promo",
        "annee de promotion", "annee", "ano", "ano de graduacion", "promocion",
        "afstudeerjaar", "jaar", "lichting",
    ),
    "affiliation_detail": (
        "degree", "chapter", "program", "programme", "major", "school", "faculty",
        "concentration", "track", "course", "field of study", "degree program",
        "studiengang", "abschluss", "fakultat", "studienfach", "diplome", "filiere",
        "programa", "titulacion", "carrera", "opleiding", "studierichting", "faculteit",
    ),
}  # fmt: skip

_EXACT: dict[str, str] = {}
for _field, _words in _SYNONYMS.items():
    for _word in _words:
        _EXACT.setdefault(_word, _field)

# Keywords found inside longer headers, tried in this order when no synonym matches.
_CONTAINS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\blinkedin\b"), "linkedin_url"),
    (re.compile(r"\b(type|label|display name|angezeigter name)$"), ""),
    (re.compile(r"\b(email|courriel|correo)\b"), "email"),
    (re.compile(r"\b(fax|pager)\b"), ""),
    (re.compile(r"\b(phone|telephone|tel|mobile|cell|telefon\w*|mobil\w*|handy)\b"), "phone"),
    (re.compile(r"\b(first|given|fore)\s?names?\b|\bvorname"), "first_name"),
    (re.compile(r"\b(last|family|sur)\s?names?\b|\bnachname"), "last_name"),
    (re.compile(r"\bfull\s?name\b"), "full_name"),
    (re.compile(r"\b(company|employer|organi[sz]ation|firm|unternehmen|empresa)\b"),
     "organization"),
    (re.compile(r"\b(job|title|position|role)\b"), "title"),
    (re.compile(r"\b(department|dept)\b"), "department"),
    (re.compile(r"\b(class|graduat\w*|grad year|cohort)\b"), "class_year"),
    (re.compile(r"\b(degree|chapter|program\w*|major)\b"), "affiliation_detail"),
    (re.compile(r"\b(city|location|town)\b"), "location"),
    (re.compile(r"\b(notes?|comments?|remarks?)\b"), "notes"),
    (re.compile(r"\b(tags?|labels?|categor\w+|groups?)\b"), "tags"),
    (re.compile(r"\bconnected\b"), "connected_on"),
)  # fmt: skip


def classify_header(cell: str) -> tuple[str, bool]:
    """(field key or "", exact) for one header cell in normal form."""
    if not cell:
        return "", False
    if field := _EXACT.get(cell):
        return field, True
    for pattern, field in _CONTAINS:
        if pattern.search(cell):
            return field, False
    return "", False


def suggest_mapping(header: list[str]) -> ColumnMapping:
    """The mapping we would propose for a CSV with this header.

    Each field takes the first column that names it exactly, else the first that
    mentions it. Several e-mail or phone columns all count: the first is the primary
    one, the others go to ``extra_emails`` / ``extra_phones``. The words that mean
    "name" in one language and "first name" or "last name" in another (French *Nom*,
    Spanish *Nombre*) are read in the light of the other columns.
    """
    normal = [normalize_header(cell) for cell in header]
    exact: dict[str, int] = {}
    loose: dict[str, int] = {}
    emails: list[int] = []
    phones: list[int] = []
    for index, cell in enumerate(normal):
        field, is_exact = classify_header(cell)
        if field == "email":
            emails.append(index)
        elif field == "phone":
            phones.append(index)
        elif field:
            (exact if is_exact else loose).setdefault(field, index)
    columns = {**loose, **exact}
    has_first = "first_name" in columns
    has_last = "last_name" in columns
    for index, cell in enumerate(normal):
        if cell == "nom":  # French: the family name, unless it is the only name column
            columns.setdefault("last_name" if has_first else "full_name", index)
        elif cell == "nombre":  # Spanish: the given name, unless it is the only one
            columns.setdefault("first_name" if has_last else "full_name", index)
    if emails:
        columns["email"] = emails[0]
    if phones:
        columns["phone"] = phones[0]
    return ColumnMapping(columns=columns, extra_emails=emails[1:], extra_phones=phones[1:])


def has_name_column(mapping: ColumnMapping) -> bool:
    """Whether the mapping names people: a name column, or an e-mail one (people without
    a name are named from their address, as address books do)."""
    return any(key in mapping.columns for key in (*NAME_FIELDS, "email"))
