"""The nickname table, read from its data file (``network/data/nicknames.txt``)."""

from __future__ import annotations

from coffeechat.network import nicknames
from coffeechat.network.normalize import fold


def test_it_reads_every_group_of_the_data_file() -> None:
    lines = nicknames.DATA_FILE.read_text(encoding="utf-8").splitlines()
    groups = [line for line in lines if line.strip() and not line.startswith("#")]

    assert len(nicknames.GROUPS) == len(groups) >= 150
    assert nicknames.GROUPS[0] == (
        "william",
        "bill",
        "billy",
        "will",
        "willy",
        "willie",
        "liam",
        "wil",
    )
    assert all(len(group) >= 2 for group in nicknames.GROUPS)


def test_it_keeps_the_table_in_lower_case_letters() -> None:
    names = {name for group in nicknames.GROUPS for name in group}

    assert all(name.isalpha() and name == name.lower() for name in names)
    assert {name for name in names if fold(name) != name} == {"josé", "toño"}


def test_it_numbers_the_groups_in_the_order_of_the_lines() -> None:
    bill = nicknames.same_name("bill", "william")

    assert bill == 0
    assert nicknames.formal_name(bill) == "william"
    assert nicknames.groups_of("jo") == {
        n for n, group in enumerate(nicknames.GROUPS) if "jo" in group
    }
