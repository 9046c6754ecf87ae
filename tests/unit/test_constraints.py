"""constraints.txt pins exactly what pyproject.toml asks for, so the two cannot drift apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from drift import tomlread

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomlread.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NAME = canonicalize_name(PROJECT["name"])


def _pins() -> dict[str, tuple[Requirement, Version]]:
    pins: dict[str, tuple[Requirement, Version]] = {}
    for number, line in enumerate((ROOT / "constraints.txt").read_text().splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        pin = Requirement(text)
        specs = list(pin.specifier)
        assert len(specs) == 1, f"constraints.txt:{number}: {line!r} is not one exact pin"
        assert specs[0].operator == "==", f"constraints.txt:{number}: {line!r} is not '=='"
        name = canonicalize_name(pin.name)
        assert name not in pins, f"constraints.txt:{number}: {pin.name} pinned twice"
        pins[name] = (pin, Version(specs[0].version))
    return pins


PINS = _pins()


def _requirements() -> list[tuple[str, Requirement]]:
    found = [("dependencies", Requirement(r)) for r in PROJECT["dependencies"]]
    for extra, reqs in PROJECT["optional-dependencies"].items():
        found += [(f"[{extra}]", Requirement(r)) for r in reqs]
    return [(where, req) for where, req in found if canonicalize_name(req.name) != NAME]


@pytest.mark.parametrize(("where", "req"), _requirements(), ids=lambda v: str(v))
def test_every_requirement_is_pinned_inside_its_range(where: str, req: Requirement) -> None:
    name = canonicalize_name(req.name)
    assert name in PINS, f"pyproject.toml {where} {req} has no pin in constraints.txt"
    pin, version = PINS[name]
    assert req.specifier.contains(version, prereleases=True), (
        f"constraints.txt pins {pin} but pyproject.toml {where} asks for {req}"
    )
    if req.marker is not None and pin.marker is not None:
        # A pin with a marker (tomli on 3.10) must apply wherever the requirement does.
        for minor in ("3.10", "3.11", "3.12", "3.13"):
            env = {**default_environment(), "python_version": minor, "extra": ""}
            if req.marker.evaluate(env):
                assert pin.marker.evaluate(env), f"{pin} does not apply on {minor}, {req} does"


def test_the_known_hypothesis_break_stays_excluded() -> None:
    """6.170.10+ breaks hypothesis-jsonschema 0.23.1: the range must say so, the pin obey it."""
    (test_hypothesis,) = [r for w, r in _requirements() if r.name == "hypothesis"]
    assert not test_hypothesis.specifier.contains("6.170.10")
    assert not test_hypothesis.specifier.contains("6.170.17")
    assert SpecifierSet(f"=={PINS['hypothesis'][1]}").contains("6.170.9")


def test_nothing_is_pinned_twice_or_loosely() -> None:
    assert PINS, "constraints.txt is empty"
    assert NAME not in PINS, "constraints.txt must not pin the project itself"
