"""What a progress line and shell completion cost the ``drift`` process.

Run: ``python bench/cli_extras.py [--runs 7]``. Whole interpreter processes, median CPU time,
ratios against bare ``python -c pass`` measured in the same run.

1. Progress: the import cost of tqdm and rich.progress (when installed) against
   drift's hand-written :class:`drift.terminal.Progress` (``-X importtime``,
   cumulative microseconds of the top module, minimum of the runs).
2. Completion: argcomplete must be imported and hooked into every start-up
   (``argcomplete.autocomplete(parser)`` before parsing) and runs the whole program
   for each TAB; shtab writes a static script once (``drift completion bash``), so a
   normal start-up pays nothing and a TAB runs no Python. Measured: ``drift --help``
   as it is, with an argcomplete hook added, one argcomplete TAB, and one shtab
   script generation.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import resource
import statistics
import subprocess
import sys

#: What ``drift`` has imported before it needs a progress line: not counted for anyone.
PRELOADED = "import typing, collections.abc, time, argparse, logging, drift"
HOOKED = (
    "import argcomplete, sys\n"
    "from drift.cli import build_parser\n"
    "p = build_parser(); argcomplete.autocomplete(p); p.parse_args(sys.argv[1:])\n"
)


def cpu(argv: list[str], runs: int, env: dict[str, str] | None = None) -> float:
    """Median CPU seconds (user + system) of the child process: stable on a loaded
    machine, where wall-clock start-up times mostly measure the neighbours."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, capture_output=True, env=env, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


def import_us(module: str, runs: int) -> float | None:
    if importlib.util.find_spec(module.split(".")[0]) is None:
        return None
    values = []
    for _ in range(runs):
        err = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", f"{PRELOADED}; import {module}"],
            capture_output=True, text=True, check=False,
        ).stderr  # fmt: skip
        rows = [r for r in err.splitlines() if r.rstrip().endswith(f"| {module}")]
        values.append(int(rows[-1].split("|")[1]))
    return min(values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    bare = cpu([sys.executable, "-c", "pass"], runs)
    print(f"bare python: {bare * 1000:.1f} ms CPU")
    print("\n1. progress line: import cost (cumulative)")
    for module in ("drift.terminal", "tqdm", "rich.progress"):
        cost = import_us(module, runs)
        text = "not installed" if cost is None else f"{cost / 1000:6.1f} ms  " \
            f"({cost / 1e6 / bare:4.2f}x bare python)"  # fmt: skip
        print(f"  {module:16} {text}")
    print("\n2. completion")
    plain = cpu([sys.executable, "-m", "drift", "--help"], runs)
    print(f"  drift --help as shipped       {plain * 1000:6.1f} ms ({plain / bare:4.2f}x)")
    if importlib.util.find_spec("argcomplete") is not None:
        hooked = cpu([sys.executable, "-c", HOOKED, "--help"], runs)
        env = dict(os.environ, _ARGCOMPLETE="1", COMP_LINE="drift check-drift --tr",
                   COMP_POINT="22", _ARGCOMPLETE_STDOUT_FILENAME=os.devnull)  # fmt: skip
        tab = cpu([sys.executable, "-c", HOOKED], runs, env)
        print(f"  with an argcomplete hook      {hooked * 1000:6.1f} ms ({hooked / bare:4.2f}x)")
        print(f"  one argcomplete TAB           {tab * 1000:6.1f} ms ({tab / bare:4.2f}x)")
    gen = cpu([sys.executable, "-m", "drift", "completion", "bash"], runs)
    print(f"  drift completion bash (once)  {gen * 1000:6.1f} ms ({gen / bare:4.2f}x); "
          "a TAB then runs no Python")  # fmt: skip


if __name__ == "__main__":
    main()
