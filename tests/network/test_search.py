"""Search: what it matches, how it ranks, and that every write path keeps its index in step."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.core.scoping import owned
from coffeechat.imports.models import ImportBatch
from coffeechat.network import search
from coffeechat.network.merge import merge_people
from coffeechat.network.models import Organization, Person, PersonSearch, SearchDirty, Tag
from coffeechat.network.services import find_people, search_people
from tests.factories import (
    EmailAddressFactory,
    EmploymentFactory,
    OrganizationFactory,
    PersonFactory,
    TagFactory,
)
from tests.imports.test_pages import CONNECTIONS

pytestmark = pytest.mark.django_db


def found(owner: Any, query: str) -> list[str]:
    return [p.full_name for p in search_people(owned(Person, owner), query)]


def assert_in_step() -> None:
    """After a refresh, the index is exactly what rebuilding it from scratch gives."""
    search.refresh()
    assert not SearchDirty.objects.exists()
    stored = {row.person_id: (row.names, row.document) for row in PersonSearch.objects.all()}
    fresh = {
        row.person_id: (row.names, row.document)
        for row in search.build_rows(list(Person.objects.values_list("pk", flat=True)))
    }
    assert stored == fresh
    if search._has_fts():  # SQLite: the trigram index holds the same documents
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, document FROM {search.FTS_TABLE}")
            indexed = dict(cursor.fetchall())
        assert indexed == {pk: document for pk, (_, document) in stored.items()}


# What it matches ------------------------------------------------------------------------


def test_names_accents_and_case(alice: Any) -> None:
    PersonFactory(owner=alice, first_name="José", last_name="Núñez")
    PersonFactory(owner=alice, first_name="Zoë", last_name="Ångström")
    PersonFactory(owner=alice, first_name="Ana", last_name="Lee")
    assert found(alice, "jose") == ["José Núñez"]
    assert found(alice, "NÚÑEZ") == ["José Núñez"]
    assert found(alice, "zoe angstrom") == ["Zoë Ångström"]
    assert found(alice, "ana lee") == ["Ana Lee"]
    assert found(alice, "ana smith") == []


def test_nicknames_both_ways(alice: Any) -> None:
    PersonFactory(owner=alice, first_name="William", last_name="Hart")
    PersonFactory(owner=alice, first_name="Bob", last_name="Stone")
    assert found(alice, "bill") == ["William Hart"]
    assert found(alice, "robert") == ["Bob Stone"]
    assert found(alice, "william") == ["William Hart"]


def test_emails_organizations_titles_tags_location_and_notes(alice: Any) -> None:
    person = PersonFactory(
        owner=alice,
        first_name="Mia",
        last_name="Kant",
        location="Zürich",
        notes="Met at the PyCon sprint; loves *bouldering*.",
    )
    EmailAddressFactory(person=person, email="mia@quantfirm.example")
    EmploymentFactory(person=person, organization__name="Heliotrope AG", title="Staff Engineer")
    person.tags.add(TagFactory(owner=alice, name="climbing-club"))
    PersonFactory(owner=alice, first_name="Other", last_name="Person")
    for query in ["quantfirm", "heliotrope", "staff engineer", "climbing", "zurich", "boulder"]:
        assert found(alice, query) == ["Mia Kant"], query


def test_wildcards_in_the_query_are_plain_text(alice: Any) -> None:
    PersonFactory(owner=alice, first_name="Ann", last_name="Lee")
    PersonFactory(owner=alice, first_name="Percy", last_name="Underscore")
    assert found(alice, "%") == []
    assert found(alice, "_") == []
    assert found(alice, "a%e") == []


def test_ranked_by_relevance(alice: Any) -> None:
    in_notes = PersonFactory(
        owner=alice, first_name="Zed", last_name="Ames", notes="ask about dana"
    )
    inside = PersonFactory(owner=alice, first_name="Yolanda", last_name="Madana")
    starts = PersonFactory(owner=alice, first_name="Danae", last_name="Brook")
    exact = PersonFactory(owner=alice, first_name="Dana", last_name="Zimmer")
    assert found(alice, "dana") == [
        exact.full_name,
        starts.full_name,
        inside.full_name,
        in_notes.full_name,
    ]
    assert found(alice, "dana zimmer")[0] == exact.full_name
    # Pickers rank the same way.
    assert [p.pk for p in find_people(owned(Person, alice), "dana", 2)] == [exact.pk, starts.pk]


def test_another_users_people_are_never_found(alice: Any, bob: Any, bob_client: Any) -> None:
    PersonFactory(owner=alice, first_name="Secret", last_name="Contact")
    assert found(bob, "secret") == []
    response = bob_client.get(reverse("network:person-list"), {"q": "secret"})
    assert "Secret Contact" not in response.content.decode()
    api = bob_client.get("/api/v1/people", {"q": "secret"})
    assert api.status_code == 200 and "Secret" not in api.content.decode()


def test_the_trigram_index_and_the_scan_agree(alice: Any, bob: Any, monkeypatch: Any) -> None:
    for i in range(12):
        PersonFactory(owner=alice, first_name="Ana", last_name=f"Quimby{i}")
    PersonFactory(owner=alice, first_name="Otto", last_name="Quimbyx")
    PersonFactory(owner=bob, first_name="Ana", last_name="Quimby-Bob")
    search.refresh()
    by_index = found(alice, "quimby ana")
    if connection.vendor == "sqlite":
        assert search._has_fts()
        assert search._indexed(["quimby"]) is not None  # rare: the index finds them
    monkeypatch.setattr(search, "FTS_CAP", 3)  # now too common: scan
    assert search._indexed(["quimby"]) is None
    assert found(alice, "quimby ana") == by_index
    assert len(by_index) == 12 and "Ana Quimby-Bob" not in by_index


def test_ties_are_ordered_by_family_name_accents_aside(alice: Any) -> None:
    for first, last in [("Kim", "Zorn"), ("Kim", "Ångström"), ("Kim", "adler"), ("Kim", "Berg")]:
        PersonFactory(owner=alice, first_name=first, last_name=last)
    assert found(alice, "kim") == ["Kim adler", "Kim Ångström", "Kim Berg", "Kim Zorn"]


def test_pages_count_and_deep_pages_agree_with_the_whole_list(alice: Any) -> None:
    for i in range(130):
        PersonFactory(owner=alice, first_name="Nora" if i % 3 else "Nor", last_name=f"Lind{i:03}")
    PersonFactory(owner=alice, first_name="Otto", last_name="Berg")
    search.refresh()
    everyone = [p.pk for p in search_people(owned(Person, alice), "nor")]
    assert len(everyone) == 130 and len(set(everyone)) == 130
    # The exact names first (Nor), then the names that start with it (Nora).
    assert {p.first_name for p in Person.objects.filter(pk__in=everyone[:44])} == {"Nor"}
    hits = search_people(owned(Person, alice), "nor")
    assert hits.count() == 130 and len(hits) == 130
    pages = [[p.pk for p in hits[start : start + 50]] for start in (0, 50, 100)]
    assert pages[0] + pages[1] + pages[2] == everyone  # past the first read too
    assert hits[129].pk == everyone[-1] and hits[130:200] == []
    beyond = search_people(owned(Person, alice), "nor")
    assert beyond[500:550] == [] and beyond.count() == 130  # a page past the end


def test_page_and_count_come_from_one_scan(alice: Any) -> None:
    for i in range(60):
        PersonFactory(owner=alice, first_name="Ivy", last_name=f"Stone{i}")
    search.refresh()
    hits = search_people(owned(Person, alice), "ivy")
    with CaptureQueriesContext(connection) as captured:
        assert hits.count() == 60
        assert len(hits[0:50]) == 50
    scans = [q["sql"] for q in captured if "network_personsearch s" in q["sql"]]
    assert len(scans) == 1 and "COUNT(*) OVER ()" in scans[0]


def test_a_narrower_set_is_searched_within(alice: Any, alice_client: Any) -> None:
    tagged = TagFactory(owner=alice, name="mentor")
    for i in range(4):
        person = PersonFactory(owner=alice, first_name="Lea", last_name=f"Roth{i}")
        if i % 2:
            person.tags.add(tagged)
    within = owned(Person, alice).filter(tags=tagged)
    assert sorted(found_in(within, "lea")) == ["Lea Roth1", "Lea Roth3"]
    assert search_people(within, "lea").count() == 2
    api = alice_client.get("/api/v1/people", {"q": "lea", "tag": "mentor"})
    assert api.status_code == 200
    body = api.json()
    assert body["count"] == 2
    assert sorted(item["last_name"] for item in body["items"]) == ["Roth1", "Roth3"]
    assert found_in(owned(Person, alice).filter(pk__in=[]), "lea") == []


def found_in(within: Any, query: str) -> list[str]:
    return [p.full_name for p in search_people(within, query)]


# Kept in step by every writer --------------------------------------------------------


def test_the_database_marks_every_change(alice: Any) -> None:
    person = PersonFactory(owner=alice, first_name="Kai", last_name="Berg")
    job = EmploymentFactory(person=person, organization__name="Initech", title="Analyst")
    tag = TagFactory(owner=alice, name="mentor")
    person.tags.add(tag)
    email = EmailAddressFactory(person=person, email="kai@old.example")
    assert_in_step()

    Organization.objects.filter(pk=job.organization_id).update(name="Globex")  # bulk, no signal
    assert found(alice, "globex") == ["Kai Berg"]
    assert found(alice, "initech") == []
    Tag.objects.filter(pk=tag.pk).update(name="advisor")
    assert found(alice, "advisor") == ["Kai Berg"]
    type(email).objects.filter(pk=email.pk).update(email="kai@new.example")
    assert found(alice, "old.example") == []
    assert found(alice, "new.example") == ["Kai Berg"]
    with connection.cursor() as cursor:  # even raw SQL
        cursor.execute("UPDATE network_person SET last_name = 'Sund' WHERE id = %s", [person.pk])
    assert found(alice, "sund") == ["Kai Sund"]
    person.tags.remove(tag)
    assert found(alice, "advisor") == []
    job.delete()
    assert found(alice, "globex") == []
    assert_in_step()

    person.delete()
    assert not PersonSearch.objects.filter(person_id=person.pk).exists()
    assert not SearchDirty.objects.filter(person_id=person.pk).exists()


def test_forms_and_api_keep_it_in_step(alice: Any, alice_client: Any) -> None:
    response = alice_client.post(
        reverse("network:person-create"),
        {
            "first_name": "Priya",
            "last_name": "Raman",
            "emails": "priya@lab.example",
            "source": "manual",
        },
    )
    assert response.status_code == 302
    assert found(alice, "lab.example") == ["Priya Raman"]
    created = alice_client.post(
        "/api/v1/people",
        {"first_name": "Tomás", "last_name": "Ortega"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert found(alice, "tomas") == ["Tomás Ortega"]
    person_id = created.json()["id"]
    alice_client.patch(
        f"/api/v1/people/{person_id}", {"last_name": "Ortiz"}, content_type="application/json"
    )
    assert found(alice, "ortiz") == ["Tomás Ortiz"]
    assert_in_step()


def test_imports_undo_and_merges_keep_it_in_step(alice: Any, tmp_path: Path, settings: Any) -> None:
    settings.IMPORT_DIR = tmp_path / "uploads"
    path = tmp_path / "Connections.csv"
    path.write_text(CONNECTIONS)
    call_command("import", str(path), user=alice.email, stdout=io.StringIO())
    # The import indexed what it wrote before it finished: nothing left for the search.
    assert not SearchDirty.objects.exists()
    assert found(alice, "acme") == ["Dana Reyes"]
    assert found(alice, "data scientist") == ["Lee Park"]

    extra = PersonFactory(owner=alice, first_name="Dana", last_name="R.")
    EmailAddressFactory(person=extra, email="dana@elsewhere.example")
    dana = Person.objects.get(owner=alice, last_name="Reyes")
    merge_people(alice, dana, extra)
    assert found(alice, "elsewhere") == ["Dana Reyes"]
    assert_in_step()

    batch = ImportBatch.objects.get(owner=alice)
    out = io.StringIO()
    call_command("undo-import", str(batch.pk), user=alice.email, yes=True, stdout=out)
    assert "removed 1 people" in out.getvalue()  # Lee; Dana was worked on (merged)
    assert not Person.objects.filter(owner=alice, last_name="Park").exists()
    assert found(alice, "park") == []
    assert found(alice, "elsewhere") == ["Dana Reyes"]
    assert_in_step()


def test_reindex_command_rebuilds_everything(alice: Any) -> None:
    PersonFactory(owner=alice, first_name="Ada", last_name="King")
    search.refresh()
    PersonSearch.objects.all().delete()  # lost, e.g. by a hand edit
    out = io.StringIO()
    call_command("reindex", stdout=out)
    assert "Indexed 1 people" in out.getvalue()
    assert found(alice, "ada") == ["Ada King"]
    assert_in_step()


def test_the_worker_sweeps_up(alice: Any) -> None:
    from coffeechat.server.worker import run_periodic

    PersonFactory.create_batch(3, owner=alice)
    assert SearchDirty.objects.count() == 3
    run_periodic()
    assert not SearchDirty.objects.exists()
    assert PersonSearch.objects.count() == 3


# Cost ------------------------------------------------------------------------------


def test_search_pages_use_a_constant_number_of_queries(alice: Any, alice_client: Any) -> None:
    def queries(path: str) -> int:
        search.refresh()
        with CaptureQueriesContext(connection) as captured:
            response = alice_client.get(path, {"q": "ann"})
        assert response.status_code == 200
        return len(captured)

    org = OrganizationFactory(owner=alice, name="Annex")
    for _ in range(3):
        EmploymentFactory(person=PersonFactory(owner=alice, first_name="Ann"), organization=org)
    few = [queries(reverse("network:person-list")), queries(reverse("network:person-search"))]
    for _ in range(30):
        person = PersonFactory(owner=alice, first_name="Anne")
        EmploymentFactory(person=person, organization=org)
        person.tags.add(TagFactory(owner=alice))
    many = [queries(reverse("network:person-list")), queries(reverse("network:person-search"))]
    assert few == many


# Organization names, suggested as you type ------------------------------------------


def test_organization_suggestions_are_few_ranked_and_private(
    alice: Any, bob: Any, alice_client: Any
) -> None:
    for i in range(30):
        OrganizationFactory(owner=alice, name=f"Northwind Branch {i:02d}")
    OrganizationFactory(owner=alice, name="The Northwind Trust")
    OrganizationFactory(owner=alice, name="Acme, Inc.")
    OrganizationFactory(owner=bob, name="Northwind Secret")
    url = reverse("network:organization-names")

    response = alice_client.get(url, {"field": "organization_name", "organization_name": "north"})
    names = re.findall(r'<option value="([^"]+)">', response.content.decode())
    assert len(names) == 20
    assert names[0] == "Northwind Branch 00"  # starts with it, then by name
    assert "Northwind Secret" not in response.content.decode()
    response = alice_client.get(url, {"field": "organization_name", "organization_name": "trust"})
    assert re.findall(r'<option value="([^"]+)">', response.content.decode()) == [
        "The Northwind Trust"
    ]
    # Punctuation and legal forms compare the way organizations do.
    response = alice_client.get(url, {"q": "ACME inc"})
    assert re.findall(r'<option value="([^"]+)">', response.content.decode()) == ["Acme, Inc."]
    assert "<option" not in alice_client.get(url, {"q": "  "}).content.decode()

    # The job form itself lists none of them.
    person = PersonFactory(owner=alice)
    page = alice_client.get(reverse("network:employment-create", args=[person.pk]))
    assert page.status_code == 200
    assert "Northwind" not in page.content.decode()
    assert 'hx-get="/organizations/names/?field=organization_name"' in page.content.decode()
