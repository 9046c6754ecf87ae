"""Benchmark: what dead telemetry backends add to a check run.

Times, in the same run, ``publish()`` (Redis Streams backend) + ``push()``
(Pushgateway) for a report with N drifted schemas when:

- baseline: events to the in-process bus, metrics to a textfile (no network);
- refused: Redis and the Pushgateway on closed ports of 127.0.0.1 (connection refused);
- silent: both on ports that accept TCP connections but never answer (a hung host).

Target: each dead case adds at most about 2 s per backend (Redis: 1 s connect + 1 s
socket timeout, one pipelined round trip; push: 2 s), whatever N is.

Usage: ``python bench/telemetry_dead_backends.py [--schemas 50] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import logging
import socket
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from prometheus_client import CollectorRegistry  # noqa: E402

from drift.model import Status  # noqa: E402
from drift.report import Report, SchemaResult, TrackResult  # noqa: E402
from drift.telemetry.bus import InMemoryBus, open_bus  # noqa: E402
from drift.telemetry.events import publish  # noqa: E402
from drift.telemetry.export import push, write_textfile  # noqa: E402
from drift.telemetry.metrics import DriftMetrics  # noqa: E402
from drift.telemetry.settings import PulseSettings  # noqa: E402


def make_report(count: int) -> Report:
    schemas = tuple(SchemaResult(f"bench.S{i}", "v1", Status.DRIFTED) for i in range(count))
    return Report(
        "bench", "registry", "t", "0.1.0", tracks=(TrackResult("v1", "warn", schemas=schemas),)
    )


@contextmanager
def dead_port(listen: bool) -> Iterator[int]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        if listen:
            sock.listen(64)
        yield int(sock.getsockname()[1])


def timed(run: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schemas", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    report = make_report(args.schemas)
    registry = CollectorRegistry()
    DriftMetrics(registry).record_check(report, time.time())

    with tempfile.TemporaryDirectory() as tmp:
        textfile = Path(tmp) / "drift.prom"

        def baseline() -> None:
            outcome = publish(report, InMemoryBus(), time.time())
            assert outcome.sent == args.schemas
            assert write_textfile(registry, textfile)

        base = timed(baseline, args.repeat)

    print(f"{args.schemas} drifted schemas, median of {args.repeat}")
    print(f"baseline (inmem + textfile): {base * 1000:8.1f} ms")
    for name, listen in (("refused", False), ("silent", True)):
        with dead_port(listen) as redis_port, dead_port(listen) as gateway_port:
            settings = PulseSettings(backend="redis", redis_url=f"redis://127.0.0.1:{redis_port}/0")

            def dead(settings: PulseSettings = settings, gateway_port: int = gateway_port) -> None:
                bus = open_bus(settings)
                try:
                    outcome = publish(report, bus, time.time(), deadline=settings.deadline)
                finally:
                    bus.close()
                assert outcome.failed == args.schemas
                url = f"http://127.0.0.1:{gateway_port}"
                assert not push(registry, url, grouping_key={"repo": "bench"}, timeout=2.0)

            took = timed(dead, args.repeat)
        print(f"{name:8} publish()+push():   {took * 1000:8.1f} ms  ({took / base:8.1f}x baseline)")


if __name__ == "__main__":
    main()
