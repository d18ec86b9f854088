"""The demo's data files (``src/coffeechat/demo/data/``), read by the catalog."""

from __future__ import annotations

from coffeechat.demo.catalog import catalog
from coffeechat.network.models import AffiliationKind, Channel, Level, Source, TieKind
from coffeechat.targets.models import HiringSignal, TargetStatus


def test_it_reads_every_data_file() -> None:
    data = catalog()

    assert len(data.organizations) == 49
    assert sum(spec.target for spec in data.organizations) == 10
    assert len(data.groups) == 24
    assert len(data.people.first_names) == 102
    assert len(data.people.tags.names) == 14
    assert data.me.full_name == "Morgan Ellery"
    assert [relative.relation for relative in data.notes.family] == [
        "mother",
        "brother",
        "aunt",
        "cousin",
    ]
    assert len(data.targets.plans) == 9
    assert len(data.stories) == 3


def test_it_reads_the_files_once() -> None:
    assert catalog() is catalog()


def test_it_finds_every_name_the_data_files_refer_to() -> None:
    data = catalog()
    organizations = {spec.name for spec in data.organizations}
    groups = {spec.name for spec in data.groups}
    jobs = data.jobs

    for spec in data.organizations:
        assert spec.kind in jobs.kinds, spec.name
        assert set(spec.departments) <= set(jobs.departments), spec.name
    for kind in jobs.kinds.values():
        assert set(kind.departments) <= set(jobs.departments)
    for group in data.groups:
        assert group.kind in AffiliationKind.values, group.name
        assert not group.organization or group.organization in organizations, group.name
    assert {mine.group for mine in data.me.groups} <= groups
    assert data.me.former_employer.organization in organizations
    assert {city.name for city in data.people.cities} >= {
        spec.location for spec in data.organizations
    } | {data.me.city}


def test_it_uses_only_values_the_models_accept() -> None:
    data = catalog()

    assert {spec.level for spec in data.jobs.levels} <= set(Level.values)
    assert {channel for channel, _weight in data.people.channels} <= set(Channel.values)
    assert {source for source, _weight in data.people.sources} <= set(Source.values)
    assert {link.kind for link in data.notes.links + data.notes.final_links} <= set(TieKind.values)
    assert set(data.notes.my_ties) <= set(TieKind.values)
    assert {plan.hiring_signal for plan in data.targets.plans} <= set(HiringSignal.values)
    assert {plan.status for plan in data.targets.plans} <= set(TargetStatus.values)
