"""Run the ``run:`` steps of a GitHub workflow job or composite action locally, in order.

Only what the steps need is modelled, and anything else is an error rather than a
silent skip: ``${{ }}`` expressions over ``vars``, ``secrets``, ``inputs``,
``github``, ``matrix``, ``steps.<id>.outputs`` and ``env`` with ``||``, ``&&``,
``==``, ``!`` and string literals; ``env`` at workflow, job and step level;
``GITHUB_OUTPUT``/``GITHUB_ENV`` files; GitHub's default ``bash`` invocations.
``uses:`` steps are the caller's job (the tests provide Python and drift instead).
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_TOKEN = re.compile(r"\s*('(?:[^']|'')*'|\|\||&&|==|!=|!|\(|\)|[A-Za-z_][\w.-]*(?:\(\))?)")


class Unsupported(Exception):
    """A workflow construct this runner does not model."""


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@dataclass
class Context:
    """The expression contexts: ``{"vars": {...}, "secrets": {...}, ...}``."""

    values: dict[str, Any] = field(default_factory=dict)

    def lookup(self, path: str) -> Any:
        value: Any = self.values
        for part in path.split("."):
            if not isinstance(value, Mapping):
                return ""
            if part not in value and path.split(".")[0] not in self.values:
                raise Unsupported(f"unknown context in ${{{{ {path} }}}}")
            value = value.get(part, "")
        return value

    def evaluate(self, expression: str) -> Any:
        tokens = [t for t in _TOKEN.findall(expression) if t]
        if "".join(tokens).replace(" ", "") != expression.replace(" ", ""):
            raise Unsupported(f"cannot parse ${{{{ {expression} }}}}")
        value, rest = self._or(tokens)
        if rest:
            raise Unsupported(f"trailing tokens in ${{{{ {expression} }}}}")
        return value

    def _or(self, tokens: list[str]) -> tuple[Any, list[str]]:
        value, tokens = self._and(tokens)
        while tokens and tokens[0] == "||":
            right, tokens = self._and(tokens[1:])
            value = value or right
        return value, tokens

    def _and(self, tokens: list[str]) -> tuple[Any, list[str]]:
        value, tokens = self._cmp(tokens)
        while tokens and tokens[0] == "&&":
            right, tokens = self._cmp(tokens[1:])
            value = value and right
        return value, tokens

    def _cmp(self, tokens: list[str]) -> tuple[Any, list[str]]:
        value, tokens = self._unary(tokens)
        if tokens and tokens[0] in ("==", "!="):
            op = tokens[0]
            right, tokens = self._unary(tokens[1:])
            same = str(value).lower() == str(right).lower()
            value = same if op == "==" else not same
        return value, tokens

    def _unary(self, tokens: list[str]) -> tuple[Any, list[str]]:
        if not tokens:
            raise Unsupported("empty expression")
        head, rest = tokens[0], tokens[1:]
        if head == "!":
            value, rest = self._unary(rest)
            return not value, rest
        if head == "(":
            value, rest = self._or(rest)
            return value, rest[1:]
        if head.startswith("'"):
            return head[1:-1].replace("''", "'"), rest
        if head in ("true", "false"):
            return head == "true", rest
        if head.endswith("()"):
            status = self.values.get("job", {}).get("status", "success")
            calls = {
                "success()": status == "success", "failure()": status == "failure",
                "cancelled()": False, "always()": True,
            }  # fmt: skip
            if head not in calls:
                raise Unsupported(f"function {head} in a step this runner executes")
            return calls[head], rest
        return self.lookup(head), rest

    def substitute(self, text: str) -> str:
        return _EXPR.sub(lambda m: _text(self.evaluate(m.group(1))), text)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _condition(context: Context, condition: Any) -> bool:
    if condition is None:
        return True
    text = str(condition).strip()
    match = _EXPR.fullmatch(text)
    return bool(context.evaluate(match.group(1) if match else text))


@dataclass(frozen=True)
class StepResult:
    name: str
    code: int
    output: str


def run_steps(
    steps: list[dict[str, Any]],
    *,
    context: Context,
    env: Mapping[str, str],
    cwd: Path,
    scratch: Path,
    default_shell: str | None = None,
    timeout: float = 300,
) -> list[StepResult]:
    """Run every ``run:`` step in order; after a failure only steps whose ``if`` says so
    (``always()``, ``failure()``, ``!cancelled()``), as on GitHub.

    ``env`` is the process environment plus the workflow/job ``env`` already
    evaluated; each step's ``env`` is evaluated on top. Step outputs land in
    ``context.values["steps"][id]["outputs"]``.
    """
    results: list[StepResult] = []
    steps_ctx = context.values.setdefault("steps", {})
    extra_env: dict[str, str] = {}
    for number, step in enumerate(steps):
        if "run" not in step:
            if "uses" not in step:
                raise Unsupported(f"step {number} has neither run nor uses")
            continue
        context.values.setdefault("job", {})
        if not _condition(context, step.get("if", "success()")):
            continue
        output_file = scratch / f"output-{number}"
        env_file = scratch / f"env-{number}"
        output_file.write_text("")
        env_file.write_text("")
        step_env = {
            **env,
            **extra_env,
            **{k: _text(context.substitute(str(v))) for k, v in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_ENV": str(env_file),
        }
        script = scratch / f"step-{number}.sh"
        script.write_text(context.substitute(step["run"]))
        shell = step.get("shell") or default_shell
        if shell in (None, "bash"):
            argv = ["bash", "-e", str(script)]
            if shell == "bash":
                argv = ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)]
        else:
            raise Unsupported(f"shell {shell!r}")
        done = subprocess.run(
            argv, cwd=cwd, env=step_env, capture_output=True, text=True, timeout=timeout,
            check=False,
        )  # fmt: skip
        name = str(step.get("name") or step["run"].splitlines()[0])
        results.append(StepResult(name, done.returncode, done.stdout + done.stderr))
        if "id" in step:
            steps_ctx[step["id"]] = {"outputs": _key_values(output_file)}
        extra_env.update(_key_values(env_file))
        if done.returncode != 0:
            context.values["job"]["status"] = "failure"
    return results


def _key_values(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
    return out


def job_env(
    workflow: Mapping[str, Any], job: Mapping[str, Any], context: Context
) -> dict[str, str]:
    """Workflow-level then job-level ``env``, evaluated."""
    out: dict[str, str] = {}
    for table in (workflow.get("env", {}), job.get("env", {})):
        for key, value in table.items():
            context.values.setdefault("env", {})[key] = out[key] = context.substitute(str(value))
    return out


def jobs_for(workflow: Mapping[str, Any], context: Context, event: str) -> dict[str, Any]:
    """The jobs that run on ``event`` (their ``if:`` evaluated), in file order."""
    context.values.setdefault("github", {})["event_name"] = event
    triggers = workflow.get("on", workflow.get(True, {}))  # YAML 1.1 reads `on` as true
    return {
        name: job
        for name, job in workflow["jobs"].items()
        if event in triggers and _condition(context, job.get("if"))
    }


def pull_request_jobs(workflow: Mapping[str, Any], context: Context) -> dict[str, Any]:
    return jobs_for(workflow, context, "pull_request")


def base_env(venv_bin: Path, home: Path) -> dict[str, str]:
    """This process's environment without drift's own variables, the venv first on PATH."""
    drop = ("REGISTRY_", "DRIFT_", "PULSE_", "GITHUB_", "VIRTUAL_ENV", "PYTHONPATH", "NOX")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop) or k == "DRIFT_CACHE_DIR"}
    for name in ("EVENT_BUS_BACKEND", "REDIS_URL", "MD_NAMESPACE"):
        env.pop(name, None)
    env["PATH"] = os.pathsep.join([str(venv_bin), env.get("PATH", "")])
    env.update({"CI": "true", "GITHUB_ACTIONS": "true", "RUNNER_TEMP": str(home)})
    return env
