"""Schema documents and local ``$ref`` resolution (pointers and anchors)."""

from __future__ import annotations

from typing import Any, NamedTuple
from urllib.parse import unquote

from drift.compat.vocab import detect_draft

__all__ = ["Doc", "Node", "Sub", "escape"]

_MISSING = object()


class Doc:
    """One root schema: its draft, its anchors, and a cache for validators."""

    def __init__(self, root: Any) -> None:
        self.root = root
        self.draft = detect_draft(root)
        base = root.get("$id", root.get("id")) if isinstance(root, dict) else None
        self.base = base.split("#", 1)[0] if isinstance(base, str) else ""
        self._anchors: dict[str, Any] | None = None
        self._resolved: dict[str, Any] = {}
        self.cache: dict[str, Any] = {}

    def resolve(self, ref: str) -> Any:
        """The subschema ``ref`` points at, or None when it is not in this document."""
        found = self._resolved.get(ref, _MISSING)
        if found is _MISSING:
            found = self._resolve(ref)
            self._resolved[ref] = found
        return found

    def _resolve(self, ref: str) -> Any:
        if self.base and ref.startswith(self.base):
            ref = ref[len(self.base) :]
        if not ref.startswith("#"):
            return None
        fragment = unquote(ref[1:])
        if not fragment:
            return self.root
        if fragment.startswith("/"):
            return _pointer(self.root, fragment)
        return self.anchors().get(fragment)

    def anchors(self) -> dict[str, Any]:
        """``$anchor`` names (and draft 6/7 ``$id: "#name"``) of this document."""
        if self._anchors is None:
            found: dict[str, Any] = {}
            _collect_anchors(self.root, found)
            self._anchors = found
        return self._anchors


class Sub(NamedTuple):
    """A subschema together with the document its ``$ref`` values resolve in."""

    schema: Any
    doc: Doc


Node = tuple[Sub, ...]
"""A conjunction of subschemas; the empty tuple is the schema ``true``."""


def escape(token: str) -> str:
    """One JSON pointer reference token."""
    return token.replace("~", "~0").replace("/", "~1")


def _pointer(root: Any, pointer: str) -> Any:
    node = root
    for raw in pointer[1:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict):
            node = node.get(token, _MISSING)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
        if node is _MISSING:
            return None
    return node


def _collect_anchors(node: Any, found: dict[str, Any]) -> None:
    if isinstance(node, dict):
        anchor = node.get("$anchor")
        if isinstance(anchor, str):
            found.setdefault(anchor, node)
        for key in ("$id", "id"):
            ident = node.get(key)
            if isinstance(ident, str) and ident.startswith("#") and len(ident) > 1:
                found.setdefault(ident[1:], node)
        for key, value in node.items():
            if key not in ("enum", "const", "default", "examples"):
                _collect_anchors(value, found)
    elif isinstance(node, list):
        for item in node:
            _collect_anchors(item, found)
