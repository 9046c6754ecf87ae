"""The registry HTTP API's answers, computed from a :class:`DirectorySource` (no sockets).

:func:`answer` maps a method and request target to an :class:`Answer`; the
server in :mod:`drift.server` adds transport concerns (ETag, faults, latency).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

from drift.errors import RegistryError, SchemaNotFound, UnsafeNameError
from drift.logs import logger
from drift.model import COMPAT_POLICIES, RegistrySchema
from drift.sources.directory import DirectorySource
from drift.sources.wire import check_name, track_order

__all__ = ["Answer", "answer", "json_answer"]

_log = logger("drift.server")


@dataclass(frozen=True)
class Answer:
    """Status, JSON body bytes and extra headers of one response."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def json_answer(status: int, doc: Any, headers: tuple[tuple[str, str], ...] = ()) -> Answer:
    return Answer(status, json.dumps(doc, separators=(",", ":")).encode(), headers)


def _detail(status: int, text: str) -> Answer:
    return json_answer(status, {"detail": text})


def answer(source: DirectorySource, method: str, target: str) -> Answer:
    """The response to ``method target`` (target = path and optional query)."""
    raw_path, _, query = target.partition("?")
    if method != "GET":
        if method == "POST" and raw_path.startswith("/admin/"):
            return _detail(401, "admin endpoints need a valid token")
        return json_answer(405, {"detail": f"method {method} not allowed"}, (("Allow", "GET"),))
    parts = [unquote(p) for p in raw_path.split("/")[1:]]
    params = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True).items()}
    try:
        return _route(source, parts, params) or _detail(404, f"not found: {raw_path}")
    except (SchemaNotFound, UnsafeNameError):
        return _detail(404, f"schema not found: {raw_path}")
    except RegistryError as exc:
        _log.warning("registry data problem: %s", exc)
        return _detail(500, "the registry's data is invalid")


def _route(source: DirectorySource, parts: list[str], params: dict[str, str]) -> Answer | None:
    match parts:
        case ["health"]:
            tracks = {track: len(entries) for track, entries in source.index().tracks.items()}
            return json_answer(200, {"status": "ok", "tracks": tracks})
        case ["index"]:
            return Answer(200, source.index_bytes())
        case ["schemas", "by-id", schema_id]:
            return json_answer(200, _schema_doc(_by_id(source, schema_id)))
        case ["schemas", "by-id", *_]:
            return None
        case ["schemas", track, name, "versions"]:
            versions = source.versions(track, name)
            return json_answer(200, [_version_doc(v) for v in versions])
        case ["schemas", track, name]:
            return json_answer(200, _schema_doc(source.fetch(track, name, params.get("version"))))
        case ["compat", "check"]:
            return _compat(source, params)
    return None


def _by_id(source: DirectorySource, schema_id: str) -> RegistrySchema:
    name = check_name(schema_id)
    for track in sorted(source.index().tracks, key=track_order, reverse=True):
        try:
            return source.fetch(track, name)
        except SchemaNotFound:
            continue
    raise SchemaNotFound(f"no track has {name}")


def _schema_doc(schema: RegistrySchema) -> dict[str, Any]:
    content = schema.content
    schema_id = content.get("$schema_id") if isinstance(content, dict) else None
    return {
        "name": schema.name,
        "track": schema.track,
        "core_version": schema.core_version,
        "sha256": schema.sha256,
        "$schema_id": schema_id if isinstance(schema_id, str) else schema.name,
        "content": content,
        "deprecated": schema.deprecated,
        "deprecation_note": schema.deprecation_note,
    }


def _version_doc(version: Any) -> dict[str, Any]:
    return {
        **dict(version.extra),
        "core_version": version.core_version,
        "sha256": version.sha256,
        "created_at": version.created_at,
        "deprecated": version.deprecated,
    }


def _compat(source: DirectorySource, params: dict[str, str]) -> Answer:
    """``drift diff``'s engine and verdicts on two registry versions.

    ``mode`` (``backward``, the default, ``forward`` or ``full``) and ``policy``
    (``strict``, the default, or ``lenient``) as in ``drift diff`` and the track
    settings. Besides the documented ``compatible``/``breaking_reasons``/``advice``,
    the answer carries ``mode``, ``policy``, ``verdict`` and ``counterexample``.
    """
    from drift import compat
    from drift.compat.render import counterexample_line, to_json

    missing = [k for k in ("name", "from_track", "to_track") if not params.get(k)]
    if missing:
        return _detail(400, f"missing query parameters: {', '.join(missing)}")
    mode, policy = params.get("mode") or "backward", params.get("policy") or "strict"
    if mode not in compat.COMPAT_MODES:
        return _detail(400, f"mode must be one of {', '.join(compat.COMPAT_MODES)}, got {mode!r}")
    if policy not in COMPAT_POLICIES:
        return _detail(400, f"policy must be one of {', '.join(COMPAT_POLICIES)}, got {policy!r}")
    name = params["name"]
    old = source.fetch(params["from_track"], name, params.get("from_version") or None)
    new = source.fetch(params["to_track"], name, params.get("to_version") or None)
    result = compat.compare(old.content, new.content, policy=policy)
    reasons = [f"{c.path or '/'}: {c.kind}: {c.message}" for c in result.breaking(mode)]
    found = result.counterexample(mode)
    advice = [] if found is None else [counterexample_line(found)]
    if reasons and found is None:
        advice.append("some changes cannot be proven compatible: review them with `drift diff`")
    body = {
        "compatible": result.is_compatible(mode),
        "breaking_reasons": reasons,
        "advice": advice,
        "mode": mode,
        "policy": policy,
        "verdict": result.verdict(mode),
        "counterexample": to_json(result, mode)["counterexample"],
    }
    return json_answer(200, body)
