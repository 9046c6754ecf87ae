"""``drift propose``: an update branch per track, with the PR text that explains it.

In a clean git work tree, for each selected track: check out the current base in a
temporary worktree (the user's checkout is never touched), check and sync that
track there, commit fixtures and lock on ``drift/sync-<track>`` and write the pull
request's title, Markdown body and labels into ``<output>/<track>/``. The branch is
rebuilt on the current base each run (a rebase of its single generated commit that
cannot conflict): the registry moving again updates the same branch; an identical
result keeps the existing commit (nothing to push); nothing to sync makes no commit.
``--push`` pushes with ``--force-with-lease`` against what the remote had.

A service function: settings, the registry and the contract runner come in as
collaborators; :mod:`drift.app` builds them.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from drift.atomic import write_atomic
from drift.check import CheckInputs, check_drift
from drift.config import Settings
from drift.errors import ProposeError
from drift.fixtures import LOCK_NAME, FixtureStore
from drift.gitrepo import Git
from drift.redaction import redact, redact_fields
from drift.report import SchemaResult, TrackResult
from drift.reporters import proposal
from drift.sources.base import RegistrySource
from drift.sync import plan_sync, sync_fixtures

__all__ = [
    "BRANCH_PREFIX",
    "Proposal",
    "ProposeRequest",
    "contract_runner",
    "propose",
    "relocate",
]

BRANCH_PREFIX = "drift/sync-"

OpenSource = Callable[[Settings], RegistrySource]
#: ``run_contracts(project_root, track)`` on the synced fixtures.
RunContracts = Callable[[Path, str], proposal.ContractRun]


@dataclass(frozen=True)
class ProposeRequest:
    output: Path
    base: str | None = None
    """Branch the update branches start from (default: the current branch)."""
    remote: str = "origin"
    push: bool = False


@dataclass(frozen=True)
class Proposal:
    """What ``propose`` did for one track."""

    track: str
    branch: str
    state: str
    """``created``, ``updated``, ``unchanged`` (same result as the branch has) or
    ``up-to-date`` (nothing to sync: no commit)."""
    commit: str | None = None
    title: str = ""
    labels: tuple[str, ...] = ()
    pushed: bool = False

    def line(self) -> str:
        if self.state == "up-to-date":
            return f"{self.track}: fixtures match the registry; nothing to propose (no commit)"
        pushed = ", pushed" if self.pushed else ""
        short = (self.commit or "")[:12]
        return f"{self.track}: {self.state} {self.branch} at {short}{pushed}: {self.title}"


def propose(
    settings: Settings,
    request: ProposeRequest,
    git: Git,
    *,
    open_source: OpenSource,
    run_contracts: RunContracts | None = None,
) -> list[Proposal]:
    """One :class:`Proposal` per selected track; ProposeError when it cannot run."""
    top = git.toplevel().resolve()
    relative = _inside(settings.root, top, "the project")
    fixtures = _inside(settings.fixtures_dir, top, "the fixtures directory").as_posix()
    dirty = [p for p in git.dirty([fixtures]) if not Path(p).name.startswith(".drift")]
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise ProposeError(
            f"the work tree has uncommitted changes ({shown}); commit or stash them first: "
            "drift propose commits only what a sync writes, on its own branch"
        )
    base = request.base or git.current_branch()
    base_commit = git.rev(base) if base else None
    if base is None or base_commit is None:
        raise ProposeError(f"no base branch {base or '(detached HEAD)'}; pass --base BRANCH")
    if request.output.exists():  # drift's own output folder: only this run's proposals
        shutil.rmtree(request.output)
    context = _Context(git, request, base_commit, relative, fixtures)
    return [
        context.track(settings, track, open_source, run_contracts) for track in settings.selected
    ]


def _inside(path: Path, top: Path, what: str) -> Path:
    try:
        return path.resolve().relative_to(top)
    except ValueError:
        raise ProposeError(f"{what} ({path}) is outside the git work tree {top}") from None


def relocate(settings: Settings, root: Path, track: str) -> Settings:
    """The same settings for the same project checked out at ``root``, one track selected."""
    fixtures = root / settings.fixtures_dir.resolve().relative_to(settings.root.resolve())
    return replace(settings, root=root, fixtures_dir=fixtures, selected=(track,))


@dataclass(frozen=True)
class _Context:
    git: Git
    request: ProposeRequest
    base_commit: str
    relative: Path
    fixtures: str

    def track(
        self,
        project: Settings,
        track: str,
        open_source: OpenSource,
        run_contracts: RunContracts | None,
    ) -> Proposal:
        branch = f"{BRANCH_PREFIX}{track}"
        remote_ref = self._fetch_remote(branch)
        scratch = Path(tempfile.mkdtemp(prefix="drift-propose-"))
        tree = scratch / "tree"
        self.git.run("worktree", "add", "--detach", "--quiet", str(tree), self.base_commit)
        try:
            work = self.git.at(tree)
            root = tree / self.relative
            settings = relocate(project, root, track)
            synced = _sync(settings, track, open_source)
            if synced is None:
                return Proposal(track, branch, "up-to-date")
            results = synced
            # fixtures and lock only: not the sync's own lock or journal files (.drift*)
            work.run("add", "-A", "--", self.fixtures, f":(exclude,glob){self.fixtures}/**/.drift*")
            commit = work.commit(redact(proposal.commit_message(track, results)))
            contracts = run_contracts(root, track) if run_contracts else None
        finally:
            self.git.run("worktree", "remove", "--force", str(tree), check=False)
            shutil.rmtree(scratch, ignore_errors=True)
        commit, state = self._place(branch, commit)
        pushed = self._push(branch, commit, remote_ref)
        labels = proposal.labels(results)
        self._write(track, branch, results, state, contracts, settings)
        return Proposal(track, branch, state, commit, proposal.title(track, results),
                        tuple(labels), pushed)  # fmt: skip

    def _fetch_remote(self, branch: str) -> str | None:
        """The remote's commit of ``branch`` (fetched), ``None`` without one."""
        remote = self.request.remote
        if not (self.request.push and self.git.has_remote(remote)):
            return None
        spec = f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"
        self.git.run("fetch", "--quiet", remote, spec, check=False)
        return self.git.rev(f"refs/remotes/{remote}/{branch}")

    def _place(self, branch: str, commit: str) -> tuple[str, str]:
        """Point ``branch`` at ``commit`` unless it already holds the same sync on the same
        base (then keep its commit: nothing changed)."""
        existing = self.git.rev(f"refs/heads/{branch}")
        if existing is not None:
            same_base = self.git.rev(f"{existing}~1") == self.base_commit
            if same_base and self._same_sync(existing, commit):
                return existing, "unchanged"
        self.git.run("branch", "--force", branch, commit)
        return commit, "created" if existing is None else "updated"

    def _same_sync(self, old: str, new: str) -> bool:
        """The same fixtures and lock, but for the lock's ``fetched_at`` times."""
        if self.git.tree(old) == self.git.tree(new):
            return True
        changed = self.git.run("diff", "--name-only", old, new).splitlines()
        lock = f"{self.fixtures}/{LOCK_NAME}"
        if changed != [lock]:
            return False
        diff = self.git.run("diff", "--unified=0", old, new, "--", lock).splitlines()
        edits = [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]
        return all(line[1:].startswith("fetched_at = ") for line in edits)

    def _push(self, branch: str, commit: str, remote_ref: str | None) -> bool:
        if not self.request.push:
            return False
        remote = self.request.remote
        if not self.git.has_remote(remote):
            raise ProposeError(f"--push: there is no git remote {remote!r}")
        if remote_ref == commit:
            return False
        lease = f"--force-with-lease=refs/heads/{branch}:{remote_ref or ''}"
        self.git.run("push", "--quiet", lease, remote, f"{commit}:refs/heads/{branch}")
        return True

    def _write(
        self,
        track: str,
        branch: str,
        results: list[SchemaResult],
        state: str,
        contracts: proposal.ContractRun | None,
        settings: Settings,
    ) -> None:
        folder = self.request.output / track
        track_result = TrackResult(track, "warn", role=settings.tracks[track].role)
        body = proposal.render_body(
            track_result,
            results,
            registry=settings.registry_label(),
            contracts=contracts,
        )
        # registry-sent text (names, changes, diffs) may carry a secret
        write_atomic(folder / "title.txt", redact(proposal.title(track, results)) + "\n")
        write_atomic(folder / "body.md", redact(body))
        write_atomic(folder / "labels.txt", "\n".join(proposal.labels(results)) + "\n")
        write_atomic(folder / "branch.txt", branch + "\n")
        write_atomic(folder / "state.txt", state + "\n")


