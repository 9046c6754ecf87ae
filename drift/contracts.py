"""Contract validation: does a payload conform to a track's registry schema?

The pytest plugin is a thin layer over this module; it is usable on its own::

    schemas = load_schemas(Path("fixtures"), "v1")
    checker = ConformanceChecker(schemas, track="v1")
    checker(payload, "models.Quote")          # AssertionError listing every violation

``$ref`` convention: every schema of a track is registered as
``urn:drift:<track>:<name>``, as ``<name>`` and ``<name>.json``, and under its
``$id`` if it declares one. Any other reference is resolved by its last segment
(``./models.Quote.json``, ``https://host/v1/models.Quote.json``,
``urn:drift:v1:models.Quote``) when that names a schema of the same track.
Nothing is ever fetched from the network. ``jsonschema`` and ``referencing``
are imported lazily so that importing this module stays cheap.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from drift import depth
from drift.errors import FixtureError, UnknownSchemaError, UnsafeNameError
from drift.journal import recover
from drift.names import normalize_name, validate_name
from drift.refcycles import find_ref_cycle
from drift.regex import PatternError, bounded

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator
    from referencing import Registry

__all__ = [
    "ConformanceChecker",
    "Violation",
    "format_violations",
    "json_path",
    "load_schemas",
    "schema_uri",
]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Violation:
    """One way a payload breaks its schema."""

    path: str
    """JSON path of the offending value, e.g. ``$.contracts[0].strike``."""
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def schema_uri(track: str, name: str) -> str:
    """The URI a track's schema is registered under."""
    return f"urn:drift:{track}:{name}"


def load_schemas(schema_dir: Path, track: str) -> Mapping[str, Any]:
    """Read ``<schema_dir>/<track>/*.json`` into a read-only name -> schema mapping."""
    recover(schema_dir)  # a sync killed mid-commit is finished or undone first
    track_dir = schema_dir / track
    if not track_dir.is_dir():
        raise FixtureError(f"no schema directory for track {track}: {track_dir} does not exist")
    schemas: dict[str, Any] = {}
    for path in sorted(track_dir.glob("*.json")):
        try:
            name = validate_name(path.stem, where=str(track_dir))
        except UnsafeNameError as exc:
            raise FixtureError(str(exc)) from exc
        try:
            content = depth.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise FixtureError(f"{path}: unreadable schema: {exc}") from exc
        if not isinstance(content, (dict, bool)):
            raise FixtureError(f"{path}: not a JSON Schema (top level is {type(content).__name__})")
        schemas[name] = content
    if not schemas:
        raise FixtureError(f"no schemas for track {track}: {track_dir} has no *.json files")
    return MappingProxyType(schemas)


def json_path(path: Iterable[str | int]) -> str:
    """``["contracts", 0, "strike"]`` -> ``$.contracts[0].strike``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _IDENTIFIER.match(part):
            out += f".{part}"
        else:
            out += f"[{json.dumps(part)}]"
    return out


def format_violations(name: str, track: str, violations: list[Violation]) -> str:
    """The assertion message: a heading, then one line per violation."""
    count = len(violations)
    noun = "violation" if count == 1 else "violations"
    lines = [f"payload does not conform to {name} (track {track}): {count} {noun}"]
    lines += [f"  {v}" for v in violations]
    return "\n".join(lines)


class ConformanceChecker:
    """Validates payloads against the schemas of one track.

    Call it as ``checker(payload, schema_name)``: returns ``None`` or raises
    :class:`AssertionError` listing every violation with its JSON path.
    """

    def __init__(self, schemas: Mapping[str, Any], *, track: str) -> None:
        self.schemas = schemas
        self.track = track
        self._registry: Registry[Any] | None = None
        self._validators: dict[str, Validator] = {}

    def __call__(self, payload: object, schema_name: str) -> None:
        __tracebackhide__ = True
        name = self.resolve_name(schema_name)
        found = self.violations(payload, name)
        if found:
            raise AssertionError(format_violations(name, self.track, found))

    def resolve_name(self, schema_name: str) -> str:
        """The track's name for ``schema_name`` (``.schema`` suffix tolerated)."""
        name = normalize_name(schema_name)
        if name in self.schemas:
            return name
        close = difflib.get_close_matches(name, list(self.schemas), n=5, cutoff=0.5)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise UnknownSchemaError(
            f"unknown schema {schema_name!r} on track {self.track} "
            f"({len(self.schemas)} schemas){hint}"
        )

    def violations(self, payload: object, schema_name: str) -> list[Violation]:
        """Every violation, sorted by path; empty when the payload conforms."""
        from referencing.exceptions import Unresolvable

        name = self.resolve_name(schema_name)
        validator = self._validator(name)
        try:
            errors = depth.roomy(
                lambda: list(validator.iter_errors(cast(Any, payload))),
                self.schemas[name],
                payload,
            )
        except Unresolvable as exc:
            raise FixtureError(f"schema {name} (track {self.track}): {exc}") from exc
        except PatternError as exc:
            raise PatternError(f"schema {name} (track {self.track}): {exc}") from None
        except RecursionError:
            raise FixtureError(
                f"schema {name} (track {self.track}): validation recursed too deep "
                f"(the payload or the schema nests deeper than {depth.MAX_DEPTH} levels)"
            ) from None
        found = {_violation(error) for error in errors}
        return sorted(found, key=lambda v: (v.path, v.message))

    def _validator(self, name: str) -> Validator:
        if name not in self._validators:
            from jsonschema import Draft202012Validator
            from jsonschema.validators import validator_for

            schema = self.schemas[name]
            cycle = find_ref_cycle(self.schemas, name)
            if cycle is not None:
                raise FixtureError(
                    f"schema {name} (track {self.track}): $ref cycle {' -> '.join(cycle)} "
                    "never reaches the payload, so it cannot validate anything"
                )
            cls = bounded(validator_for(schema, default=Draft202012Validator))
            # date-time is checked by rfc3339-validator (a dependency for that reason).
            checker = cls.FORMAT_CHECKER
            self._validators[name] = cls(schema, registry=self._registry_(), format_checker=checker)
        return self._validators[name]

    def _registry_(self) -> Registry[Any]:
        if self._registry is None:
            self._registry = _build_registry(self.schemas, self.track)
        return self._registry


def _build_registry(schemas: Mapping[str, Any], track: str) -> Registry[Any]:
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT202012

    resources: dict[str, Resource[Any]] = {}
    for name, schema in schemas.items():
        resource = Resource.from_contents(schema, default_specification=DRAFT202012)
        for uri in (schema_uri(track, name), name, f"{name}.json", resource.id()):
            if uri:
                resources.setdefault(uri, resource)

    def retrieve(uri: str) -> Resource[Any]:
        last = re.split(r"[/:]", uri.rstrip("/"))[-1]
        stem = last[: -len(".json")] if last.endswith(".json") else last
        stem = normalize_name(stem)
        if stem in schemas:
            return resources[schema_uri(track, stem)]
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]

    registry: Registry[Any] = Registry(retrieve=retrieve)  # type: ignore[call-arg]
    return registry.with_resources(resources.items())


def _violation(error: ValidationError) -> Violation:
    path = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        required = error.validator_value if isinstance(error.validator_value, list) else []
        missing = [p for p in required if p not in error.instance]
        named = [p for p in missing if error.message.startswith(repr(p))]
        if named:
            path.append(named[0])
    message = error.message
    if error.context:
        same_place = [e for e in error.context if not e.relative_path]
        reasons = sorted({e.message for e in same_place})
        if reasons:
            message += f" ({' / '.join(reasons)})"
    return Violation(json_path(path), message)
