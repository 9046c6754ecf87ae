"""Register drift's own pytest plugin when drift runs from a checkout (not pip-installed).

Installed, the ``pytest11`` entry point has already registered it as ``drift``;
this hook then does nothing.
"""

from __future__ import annotations

import importlib

import pytest


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    plugin = importlib.import_module("drift.pytest_plugin")
    if not pluginmanager.has_plugin("drift") and not pluginmanager.is_registered(plugin):
        pluginmanager.register(plugin, "drift")
