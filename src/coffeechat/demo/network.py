"""An invented, deterministic network for a demo account.

:func:`build_demo_network` fills an account with a few hundred people, the
organizations they work at, the schools, associations, alumni groups and
communities they belong to, and the ties between them: the user's own friends,
family, former colleagues and classmates, referral chains ("X suggested I talk
to Y") and chains several links deep ("my mother's hairdresser's brother has a
friend at …"). Every name, organization and text here is made up, and the same
seed always gives the same rows.

Everything is planned in memory first, then written with ``bulk_create`` inside
one transaction, so a full build takes well under a few seconds on SQLite.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from coffeechat.accounts.models import MyAffiliation, Profile
from coffeechat.network.models import (
    Affiliation,
    AffiliationKind,
    Channel,
    EmailAddress,
    Employment,
    Level,
    Membership,
    Organization,
    Person,
    PhoneNumber,
    Source,
    Tag,
    Tie,
    TieKind,
)
from coffeechat.network.normalize import organization_key

DEMO_EMAIL = "demo@coffeechat.local"
DEFAULT_SEED = 2026
DEFAULT_PEOPLE = 320
MIN_PEOPLE = 30

# "Today" inside the demo data. Fixed, so that a seed gives the same rows on any day.
DEMO_TODAY = date(2026, 10, 1)

STEPS: tuple[str, ...] = (
    "Inventing the network",
    "Saving organizations and groups",
    "Saving people",
    "Saving jobs",
    "Saving memberships",
    "Saving e-mail addresses and phone numbers",
    "Saving ties and introductions",
    "Saving tags",
    "Saving your profile and affiliations",
    "Saving targets, openings and applications",
    "Saving conversations and stories",
    "Writing a few messages",
)

StepCallback = Callable[[str], None]


# --------------------------------------------------------------------------------------
# The demo user
# --------------------------------------------------------------------------------------

DEMO_FULL_NAME = "Morgan Ellery"
DEMO_FAMILY_NAME = "Ellery"
DEMO_PROFILE: dict[str, str] = {
    "full_name": DEMO_FULL_NAME,
    "time_zone": "America/Chicago",
    "country": "US",
    "intro": (
        "I am an operations analyst with six years of network planning at Wexley Freight, "
        "where I turned messy shipment data into forecasts and dashboards that dispatchers "
        "actually used. I am now exploring analytics roles in public health and healthcare."
    ),
    "signature": "Morgan Ellery\nOperations & data analyst · Chicago\n+1 312-555-0148",
}
MY_SCHOOL = "Lakemont State University"
MY_CLASS_YEAR = 2016
MY_FORMER_EMPLOYER_GROUP = "Wexley Freight Alumni Network"
MY_FORMER_YEARS = (2016, 2022)
MY_ASSOCIATION = "Society of Civic Data Practitioners"
MY_COMMUNITY = "Lakefront Runners"


# --------------------------------------------------------------------------------------
# Organizations
# --------------------------------------------------------------------------------------

TECH = "tech"
NONPROFIT = "nonprofit"
UNIVERSITY = "university"
AGENCY = "agency"
HOSPITAL = "hospital"
BUSINESS = "business"


@dataclass(frozen=True, slots=True)
class OrgSpec:
    name: str
    kind: str
    industry: str
    location: str
    domain: str
    target: bool = False
    departments: tuple[str, ...] = ()
    notes: str = ""


ORGANIZATIONS: tuple[OrgSpec, ...] = (
    # Technology companies
    OrgSpec(
        "Lanternfish Analytics",
        TECH,
        "Software — analytics",
        "Chicago, IL",
        "lanternfish.example",
        target=True,
        notes=(
            "## Why it interests me\n\nSmall analytics shop that builds forecasting tools "
            "for hospitals and transit agencies: my logistics background maps well.\n\n"
            "## Homework\n\n- Read their two public case studies (county clinics, bus "
            "on-time performance).\n- About 80 people; the data team is a third of that."
        ),
    ),
    OrgSpec(
        "Copperline Software", TECH, "Software — logistics", "Chicago, IL", "copperline.example"
    ),
    OrgSpec("Brightkettle Labs", TECH, "Consumer apps", "Milwaukee, WI", "brightkettle.example"),
    OrgSpec("Quillfeather", TECH, "Education technology", "Chicago, IL", "quillfeather.example"),
    OrgSpec(
        "Marrowstone Systems", TECH, "Enterprise software", "Minneapolis, MN", "marrowstone.example"
    ),
    OrgSpec("Pinecrest Data", TECH, "Data infrastructure", "Denver, CO", "pinecrestdata.example"),
    OrgSpec(
        "Orbitwell",
        TECH,
        "Digital health",
        "Chicago, IL",
        "orbitwell.example",
        target=True,
        notes=(
            "Remote patient-monitoring start-up, Series B. **Hiring** a product analyst "
            "(posted last month).\n\nQuestion to ask: how do they measure whether an alert "
            "actually changed what a nurse did?"
        ),
    ),
    OrgSpec("Saltbox Payments", TECH, "Financial technology", "Chicago, IL", "saltbox.example"),
    OrgSpec(
        "Harborlight Health Tech",
        TECH,
        "Health IT — clinical software",
        "Madison, WI",
        "harborlight.example",
        target=True,
        notes=(
            "Makes scheduling and bed-management software used by regional hospitals. "
            "Their customers are exactly the operations teams I want to work with."
        ),
    ),
    OrgSpec("Fernhollow Games", TECH, "Video games", "Austin, TX", "fernhollow.example"),
    OrgSpec("Granary Robotics", TECH, "Agricultural robotics", "St. Louis, MO", "granary.example"),
    OrgSpec(
        "Kestrel Maps",
        TECH,
        "Geospatial software",
        "Denver, CO",
        "kestrelmaps.example",
        target=True,
        notes="Routing and mapping for city fleets. A stretch, but worth one conversation.",
    ),
    OrgSpec("Ninebark Security", TECH, "Cybersecurity", "Remote (US)", "ninebark.example"),
    OrgSpec(
        "Tessellate Civic Tech",
        TECH,
        "Government technology",
        "Chicago, IL",
        "tessellate.example",
        target=True,
        notes=(
            "Builds open-data portals and permit systems for cities. Small team; they hire "
            "mostly through people they already know, so a warm introduction matters."
        ),
    ),
    # Nonprofits
    OrgSpec(
        "Riverbend Literacy Project", NONPROFIT, "Education", "Chicago, IL", "riverbend.example"
    ),
    OrgSpec(
        "Prairie Commons Food Network",
        NONPROFIT,
        "Food security",
        "Milwaukee, WI",
        "prairiecommons.example",
    ),
    OrgSpec(
        "Lakeshore Youth Coding Collective",
        NONPROFIT,
        "Youth education",
        "Chicago, IL",
        "youthcoding.example",
    ),
    OrgSpec(
        "Second Spring Housing Trust",
        NONPROFIT,
        "Affordable housing",
        "Minneapolis, MN",
        "secondspring.example",
    ),
    OrgSpec(
        "Civic Lantern Foundation",
        NONPROFIT,
        "Philanthropy",
        "Chicago, IL",
        "civiclantern.example",
        departments=("Programs", "Evaluation & Learning", "Communications", "Operations"),
    ),
    OrgSpec(
        "Greenway Watershed Council",
        NONPROFIT,
        "Environment",
        "Madison, WI",
        "greenway.example",
    ),
    OrgSpec(
        "Bridgework Refugee Services",
        NONPROFIT,
        "Social services",
        "St. Louis, MO",
        "bridgework.example",
    ),
    OrgSpec("Tallgrass Arts Fund", NONPROFIT, "Arts & culture", "Chicago, IL", "tallgrass.example"),
    OrgSpec(
        "Open Ledger Health Equity Institute",
        NONPROFIT,
        "Public-health research",
        "Chicago, IL",
        "openledger.example",
        target=True,
        departments=("Research", "Evaluation & Learning", "Communications", "Operations"),
        notes=(
            "Research nonprofit that publishes neighborhood-level health data. Their annual "
            "report is the best thing I have read on emergency-room wait times."
        ),
    ),
    # Universities
    OrgSpec(
        "Lakemont State University",
        UNIVERSITY,
        "Higher education",
        "Chicago, IL",
        "lakemont-state.example",
        notes="My alma mater. The alumni directory lists about 40 alumni in public health.",
    ),
    OrgSpec("Carrow College", UNIVERSITY, "Higher education", "Milwaukee, WI", "carrow.example"),
    OrgSpec(
        "University of Westhaven",
        UNIVERSITY,
        "Higher education — research university",
        "Minneapolis, MN",
        "westhaven.example",
        departments=(
            "Institutional Research",
            "School of Public Health",
            "Student Affairs",
            "IT Services",
            "Advancement",
        ),
    ),
    OrgSpec(
        "Ashgrove Institute of Technology",
        UNIVERSITY,
        "Higher education — engineering",
        "St. Louis, MO",
        "ashgrove.example",
    ),
    OrgSpec(
        "Millbrook Community College",
        UNIVERSITY,
        "Community college",
        "Chicago, IL",
        "millbrook.example",
    ),
    OrgSpec(
        "Harrowgate University", UNIVERSITY, "Higher education", "Denver, CO", "harrowgate.example"
    ),
    # Public agencies
    OrgSpec(
        "Metropolitan Transit Planning Authority",
        AGENCY,
        "Public transit",
        "Chicago, IL",
        "mtpa.example",
        target=True,
        departments=("Planning", "Data & Performance", "Operations", "Community Engagement"),
        notes=(
            "## Why\n\nRidership forecasting is logistics with people instead of pallets.\n\n"
            "## Notes\n\n- Public job board; postings stay open two weeks.\n"
            "- Data & Performance team publishes a monthly scorecard."
        ),
    ),
    OrgSpec(
        "Riverton County Department of Public Health",
        AGENCY,
        "Public health",
        "Milwaukee, WI",
        "rivertonhealth.example",
        target=True,
        departments=("Epidemiology", "Data & Performance", "Community Engagement", "Policy"),
        notes=(
            "## Why it interests me\n\nTop target. They are building a new data team after "
            "the last flu season showed how slow their reporting was.\n\n"
            "## Homework\n\n- Read the county health assessment (2025).\n"
            "- The epidemiology unit has about 25 staff.\n- Civil-service application: "
            "ask how the process works before applying."
        ),
    ),
    OrgSpec(
        "Lakeshore Regional Library District",
        AGENCY,
        "Public libraries",
        "Chicago, IL",
        "lakeshorelibraries.example",
        departments=("Programs", "IT Services", "Operations", "Community Engagement"),
    ),
    OrgSpec(
        "Harbor Point Office of Workforce Opportunity",
        AGENCY,
        "Workforce development",
        "Chicago, IL",
        "harborpoint-work.example",
    ),
    OrgSpec(
        "Prairie State Environmental Data Office",
        AGENCY,
        "Environmental regulation",
        "Springfield, IL",
        "psedo.example",
        departments=("Data & Performance", "Policy", "Operations"),
    ),
    OrgSpec(
        "Clearwater Parks District",
        AGENCY,
        "Parks & recreation",
        "Minneapolis, MN",
        "clearwaterparks.example",
        departments=("Planning", "Operations", "Community Engagement"),
    ),
    # Hospitals
    OrgSpec(
        "St. Aldric Medical Center",
        HOSPITAL,
        "Hospital — academic medical center",
        "Chicago, IL",
        "staldric.example",
        target=True,
        notes=(
            "Large teaching hospital. The capacity-management team uses forecasting very "
            "similar to what I did for freight peaks. Applied once in 2025 (no answer): "
            "**say so** in any outreach."
        ),
    ),
    OrgSpec(
        "Lakemont Children's Hospital",
        HOSPITAL,
        "Pediatric hospital",
        "Chicago, IL",
        "lakemontchildrens.example",
        target=True,
    ),
    OrgSpec(
        "Riverton Community Health System",
        HOSPITAL,
        "Community health system",
        "Milwaukee, WI",
        "rivertonchs.example",
    ),
    OrgSpec("Bayfield Memorial Hospital", HOSPITAL, "Hospital", "Madison, WI", "bayfield.example"),
    OrgSpec(
        "Evergreen Valley Clinics",
        HOSPITAL,
        "Outpatient clinics",
        "Denver, CO",
        "evergreenvalley.example",
    ),
    OrgSpec(
        "Northgate Rehabilitation Hospital",
        HOSPITAL,
        "Rehabilitation hospital",
        "St. Louis, MO",
        "northgaterehab.example",
    ),
    # Other businesses
    OrgSpec(
        "Halvorsen & Pike Consulting",
        BUSINESS,
        "Management consulting",
        "Chicago, IL",
        "halvorsenpike.example",
        departments=("Consulting", "Analytics", "Operations", "Finance"),
    ),
    OrgSpec(
        "Bluestem Credit Union",
        BUSINESS,
        "Financial services",
        "Minneapolis, MN",
        "bluestem.example",
    ),
    OrgSpec(
        "Wexley Freight",
        BUSINESS,
        "Freight & logistics",
        "Chicago, IL",
        "wexleyfreight.example",
        departments=("Network Planning", "Operations", "Analytics", "Customer Service", "Finance"),
        notes="My former employer (2016–2022). Many former colleagues have moved on since.",
    ),
    OrgSpec(
        "Cardinal Mills Foods",
        BUSINESS,
        "Food manufacturing",
        "Milwaukee, WI",
        "cardinalmills.example",
    ),
    OrgSpec(
        "Juniper & Vane Design Studio",
        BUSINESS,
        "Design agency",
        "Chicago, IL",
        "junipervane.example",
        departments=("Design", "Operations", "Marketing"),
    ),
    OrgSpec(
        "Ironleaf Mutual Insurance",
        BUSINESS,
        "Insurance",
        "Indianapolis, IN",
        "ironleaf.example",
    ),
    OrgSpec(
        "Mapleton Energy Cooperative",
        BUSINESS,
        "Utilities",
        "Madison, WI",
        "mapleton.example",
    ),
    OrgSpec("Oakhurst Market Group", BUSINESS, "Retail", "St. Louis, MO", "oakhurst.example"),
)

WEXLEY = next(i for i, org in enumerate(ORGANIZATIONS) if org.name == "Wexley Freight")

KIND_WEIGHTS: dict[str, float] = {
    TECH: 1.3,
    NONPROFIT: 0.9,
    UNIVERSITY: 0.9,
    AGENCY: 1.0,
    HOSPITAL: 1.3,
    BUSINESS: 1.0,
}

KIND_DEPARTMENTS: dict[str, tuple[str, ...]] = {
    TECH: (
        "Engineering",
        "Product",
        "Data & Analytics",
        "Design",
        "Customer Success",
        "Marketing",
        "Sales",
        "Operations",
    ),
    NONPROFIT: ("Programs", "Development", "Operations", "Communications", "Evaluation & Learning"),
    UNIVERSITY: (
        "Institutional Research",
        "Admissions",
        "Student Affairs",
        "IT Services",
        "Advancement",
    ),
    AGENCY: ("Planning", "Data & Performance", "Community Engagement", "Operations", "Policy"),
    HOSPITAL: (
        "Nursing",
        "Quality & Patient Safety",
        "Clinical Informatics",
        "Revenue Cycle",
        "Patient Experience",
        "Population Health Analytics",
    ),
    BUSINESS: (
        "Operations",
        "Finance",
        "Analytics",
        "Marketing",
        "Supply Chain",
        "Customer Service",
    ),
}

# department -> (individual-contributor titles, manager titles)
DEPARTMENT_TITLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "Engineering": (
        ("Software Engineer", "Senior Software Engineer", "Staff Engineer", "QA Engineer"),
        ("Engineering Manager", "Director of Engineering"),
    ),
    "Product": (
        ("Product Manager", "Associate Product Manager", "Senior Product Manager"),
        ("Group Product Manager", "Director of Product"),
    ),
    "Data & Analytics": (
        ("Data Analyst", "Senior Data Analyst", "Analytics Engineer", "Data Scientist"),
        ("Analytics Manager", "Head of Data"),
    ),
    "Design": (
        ("Product Designer", "UX Researcher", "Senior Product Designer", "Content Designer"),
        ("Design Manager", "Head of Design"),
    ),
    "Customer Success": (
        ("Customer Success Manager", "Implementation Specialist", "Support Engineer"),
        ("Customer Success Team Lead", "Director of Customer Success"),
    ),
    "Marketing": (
        ("Marketing Specialist", "Content Strategist", "Growth Marketer"),
        ("Marketing Manager", "Director of Marketing"),
    ),
    "Sales": (
        ("Account Executive", "Sales Development Representative", "Solutions Consultant"),
        ("Sales Manager", "Regional Sales Director"),
    ),
    "Operations": (
        ("Operations Analyst", "Operations Coordinator", "Business Operations Associate"),
        ("Operations Manager", "Director of Operations"),
    ),
    "Programs": (
        ("Program Coordinator", "Program Associate", "Case Manager"),
        ("Program Manager", "Director of Programs"),
    ),
    "Development": (
        ("Development Associate", "Grant Writer", "Donor Relations Coordinator"),
        ("Development Manager", "Director of Development"),
    ),
    "Communications": (
        ("Communications Associate", "Content Producer"),
        ("Communications Manager", "Director of Communications"),
    ),
    "Evaluation & Learning": (
        ("Evaluation Analyst", "Research Associate"),
        ("Evaluation Manager", "Director of Learning & Evaluation"),
    ),
    "Research": (
        ("Research Analyst", "Research Associate", "Data Manager"),
        ("Research Director", "Principal Investigator"),
    ),
    "Institutional Research": (
        ("Institutional Research Analyst", "Data Coordinator"),
        ("Director of Institutional Research", "Assistant Director, Institutional Research"),
    ),
    "Admissions": (
        ("Admissions Counselor", "Senior Admissions Counselor"),
        ("Associate Director of Admissions", "Director of Admissions"),
    ),
    "Student Affairs": (
        ("Academic Advisor", "Career Coach", "Student Success Coordinator"),
        ("Director of Career Services", "Assistant Dean of Students"),
    ),
    "IT Services": (
        ("Systems Administrator", "Help Desk Analyst", "Business Systems Analyst"),
        ("IT Manager", "Director of Enterprise Applications"),
    ),
    "Advancement": (
        ("Advancement Officer", "Alumni Relations Coordinator"),
        ("Director of Alumni Relations", "Director of Advancement Services"),
    ),
    "School of Public Health": (
        ("Research Coordinator", "Biostatistician", "Postdoctoral Fellow"),
        ("Associate Professor", "Department Chair"),
    ),
    "Planning": (
        ("Transportation Planner", "Planner II", "GIS Analyst"),
        ("Planning Manager", "Deputy Director of Planning"),
    ),
    "Data & Performance": (
        ("Performance Analyst", "Data Analyst", "Senior Research Analyst"),
        ("Performance Management Lead", "Director of Data & Performance"),
    ),
    "Community Engagement": (
        ("Community Outreach Specialist", "Engagement Coordinator"),
        ("Community Engagement Manager",),
    ),
    "Policy": (("Policy Analyst", "Legislative Liaison"), ("Policy Director",)),
    "Epidemiology": (
        ("Epidemiologist", "Disease Surveillance Analyst", "Public Health Informatics Specialist"),
        ("Epidemiology Program Manager", "Director of Epidemiology"),
    ),
    "Nursing": (
        ("Registered Nurse", "Charge Nurse", "Nurse Educator"),
        ("Nurse Manager", "Director of Nursing"),
    ),
    "Quality & Patient Safety": (
        ("Quality Analyst", "Patient Safety Specialist", "Clinical Quality Coordinator"),
        ("Quality Improvement Manager", "Director of Quality"),
    ),
    "Clinical Informatics": (
        ("Clinical Informatics Analyst", "EHR Analyst", "Informatics Nurse Specialist"),
        ("Clinical Informatics Manager", "Director of Clinical Informatics"),
    ),
    "Revenue Cycle": (("Revenue Cycle Analyst", "Billing Specialist"), ("Revenue Cycle Manager",)),
    "Patient Experience": (
        ("Patient Experience Specialist", "Patient Navigator"),
        ("Patient Experience Manager",),
    ),
    "Population Health Analytics": (
        ("Population Health Analyst", "Healthcare Data Analyst", "Decision Support Analyst"),
        ("Manager, Population Health Analytics", "Director of Decision Support"),
    ),
    "Finance": (("Financial Analyst", "Senior Accountant"), ("Finance Manager", "Controller")),
    "Analytics": (
        ("Business Analyst", "Pricing Analyst", "Data Analyst"),
        ("Analytics Manager", "Director of Business Intelligence"),
    ),
    "Supply Chain": (
        ("Supply Chain Analyst", "Demand Planner", "Logistics Coordinator"),
        ("Supply Chain Manager", "Director of Supply Chain"),
    ),
    "Customer Service": (
        ("Customer Care Specialist", "Member Service Representative"),
        ("Customer Service Manager",),
    ),
    "Network Planning": (
        ("Network Planning Analyst", "Transportation Analyst", "Load Planner"),
        ("Network Planning Manager", "Director of Network Strategy"),
    ),
    "Consulting": (
        ("Consultant", "Senior Consultant", "Business Analyst"),
        ("Engagement Manager", "Principal"),
    ),
}

DATA_DEPARTMENTS = frozenset(
    {
        "Data & Analytics",
        "Data & Performance",
        "Analytics",
        "Population Health Analytics",
        "Institutional Research",
        "Epidemiology",
        "Research",
        "Evaluation & Learning",
        "Clinical Informatics",
        "Network Planning",
    }
)

EXECUTIVE_TITLES: dict[str, tuple[str, ...]] = {
    TECH: (
        "Chief Executive Officer",
        "Chief Technology Officer",
        "VP of Product",
        "VP of Engineering",
    ),
    NONPROFIT: ("Executive Director", "Deputy Director", "Chief Program Officer"),
    UNIVERSITY: ("Provost", "Vice President for Student Affairs", "Chief Information Officer"),
    AGENCY: ("Commissioner", "Deputy Commissioner", "Chief Data Officer"),
    HOSPITAL: (
        "Chief Nursing Officer",
        "Chief Medical Information Officer",
        "Vice President of Quality",
        "Chief Operating Officer",
    ),
    BUSINESS: ("Chief Financial Officer", "VP of Operations", "President"),
}
HR_TITLES = ("HR Business Partner", "People Operations Specialist", "HR Generalist", "HR Manager")
RECRUITER_TITLES: dict[str, tuple[str, ...]] = {
    TECH: ("Technical Recruiter", "Senior Technical Recruiter", "Talent Acquisition Partner"),
    HOSPITAL: ("Clinical Recruiter", "Talent Acquisition Specialist"),
    UNIVERSITY: ("Talent Acquisition Specialist", "Recruiter"),
    AGENCY: ("Recruitment Coordinator", "Talent Acquisition Specialist"),
    NONPROFIT: ("Recruiter", "Talent Partner"),
    BUSINESS: ("Recruiter", "Senior Recruiter", "Talent Acquisition Partner"),
}


# --------------------------------------------------------------------------------------
# Groups: schools, associations, former-employer alumni groups, communities
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupSpec:
    name: str
    kind: str
    organization: str = ""
    notes: str = ""


GROUPS: tuple[GroupSpec, ...] = (
    GroupSpec(
        MY_SCHOOL,
        AffiliationKind.SCHOOL,
        "Lakemont State University",
        "The alumni directory is searchable by class year and employer. "
        "Alumni office runs a *career conversations* program every spring.",
    ),
    GroupSpec("Carrow College", AffiliationKind.SCHOOL, "Carrow College"),
    GroupSpec("University of Westhaven", AffiliationKind.SCHOOL, "University of Westhaven"),
    GroupSpec(
        "Ashgrove Institute of Technology",
        AffiliationKind.SCHOOL,
        "Ashgrove Institute of Technology",
    ),
    GroupSpec("Millbrook Community College", AffiliationKind.SCHOOL, "Millbrook Community College"),
    GroupSpec("Harrowgate University", AffiliationKind.SCHOOL, "Harrowgate University"),
    GroupSpec("Forge Street Coding Bootcamp", AffiliationKind.SCHOOL),
    GroupSpec(
        MY_ASSOCIATION,
        AffiliationKind.ASSOCIATION,
        notes=(
            "Member directory behind the login; filter by chapter. Monthly meetups on the "
            "first Thursday, plus a spring dinner."
        ),
    ),
    GroupSpec("Midwest Healthcare Operations Association", AffiliationKind.ASSOCIATION),
    GroupSpec("Great Lakes UX Collective", AffiliationKind.ASSOCIATION),
    GroupSpec("Nonprofit Technology Circle", AffiliationKind.ASSOCIATION),
    GroupSpec("Association of Supply Chain Analysts", AffiliationKind.ASSOCIATION),
    GroupSpec("Women in Analytics Network", AffiliationKind.ASSOCIATION),
    GroupSpec(
        MY_FORMER_EMPLOYER_GROUP,
        AffiliationKind.FORMER_EMPLOYER,
        "Wexley Freight",
        "Private group for people who worked at Wexley. Lively job-postings thread.",
    ),
    GroupSpec("Copperline Software Alumni", AffiliationKind.FORMER_EMPLOYER, "Copperline Software"),
    GroupSpec(
        "Halvorsen & Pike Alumni Network",
        AffiliationKind.FORMER_EMPLOYER,
        "Halvorsen & Pike Consulting",
    ),
    GroupSpec(
        "Bayfield Memorial Alumni", AffiliationKind.FORMER_EMPLOYER, "Bayfield Memorial Hospital"
    ),
    GroupSpec("Marrowstone Systems Alumni", AffiliationKind.FORMER_EMPLOYER, "Marrowstone Systems"),
    GroupSpec(MY_COMMUNITY, AffiliationKind.COMMUNITY, notes="Saturday 8 a.m. runs from the pier."),
    GroupSpec("Tuesday Data Drinks", AffiliationKind.COMMUNITY),
    GroupSpec("Northside Community Garden", AffiliationKind.COMMUNITY),
    GroupSpec("Lakemont Choral Society", AffiliationKind.COMMUNITY),
    GroupSpec("Saturday Pickup Soccer", AffiliationKind.COMMUNITY),
    GroupSpec("Neighborhood Mutual Aid Network", AffiliationKind.COMMUNITY),
)


def _group_index(name: str) -> int:
    return next(i for i, group in enumerate(GROUPS) if group.name == name)


MY_SCHOOL_GROUP = _group_index(MY_SCHOOL)
MY_ASSOCIATION_GROUP = _group_index(MY_ASSOCIATION)
MY_FORMER_GROUP = _group_index(MY_FORMER_EMPLOYER_GROUP)
MY_COMMUNITY_GROUP = _group_index(MY_COMMUNITY)
SCHOOL_GROUPS = tuple(i for i, g in enumerate(GROUPS) if g.kind == AffiliationKind.SCHOOL)
ASSOCIATION_GROUPS = tuple(i for i, g in enumerate(GROUPS) if g.kind == AffiliationKind.ASSOCIATION)
COMMUNITY_GROUPS = tuple(i for i, g in enumerate(GROUPS) if g.kind == AffiliationKind.COMMUNITY)
ALUMNI_GROUP_OF_ORG: dict[int, int] = {
    next(j for j, org in enumerate(ORGANIZATIONS) if org.name == g.organization): i
    for i, g in enumerate(GROUPS)
    if g.kind == AffiliationKind.FORMER_EMPLOYER
}

DEGREES = (
    "B.A. Economics",
    "B.S. Computer Science",
    "B.S. Industrial Engineering",
    "B.A. Sociology",
    "B.S. Nursing",
    "B.A. Communications",
    "B.S. Statistics",
    "B.A. Political Science",
    "B.S. Biology",
    "B.A. Graphic Design",
)
GRADUATE_DEGREES = ("MPH", "MBA", "M.S. Data Science", "M.P.P.", "M.S. Health Informatics")
CHAPTERS = (
    "Chicago chapter",
    "Chicago chapter",
    "Milwaukee chapter",
    "Twin Cities chapter",
    "St. Louis chapter",
    "Madison chapter",
    "Online chapter",
)
COMMUNITY_ROLES = ("Member", "Member", "Member", "Volunteer coordinator", "Organizer", "Board")


# --------------------------------------------------------------------------------------
# People
# --------------------------------------------------------------------------------------

# First names by the gender they are most often given to, so that "brother" and "sister"
# in the chains fit the names; NEUTRAL_NAMES fit either.
FEMININE_NAMES = (
    "Aaliyah", "Adaeze", "Amara", "Anika", "Beatriz", "Bridget", "Camille", "Chioma",
    "Clara", "Dalia", "Deepa", "Elena", "Elif", "Esther", "Fatima", "Freya", "Grace", "Hana",
    "Imani", "Inés", "Ingrid", "Jasmine", "Kavya", "Leila", "Lena", "Lucía", "Mariam",
    "Marisol", "Maya", "Mei", "Mira", "Nadia", "Naomi", "Noor", "Paloma", "Priya", "Rania",
    "Renée", "Rosa", "Ruth", "Sana", "Selin", "Shauna", "Siobhan", "Sofia", "Soraya", "Tessa",
    "Uma", "Valentina", "Yara", "Zainab", "Zoë",
)  # fmt: skip
MASCULINE_NAMES = (
    "Abel", "Aiden", "Alejandro", "Anton", "Bilal", "Caleb", "Damien", "Darnell", "Declan",
    "Diego", "Eamon", "Emeka", "Felix", "Gabriel", "Hector", "Ibrahim", "Isaac", "Jamal",
    "Javier", "José", "Kofi", "Kwame", "Lars", "Lorenzo", "Luis", "Magnus", "Malik", "Mateo",
    "Miguel", "Nikhil", "Olumide", "Oscar", "Rafael", "Reza", "Rohan", "Samir", "Santiago",
    "Tariq", "Tobias", "Wendell", "Xavier", "Yusuf",
)  # fmt: skip
NEUTRAL_NAMES = ("Ari", "Chen", "Jun", "Quinn", "Thanh", "Wren", "Sasha", "Robin")
FIRST_NAMES = FEMININE_NAMES + MASCULINE_NAMES + NEUTRAL_NAMES
FEMININE = "f"
MASCULINE = "m"
NAME_GENDER: dict[str, str] = {
    **dict.fromkeys(FEMININE_NAMES, FEMININE),
    **dict.fromkeys(MASCULINE_NAMES, MASCULINE),
}
LAST_NAMES = (
    "Abernathy", "Acheampong", "Adeyemi", "Aguilar", "Albright", "Alvarado", "Andersen",
    "Arceneaux", "Bachmann", "Banerjee", "Barros", "Beaumont", "Bergstrom", "Bhatt",
    "Blackwood", "Brennan", "Bui", "Calloway", "Castellano", "Chatterjee", "Chowdhury",
    "Cisneros", "Dabrowski", "Delacroix", "Demir", "Dufresne", "Eastman", "Ekwueme",
    "Espinoza", "Fairbanks", "Farouk", "Ferreira", "Fitzgerald", "Fontaine", "Galloway",
    "Gallardo", "Greenwald", "Haddad", "Halloran", "Hartigan", "Hashemi", "Holloway",
    "Ibarra", "Iwasaki", "Jablonski", "Jaramillo", "Kaminski", "Kapoor", "Kellerman", "Kim",
    "Kowalczyk", "Lachance", "Lindqvist", "Lombardi", "Lundgren", "Machado", "Mahmoud",
    "Marchetti", "McAllister", "Mendoza", "Montgomery", "Morales", "Nakamura", "Nguyen",
    "Novak", "Nwosu", "O'Brien", "Oduya", "Okafor", "Okonkwo", "Olsen", "Ortega", "Osei",
    "Pacheco", "Park", "Pellegrini", "Petrov", "Quintero", "Radcliffe", "Ramaswamy",
    "Rasmussen", "Reyes", "Rinaldi", "Rosenbaum", "Sandoval", "Schreiber", "Sepúlveda",
    "Shapiro", "Sorensen", "Stavros", "Sutherland", "Takahashi", "Tanaka", "Thornbury",
    "Toussaint", "Trujillo", "Underwood", "Valdez", "Vasquez", "Vo", "Whitlock", "Winslow",
    "Wojcik", "Xiong", "Yamamoto", "Yilmaz", "Zamora", "Zielinski", "Mbeki-Hale",
)  # fmt: skip

# (location, time zone, phone area codes, weight)
CITIES: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    ("Chicago, IL", "America/Chicago", ("312", "773", "872"), 30),
    ("Evanston, IL", "America/Chicago", ("847",), 5),
    ("Oak Park, IL", "America/Chicago", ("708",), 4),
    ("Milwaukee, WI", "America/Chicago", ("414",), 8),
    ("Madison, WI", "America/Chicago", ("608",), 6),
    ("Minneapolis, MN", "America/Chicago", ("612",), 6),
    ("St. Louis, MO", "America/Chicago", ("314",), 5),
    ("Springfield, IL", "America/Chicago", ("217",), 2),
    ("Indianapolis, IN", "America/Indiana/Indianapolis", ("317",), 3),
    ("Detroit, MI", "America/Detroit", ("313",), 2),
    ("Denver, CO", "America/Denver", ("303", "720"), 4),
    ("Austin, TX", "America/Chicago", ("512",), 3),
    ("New York, NY", "America/New_York", ("212", "646"), 3),
    ("Seattle, WA", "America/Los_Angeles", ("206",), 2),
    ("Toronto, ON", "America/Toronto", ("416",), 1),
    ("Remote (US)", "", ("312",), 3),
)
CITY_INFO: dict[str, tuple[str, tuple[str, ...]]] = {
    city: (tz, codes) for city, tz, codes, _weight in CITIES
}
PERSONAL_DOMAINS = ("mailbox.example", "postbox.example", "inbox.example", "letterbox.example")

LEVEL_WEIGHTS: tuple[tuple[str, int], ...] = (
    (Level.STAFF, 55),
    (Level.MANAGER, 22),
    (Level.EXECUTIVE, 6),
    (Level.HR, 8),
    (Level.RECRUITER, 6),
)
GRAD_YEARS: dict[str, tuple[int, int]] = {
    Level.STAFF: (2000, 2024),
    Level.MANAGER: (1992, 2016),
    Level.EXECUTIVE: (1984, 2006),
    Level.HR: (1996, 2022),
    Level.RECRUITER: (2002, 2023),
}
CHANNEL_WEIGHTS: tuple[tuple[str, int], ...] = (
    (Channel.EMAIL, 40),
    (Channel.LINKEDIN, 25),
    (Channel.PHONE, 10),
    (Channel.TEXT, 8),
    (Channel.VIDEO, 10),
    (Channel.IN_PERSON, 7),
)

TAG_TARGET = "target org"
TAG_HIRING = "hiring manager"
TAG_ALUMNI = "lakemont alum"
TAG_WEXLEY = "ex-wexley"
TAG_RECRUITING = "recruiting & hr"
TAG_HEALTHCARE = "healthcare"
TAG_PUBLIC = "public sector"
TAG_NONPROFIT = "nonprofit"
TAG_DATA = "data"
TAG_MENTOR = "mentor"
TAG_FOLLOW_UP = "follow up"
TAG_MET = "met in person"
TAG_WARM = "warm intro"
TAG_FAMILY = "family"
TAGS: tuple[str, ...] = (
    TAG_TARGET,
    TAG_HIRING,
    TAG_ALUMNI,
    TAG_WEXLEY,
    TAG_RECRUITING,
    TAG_HEALTHCARE,
    TAG_PUBLIC,
    TAG_NONPROFIT,
    TAG_DATA,
    TAG_MENTOR,
    TAG_FOLLOW_UP,
    TAG_MET,
    TAG_WARM,
    TAG_FAMILY,
)

# --------------------------------------------------------------------------------------
# Texts
# --------------------------------------------------------------------------------------

FAMILY: tuple[tuple[str, str, int], ...] = (
    # (relation, tie note, strength)
    ("mother", "My mom. Retired; knows half the neighborhood by name.", 5),
    ("brother", "My younger brother.", 5),
    ("aunt", "Aunt on my mom's side. Retired, still volunteers twice a week.", 4),
    ("cousin", "Cousin; we catch up every few weeks.", 3),
)
FRIEND_NOTES = (
    "Roommate for two years in college.",
    "We run the lakefront loop most Saturdays.",
    "Met through the neighborhood mutual-aid group.",
    "Friend since middle school.",
    "Book club; hosts the best potlucks.",
    "Pickup soccer on Saturdays.",
    "Partner of my oldest friend.",
    "Former neighbor; we still have dinner every month or so.",
    "Met on a volunteer build weekend years ago.",
)
COLLEAGUE_NOTES = (
    "Sat next to me on the network-planning team at Wexley.",
    "Worked together on the 2019 peak-season forecast.",
    "My first manager at Wexley; still the best feedback I ever got.",
    "Shared an on-call rotation for the routing tool.",
    "We rebuilt the carrier scorecard together.",
    "Ran the Wexley book swap with me.",
)
CLASSMATE_NOTES = (
    "Same industrial-engineering cohort.",
    "Capstone project partner senior year.",
    "Lived on the same floor freshman year.",
    "Operations-research study group.",
    "Teaching assistant for the same stats course.",
)
ACQUAINTANCE_NOTES = (
    "Met at a Society of Civic Data Practitioners meetup.",
    "Sat at my table at the chapter's spring dinner.",
    "Gave a chapter talk on open-data portals; I asked a question afterwards.",
    "Volunteered together at the chapter's data-for-good day.",
)

# (label, tie kind, lowest strength, highest strength, gender the label implies or "")
ChainLink = tuple[str, str, int, int, str]
CHAIN_LINKS: tuple[ChainLink, ...] = (
    ("hairdresser", TieKind.ACQUAINTANCE, 2, 3, ""),
    ("brother", TieKind.FAMILY, 4, 5, MASCULINE),
    ("sister", TieKind.FAMILY, 4, 5, FEMININE),
    ("sister-in-law", TieKind.FAMILY, 3, 4, FEMININE),
    ("uncle", TieKind.FAMILY, 3, 4, MASCULINE),
    ("neighbor", TieKind.ACQUAINTANCE, 2, 3, ""),
    ("bandmate", TieKind.FRIEND, 3, 4, ""),
    ("climbing partner", TieKind.FRIEND, 3, 4, ""),
    ("former manager", TieKind.COLLEAGUE, 2, 4, ""),
    ("college roommate", TieKind.FRIEND, 3, 5, ""),
    ("dentist", TieKind.ACQUAINTANCE, 1, 2, ""),
    ("landlord", TieKind.ACQUAINTANCE, 1, 2, ""),
    ("kid's soccer coach", TieKind.ACQUAINTANCE, 2, 3, ""),
    ("yoga teacher", TieKind.ACQUAINTANCE, 2, 3, ""),
    ("old colleague", TieKind.COLLEAGUE, 2, 3, ""),
    ("mentor", TieKind.COLLEAGUE, 3, 4, ""),
    ("cousin", TieKind.FAMILY, 3, 4, ""),
)
CHAIN_FINAL_LINKS: tuple[ChainLink, ...] = (
    ("friend", TieKind.FRIEND, 3, 4, ""),
    ("college roommate", TieKind.FRIEND, 3, 5, ""),
    ("bandmate", TieKind.FRIEND, 3, 4, ""),
    ("cousin", TieKind.FAMILY, 3, 4, ""),
    ("former colleague", TieKind.COLLEAGUE, 2, 3, ""),
    ("running buddy", TieKind.FRIEND, 3, 4, ""),
)
OCCASIONS = (
    "birthday dinner",
    "backyard barbecue",
    "wedding",
    "board-game night",
    "holiday party",
    "neighborhood block party",
)

EVENTS = (
    "Society of Civic Data Practitioners meetup",
    "public-health data hackathon",
    "career fair at Lakemont State",
    "friend's birthday dinner",
    "healthcare operations conference",
    "library open-data night",
)
TOPICS = (
    "hospital bed-capacity forecasting",
    "open-data portals",
    "transit ridership models",
    "grant reporting dashboards",
    "emergency-room wait times",
    "route optimization",
    "survey design",
    "data governance",
    "vaccination outreach",
    "supply-chain resilience",
    "dashboards for executives",
    "accessible charts",
)
QUESTIONS = (
    "how the team decides what to build next",
    "what a first year on the team looks like",
    "which skills they hire for right now",
    "how projects get funded",
    "how they moved from operations into analytics",
    "what they wish they had known before joining",
)
MONTHS = ("January", "February", "March", "April", "September", "October", "November")
PERSON_NOTES_EMPLOYED = (
    "**{title}** at {org}.\n\n- Works on {topic}.\n- Good person to ask about {question}.",
    "Met at a {event}. We talked for ten minutes about {topic}; said I could write any time.\n\n"
    "Follow-up idea: send the article on {topic2} we discussed.",
    "Moved to {org} from {prev}. Knows the {department} team well.\n\n"
    '> "Nobody reads the long report. They read the one chart on page one."',
    "Prefers short e-mails. Busy until the end of the quarter, so write in {month}.",
    "## Background\n\n{school}, {degree}. Before {org}: {prev}.\n\n"
    "## Talking points\n\n- {topic}\n- {question}",
    "Part of the {department} hiring loop at {org}. Says they look for people who can "
    "explain a model to someone who never asked for one.",
    "Very active on LinkedIn; posts about {topic} every week or so. Comment thoughtfully "
    "before writing.",
)
PERSON_NOTES_OTHER = (
    "Between roles; happy to compare notes on the search. Interested in {topic}.",
    "Prefers short e-mails. Busy until the end of the quarter, so write in {month}.",
    "Knows a lot of people in {city}. Generous with introductions, but ask for one at a time.",
)
DO_NOT_CONTACT_NOTES = (
    "Asked not to be contacted about jobs. Fine to say hello at meetups.",
    "Said no thanks to informational interviews: too many requests this year.",
    "Left the field; asked to be taken off lists like this.",
    "Do not write: said so politely after my first message.",
)


# --------------------------------------------------------------------------------------
# The plan (pure Python, then written in bulk)
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Job:
    org: int
    title: str
    department: str
    start: date
    end: date | None
    hiring: bool = False


@dataclass(slots=True)
class _Member:
    group: int
    detail: str = ""
    class_year: int | None = None
    start_year: int | None = None
    end_year: int | None = None


@dataclass(slots=True)
class _Person:
    first: str
    last: str
    level: str
    grad_year: int
    location: str = ""
    time_zone: str = ""
    jobs: list[_Job] = field(default_factory=list)
    members: list[_Member] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    linkedin: str = ""
    source: str = Source.MANUAL
    channel: str = ""
    do_not_contact: bool = False
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    role: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def current(self) -> _Job | None:
        return next((job for job in self.jobs if job.end is None), None)

    @property
    def former(self) -> list[_Job]:
        return [job for job in self.jobs if job.end is not None]


@dataclass(slots=True)
class _Tie:
    source: int | None
    target: int
    kind: str
    strength: int
    introducer: int | None = None
    since: date | None = None
    note: str = ""


class _Planner:
    def __init__(self, seed: int, count: int) -> None:
        self.rng = random.Random(seed)
        self.count = count
        self.people: list[_Person] = []
        self.ties: list[_Tie] = []
        self.pairs: set[tuple[int, int]] = set()
        self.my_ties: dict[int, str] = {}  # person -> how I know them
        self.reserved: set[int] = set()  # in a chain: kept out of background ties
        self.family: list[int] = []
        self.wexley: list[int] = []
        self.alumni: list[int] = []
        self.classmates: list[int] = []
        self.association: list[int] = []
        self.names: set[tuple[str, str]] = set()
        org_weights = []
        for index, org in enumerate(ORGANIZATIONS):
            weight = KIND_WEIGHTS[org.kind] * (1.4 if org.target else 1.0)
            org_weights.append(weight * (1.5 if index == WEXLEY else 1.0))
        self.org_weights = org_weights

    # -- helpers ---------------------------------------------------------------------

    def scaled(self, value: int) -> int:
        return max(1, round(value * self.count / DEFAULT_PEOPLE))

    def pick_org(self, exclude: Iterable[int] = ()) -> int:
        excluded = set(exclude)
        while True:
            org = self.rng.choices(range(len(ORGANIZATIONS)), weights=self.org_weights)[0]
            if org not in excluded:
                return org

    def day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def pick_free(self, candidates: Sequence[int], count: int) -> list[int]:
        """Up to ``count`` of ``candidates`` that are neither my ties nor in a chain."""
        free = [
            i
            for i in candidates
            if i not in self.my_ties and i not in self.reserved and i not in self.family
        ]
        return self.rng.sample(free, min(count, len(free)))

    def add_tie(
        self,
        source: int | None,
        target: int,
        kind: str,
        strength: int,
        *,
        introducer: int | None = None,
        note: str = "",
        since: date | None = None,
    ) -> bool:
        if source == target or (introducer is not None and introducer in {source, target}):
            return False
        if source is None:
            if target in self.my_ties:
                return False
            self.my_ties[target] = kind
        else:
            pair = (min(source, target), max(source, target))
            if pair in self.pairs:
                return False
            self.pairs.add(pair)
        if since is None:
            since = self.day_between(date(2008, 1, 1), DEMO_TODAY - timedelta(days=20))
        self.ties.append(_Tie(source, target, kind, strength, introducer, since, note))
        return True

    def title(self, org: int, level: str) -> tuple[str, str, bool]:
        spec = ORGANIZATIONS[org]
        rng = self.rng
        if level == Level.EXECUTIVE:
            return rng.choice(EXECUTIVE_TITLES[spec.kind]), "Executive Office", True
        if level == Level.HR:
            department = "People & Culture" if spec.kind in {TECH, NONPROFIT} else "Human Resources"
            return rng.choice(HR_TITLES), department, False
        if level == Level.RECRUITER:
            return rng.choice(RECRUITER_TITLES[spec.kind]), "Talent Acquisition", False
        department = rng.choice(spec.departments or KIND_DEPARTMENTS[spec.kind])
        individual, managers = DEPARTMENT_TITLES[department]
        if level == Level.MANAGER:
            return rng.choice(managers), department, rng.random() < 0.85
        return rng.choice(individual), department, False

    def earlier_level(self, level: str) -> str:
        roll = self.rng.random()
        if level == Level.EXECUTIVE:
            return Level.MANAGER if roll < 0.75 else Level.EXECUTIVE
        if level == Level.MANAGER:
            return Level.STAFF if roll < 0.6 else Level.MANAGER
        if level == Level.RECRUITER:
            return Level.RECRUITER if roll < 0.6 else Level.HR
        if level == Level.HR:
            return Level.HR if roll < 0.8 else Level.STAFF
        return Level.STAFF

    # -- the plan --------------------------------------------------------------------

    def plan(self) -> _Planner:
        self.make_people()
        self.choose_cohorts()
        self.make_careers()
        self.place_people()
        self.make_memberships()
        self.make_my_ties()
        self.make_referral_chains()
        self.make_social_chains()
        self.make_background_ties()
        self.make_details()
        return self

    def make_people(self) -> None:
        rng = self.rng
        names = self.names
        levels = [level for level, _weight in LEVEL_WEIGHTS]
        weights = [weight for _level, weight in LEVEL_WEIGHTS]
        for _ in range(self.count):
            for _attempt in range(50):
                name = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
                if name not in names:
                    break
            names.add(name)
            level = rng.choices(levels, weights=weights)[0]
            low, high = GRAD_YEARS[level]
            self.people.append(_Person(name[0], name[1], level, rng.randint(low, high)))

    def rename(self, index: int, last: str, first_names: Sequence[str]) -> None:
        person = self.people[index]
        self.names.discard((person.first, person.last))
        first = self.rng.choice(first_names)
        while (first, last) in self.names:
            first = self.rng.choice(first_names)
        person.first, person.last = first, last
        self.names.add((first, last))

    def choose_cohorts(self) -> None:
        rng = self.rng
        order = list(range(self.count))
        rng.shuffle(order)
        self.family = order[:4]
        mother, brother, aunt, cousin = self.family
        self.rename(mother, DEMO_FAMILY_NAME, FEMININE_NAMES)
        self.rename(brother, DEMO_FAMILY_NAME, MASCULINE_NAMES)
        self.rename(aunt, self.people[aunt].last, FEMININE_NAMES)
        self.rename(cousin, self.people[aunt].last, FIRST_NAMES)
        years = {mother: (1978, 1985), brother: (2016, 2021), aunt: (1972, 1980)}
        for index, (low, high) in years.items():
            self.people[index].grad_year = rng.randint(low, high)
        for index in (mother, aunt):
            self.people[index].level = ""
        self.people[brother].level = Level.STAFF
        for index, relation in zip(
            self.family, ("mother", "brother", "aunt", "cousin"), strict=True
        ):
            self.people[index].role = relation

        rest = order[4:]
        self.wexley = sorted(rng.sample(rest, min(len(rest), self.scaled(34))))
        self.alumni = sorted(rng.sample(rest, min(len(rest), self.scaled(44))))
        self.association = sorted(rng.sample(rest, min(len(rest), self.scaled(36))))
        self.classmates = self.alumni[: max(2, len(self.alumni) // 3)]
        for index in self.classmates:
            self.people[index].grad_year = rng.randint(MY_CLASS_YEAR - 1, MY_CLASS_YEAR + 1)
            if self.people[index].level == Level.EXECUTIVE:
                self.people[index].level = Level.MANAGER
        for index in self.wexley:
            person = self.people[index]
            person.grad_year = min(person.grad_year, 2018)

    def make_careers(self) -> None:
        rng = self.rng
        wexley = set(self.wexley)
        retired = {self.family[0], self.family[2]}
        for index, person in enumerate(self.people):
            earliest = date(person.grad_year, 6, 1) + timedelta(days=rng.randint(0, 120))
            employed = index not in retired and rng.random() < 0.9
            at_wexley = index in wexley
            wexley_now = at_wexley and rng.random() < 0.25
            if not employed and person.level and rng.random() < 0.5:
                person.level = ""
            if index in retired:
                cursor = DEMO_TODAY - timedelta(days=rng.randint(2 * 365, 7 * 365))
            else:
                cursor = DEMO_TODAY - timedelta(days=rng.randint(30, 500))
            if employed:
                org = WEXLEY if wexley_now else self.pick_org()
                title, department, hiring = self.title(org, person.level or Level.STAFF)
                tenure = rng.randint(60, 9 * 365)
                start = max(DEMO_TODAY - timedelta(days=tenure), earliest)
                if at_wexley and not wexley_now:
                    # leave room for a Wexley job that overlaps mine (2016-2022)
                    start = self.day_between(date(2021, 1, 1), date(2025, 9, 1))
                    start = max(start, earliest)
                person.jobs.append(_Job(org, title, department, start, None, hiring))
                cursor = start - timedelta(days=rng.randint(10, 120))
            formers = rng.choice((0, 1, 1, 2, 2, 3))
            if at_wexley and not wexley_now:
                formers = max(formers, 1)
            level = person.level or Level.STAFF
            for number in range(formers):
                force_wexley = at_wexley and not wexley_now and number == 0
                length = rng.randint(330, 6 * 365)
                end = cursor
                start = end - timedelta(days=length)
                if force_wexley:
                    end = min(end, date(2024, 6, 30))
                    start = min(end - timedelta(days=rng.randint(400, 5 * 365)), date(2021, 6, 1))
                if start < earliest:
                    if not force_wexley:
                        break
                    start = earliest
                    if end <= start:
                        end = start + timedelta(days=rng.randint(365, 3 * 365))
                taken = [job.org for job in person.jobs]
                org = WEXLEY if force_wexley else self.pick_org(exclude=taken)
                level = self.earlier_level(level)
                title, department, hiring = self.title(org, level)
                person.jobs.append(_Job(org, title, department, start, end, hiring))
                cursor = start - timedelta(days=rng.randint(10, 150))

    def place_people(self) -> None:
        rng = self.rng
        cities = [city for city, _tz, _codes, _weight in CITIES]
        weights = [weight for _city, _tz, _codes, weight in CITIES]
        for person in self.people:
            current = person.current
            if current is not None and rng.random() < 0.75:
                person.location = ORGANIZATIONS[current.org].location
            else:
                person.location = rng.choices(cities, weights=weights)[0]
            person.time_zone = CITY_INFO[person.location][0]
        for index in self.family:
            self.people[index].location = "Chicago, IL"
            self.people[index].time_zone = "America/Chicago"

    def make_memberships(self) -> None:
        rng = self.rng
        alumni = set(self.alumni)
        association = set(self.association)
        wexley = set(self.wexley)
        other_schools = [g for g in SCHOOL_GROUPS if g != MY_SCHOOL_GROUP]
        for index, person in enumerate(self.people):
            if index in alumni:
                person.members.append(
                    _Member(MY_SCHOOL_GROUP, rng.choice(DEGREES), class_year=person.grad_year)
                )
            elif rng.random() < 0.7:
                school = rng.choice(other_schools)
                degree = (
                    "Full-stack web development"
                    if GROUPS[school].name == "Forge Street Coding Bootcamp"
                    else rng.choice(DEGREES)
                )
                person.members.append(_Member(school, degree, class_year=person.grad_year))
            if rng.random() < 0.15 and person.grad_year + 4 <= DEMO_TODAY.year - 1:
                year = rng.randint(person.grad_year + 4, min(person.grad_year + 12, 2025))
                school = rng.choice(SCHOOL_GROUPS[:6])
                person.members.append(
                    _Member(school, rng.choice(GRADUATE_DEGREES), class_year=year)
                )
            if index in association:
                start = rng.randint(max(person.grad_year, 2012), 2025)
                person.members.append(
                    _Member(MY_ASSOCIATION_GROUP, rng.choice(CHAPTERS), start_year=start)
                )
            if rng.random() < 0.22:
                group = rng.choice(ASSOCIATION_GROUPS[1:])
                start = rng.randint(max(person.grad_year, 2005), 2025)
                person.members.append(_Member(group, rng.choice(CHAPTERS), start_year=start))
            for job in person.former:
                alumni_group = ALUMNI_GROUP_OF_ORG.get(job.org)
                if alumni_group is None or job.end is None:
                    continue
                if (index in wexley and job.org == WEXLEY) or rng.random() < 0.6:
                    person.members.append(
                        _Member(
                            alumni_group,
                            job.department,
                            start_year=job.start.year,
                            end_year=job.end.year,
                        )
                    )
            if rng.random() < 0.18:
                group = rng.choice(COMMUNITY_GROUPS)
                start = rng.randint(max(person.grad_year, 2010), 2025)
                person.members.append(_Member(group, rng.choice(COMMUNITY_ROLES), start_year=start))

    def overlaps_me_at_wexley(self, index: int) -> bool:
        first, last = MY_FORMER_YEARS
        for job in self.people[index].jobs:
            if job.org == WEXLEY:
                end_year = job.end.year if job.end else DEMO_TODAY.year
                if job.start.year <= last and end_year >= first:
                    return True
        return False

    def make_my_ties(self) -> None:
        rng = self.rng
        for index, (relation, note, strength) in zip(self.family, FAMILY, strict=True):
            self.add_tie(
                None,
                index,
                TieKind.FAMILY,
                strength,
                note=note,
                since=date(1994, 3, 12) if relation != "cousin" else date(1999, 7, 4),
            )
        mother, _brother, aunt, cousin = self.family
        self.add_tie(aunt, cousin, TieKind.FAMILY, 5, note="Mother and child.")
        self.add_tie(mother, aunt, TieKind.FAMILY, 5, note="Sisters.")

        colleagues = [i for i in self.wexley if self.overlaps_me_at_wexley(i)]
        for index in self.pick_free(colleagues, self.scaled(10)):
            self.add_tie(
                None,
                index,
                TieKind.COLLEAGUE,
                rng.randint(2, 4),
                note=rng.choice(COLLEAGUE_NOTES),
                since=self.day_between(date(2016, 7, 1), date(2022, 3, 1)),
            )
        for index in self.pick_free(self.classmates, self.scaled(8)):
            self.add_tie(
                None,
                index,
                TieKind.CLASSMATE,
                rng.randint(2, 4),
                note=rng.choice(CLASSMATE_NOTES),
                since=date(2012, 9, 1) + timedelta(days=rng.randint(0, 900)),
            )
        for index in self.pick_free(self.association, self.scaled(5)):
            self.add_tie(
                None,
                index,
                TieKind.ACQUAINTANCE,
                rng.randint(1, 2),
                note=rng.choice(ACQUAINTANCE_NOTES),
                since=self.day_between(date(2021, 2, 1), date(2026, 6, 1)),
            )
        for index in self.pick_free(range(self.count), self.scaled(13)):
            self.add_tie(
                None,
                index,
                TieKind.FRIEND,
                rng.randint(3, 5),
                note=rng.choice(FRIEND_NOTES),
                since=self.day_between(date(2004, 1, 1), date(2024, 1, 1)),
            )

    def targets_with_staff(self) -> list[tuple[int, list[int], list[int]]]:
        """Target organizations with (managers who hire, other current staff), both free."""
        result = []
        for org, spec in enumerate(ORGANIZATIONS):
            if not spec.target:
                continue
            hiring: list[int] = []
            staff: list[int] = []
            for index, person in enumerate(self.people):
                current = person.current
                if current is None or current.org != org or index in self.family:
                    continue
                if index in self.my_ties or index in self.reserved:
                    continue
                (hiring if current.hiring else staff).append(index)
            result.append((org, hiring, staff))
        return result

    def make_referral_chains(self) -> None:
        """I talked to A, who referred me to B, who referred me to C, who knows D (hiring)."""
        rng = self.rng
        helpers = [i for i, kind in self.my_ties.items() if kind in {"friend", "colleague"}]
        helpers.sort()
        candidates = [t for t in self.targets_with_staff() if t[1] and t[2]]
        rng.shuffle(candidates)
        built = 0
        for org, hiring, staff in candidates:
            if built == self.scaled(3) or not helpers:
                return
            hiring = [i for i in hiring if i not in self.reserved]
            staff = [i for i in staff if i not in self.reserved]
            if not hiring or not staff:
                continue
            c = rng.choice(staff)
            d = rng.choice(hiring)
            free_b = [i for i in self.pick_free(range(self.count), 3) if i not in {c, d}]
            if not free_b:
                return
            a = rng.choice(helpers)
            b = free_b[0]
            complete = built == 0 or rng.random() < 0.5
            built += 1
            self.reserved.update({b, c, d})
            people = self.people
            org_name = ORGANIZATIONS[org].name
            self.add_tie(a, b, rng.choice((TieKind.FRIEND, TieKind.COLLEAGUE)), 3)
            self.add_tie(b, c, TieKind.FRIEND, rng.randint(3, 4))
            self.add_tie(c, d, TieKind.COLLEAGUE, rng.randint(3, 4), note=f"Both at {org_name}.")
            start = self.day_between(date(2026, 5, 1), date(2026, 8, 1))
            self.add_tie(
                None,
                b,
                TieKind.REFERRED,
                2,
                introducer=a,
                since=start,
                note=f"{people[a].first} suggested I talk to {people[b].first}.",
            )
            self.add_tie(
                None,
                c,
                TieKind.REFERRED,
                2,
                introducer=b,
                since=start + timedelta(days=rng.randint(10, 25)),
                note=f"{people[b].first} put me in touch with {people[c].first} at {org_name}.",
            )
            people[b].notes = (
                f"Referred by **{people[a].full_name}**. Knows people at {org_name} and "
                f"introduced me to {people[c].full_name} there."
            )
            people[b].tags.append(TAG_WARM)
            people[c].tags.append(TAG_WARM)
            for index in (b, c):
                people[index].source = Source.REFERRAL
            people[d].source = Source.REFERRAL
            if complete:
                # the chain reached the person who can hire
                self.add_tie(
                    None,
                    d,
                    TieKind.REFERRED,
                    1,
                    introducer=c,
                    since=start + timedelta(days=rng.randint(30, 60)),
                    note=(
                        f"{people[c].first} introduced me to {people[d].first}, who leads the team."
                    ),
                )
                people[d].tags.append(TAG_WARM)
                people[d].notes = (
                    f"Leads the team at {org_name}. Introduced by **{people[c].full_name}** "
                    f"(via {people[b].first} and {people[a].first}).\n\n"
                    "- Ask about current and upcoming needs.\n"
                    "- If nothing is open: ask to stay in touch and follow up in three months."
                )
            else:
                people[d].notes = (
                    f"Manager at {org_name}. {people[c].first} offered to introduce me once "
                    "our conversation has happened."
                )

    def make_social_chains(self) -> None:
        """Several links deep: my mother's hairdresser's brother has a friend at …"""
        rng = self.rng
        starters = sorted(
            i for i, kind in self.my_ties.items() if kind in {"family", "friend", "classmate"}
        )
        if not starters:
            return
        for _number in range(self.scaled(14)):
            targets = [t for t in self.targets_with_staff() if t[1] or t[2]]
            if not targets:
                return
            org, hiring, staff = rng.choice(targets)
            pool = hiring if hiring and (rng.random() < 0.4 or not staff) else staff
            end = rng.choice(pool)
            links = rng.choice((3, 3, 4, 4, 5))
            start = rng.choice(starters)
            people = self.people
            # people in between, with first names that differ along the chain
            seen = {people[start].first, people[end].first}
            middle: list[int] = []
            for index in self.pick_free(range(self.count), self.count):
                if len(middle) == links - 1:
                    break
                if index != end and people[index].first not in seen:
                    middle.append(index)
                    seen.add(people[index].first)
            if len(middle) < links - 1:
                return
            path = [start, *middle, end]
            self.reserved.update(path[1:])
            labels: list[str] = []
            for step, (left, right) in enumerate(zip(path, path[1:], strict=False)):
                final = step == len(path) - 2
                gender = NAME_GENDER.get(people[right].first, "")
                choices = [
                    link
                    for link in (CHAIN_FINAL_LINKS if final else CHAIN_LINKS)
                    if link[4] in {"", gender} and link[0] not in labels[-1:]
                ]
                label, kind, low, high, _gender = rng.choice(choices)
                labels.append(label)
                note = f"{people[right].first} is {people[left].first}'s {label}."
                if final:
                    job = people[right].current
                    if job is not None:
                        note += f" Works at {ORGANIZATIONS[job.org].name} ({job.title})."
                self.add_tie(left, right, kind, rng.randint(low, high), note=note)
            if len(path) >= 4 and rng.random() < 0.4:
                i = rng.randrange(1, len(path) - 2)
                occasion = rng.choice(OCCASIONS)
                self.add_tie(
                    path[i],
                    path[i + 2],
                    TieKind.INTRODUCED,
                    rng.randint(1, 2),
                    introducer=path[i + 1],
                    note=f"{people[path[i + 1]].first} introduced them at a {occasion}.",
                )
            relation = people[start].role or self.my_ties[start]
            steps = [f"my {relation} **{people[start].first}**"]
            for label, (left, right) in zip(labels, zip(path, path[1:], strict=False), strict=True):
                steps.append(f"{people[left].first}'s {label} **{people[right].first}**")
            job = people[end].current
            at = f" ({job.title} at {ORGANIZATIONS[job.org].name})" if job else ""
            people[end].notes = (
                "**How I could reach them:** " + " → ".join(steps) + at + ".\n\n"
                "Nobody has asked for the introduction yet."
            )
            people[end].source = rng.choice((Source.FRIEND, Source.REFERRAL))
            for index in middle:
                people[index].source = Source.FRIEND

    def make_background_ties(self) -> None:
        rng = self.rng
        family = set(self.family)
        free = [i for i in range(self.count) if i not in self.reserved and i not in family]
        by_org: dict[int, list[int]] = {}
        by_class: dict[tuple[int, int], list[int]] = {}
        by_group: dict[int, list[int]] = {}
        for index in free:
            person = self.people[index]
            if person.current is not None:
                by_org.setdefault(person.current.org, []).append(index)
            for member in person.members:
                if member.class_year is not None:
                    by_class.setdefault((member.group, member.class_year), []).append(index)
                else:
                    by_group.setdefault(member.group, []).append(index)

        def link(
            groups: dict[Any, list[int]], kind: str, chance: float, low: int, high: int
        ) -> None:
            for key in sorted(groups):
                members = groups[key]
                if len(members) < 2:
                    continue
                for index in members:
                    if rng.random() < chance:
                        other = rng.choice(members)
                        self.add_tie(index, other, kind, rng.randint(low, high))

        link(by_org, TieKind.COLLEAGUE, 0.75, 2, 4)
        link(by_class, TieKind.CLASSMATE, 0.7, 1, 3)
        link(by_group, TieKind.ACQUAINTANCE, 0.45, 1, 3)
        for _ in range(self.scaled(110)):
            a, b = rng.sample(free, 2)
            kind = rng.choice((TieKind.FRIEND, TieKind.FRIEND, TieKind.ACQUAINTANCE))
            self.add_tie(a, b, kind, rng.randint(1, 5))

        neighbours: dict[int, list[int]] = {}
        for tie in self.ties:
            if tie.source is None or tie.source in self.reserved or tie.target in self.reserved:
                continue
            neighbours.setdefault(tie.source, []).append(tie.target)
            neighbours.setdefault(tie.target, []).append(tie.source)
        hubs = sorted(i for i, linked in neighbours.items() if len(linked) >= 2)
        added = 0
        for _ in range(self.scaled(120)):
            if added >= self.scaled(30) or not hubs:
                break
            hub = rng.choice(hubs)
            a, b = rng.sample(neighbours[hub], 2)
            occasion = rng.choice(OCCASIONS)
            note = f"{self.people[hub].first} introduced them at a {occasion}."
            if self.add_tie(a, b, TieKind.INTRODUCED, rng.randint(1, 3), introducer=hub, note=note):
                added += 1

    def make_details(self) -> None:
        rng = self.rng
        used_emails: set[str] = set()
        used_linkedin: set[str] = set()
        used_phones: set[str] = set()
        alumni = set(self.alumni)
        association = set(self.association)
        close = set(self.family) | {i for i, kind in self.my_ties.items() if kind == "friend"}
        channels = [channel for channel, _weight in CHANNEL_WEIGHTS]
        channel_weights = [weight for _channel, weight in CHANNEL_WEIGHTS]
        for index, person in enumerate(self.people):
            first, last = slugify(person.first), slugify(person.last).replace("-", "")
            current = person.current
            spec = ORGANIZATIONS[current.org] if current else None
            # e-mail addresses: about 60% of people, more for those I know
            chance = 0.92 if index in self.my_ties or index in self.family else 0.55
            if rng.random() < chance:
                if spec is not None and index not in close and rng.random() < 0.7:
                    local = f"{first}.{last}" if rng.random() < 0.75 else f"{first[0]}{last}"
                    self.add_email(person, f"{local}@{spec.domain}", used_emails)
                if not person.emails or rng.random() < 0.3:
                    suffix = str(rng.randint(2, 99)) if rng.random() < 0.4 else ""
                    local = f"{first}{rng.choice(('.', '_', ''))}{last}{suffix}"
                    self.add_email(person, f"{local}@{rng.choice(PERSONAL_DOMAINS)}", used_emails)
            if rng.random() < (0.9 if index in close else 0.22):
                codes = CITY_INFO[person.location][1]
                for _attempt in range(20):
                    number = f"+1 {rng.choice(codes)}-555-01{rng.randint(0, 99):02d}"
                    if number not in used_phones:
                        used_phones.add(number)
                        person.phones.append(number)
                        break
            if (person.level and rng.random() < 0.72) or (index in alumni and rng.random() < 0.8):
                slug = f"{first}-{last}"
                if rng.random() < 0.6 or slug in used_linkedin:
                    slug += f"-{rng.getrandbits(28):07x}"
                used_linkedin.add(slug)
                person.linkedin = f"https://www.linkedin.com/in/{slug}"
            if rng.random() < 0.35:
                person.channel = rng.choices(channels, weights=channel_weights)[0]
            self.choose_source(index, person, alumni, association)
            self.choose_tags(index, person, alumni)
            if not person.notes and rng.random() < 0.25:
                person.notes = self.person_note(person)
        quiet = self.pick_free(range(self.count), self.scaled(4))
        for index in sorted(quiet):
            self.people[index].do_not_contact = True
            self.people[index].notes = rng.choice(DO_NOT_CONTACT_NOTES)

    @staticmethod
    def add_email(person: _Person, email: str, used: set[str]) -> None:
        local, domain = email.split("@")
        candidate, number = email, 2
        while candidate in used:
            candidate = f"{local}{number}@{domain}"
            number += 1
        used.add(candidate)
        person.emails.append(candidate)

    def choose_source(
        self, index: int, person: _Person, alumni: set[int], association: set[int]
    ) -> None:
        if person.source != Source.MANUAL:
            return  # decided by a chain
        rng = self.rng
        kind = self.my_ties.get(index)
        if index in self.family or kind == TieKind.FRIEND:
            person.source = Source.FRIEND
        elif kind == TieKind.COLLEAGUE:
            person.source = rng.choice((Source.LINKEDIN, Source.MANUAL))
        elif kind == TieKind.CLASSMATE:
            person.source = rng.choice((Source.ALUMNI_DIRECTORY, Source.LINKEDIN))
        elif index in alumni and rng.random() < 0.75:
            person.source = Source.ALUMNI_DIRECTORY
        elif index in association and rng.random() < 0.75:
            person.source = Source.ASSOCIATION_DIRECTORY
        else:
            person.source = rng.choices(
                (
                    Source.LINKEDIN,
                    Source.MANUAL,
                    Source.ADDRESS_BOOK,
                    Source.FRIEND,
                    Source.ALUMNI_DIRECTORY,
                    Source.DIRECTORY,
                ),
                weights=(50, 15, 10, 13, 10, 2),
            )[0]

    def choose_tags(self, index: int, person: _Person, alumni: set[int]) -> None:
        rng = self.rng
        tags = person.tags
        current = person.current
        if current is not None:
            spec = ORGANIZATIONS[current.org]
            if spec.target:
                tags.append(TAG_TARGET)
            if current.hiring and spec.target:
                tags.append(TAG_HIRING)
            if spec.kind == HOSPITAL or "health" in spec.industry.lower():
                tags.append(TAG_HEALTHCARE)
            if spec.kind == AGENCY:
                tags.append(TAG_PUBLIC)
            if spec.kind == NONPROFIT:
                tags.append(TAG_NONPROFIT)
            if current.department in DATA_DEPARTMENTS:
                tags.append(TAG_DATA)
        if person.level in {Level.HR, Level.RECRUITER}:
            tags.append(TAG_RECRUITING)
        if index in alumni:
            tags.append(TAG_ALUMNI)
        if any(job.org == WEXLEY for job in person.jobs):
            tags.append(TAG_WEXLEY)
        if index in self.family:
            tags.append(TAG_FAMILY)
        for tag, chance in ((TAG_MENTOR, 0.03), (TAG_FOLLOW_UP, 0.07), (TAG_MET, 0.1)):
            if rng.random() < chance:
                tags.append(tag)
        person.tags = sorted(set(tags))

    def person_note(self, person: _Person) -> str:
        rng = self.rng
        current = person.current
        school = next(
            ((GROUPS[m.group].name, m.detail) for m in person.members if m.class_year is not None),
            ("Self-taught", "no degree listed"),
        )
        former = person.former
        values = {
            "title": current.title if current else "",
            "org": ORGANIZATIONS[current.org].name if current else "",
            "department": current.department if current else "",
            "prev": ORGANIZATIONS[former[0].org].name if former else "a few years freelancing",
            "topic": rng.choice(TOPICS),
            "topic2": rng.choice(TOPICS),
            "question": rng.choice(QUESTIONS),
            "event": rng.choice(EVENTS),
            "month": rng.choice(MONTHS),
            "school": school[0],
            "degree": school[1],
            "city": person.location.split(",")[0],
        }
        templates = PERSON_NOTES_EMPLOYED if current else PERSON_NOTES_OTHER
        return rng.choice(templates).format(**values)


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


def build_demo_network(
    owner: Any,
    *,
    seed: int = DEFAULT_SEED,
    people: int = DEFAULT_PEOPLE,
    on_step: StepCallback | None = None,
) -> dict[str, int]:
    """Fill ``owner``'s empty account with the demo network and return counts of the rows.

    The same ``seed`` and ``people`` always give the same data. ``on_step`` is called
    with the label of each step in :data:`STEPS` as it begins (for progress display).
    """
    if people < MIN_PEOPLE:
        raise ValueError(f"The demo network needs at least {MIN_PEOPLE} people.")

    def step(number: int) -> None:
        if on_step is not None:
            on_step(STEPS[number])

    with transaction.atomic():
        step(0)
        plan = _Planner(seed, people).plan()

        step(1)
        organizations = Organization.objects.bulk_create(
            Organization(
                owner=owner,
                name=spec.name,
                name_key=organization_key(spec.name),
                website=f"https://www.{spec.domain}/",
                domain=spec.domain,
                industry=spec.industry,
                location=spec.location,
                notes=spec.notes,
            )
            for spec in ORGANIZATIONS
        )
        org_by_name = {org.name: org for org in organizations}
        affiliations = Affiliation.objects.bulk_create(
            Affiliation(
                owner=owner,
                name=spec.name,
                kind=spec.kind,
                organization=org_by_name.get(spec.organization),
                notes=spec.notes,
            )
            for spec in GROUPS
        )

        step(2)
        persons = Person.objects.bulk_create(
            Person(
                owner=owner,
                first_name=p.first,
                last_name=p.last,
                linkedin_url=p.linkedin,
                location=p.location,
                time_zone=p.time_zone,
                level=p.level,
                preferred_channel=p.channel,
                do_not_contact=p.do_not_contact,
                source=p.source,
                notes=p.notes,
            )
            for p in plan.people
        )

        step(3)
        employments = Employment.objects.bulk_create(
            Employment(
                owner=owner,
                person=persons[index],
                organization=organizations[job.org],
                title=job.title,
                department=job.department,
                start_date=job.start,
                end_date=job.end,
                is_current=job.end is None,
                has_hiring_authority=job.hiring,
            )
            for index, p in enumerate(plan.people)
            for job in p.jobs
        )

        step(4)
        memberships = Membership.objects.bulk_create(
            Membership(
                owner=owner,
                person=persons[index],
                affiliation=affiliations[member.group],
                detail=member.detail,
                class_year=member.class_year,
                start_year=member.start_year,
                end_year=member.end_year,
            )
            for index, p in enumerate(plan.people)
            for member in p.members
        )

        step(5)
        emails = EmailAddress.objects.bulk_create(
            EmailAddress(owner=owner, person=persons[index], email=email, position=position)
            for index, p in enumerate(plan.people)
            for position, email in enumerate(p.emails)
        )
        phones = PhoneNumber.objects.bulk_create(
            PhoneNumber(owner=owner, person=persons[index], number=number, position=position)
            for index, p in enumerate(plan.people)
            for position, number in enumerate(p.phones)
        )

        step(6)
        ties = Tie.objects.bulk_create(
            Tie(
                owner=owner,
                from_person=None if tie.source is None else persons[tie.source],
                to_person=persons[tie.target],
                kind=tie.kind,
                strength=tie.strength,
                introduced_by=None if tie.introducer is None else persons[tie.introducer],
                since=tie.since,
                note=tie.note,
            )
            for tie in plan.ties
        )

        step(7)
        tags = Tag.objects.bulk_create(Tag(owner=owner, name=name) for name in TAGS)
        tag_by_name = {tag.name: tag for tag in tags}
        through = Person.tags.through
        tagged = through.objects.bulk_create(
            through(person_id=persons[index].pk, tag_id=tag_by_name[name].pk)
            for index, p in enumerate(plan.people)
            for name in p.tags
        )

        step(8)
        Profile.objects.update_or_create(user=owner, defaults=DEMO_PROFILE)
        affiliation_by_name = {aff.name: aff for aff in affiliations}
        first_year, last_year = MY_FORMER_YEARS
        my_affiliations = MyAffiliation.objects.bulk_create(
            [
                MyAffiliation(
                    owner=owner,
                    affiliation=affiliation_by_name[MY_SCHOOL],
                    detail="B.S. Industrial Engineering",
                    class_year=MY_CLASS_YEAR,
                ),
                MyAffiliation(
                    owner=owner,
                    affiliation=affiliation_by_name[MY_FORMER_EMPLOYER_GROUP],
                    detail="Operations analyst, network planning",
                    start_year=first_year,
                    end_year=last_year,
                ),
                MyAffiliation(
                    owner=owner,
                    affiliation=affiliation_by_name[MY_ASSOCIATION],
                    detail="Chicago chapter",
                    start_year=2021,
                ),
                MyAffiliation(
                    owner=owner,
                    affiliation=affiliation_by_name[MY_COMMUNITY],
                    detail="Member",
                    start_year=2019,
                ),
            ]
        )

        step(9)
        from coffeechat.demo.targets import build_demo_targets  # the targets app builds on this

        target_counts = build_demo_targets(
            owner, [spec.name for spec in ORGANIZATIONS if spec.target], DEMO_TODAY
        )

        step(10)
        from coffeechat.demo.conversations import build_demo_conversations

        conversation_counts = build_demo_conversations(owner)

        step(11)
        from coffeechat.demo.outreach import build_demo_messages  # outreach builds on targets

        target_counts.update(
            build_demo_messages(
                owner, [spec.name for spec in ORGANIZATIONS if spec.target], DEMO_TODAY
            )
        )

    return {
        "people": len(persons),
        "organizations": len(organizations),
        "affiliations": len(affiliations),
        "memberships": len(memberships),
        "employments": len(employments),
        "email_addresses": len(emails),
        "phone_numbers": len(phones),
        "ties": len(ties),
        "my_ties": sum(1 for tie in plan.ties if tie.source is None),
        "tags": len(tags),
        "tagged_people": len({row.person_id for row in tagged}),
        "my_affiliations": len(my_affiliations),
        **target_counts,
        **conversation_counts,
    }
