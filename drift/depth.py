"""How deep JSON may nest, and room to work on JSON that deep.

Every JSON document drift reads (registry answers, directory registries,
fixtures, reports, schemas for contracts) goes through :func:`loads`: nesting
deeper than :data:`MAX_DEPTH` containers (arrays and objects) is a
``ValueError`` naming the limit, never a ``RecursionError`` traceback.

Documents up to that depth must then work everywhere, but ``jsonschema``
spends a dozen Python frames per schema level; :func:`roomy` runs such work
in a thread with a large stack and a raised recursion limit when the input is
deep (shallow input, the common case, runs in place at no cost).
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["MAX_DEPTH", "depth_of", "loads", "roomy"]

#: Deepest nesting of arrays/objects accepted in any JSON drift reads.
MAX_DEPTH = 256
_SHALLOW = 48  # below this, jsonschema fits in the default recursion limit
_STACK = 512 * 1024 * 1024  # virtual: only the pages touched are committed
_LIMIT = 40_000
_lock = threading.Lock()
_here = threading.local()
T = TypeVar("T")


def depth_of(value: Any, *, stop: int | None = None) -> int:
    """Nesting depth of ``value`` (a scalar is 0), without recursion; stops early past ``stop``."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        level += 1
        if level > deepest:
            deepest = level
            if stop is not None and deepest > stop:
                return deepest
        stack.extend((child, level) for child in children if isinstance(child, (dict, list)))
    return deepest


def loads(text: str | bytes, **options: Any) -> Any:
    """``json.loads`` that refuses nesting deeper than :data:`MAX_DEPTH` with a ValueError."""
    try:
        value = json.loads(text, **options)
    except RecursionError:
        raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels") from None
    if depth_of(value, stop=MAX_DEPTH) > MAX_DEPTH:
        raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels")
    return value


def roomy(fn: Callable[[], T], *inputs: Any) -> T:
    """``fn()``, in a big-stack thread with a raised recursion limit if any input is deep."""
    if getattr(_here, "deep", False) or all(
        depth_of(value, stop=_SHALLOW) <= _SHALLOW for value in inputs
    ):
        return fn()
    result: list[T] = []
    error: list[BaseException] = []

    def work() -> None:
        _here.deep = True
        try:
            result.append(fn())
        except BaseException as exc:  # handed to the caller
            error.append(exc)

    with _lock:
        old_stack = threading.stack_size(_STACK)
        old_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(old_limit, _LIMIT))
        try:
            worker = threading.Thread(target=work, name="drift-deep")
            worker.start()
        finally:
            threading.stack_size(old_stack)
        worker.join()
        sys.setrecursionlimit(old_limit)
    if error:
        raise error[0]
    return result[0]
