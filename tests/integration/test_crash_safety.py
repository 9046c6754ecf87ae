"""A sync killed with SIGKILL at any point leaves fixtures and lock old or new, never mixed.

Real processes, real ``kill -9``: a child applies a change set with
:func:`drift.transaction.replace_all` and is killed at a named commit step
(deterministic) or after a random delay (bounded randomized trials). The
next reader (:func:`drift.journal.recover`, as every command runs it) must
then find exactly the old files or exactly the new ones, and no leftovers.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from drift.contracts import load_schemas
from drift.fixtures import FixtureStore
from drift.journal import JOURNAL, JOURNAL_TMP, STAGING_PREFIX, recover

REPO = Path(__file__).resolve().parents[2]
TRIALS = 50
FILES = 200

CHILD = r"""
import json, os, signal, sys
from pathlib import Path
from typing import Any
from drift.transaction import replace_all

root, plan, kill_at, fail_at = Path(sys.argv[1]), json.loads(sys.argv[2]), *sys.argv[3:5]
writes = [(root / rel, None if data is None else data.encode()) for rel, data in plan]

def on_step(name):
    print(name, flush=True)
    if name == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

def before_replace(index):
    if index == int(fail_at):
        raise OSError(28, "No space left on device")

try:
    replace_all(root, writes, on_step=on_step, before_replace=before_replace)
except Exception as exc:
    print("failed", exc, flush=True)
