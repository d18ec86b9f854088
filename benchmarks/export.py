"""How fast "My data" exports everything, against raw SQL writing the same rows.

Builds, in a throwaway SQLite database, one account of N people (20,000 by default;
each with a job at one of 1,000 organizations, an e-mail address and a tie, as
``benchmarks/long_jobs.py`` builds it) and writes its whole export
(``coffeechat.mydata.services.write_export``) to a ZIP in memory.

The floor, measured in the same run: the raw ``sqlite3`` module reads the same tables'
rows of that account (``SELECT`` of the same columns, ``WHERE owner_id = ?``) and
writes them to a ZIP just as deflated, one JSON object a line per table, and the
people once more as CSV and once more as plain lines (for people.csv and people.vcf).
No nesting, no per-person work: what reading and compressing the rows costs by itself.

Runs are interleaved (export, floor, export, floor…) and the best of each is printed,
wall-clock and CPU time of the process (``time.process_time``), with the ratio.

Run: .venv/bin/python benchmarks/export.py [--people 20000] [--repeat 3] [--save PATH]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sqlite3
import time
import zipfile
from pathlib import Path
from typing import Any

from _importing import build_network, setup_django


def quoted(columns: list[str]) -> str:
    return ", ".join(f'"{column}"' for column in columns)  # a column may be named "on"


def floor(database: str, owner_id: int, tables: list[tuple[str, list[str]]]) -> int:
    """The same tables' rows of the owner, read raw and written to a deflated ZIP."""
    out = io.BytesIO()
    connection = sqlite3.connect(database)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table, columns in tables:
            query = f"SELECT {quoted(columns)} FROM {table} WHERE owner_id = ? ORDER BY id"  # noqa: S608
            with archive.open(f"{table}.json", "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8")
                for values in connection.execute(query, [owner_id]):
                    text.write(json.dumps(dict(zip(columns, values, strict=True))) + ",\n")
                text.flush()
                text.detach()
        people = tables[0]
        query = f"SELECT {quoted(people[1])} FROM {people[0]} WHERE owner_id = ? ORDER BY id"  # noqa: S608
        for name in ("people.csv", "people.vcf"):
            with archive.open(name, "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(text)
                for values in connection.execute(query, [owner_id]):
                    writer.writerow(values)
                text.flush()
                text.detach()
    connection.close()
    return len(out.getvalue())


def tables_of_export() -> list[tuple[str, list[str]]]:
    """(table, columns) of every part and child the export reads, people first."""
    from coffeechat.mydata.services import PARTS, _columns

    found: list[tuple[str, list[str]]] = []
    for part in PARTS:
        models = [(part.model, part.left_out)] + [(c.model, frozenset()) for c in part.children]
        for model, left_out in models:
            columns = [c.column for c in _columns(model, left_out)]
            found.append((model._meta.db_table, columns))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save", default="", help="also write the export's ZIP here")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one run")
    args = parser.parse_args()
    setup_django()

    from django.conf import settings

    from coffeechat.accounts.services import create_account
    from coffeechat.mydata.services import write_export

    owner: Any = create_account("exporter@example.com", "a-long-benchmark-passphrase")
    build_network(owner, args.people)
    database = str(settings.DATABASES["default"]["NAME"])
    tables = tables_of_export()

    def ours() -> int:
        out = io.BytesIO()
        write_export(owner, out)
        return len(out.getvalue())

    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(ours)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        return

    out = io.BytesIO()
    write_export(owner, out)  # warm: imports, the first queries
    if args.save:
        Path(args.save).write_bytes(out.getvalue())
    best: dict[str, tuple[float, float]] = {}
    sizes: dict[str, int] = {}
    for _ in range(args.repeat):
        for name, run in (("export", ours), ("floor", lambda: floor(database, owner.pk, tables))):
            wall, cpu = time.perf_counter(), time.process_time()
            sizes[name] = run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            previous = best.get(name, (wall, cpu))
            best[name] = (min(wall, previous[0]), min(cpu, previous[1]))

    (wall, cpu), (floor_wall, floor_cpu) = best["export"], best["floor"]
    print(f"people: {args.people:,}, best of {args.repeat}, interleaved")
    print(f"write_export: {wall:.2f} s wall, {cpu:.2f} s CPU, {sizes['export']:,} bytes")
    print(
        f"floor (raw sqlite3, same tables' rows, JSON lines + CSV, deflated): "
        f"{floor_wall:.2f} s wall, {floor_cpu:.2f} s CPU, {sizes['floor']:,} bytes"
    )
    print(f"ratio: {wall / floor_wall:.1f}x wall, {cpu / floor_cpu:.1f}x CPU")


if __name__ == "__main__":
    main()