def _sync(settings: Settings, track: str, open_source: OpenSource) -> list[SchemaResult] | None:
    """Check, then sync ``track`` in the scratch tree: the check's results (status, verdict,
    changes, counterexample) of the schemas the sync changed; ``None`` when no fixture
    changes (a lock that only records new registry tags is not worth a pull request)."""
    store = FixtureStore(settings.fixtures_dir, annotation_keys=settings.annotation_keys)
    source = open_source(settings)
    try:
        checked = check_drift(settings, CheckInputs(store=store, source=source, modes={}))
        report = redact_fields(checked)  # PR text leaves drift
        plan = plan_sync(settings, source, store)
    finally:
        source.close()
    if not plan.changes:
        return None
    changed = {c.name for c in plan.changes}
    results = [r for r in report.results() if r.track == track and r.name in changed]
    sync_fixtures(store, plan)
    return results


def contract_runner(template: str) -> RunContracts:
    """Run ``template`` (``{track}`` replaced; split like a shell would, no shell) in the
    synced project root; its last output line is the summary."""
    import shlex
    import subprocess

    def run(root: Path, track: str) -> proposal.ContractRun:
        command = template.replace("{track}", track)
        try:
            done = subprocess.run(
                shlex.split(command), cwd=root, capture_output=True, text=True, check=False,
                timeout=1800,
            )  # fmt: skip
        except (OSError, subprocess.TimeoutExpired) as exc:
            return proposal.ContractRun(command, False, f"could not run: {exc}")
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        summary = lines[-1].strip("= ") if lines else f"exit {done.returncode}"
        return proposal.ContractRun(command, done.returncode == 0, summary)

    return run
