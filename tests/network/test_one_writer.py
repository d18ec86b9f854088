"""People, e-mails, phones and jobs are written only by the network app.

A scan of the source: outside ``coffeechat/network/`` (and the demo builder, which
composes every app), no module may construct these rows, call a write method of
their manager or query set, insert them in bulk, or save a person or a job it
holds. Everything else calls ``coffeechat.network.services`` (one row at a time,
with the rules) or ``coffeechat.network.writers`` (the import's bulk writes).
"""

from __future__ import annotations

import ast
from pathlib import Path

import coffeechat

SOURCE = Path(coffeechat.__file__).parent
MODELS = frozenset({"Person", "EmailAddress", "PhoneNumber", "Employment"})
WRITE_METHODS = frozenset(
    {"create", "bulk_create", "get_or_create", "update_or_create", "update", "bulk_update"}
)
BULK_INSERTS = frozenset({"insert_rows"})
# Names under which code holds one of these rows and might save it itself.
ROW_NAMES = frozenset({"person", "employment", "email_address", "phone_number"})
ALLOWED = ("network/", "demo/")
# Writes by modules another change owns, each with the network service to call
# instead; remove the line once it does.
KNOWN_ELSEWHERE: set[tuple[str, str]] = set()


def _root(node: ast.AST) -> str:
    """The name a chain like ``Person.objects.filter(...).update`` starts from."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            return node.id if isinstance(node, ast.Name) else ""


def _held_row(node: ast.AST) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name in ROW_NAMES


def _saves_held_row(func: ast.AST, args: list[ast.expr]) -> bool:
    is_save_owned = isinstance(func, ast.Name) and func.id == "save_owned"
    return is_save_owned and len(args) == 2 and _held_row(args[1])


def direct_writes(tree: ast.AST) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in MODELS:
            found.append((node.lineno, f"{func.id}(...)"))
        elif isinstance(func, ast.Name) and func.id in BULK_INSERTS:
            model = node.args[0] if node.args else None
            if isinstance(model, ast.Name) and model.id in MODELS:
                found.append((node.lineno, f"{func.id}({model.id})"))
        elif isinstance(func, ast.Attribute) and func.attr in WRITE_METHODS:
            root = _root(func.value)
            if root in MODELS:
                found.append((node.lineno, f"{root}.{func.attr}"))
        elif isinstance(func, ast.Attribute) and func.attr == "save" and _held_row(func.value):
            found.append((node.lineno, "save() of a person or job"))
        elif _saves_held_row(func, node.args):
            found.append((node.lineno, "save_owned() of a person or job"))
    return found


def scanned_modules() -> list[Path]:
    return [
        path
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        and not path.relative_to(SOURCE).as_posix().startswith(ALLOWED)
    ]


def test_it_finds_no_direct_write_of_network_rows_outside_the_network_app() -> None:
    offences = []
    for path in scanned_modules():
        relative = path.relative_to(SOURCE).as_posix()
        for line, what in direct_writes(ast.parse(path.read_text(encoding="utf-8"))):
            kind = what.split("(")[0]
            if (relative, kind) not in KNOWN_ELSEWHERE:
                offences.append(f"{relative}:{line}: {what}")
    assert offences == [], "write these through coffeechat.network.services:\n" + "\n".join(
        offences
    )


def test_it_recognises_each_kind_of_direct_write() -> None:
    source = """
Person(first_name="A")
EmailAddress.objects.create(person=p, email="a@example.org")
PhoneNumber.objects.bulk_create(rows)
Employment.objects.get_or_create(person=p)
Person.objects.filter(pk=1).update(last_contacted_on=day)
insert_rows(Person, ["first_name"], rows)
person.save()
save_owned(owner, employment)
Conversation.objects.create(title="fine")
"""
    found = [what for _line, what in direct_writes(ast.parse(source))]
    assert found == [
        "Person(...)",
        "EmailAddress.create",
        "PhoneNumber.bulk_create",
        "Employment.get_or_create",
        "Person.update",
        "insert_rows(Person)",
        "save() of a person or job",
        "save_owned() of a person or job",
    ]
