"""Export all my data: one ZIP, only the user's own rows, never a secret."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coffeechat.core.scoping import owned
from coffeechat.imports.export import export_people
from coffeechat.mydata import services as mydata
from tests.accounts.everything import fill_every_kind, grow
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def export_of(user: Any, **kwargs: Any) -> zipfile.ZipFile:
    out = io.BytesIO()
    mydata.write_export(user, out, **kwargs)
    out.seek(0)
    return zipfile.ZipFile(out)


def all_text(archive: zipfile.ZipFile) -> str:
    return "\n".join(archive.read(name).decode() for name in archive.namelist())


def test_it_writes_every_kind_with_the_users_own_rows_only(alice: Any, bob: Any) -> None:
    fill_every_kind(alice)
    fill_every_kind(bob)
    PersonFactory(owner=bob, first_name="Bobonly", last_name="Marker")

    archive = export_of(alice)

    expected = {part.filename for part in mydata.PARTS}
    expected |= {"account.json", "people.csv", "people.vcf", "README.txt"}
    assert set(archive.namelist()) == expected
    for part in mydata.PARTS:
        rows = json.loads(archive.read(part.filename))
        ids = {row["id"] for row in rows}
        assert ids == set(owned(part.model, alice).values_list("pk", flat=True)), part.filename
        assert ids, f"{part.filename} is empty: the test data should fill every kind"
        for child in part.children:
            child_ids = {item["id"] for row in rows for item in row[child.key]}
            own = set(owned(child.model, alice).values_list("pk", flat=True))
            assert child_ids == own, (part.filename, child.key)
            assert child_ids, (part.filename, child.key)
    text = all_text(archive)
    assert "Bobonly" not in text
    assert "bob@example.com" not in text
    assert "alice@example.com" in text


def test_it_nests_a_persons_addresses_jobs_and_tags(alice: Any) -> None:
    fill_every_kind(alice)
    people = json.loads(export_of(alice).read("people.json"))
    secretia = next(p for p in people if p["first_name"] == "Secretia")
    assert [e["email"] for e in secretia["email_addresses"]] == ["secretia@confidential.example"]
    assert secretia["tags"] == ["secret-tag"]
    assert secretia["jobs"][0]["organization_id"] > 0
    assert "person_id" not in secretia["jobs"][0]
    assert "owner_id" not in secretia


def test_it_nests_a_conversations_participants_learnings_referrals_and_promises(
    alice: Any,
) -> None:
    fill_every_kind(alice)
    conversations = json.loads(export_of(alice).read("conversations.json"))
    quiet = next(c for c in conversations if c["quick_notes"] == "Sotto voce")
    assert len(quiet["participants"]) == 2
    assert [item["text"] for item in quiet["learnings"]] == ["Murmured lesson"]
    assert [item["text"] for item in quiet["promises"]] == ["Send the hushed article"]
    assert len(quiet["referrals"]) == 1


def test_it_never_includes_a_secret(alice: Any) -> None:
    secrets = fill_every_kind(alice)
    archive = export_of(alice)
    text = all_text(archive)
    for name, value in vars(secrets).items():
        if name == "upload_name":
            continue
        assert value and value not in text, name
    for key in ('"password"', '"key_hash"', '"password_encrypted"', '"feed_token_hash"'):
        assert key not in text
    account = json.loads(archive.read("account.json"))
    assert account["smtp_settings"]["has_password"] is True
    assert account["api_tokens"][0]["prefix"] == secrets.api_token[:10]
    assert account["two_factor"] == [
        {"type": "totp", "created_at": account["two_factor"][0]["created_at"], "last_used_at": None}
    ]
    [link] = account["single_sign_on"]
    assert (link["provider"], link["uid"]) == ("sso", f"sso-{alice.pk}")


def test_it_leaves_out_the_internals_of_an_import(alice: Any) -> None:
    secrets = fill_every_kind(alice)
    batches = json.loads(export_of(alice).read("import_batches.json"))
    assert {b["original_name"] for b in batches} == {"Secretia-contacts.csv", "ada.csv"}
    assert all("stored_name" not in b and "created_rows" not in b for b in batches)
    assert secrets.upload_name not in json.dumps(batches)


@pytest.mark.parametrize("in_memory", [mydata.VCARDS_IN_MEMORY, 1])
def test_it_includes_the_same_csv_and_vcard_as_the_people_export(
    alice: Any, in_memory: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both files come from one read of the people, the cards held in memory or on disk.
    monkeypatch.setattr(mydata, "VCARDS_IN_MEMORY", in_memory)
    fill_every_kind(alice)
    archive = export_of(alice)
    for name, fmt in (("people.csv", "csv"), ("people.vcf", "vcard")):
        expected = io.StringIO(newline="")
        export_people(alice, fmt, expected)
        assert archive.read(name).decode() == expected.getvalue(), name
        assert "Secretia" in expected.getvalue()


def test_its_readme_explains_every_file_with_its_count(alice: Any) -> None:
    fill_every_kind(alice)
    archive = export_of(alice)
    readme = archive.read("README.txt").decode()
    for name in archive.namelist():
        if name != "README.txt":
            assert name in readme, name
    people = owned(mydata.Person, alice).count()
    assert f"people.json ({people})" in readme


def test_it_gives_the_same_result_in_small_chunks(alice: Any) -> None:
    fill_every_kind(alice)
    whole = export_of(alice)
    chunked = export_of(alice, chunk_size=2)
    for part in mydata.PARTS:
        assert whole.read(part.filename) == chunked.read(part.filename), part.filename
        assert isinstance(json.loads(whole.read(part.filename)), list), part.filename


def test_it_exports_an_empty_account(db: Any) -> None:
    archive = export_of(UserFactory(email="new@example.com"))
    for part in mydata.PARTS:
        assert json.loads(archive.read(part.filename)) == []
    assert json.loads(archive.read("account.json"))["email"] == "new@example.com"


def queries_for(user: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        mydata.write_export(user, io.BytesIO())
    return len(captured)


def test_it_runs_the_same_number_of_queries_for_a_small_and_a_larger_network(
    alice: Any, bob: Any
) -> None:
    fill_every_kind(alice)
    fill_every_kind(bob)
    grow(bob, 25, "More")
    assert owned(mydata.Person, bob).count() >= owned(mydata.Person, alice).count() + 25
    assert queries_for(alice) == queries_for(bob)


def test_every_model_with_a_users_rows_is_exported_or_accounted_for() -> None:
    with_user = {model for model, _field in mydata.user_model_relations()}
    ours = {m for m in with_user if m.__module__.startswith("coffeechat.")}
    missing = {m.__name__ for m in ours - mydata.part_models()}
    assert missing == set(), "add these models to mydata.PARTS or COVERED_ELSEWHERE"


# The page ---------------------------------------------------------------------------


def test_it_downloads_the_zip_from_the_profile_page(alice: Any, alice_client: Client) -> None:
    fill_every_kind(alice)
    profile = alice_client.get(reverse("accounts:profile")).content.decode()
    url = reverse("mydata:export-all")
    assert url in profile
    assert reverse("mydata:account-delete") in profile

    response = alice_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="coffeechat-my-data-')
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    people = json.loads(archive.read("people.json"))
    assert "Secretia" in {p["first_name"] for p in people}


def test_another_user_downloads_only_their_own_data(
    alice: Any, bob: Any, bob_client: Client
) -> None:
    fill_every_kind(alice)
    PersonFactory(owner=bob, first_name="Bobonly")
    response = bob_client.get(reverse("mydata:export-all"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert [p["first_name"] for p in json.loads(archive.read("people.json"))] == ["Bobonly"]
    assert "Secretia" not in all_text(archive)


def test_it_asks_an_anonymous_visitor_to_sign_in(db: Any) -> None:
    response = Client().get(reverse("mydata:export-all"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_refuses_a_post(alice_client: Client) -> None:
    assert alice_client.post(reverse("mydata:export-all")).status_code == 405


# The command ------------------------------------------------------------------------


def test_the_command_writes_the_zip(alice: Any, tmp_path: Path) -> None:
    fill_every_kind(alice)
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "mine.zip"
    err = io.StringIO()
    call_command("export-all", user="ALICE@example.com", output=str(target), stderr=err)
    archive = zipfile.ZipFile(target)
    assert json.loads(archive.read("account.json"))["email"] == "alice@example.com"
    assert f"Wrote {target}" in err.getvalue()
    assert [p.name for p in folder.iterdir()] == ["mine.zip"]


def test_the_command_refuses_an_unknown_user_and_an_unwritable_path(
    alice: Any, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    with pytest.raises(CommandError, match="no account"):
        call_command("export-all", user="nobody@example.com", output=str(tmp_path / "x.zip"))
    with pytest.raises(CommandError, match="x.zip"):
        call_command("export-all", user=alice.email, output=str(tmp_path / "missing" / "x.zip"))
    assert list(tmp_path.iterdir()) == []
