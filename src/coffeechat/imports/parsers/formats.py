"""Recognising a CSV's format from its header, and the plan that reads each format.

Headers are compared in normal form (:func:`normalize_header`). Localised headers
are recognised where their words are known: German, French, Spanish and Dutch for
LinkedIn and Outlook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coffeechat.imports.parsers.csvfiles import COFFEECHAT, GOOGLE, PLAIN, Plan
from coffeechat.imports.parsers.mapping import normalize_header, suggest_mapping
from coffeechat.imports.records import Format
from coffeechat.imports.writers import EXPORT_HEADER


@dataclass(frozen=True, slots=True)
class Recognised:
    format: Format
    plan: Plan | None  # None for LinkedIn messages and invitations
    variant: str = ""  # "google legacy", "outlook", "thunderbird"…


# Our own export.
# Its columns from the Coffeechat ID on are newer than the rest: without them, still ours.
_EXPORT_NORMAL = [
    normalize_header(cell) for cell in EXPORT_HEADER[: EXPORT_HEADER.index("Coffeechat ID")]
]
_COFFEECHAT_PLAN = Plan(
    first=(0,),
    last=(1,),
    emails=(2,),
    phones=(3,),
    linkedin=(4,),
    organization=(5,),
    department=(6,),
    title=(7,),
    location=(8,),
    tags=(9,),
    notes=(10,),
    connected_on=(11,),
    class_year=(12,),
    affiliation_detail=(13,),
    uid=(14,),
    connection=(15,),
    connection_strength=(16,),
    connection_note=(17,),
    groups=(18,),
    values=COFFEECHAT,
)

# LinkedIn Connections.csv, as LinkedIn writes it in several languages.
_LINKEDIN_COLUMNS: dict[str, tuple[str, ...]] = {
    "first": ("first name", "vorname", "prenom", "nombre", "voornaam", "nome"),
    "last": ("last name", "nachname", "nom", "apellidos", "apellido", "achternaam", "cognome",
             "sobrenome"),
    "url": ("url", "profile url", "profil url", "linkedin url"),
    "email": ("email address", "email", "email adresse", "adresse email", "adresse de courriel",
              "direccion de correo electronico", "correo electronico", "emailadres",
              "indirizzo email", "endereco de email"),
    "company": ("company", "unternehmen", "firma", "entreprise", "societe", "empresa", "bedrijf",
                "azienda", "organisation"),
    "position": ("position", "poste", "cargo", "puesto", "functie", "positie", "posizione",
                 "titel", "titre"),
    "connected": ("connected on", "verbunden am", "connecte le", "connecte e le",
                  "date de connexion", "conectado el", "fecha de conexion", "conectado em",
                  "verbonden op", "verbonden sinds", "connesso il", "collegato il",
                  "data di collegamento"),
}  # fmt: skip
_LINKEDIN_LOOKUP = {word: key for key, words in _LINKEDIN_COLUMNS.items() for word in words}


def _linkedin_connections(normal: list[str]) -> Plan | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(normal):
        key = _LINKEDIN_LOOKUP.get(cell)
        if key:
            found.setdefault(key, index)
    if not {"first", "last", "connected"} <= found.keys():
        return None
    if not ({"company", "position"} & found.keys()) or sum(1 for c in normal if c) > 9:
        return None

    def col(key: str) -> tuple[int, ...]:
        return (found[key],) if key in found else ()

    return Plan(
        first=col("first"),
        last=col("last"),
        linkedin=col("url"),
        emails=col("email"),
        organization=col("company"),
        title=col("position"),
        connected_on=col("connected"),
        # Exports in other languages write the day first: 12/03/2024 is 12 March.
        day_first=normal[found["connected"]] != "connected on",
    )


# Google Contacts: "E-mail 1 - Value", "Organization 1 - Name", "Group Membership"…
_GOOGLE_SLOT = re.compile(
    r"^(email|phone|website|address|organization) (\d+) "
    r"(type|label|value|name|title|department|city|region|country)$"
)


def _google(normal: list[str]) -> Plan | None:
    cells = set(normal)
    slots = [(_GOOGLE_SLOT.match(cell), index) for index, cell in enumerate(normal)]
    has_slots = any(m and m[3] == "value" for m, _ in slots)
    if not (has_slots or "group membership" in cells or {"labels", "organization name"} <= cells):
        return None
    legacy = "given name" in cells or "group membership" in cells
    emails: list[tuple[int, int]] = []
    phones: list[tuple[int, int]] = []
    websites: list[tuple[int, int]] = []
    types: dict[tuple[str, int], int] = {}
    organization: list[tuple[int, int]] = []
    title: list[tuple[int, int]] = []
    department: list[tuple[int, int]] = []
    addresses: dict[int, dict[str, int]] = {}
    for m, index in slots:
        if not m:
            continue
        kind, number, part = m[1], int(m[2]), m[3]
        if part in ("type", "label"):
            types[(kind, number)] = index
        elif kind == "email" and part == "value":
            emails.append((number, index))
        elif kind == "phone" and part == "value":
            phones.append((number, index))
        elif kind == "website" and part == "value":
            websites.append((number, index))
        elif kind == "organization" and part == "name":
            organization.append((number, index))
        elif kind == "organization" and part == "title":
            title.append((number, index))
        elif kind == "organization" and part == "department":
            department.append((number, index))
        elif kind == "address" and part in ("city", "region", "country"):
            addresses.setdefault(number, {})[part] = index

    def ordered(pairs: list[tuple[int, int]]) -> tuple[int, ...]:
        return tuple(index for _, index in sorted(pairs))

    def named(*names: str) -> tuple[int, ...]:
        return tuple(normal.index(name) for name in names if name in cells)

    marks = {
        index: types[(kind, number)]
        for kind, pairs in (("email", emails), ("phone", phones))
        for number, index in pairs
        if (kind, number) in types
    }
    return Plan(
        first=named("given name", "first name"),
        last=named("family name", "last name"),
        full=named("name"),
        emails=ordered(emails),
        phones=ordered(phones),
        primary_marks=marks,
        websites=ordered(websites),
        organization=ordered(organization) or named("organization name"),
        title=ordered(title) or named("organization title", "occupation"),
        department=ordered(department) or named("organization department"),
        location=() if not legacy else named("location"),
        location_parts=tuple(
            tuple(parts[p] for p in ("city", "region", "country") if p in parts)
            for _, parts in sorted(addresses.items())
        ),
        notes=named("notes"),
        tags=named("group membership", "labels"),
        values=GOOGLE,
        drop_tags=frozenset({"myContacts", "My Contacts"}),
    )


# Outlook (desktop and web), Thunderbird, in several languages.
_SALUTATION = frozenset(
    ["title", "anrede", "titel", "prefix", "suffix", "suffixe", "sufijo", "civilite",
     "tratamiento", "titre", "aanhef", "achtervoegsel", "name prefix", "name suffix",
     "initials", "initialen"]
)  # fmt: skip
_ROLES: dict[str, str] = {}
for _role, _words in {
    "first": ("first name", "vorname", "prenom", "nombre", "voornaam", "given name"),
    "middle": ("middle name", "weitere vornamen", "deuxieme prenom", "autre prenom",
               "segundo nombre", "additional name", "tweede voornaam"),
    "last_prefix": ("tussenvoegsel",),
    "last": ("last name", "nachname", "nom", "apellidos", "apellido", "achternaam",
             "family name", "surname"),
    "display": ("display name", "anzeigename", "nom a afficher", "nombre para mostrar",
                "weergavenaam"),
    "org": ("company", "organization", "firma", "unternehmen", "societe", "entreprise",
            "organizacion", "empresa", "bedrijf", "organisatie", "organisation", "compania"),
    "dept": ("department", "abteilung", "service", "departement", "departamento", "afdeling"),
    "title": ("job title", "position", "fonction", "poste", "puesto", "cargo", "functie",
              "jobtitel", "titre du poste"),
    "title2": ("profession", "beruf", "occupation", "profesion", "beroep"),
    "notes": ("notes", "notizen", "notas", "notities", "remarques", "opmerkingen"),
    "tags": ("categories", "kategorien", "categorias", "categorieen"),
    "location": ("location", "ort", "lieu", "ubicacion", "locatie"),
}.items():  # fmt: skip
    for _word in _words:
        _ROLES[_word] = _role

_EMAIL_COLUMN = re.compile(
    r"^(?:email(?: (\d))? (?:address|adresse|adres)|email (\d) adresse|email"
    r"|(primary|secondary) email"
    r"|primare email adresse|sekundare email adresse|adresse de messagerie(?: (\d))?"
    r"|direccion de correo electronico(?: (\d))?|emailadres(?: (\d))?)$"
)
_PHONE_WORDS = re.compile(
    r"\b(phone|telefon\w*|telephone|tel|mobile?|mobil\w*|cell|handy|telefono|movil|portable"
    r"|telefoon|mobiel)\b"
)
_NOT_A_PHONE = re.compile(
    r"\b(fax|pager|telex|tty|tdd|isdn|radio|callback|ruckmeldung|assistant|assistent)\b"
)
_MOBILE = re.compile(r"\b(mobile?|mobil\w*|cell|handy|movil|portable|mobiel)\b")
_WORK = re.compile(r"\b(business|work|geschaftlich|bureau|professionnel|trabajo|werk|primary)\b")
_HOME = re.compile(r"\b(home|privat|domicile|personnel|particular|casa|prive|thuis)\b")
_WEB = re.compile(r"\b(web ?page|webseite|website|page web|pagina web|webpagina|homepage)\b")
_ADDRESS_PART = re.compile(
    r"\b(?:(city|ort|ville|ciudad|plaats)|(state|region|bundesland|province|provincia|provincie)"
    r"|(country(?: region)?|land(?: region)?|pays(?: region)?|pais(?: region)?))\b"
)
_OUTLOOK_MARKERS = frozenset((
    "middle name", "suffix", "business phone", "mobile phone", "home phone", "web page",
    "business city", "business street", "home street", "email 2 address", "email display name",
    "email type", "car phone", "pager", "business fax", "home fax", "primary phone",
    "manager s name", "assistant s name", "office location", "nickname", "other phone",
    "home city", "personal web page", "company main phone", "weitere vornamen", "mobiltelefon",
    "telefon geschaftlich", "telefon privat", "ort geschaftlich", "strasse geschaftlich",
    "webseite", "email typ", "email angezeigter name", "email 2 adresse", "anrede",
    "deuxieme prenom", "telephone mobile", "telephone bureau", "rue bureau", "ville bureau",
    "segundo nombre", "telefono movil", "telefono del trabajo", "calle del trabajo",
    "tussenvoegsel", "mobiele telefoon", "telefoon op werk", "initials", "initialen",
    "business postal code", "home postal code", "keywords", "stichworter", "spouse", "partner",
    "screen name", "secondary email", "work phone", "mobile number", "fax number",
    "pager number", "work city", "web page 1", "custom 1", "primare email adresse",
    "anzeigename",
))  # fmt: skip


def _outlook(normal: list[str]) -> Recognised | None:
    cells = set(normal)
    thunderbird = "primary email" in cells or "primare email adresse" in cells
    emails: list[tuple[int, int]] = []
    for index, cell in enumerate(normal):
        if m := _EMAIL_COLUMN.match(cell):
            number = next((int(g) for g in m.groups() if g and g.isdigit()), 1)
            if m.group(3) == "secondary" or cell.startswith("sekundare"):
                number = 2
            emails.append((number, index))
    if not emails or len(cells & _OUTLOOK_MARKERS) < 3:
        return None
    roles: dict[str, list[int]] = {}
    phones: list[tuple[int, int]] = []
    websites: list[int] = []
    addresses: dict[str, dict[str, int]] = {}
    email_indexes = {index for _, index in emails}
    for index, cell in enumerate(normal):
        if not cell or index in email_indexes or cell in _SALUTATION:
            continue
        if role := _ROLES.get(cell):
            roles.setdefault(role, []).append(index)
        elif _WEB.search(cell):
            websites.append(index)
        elif _PHONE_WORDS.search(cell) and not _NOT_A_PHONE.search(cell):
            rank = 0 if _MOBILE.search(cell) else 1 if _WORK.search(cell) else 2
            rank = rank if not _HOME.search(cell) or rank == 0 else 3
            phones.append((rank, index))
        elif m := _ADDRESS_PART.search(cell):
            part = "city" if m[1] else "region" if m[2] else "country"
            group = _ADDRESS_PART.sub("", cell).strip()
            addresses.setdefault(group, {}).setdefault(part, index)
    if not ({"first", "last", "display"} & roles.keys()):
        return None

    def group_rank(group: str) -> int:
        return 0 if _WORK.search(group) else 1 if _HOME.search(group) else 2

    def col(*names: str) -> tuple[int, ...]:
        return tuple(index for name in names for index in roles.get(name, []))

    plan = Plan(
        first=col("first"),
        middle=col("middle"),
        last_prefix=col("last_prefix"),
        last=col("last"),
        full=col("display"),
        emails=tuple(index for _, index in sorted(emails)),
        phones=tuple(index for _, index in sorted(phones)),
        websites=tuple(websites),
        organization=col("org"),
        department=col("dept"),
        title=col("title", "title2"),
        location_parts=tuple(
            tuple(parts[p] for p in ("city", "region", "country") if p in parts)
            for _, parts in sorted(addresses.items(), key=lambda item: group_rank(item[0]))
        ),
        location=(),
        notes=col("notes"),
        tags=col("tags"),
        values=PLAIN,
    )
    return Recognised(Format.OUTLOOK, plan, "thunderbird" if thunderbird else "outlook")


def is_linkedin_messages(normal: list[str]) -> bool:
    cells = set(normal)
    return {"conversation id", "from", "content"} <= cells


def is_linkedin_invitations(normal: list[str]) -> bool:
    cells = set(normal)
    return {"from", "to", "direction"} <= cells and ("sent at" in cells or "sent" in cells)


def recognise(header: list[str]) -> Recognised | None:
    """The known format whose header this is, or None (a generic CSV, or not a header)."""
    normal = [normalize_header(cell) for cell in header]
    while normal and not normal[-1]:
        normal.pop()
    if len(normal) < 2:
        return None
    if normal[: len(_EXPORT_NORMAL)] == _EXPORT_NORMAL:
        return Recognised(Format.COFFEECHAT, _COFFEECHAT_PLAN)
    if is_linkedin_messages(normal):
        return Recognised(Format.LINKEDIN_MESSAGES, None)
    if is_linkedin_invitations(normal):
        return Recognised(Format.LINKEDIN_INVITATIONS, None)
    if plan := _linkedin_connections(normal):
        return Recognised(Format.LINKEDIN, plan)
    if plan := _google(normal):
        return Recognised(Format.GOOGLE, plan, "google")
    if recognised := _outlook(normal):
        # A directory with Outlook-like columns keeps the fields Outlook has no place for.
        columns = suggest_mapping(header).columns
        if {"class_year", "affiliation_detail", "connected_on"} & columns.keys():
            return None
        return recognised
    return None