"""

Plan = list[tuple[str, "str | None"]]


def child(root: Path, plan: Plan, kill_at: str = "", fail_at: int = -1) -> subprocess.Popen[str]:
    path = os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p)
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(root), json.dumps(plan), kill_at, str(fail_at)],
        env={**os.environ, "PYTHONPATH": path},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def snapshot(root: Path) -> dict[str, bytes | None]:
    out: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if rel == ".drift.lock":
            continue
        out[rel] = path.read_bytes() if path.is_file() else None
    return out


def make_old(root: Path, files: int) -> Plan:
    """An old state of ``files`` fixtures and a lock; returns the plan that replaces it."""
    (root / "v1").mkdir(parents=True)
    plan: Plan = []
    for i in range(files):
        (root / "v1" / f"m{i}.json").write_text(json.dumps({"title": f"old {i}"}) + "\n")
        if i % 10 == 3:
            plan.append((f"v1/m{i}.json", None))  # removed
        elif i % 10 != 7:  # 7: unchanged
            plan.append((f"v1/m{i}.json", json.dumps({"title": f"new {i}"}) + "\n"))
    plan.append(("v2/added.json", '{"title": "added"}\n'))  # a new track directory
    (root / "lock.toml").write_text("# old lock\n")
    plan.append(("lock.toml", "# new lock\n"))
    return plan


def expected_new(old: dict[str, bytes | None], plan: Plan) -> dict[str, bytes | None]:
    new = dict(old)
    for rel, data in plan:
        if data is None:
            new.pop(rel, None)
        else:
            new[rel] = data.encode()
    new.setdefault("v2", None)
    return new


State = dict[str, "bytes | None"]


def assert_old_or_new(root: Path, old: State, new: State) -> str:
    recover(root)
    now = snapshot(root)
    assert not [k for k in now if k.startswith((STAGING_PREFIX, JOURNAL))], sorted(now)[:5]
    if now == old:
        return "old"
    mixed = sorted(k for k in set(now) | set(new) if now.get(k, b"?") != new.get(k, b"?"))
    assert now == new, f"mixed state: {len(mixed)} entries differ from new, e.g. {mixed[:3]}"
    return "new"


def steps_of(tmp_path: Path, plan_files: int) -> list[str]:
    root = tmp_path / "probe"
    plan = make_old(root, plan_files)
    proc = child(root, plan)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return out.splitlines()


def test_kill_at_every_commit_step_recovers_to_old_or_new(tmp_path: Path) -> None:
    steps = steps_of(tmp_path, 10)
    assert steps[:3] == ["staging", "staged", "journal"]
    assert steps[-1] == "done"
    outcomes: dict[str, str] = {}
    for n, step in enumerate(steps):
        root = tmp_path / f"kill{n}"
        plan = make_old(root, 10)
        old = snapshot(root)
        new = expected_new(old, plan)
        proc = child(root, plan, kill_at=step)
        proc.communicate(timeout=60)
        assert proc.returncode == -signal.SIGKILL, step
        outcomes[step] = assert_old_or_new(root, old, new)
    # before the journal nothing moved; from the journal on, the commit is finished
    assert [outcomes[s] for s in steps] == ["old", "old"] + ["new"] * (len(steps) - 2)


def test_kill_during_a_rollback_recovers_to_old(tmp_path: Path) -> None:
    root = tmp_path / "rollback"
    plan = make_old(root, 10)
    old = snapshot(root)
    proc = child(root, plan, kill_at="rollback", fail_at=5)
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert "replaced 2" in out.splitlines()  # some files had moved before the failure
    assert (root / JOURNAL).exists()
    assert assert_old_or_new(root, old, expected_new(old, plan)) == "old"


def test_the_next_reader_recovers_before_reading(tmp_path: Path) -> None:
    root = tmp_path / "fixtures"
    plan = make_old(root, 10)
    proc = child(root, plan, kill_at="replaced 4")
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    assert (root / "lock.toml").read_text() == "# old lock\n"  # mixed on disk right now
    assert "m0" in FixtureStore(root).list("v1")  # reading recovers first
    assert (root / "lock.toml").read_text() == "# new lock\n"
    assert not (root / JOURNAL).exists()
    assert not list(root.glob(STAGING_PREFIX + "*"))
    assert set(load_schemas(root, "v2")) == {"added"}


def test_contract_loader_recovers_too(tmp_path: Path) -> None:
    root = tmp_path / "fixtures"
    plan = make_old(root, 10)
    proc = child(root, plan, kill_at="replaced 0")
    proc.communicate(timeout=60)
    schemas = load_schemas(root, "v1")
    assert schemas["m0"] == {"title": "new 0"}
    assert (root / "lock.toml").read_text() == "# new lock\n"


def test_orphan_staging_dirs_of_a_sync_killed_while_staging_are_removed(tmp_path: Path) -> None:
    root = tmp_path / "fixtures"
    plan = make_old(root, 10)
    old = snapshot(root)
    proc = child(root, plan, kill_at="staged")
    proc.communicate(timeout=60)
    assert list(root.glob(STAGING_PREFIX + "*"))
    FixtureStore(root).list("v1")
    assert snapshot(root) == old


def test_a_journal_temp_file_of_a_sync_killed_before_its_rename_is_removed(
    tmp_path: Path,
) -> None:
    """Killed between opening the journal's temp file and renaming it (a window the
    randomized trials hit rarely): no commit began, so recovery keeps old and drops the temp."""
    root = tmp_path / "fixtures"
    make_old(root, 10)
    old = snapshot(root)
    (root / JOURNAL_TMP).write_text('{"state": "comm')  # half-written, never renamed
    FixtureStore(root).list("v1")
    assert snapshot(root) == old
    assert not (root / JOURNAL_TMP).exists()


@pytest.fixture
def fast_dir(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs directory where there is one: fsync is free, so many trials stay fast.

    (SIGKILL semantics do not depend on fsync; fsync is for power loss.)
    """
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="drift-kill-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_randomized_sigkill_never_leaves_a_mixed_state(fast_dir: Path) -> None:
    """``TRIALS`` kills after random delays: half anywhere, half inside the commit phase."""
    tmp_path = fast_dir
    rng = random.Random(int(os.environ.get("DRIFT_KILL_SEED", "20261201")))
    template = tmp_path / "template"
    plan = make_old(template, FILES)
    old = snapshot(template)
    new = expected_new(old, plan)
    # one uninterrupted run: how long the whole thing and its commit phase take
    probe = tmp_path / "probe"
    shutil.copytree(template, probe)
    started = time.monotonic()
    proc = child(probe, plan)
    marks = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        marks[line.strip()] = time.monotonic() - started
    assert proc.wait(timeout=60) == 0
    total, commit = marks["done"], marks["done"] - marks["journal"]
    outcomes = {"old": 0, "new": 0}
    mid_commit = 0
    for trial in range(TRIALS):
        root = tmp_path / f"t{trial}"
        shutil.copytree(template, root)
        proc = child(root, plan)
        assert proc.stdout is not None
        if trial % 2:
            wait_for_line(proc, "journal")
            time.sleep(rng.uniform(0, commit))
        else:
            time.sleep(rng.uniform(0, total))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        mid_commit += (root / JOURNAL).exists()
        outcomes[assert_old_or_new(root, old, new)] += 1
        shutil.rmtree(root)
    print(f"{TRIALS} kills: {outcomes}, {mid_commit} mid-commit; commit {commit:.3f}s")
    assert sum(outcomes.values()) == TRIALS
    assert mid_commit >= 1, "no kill landed inside the commit phase"


