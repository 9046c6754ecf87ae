"""constraints.txt pins exactly what pyproject.toml asks for, so the two cannot drift apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from drift import tomlread

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomlread.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
NAME = canonicalize_name(PROJECT["name"])


PYTHONS = ("3.10", "3.11", "3.12", "3.13")


def _env(minor: str) -> dict[str, str]:
    return {**default_environment(), "python_version": minor, "extra": ""}


def _pins() -> dict[str, list[tuple[Requirement, Version]]]:
    """Every pin by name; a name may be pinned once per Python (markers)."""
    pins: dict[str, list[tuple[Requirement, Version]]] = {}
    for number, line in enumerate((ROOT / "constraints.txt").read_text().splitlines(), 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        pin = Requirement(text)
        specs = list(pin.specifier)
        assert len(specs) == 1, f"constraints.txt:{number}: {line!r} is not one exact pin"
        assert specs[0].operator == "==", f"constraints.txt:{number}: {line!r} is not '=='"
        pins.setdefault(canonicalize_name(pin.name), []).append((pin, Version(specs[0].version)))
    return pins


PINS = _pins()


def _pin_for(name: str, minor: str) -> tuple[Requirement, Version] | None:
    applying = [
        (pin, version)
        for pin, version in PINS.get(name, [])
        if pin.marker is None or pin.marker.evaluate(_env(minor))
    ]
    assert len(applying) <= 1, f"constraints.txt pins {name} twice for Python {minor}"
    return applying[0] if applying else None


def _requirements() -> list[tuple[str, Requirement]]:
    found = [("dependencies", Requirement(r)) for r in PROJECT["dependencies"]]
    for extra, reqs in PROJECT["optional-dependencies"].items():
        found += [(f"[{extra}]", Requirement(r)) for r in reqs]
    return [(where, req) for where, req in found if canonicalize_name(req.name) != NAME]


@pytest.mark.parametrize(("where", "req"), _requirements(), ids=lambda v: str(v))
def test_every_requirement_is_pinned_inside_its_range(where: str, req: Requirement) -> None:
    """On every supported Python where the requirement applies, exactly one pin applies
    and its version satisfies the requirement's range."""
    name = canonicalize_name(req.name)
    assert name in PINS, f"pyproject.toml {where} {req} has no pin in constraints.txt"
    for minor in PYTHONS:
        if req.marker is not None and not req.marker.evaluate(_env(minor)):
            continue
        found = _pin_for(name, minor)
        assert found is not None, f"{req} ({where}) applies on {minor}; no pin does"
        pin, version = found
        assert req.specifier.contains(version, prereleases=True), (
            f"constraints.txt pins {pin} but pyproject.toml {where} asks for {req} ({minor})"
        )


def test_the_known_hypothesis_break_stays_excluded() -> None:
    """6.170.10+ breaks hypothesis-jsonschema 0.23.1: the range must say so, the pin obey it."""
    (test_hypothesis,) = [r for w, r in _requirements() if r.name == "hypothesis"]
    assert not test_hypothesis.specifier.contains("6.170.10")
    assert not test_hypothesis.specifier.contains("6.170.17")
    pinned = {str(v) for _pin, v in PINS["hypothesis"]}
    assert pinned
    assert all(test_hypothesis.specifier.contains(v) for v in pinned)
    assert "6.170.9" in pinned


def test_no_name_is_pinned_twice_for_one_python() -> None:
    assert PINS, "constraints.txt is empty"
    assert NAME not in PINS, "constraints.txt must not pin the project itself"
    for name in PINS:
        for minor in PYTHONS:
            _pin_for(name, minor)
