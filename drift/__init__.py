"""drift: keep a service's JSON Schema fixtures in step with a schema registry.

The public API is small and imported lazily, so ``import drift`` (and the
pytest plugin, which lives in this package) stays cheap::

    from drift import load_settings, check_drift, CheckInputs, FixtureStore, open_source
"""

from __future__ import annotations

from drift._version import __version__
from drift.lazy import lazy_attributes

TYPE_CHECKING = False  # not typing's: importing drift (or its pytest plugin) stays cheap
if TYPE_CHECKING:
    from drift.canonical import canonical_hash, structural_hash
    from drift.check import CheckInputs, check_drift
    from drift.compat import compare
    from drift.config import Settings, load_settings
    from drift.errors import (
        ConfigError,
        DriftError,
        FixtureError,
        RegistryError,
        RegistryUnavailable,
        SchemaNotFound,
    )
    from drift.fixtures import FixtureStore
    from drift.model import Status
    from drift.report import Report
    from drift.sources import DirectorySource, RegistryClient, open_source

__all__ = [
    "CheckInputs",
    "ConfigError",
    "DirectorySource",
    "DriftError",
    "FixtureError",
    "FixtureStore",
    "RegistryClient",
    "RegistryError",
    "RegistryUnavailable",
    "Report",
    "SchemaNotFound",
    "Settings",
    "Status",
    "__version__",
    "canonical_hash",
    "check_drift",
    "compare",
    "load_settings",
    "open_source",
    "structural_hash",
]

_HOMES = {
    "canonical_hash": "drift.canonical",
    "structural_hash": "drift.canonical",
    "CheckInputs": "drift.check",
    "check_drift": "drift.check",
    "compare": "drift.compat",
    "Settings": "drift.config",
    "load_settings": "drift.config",
    "ConfigError": "drift.errors",
    "DriftError": "drift.errors",
    "FixtureError": "drift.errors",
    "RegistryError": "drift.errors",
    "RegistryUnavailable": "drift.errors",
    "SchemaNotFound": "drift.errors",
    "FixtureStore": "drift.fixtures",
    "Status": "drift.model",
    "Report": "drift.report",
    "DirectorySource": "drift.sources",
    "RegistryClient": "drift.sources",
    "open_source": "drift.sources",
}


__getattr__ = lazy_attributes(__name__, _HOMES, globals())


def __dir__() -> list[str]:
    return sorted(__all__)
