"""drift.logs.debug: a debug record no handler could show costs no import of logging."""

from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


def test_a_debug_record_below_the_configured_level_imports_no_logging() -> None:
    done = _run(
        "import sys\nfrom drift import logs\n"
        "logs.configure(logs.level_for(0, quiet=False))\n"
        "logs.debug('drift.registry', 'GET %s', 'x')\n"
        "print('logging' in sys.modules)"
    )
    assert done.stdout.strip() == "False"
    assert done.stderr == ""


def test_with_debug_configured_the_record_is_shown() -> None:
    done = _run(
        "from drift import logs\n"
        "logs.configure(logs.level_for(2, quiet=False))\n"
        "logs.debug('drift.registry', 'GET %s', 'x')"
    )
    assert done.stderr == "drift: DEBUG: GET x\n"


def test_an_application_that_set_up_logging_gets_the_record() -> None:
    done = _run(
        "import logging\nlogging.basicConfig(level=logging.DEBUG, format='%(name)s %(message)s')\n"
        "from drift import logs\n"
        "logs.debug('drift.registry', 'GET %s', 'x')"
    )
    assert done.stderr == "drift.registry GET x\n"
