"""The integration helpers (throwaway projects, local servers) load for integration tests only."""

from __future__ import annotations

import pytest

HELPERS = (
    "make_project",
    "registry_editor",
    "require_program",
    "redis_server",
    "pushgateway_server",
    "closed_port",
    "silent_port",
)


@pytest.mark.parametrize("name", HELPERS)
def test_unit_tests_do_not_see_the_integration_helpers(
    request: pytest.FixtureRequest, name: str
) -> None:
    with pytest.raises(pytest.FixtureLookupError):
        request.getfixturevalue(name)
