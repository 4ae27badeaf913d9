"""What the gateway does with what partners put in its folders: hostile names, symbolic links, done-files
and the temporary names it must leave alone (real files, real folder scans, SQLite and PostgreSQL)."""

from __future__ import annotations

import builtins
import os
import re
from pathlib import Path
from typing import Any

import pytest

from gateway.ingest import pipeline
from gateway.staging import Outcome
from gateway.staging.database import Database

from .home import GatewayHome, drain, gateway_on
from .look import (
    check_acknowledgements,
    check_no_temporaries,
    check_staged_exactly_once,
    check_untouched,
    file_rows,
    regular_files,
    tree,
)
from .x12files import golden, hospital_850, renumbered

HOSTILE_NAMES = [
    b"ctl\x01\x07\x1b[31mred\x1b[0m.edi",  # control characters and a terminal escape
    b"new\nline.edi",
    b"latin1-\xe9t\xe9-\xff\xfe.edi",  # bytes that are not UTF-8
    b"..foo",
    b"..",  # only as part of a longer name: the name itself cannot be created
    b"-rf --no-preserve-root.edi",  # a leading dash, spaces
    b"back\\slash%2F..%2Fetc.edi",
    b"x" * 196 + b".edi",  # 200 characters
]
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def test_hostile_names_are_staged_and_archived_under_safe_names_inside_the_gateway(
    tmp_path: Path, home: GatewayHome, database: Database
) -> None:
    home.environment["EDIGW_INGEST__IGNORE_PATTERNS"] = "*.tmp"  # so that "..foo" is not ignored
    names = [name for name in HOSTILE_NAMES if name != b".."] + [b"..." + b"a" * 10]
    inputs = {os.fsdecode(name): hospital_850(5000 + number) for number, name in enumerate(names)}
    inputs["plain.edi"] = hospital_850(4999)
    outside_before = _outside_the_gateway(tmp_path, home)
    for name, data in inputs.items():
        home.drop(os.fsencode(name), data)

    results = drain(gateway_on(home, database))

    assert len(results) == len(inputs) and {result.outcome for result in results} == {Outcome.OK}
    staged = check_staged_exactly_once(database, home.root, inputs)
    for name, found in staged.items():
        raw = os.fsencode(name)
        shown = (
            found.row.original_name_raw
            if found.row.original_name_raw is not None
            else found.row.original_name.encode()
        )
        assert shown == raw, "the name as received is kept exactly"
        assert found.stored.parent.parent.parent.parent == home.archive
        stored_name = found.stored.name
        assert stored_name.startswith(f"{found.row.id}-") and SAFE_NAME.fullmatch(stored_name), stored_name
    assert home.inbox_files() == []
    assert _outside_the_gateway(tmp_path, home) == outside_before, "something appeared outside the gateway"
    for path in regular_files(home.root / "archive") + regular_files(home.outbox):
        assert all(SAFE_NAME.fullmatch(part) for part in path.relative_to(home.root).parts[1:]), path
    check_acknowledgements(database, home.outbox)
    check_no_temporaries(home.root)


def _outside_the_gateway(tmp_path: Path, home: GatewayHome) -> set[str]:
    mine = {folder.relative_to(tmp_path).as_posix() for folder in home.folders}
    return {
        entry
        for entry in tree(tmp_path)
        if not any(entry == folder or entry.startswith(folder + "/") for folder in mine)
        and not entry.startswith("db")  # the test database's own files
    }


class _OpenSpy:
    """Stands in for ``open`` in the pipeline module: records every path it opens."""

    def __init__(self) -> None:
        self.opened: list[str] = []

    def __call__(self, file: Any, *arguments: Any, **options: Any) -> Any:
        self.opened.append(os.fsdecode(file) if isinstance(file, bytes | str | Path) else repr(file))
        return builtins.open(file, *arguments, **options)


def test_a_symbolic_link_in_the_inbox_is_refused_never_read_never_moved(
    tmp_path: Path, home: GatewayHome, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "secret.edi"
    target.write_bytes(hospital_850(6001))
    before = {target: (target.read_bytes(), target.stat().st_mtime_ns)}
    home.inbox.mkdir(parents=True, exist_ok=True)
    (home.inbox / "medsupplyco").mkdir()
    links = {
        home.inbox / "link.edi": target,
        home.inbox / "medsupplyco" / "link.edi": target,
        home.inbox / "folder-link": outside,
        home.inbox / "dangling.edi": outside / "missing.edi",
    }
    for link, points_to in links.items():
        link.symlink_to(points_to)
    data = hospital_850(6002)
    home.drop("real.edi", data)
    spy = _OpenSpy()
    monkeypatch.setattr(pipeline, "open", spy, raising=False)
    gateway = gateway_on(home, database)

    drain(gateway)
    drain(gateway)  # and again: still left alone

    check_staged_exactly_once(database, home.root, {"real.edi": data})
    assert [row.original_name for row in file_rows(database)] == ["real.edi"]
    for link, points_to in links.items():
        assert link.is_symlink() and Path(os.readlink(link)) == points_to, f"{link.name} was moved"
    check_untouched([target], before)
    assert sorted(os.listdir(outside)) == ["secret.edi"]
    opened = {os.path.realpath(path) for path in spy.opened}
    assert str(target) not in opened and not any(path.startswith(str(outside)) for path in opened)
    assert spy.opened, "the spy saw the real file being read"


def test_a_done_file_completes_its_file_at_once_and_is_archived_with_it(
    home: GatewayHome, database: Database
) -> None:
    home.environment["EDIGW_INGEST__SETTLE_SECONDS"] = "3600"  # settling alone would take an hour
    data = golden("distributor_856_lots.edi")
    home.drop("asn.edi", data, folder="medsupplyco")
    home.drop("asn.edi.done", b"", folder="medsupplyco")
    waiting = home.drop("invoice.edi", golden("distributor_810_allowances.edi"), folder="medsupplyco")
    gateway = gateway_on(home, database)

    report = gateway.cycle()

    assert report.taken == 1 and report.pending == 1
    [found] = check_staged_exactly_once(database, home.root, {"asn.edi": data}).values()
    assert found.stored.name == f"{found.row.id}-asn.edi"
    done = found.stored.with_name(found.stored.name + ".done")
    assert done.is_file() and done.read_bytes() == b""
    assert home.inbox_files() == [Path(os.fsdecode(waiting))]  # the other one is still settling


def test_temporary_names_are_never_touched(home: GatewayHome, database: Database) -> None:
    partner_files = {  # each would be staged if it were taken: valid X12
        home.inbox / "x.tmp": hospital_850(7001),
        home.inbox / ".x": hospital_850(7002),
        home.inbox / "order.edi.part": hospital_850(7003),
        home.inbox / "~lock.edi": hospital_850(7004),
        home.inbox / "riverside" / ".po.edi.part": renumbered(golden("clinic_850_newline_pipes.edi"), 7005),
        home.inbox / "medsupplyco" / "asn.filepart": golden("distributor_856_lots.edi"),
    }
    for path, content in partner_files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in partner_files}
    data = hospital_850(7000)
    home.drop("order.edi", data)
    gateway = gateway_on(home, database)

    drain(gateway)
    drain(gateway)

    check_staged_exactly_once(database, home.root, {"order.edi": data})
    check_untouched(partner_files, before)
    assert sorted(home.inbox_files()) == sorted(partner_files)
