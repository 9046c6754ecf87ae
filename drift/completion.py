"""Shell completion scripts for bash and zsh, generated from the parser by shtab.

A static script (``drift completion bash``), not a start-up hook: measured with
``bench/cli_extras.py`` (CPU time), an argcomplete hook adds about 6 ms to every
``drift`` start-up (7%) and each TAB runs the program again (about 80 ms); shtab costs
nothing until a user asks for the script (about 0.5 s, once), and a TAB then runs
no Python at all.
"""

from __future__ import annotations

import argparse

__all__ = ["SHELLS", "completion_script"]

SHELLS = ("bash", "zsh")


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script of ``parser`` for ``shell`` (``bash`` or ``zsh``)."""
    import shtab  # only ``drift completion`` needs it

    text: str = shtab.complete(parser, shell)
    return text if text.endswith("\n") else text + "\n"
