"""Lazy public names for a package (PEP 562): imported from their home module on first use.

A package lists where each name lives and sets its module ``__getattr__``::

    _HOMES = {"RegistryClient": "drift.sources.http"}
    __getattr__ = lazy_attributes(__name__, _HOMES, globals())

so ``import drift.sources`` stays cheap and ``drift.sources.RegistryClient``
imports ``drift.sources.http`` only then (and keeps the value for next time).
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: ``import drift`` (and ``drift --help``) stay cheap
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str, homes: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__`` resolving ``homes[name]`` (module path) into ``namespace``."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        import importlib  # on first use: ``import drift`` loads no importlib

        value = getattr(importlib.import_module(home), name)
        namespace[name] = value
        return value

    return __getattr__
