"""The real evolution in the registry snapshot (market-data-core 1.2.8 -> 1.4.61).

What the JSON says (every object below is open: no ``additionalProperties``):

* ``models.Quote`` adds optional ``bid_size``/``ask_size`` (``integer | null``). The v1
  object is open, so v1 accepted *any* value there (``"bid_size": "10"``); v2 rejects
  those: not backward compatible. v2 only adds constraints: forward compatible.
* ``models.PriceBar`` adds optional ``resolution`` (``string``): same reasoning.
* ``models.OptionChain`` renames ``$defs/OptionContract`` to ``OptionSnapshot`` with the
  same structure (only title/description differ) and adds optional ``timestamp``
  (``string``, ``date-time``): not backward compatible, forward compatible.
* ``models.Health`` adds ``status`` to ``required``, narrows ``status`` from any string to
  an enum and adds properties (backward breaks); it drops eight typed properties, which the
  open v2 now accepts with any value (forward breaks).
* Every other schema differs only in the release stamps ``$core_version`` and ``$track``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from drift.compat import classify, compare

REGISTRY = Path(__file__).resolve().parents[3] / "registry"
EVOLVED = {
    "models.Quote": ("breaking", "compatible"),
    "models.PriceBar": ("breaking", "compatible"),
    "models.OptionChain": ("breaking", "compatible"),
    "models.Health": ("breaking", "breaking"),
}
NAMES = sorted(p.stem for p in (REGISTRY / "v1").glob("*.json"))


def load(track: str, name: str) -> Any:
    return json.loads((REGISTRY / track / f"{name}.json").read_text(encoding="utf-8"))


def breaking(name: str, direction: str) -> set[tuple[str, str]]:
    result = compare(load("v1", name), load("v2", name))
    return {(c.path, c.kind) for c in result.breaking(direction)}


def test_snapshot_has_the_expected_schemas() -> None:
    assert len(NAMES) == 38
    assert set(EVOLVED) <= set(NAMES)
    assert not (REGISTRY / "v1" / "models.OptionSnapshot.json").exists()


@pytest.mark.parametrize("name", sorted(EVOLVED))
def test_evolved_schemas(name: str) -> None:
    result = compare(load("v1", name), load("v2", name))
    assert (result.verdict("backward"), result.verdict("forward")) == EVOLVED[name]
    assert all(c.certain for c in result.changes)


@pytest.mark.parametrize("name", [n for n in NAMES if n not in EVOLVED])
def test_release_stamps_only_are_annotations(name: str) -> None:
    result = compare(load("v1", name), load("v2", name))
    for mode in ("backward", "forward", "full"):
        assert result.verdict(mode) == "annotations-only"
    assert {(c.path, c.kind) for c in result.changes} == {
        ("/$core_version", "annotation"),
        ("/$track", "annotation"),
    }


def test_quote_adds_two_optional_properties_to_an_open_object() -> None:
    assert breaking("models.Quote", "backward") == {
        ("/properties/ask_size", "property-added"),
        ("/properties/bid_size", "property-added"),
    }
    assert breaking("models.Quote", "forward") == set()
    result = compare(load("v1", "models.Quote"), load("v2", "models.Quote"))
    added = [c for c in result.changes if c.kind == "property-added"]
    assert all("integer | null" in c.message and "open" in c.message for c in added)


def test_pricebar_adds_resolution() -> None:
    assert breaking("models.PriceBar", "backward") == {("/properties/resolution", "property-added")}
    assert breaking("models.PriceBar", "forward") == set()


def test_optionchain_renamed_definition_is_compared_by_content() -> None:
    result = compare(load("v1", "models.OptionChain"), load("v2", "models.OptionChain"))
    assert {(c.path, c.kind) for c in result.breaking("full")} == {
        ("/properties/timestamp", "property-added")
    }
    kinds = {(c.path, c.kind) for c in result.changes}
    assert ("/properties/contracts/items/$ref", "ref-changed") in kinds
    assert ("/$defs/OptionContract", "definition-removed") in kinds
    assert ("/$defs/OptionSnapshot", "definition-added") in kinds
    inside = [c for c in result.changes if c.path.startswith("/properties/contracts/items/")]
    assert {c.kind for c in inside} == {"annotation", "ref-changed"}


def test_health_breaks_both_ways() -> None:
    backward = breaking("models.Health", "backward")
    assert ("/required", "required-added") in backward
    assert ("/properties/status/enum", "enum-added") in backward
    for name in ("component", "details", "message", "timestamp"):
        assert (f"/properties/{name}", "property-added") in backward
    removed = {
        "errors_total",
        "gateway_port",
        "gateway_type",
        "ibkr_connected",
        "last_connect_ts",
        "reconnects_total",
        "subscriptions_active",
        "version",
    }
    assert breaking("models.Health", "forward") == {
        (f"/properties/{name}", "property-removed") for name in removed
    }


@pytest.mark.parametrize(
    ("role", "verdict"),
    [("producer", "breaking"), ("consumer", "compatible"), ("both", "breaking")],
)
def test_classify_quote_by_role(role: str, verdict: str) -> None:
    got, changes = classify(load("v1", "models.Quote"), load("v2", "models.Quote"), role)  # type: ignore[arg-type]
    assert got == verdict
    assert len(changes) == 7


def test_classify_stamps_only() -> None:
    verdict, changes = classify(
        load("v1", "models.Contract"), load("v2", "models.Contract"), "both"
    )
    assert verdict == "annotations-only"
    assert {c.path for c in changes} == {"/$core_version", "/$track"}