def wait_for_line(proc: subprocess.Popen[str], wanted: str) -> None:
    """Read the child's step lines until ``wanted`` (or its end: then the kill is a no-op)."""
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == wanted:
            return


CLI_TRIALS = 3
MOVED = ["models.Quote", "models.Health", "models.PriceBar", "models.Position"]


def test_a_killed_sync_fixtures_run_is_recovered_by_the_next_check(
    make_project: Any, registry_root: Path, registry_editor: Any
) -> None:
    """End to end: ``python -m drift sync-fixtures`` killed with SIGKILL as soon as its
    journal appears; the next ``check-drift`` finds the fixtures and lock old or new."""
    from tests.integration.project import add_required
    from tests.integration.project import snapshot as tree

    for name in MOVED:
        registry_editor.change("v1", name, add_required("exchange"))
    reference = make_project(str(registry_root), tracks={"v1": MOVED}, name="reference")
    old = tree(reference.fixtures)
    assert reference.drift("sync-fixtures").code == 0
    new = tree(reference.fixtures)
    assert new != old
    rng = random.Random(7)
    outcomes = []
    mid_commit = 0
    for trial in range(CLI_TRIALS):
        project = make_project(str(registry_root), tracks={"v1": MOVED}, name=f"killed{trial}")
        journal = project.fixtures / JOURNAL
        proc = subprocess.Popen(
            project.module_args("sync-fixtures"),
            cwd=project.root,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        end = time.monotonic() + 60
        while not journal.exists() and proc.poll() is None and time.monotonic() < end:
            time.sleep(0.0005)
        if trial % 2:
            time.sleep(rng.uniform(0, 0.003))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        mid_commit += journal.exists()
        assert project.check().code in (0, 1)  # recovers first, then judges
        now = tree(project.fixtures)
        assert not [k for k in now if k.startswith((STAGING_PREFIX, JOURNAL))]
        side = "old" if stable(now) == stable(old) else "new"
        assert stable(now) == stable(old if side == "old" else new), f"trial {trial}: mixed"
        outcomes.append(side)
    print(f"{CLI_TRIALS} killed sync-fixtures runs: {outcomes}, {mid_commit} mid-commit")


def stable(state: dict[str, bytes | None]) -> dict[str, bytes | None]:
    """A fixtures tree with the lock's ``fetched_at`` stamps (the time of each sync) blanked."""
    out = dict(state)
    lock = out.get("lock.toml")
    if lock is not None:
        lines = [ln for ln in lock.splitlines() if not ln.startswith(b"fetched_at")]
        out["lock.toml"] = b"\n".join(lines)
    return out
