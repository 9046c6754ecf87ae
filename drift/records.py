"""``record``: ``@dataclass(frozen=True)`` at a third less start-up cost.

A dataclass's methods are generated as source text and compiled when the class
is created: six ``exec`` calls for a frozen one (``__init__``, ``__repr__``,
``__eq__``, ``__hash__``, ``__setattr__``, ``__delattr__``), about 4.4M
instructions a class, over 100M for the records an offline check defines.
``@record(frozen=True)`` lets :mod:`dataclasses` generate only ``__init__`` and
the frozen ``__setattr__``/``__delattr__`` and gives the class ``__eq__``,
``__hash__`` and ``__repr__`` written once here, with the same results as the
generated ones (fields with ``compare=False``, ``hash=`` or ``repr=False``
included). The class is a dataclass: :func:`dataclasses.replace`,
:func:`~dataclasses.fields` and :func:`~dataclasses.asdict` work on it, and
type checkers see ``dataclass(frozen=True)`` itself.
"""

from __future__ import annotations

__all__ = ["record"]

TYPE_CHECKING = False  # not typing's: this module imports nothing but dataclasses
if TYPE_CHECKING:
    from dataclasses import dataclass as record
else:
    import dataclasses

    def record(cls=None, /, *, frozen):
        """``@record(frozen=True)``: see the module docstring."""
        if frozen is not True:
            raise TypeError("record makes frozen dataclasses only: @record(frozen=True)")

        def make(cls):
            made = dataclasses.dataclass(cls, frozen=True, eq=False, repr=False)
            fields = dataclasses.fields(made)
            made._record_shown = tuple(f.name for f in fields if f.repr)
            made._record_compared = tuple(f.name for f in fields if f.compare)
            made._record_hashed = tuple(
                f.name for f in fields if (f.compare if f.hash is None else f.hash)
            )
            made.__eq__ = _eq
            made.__hash__ = _hash
            made.__repr__ = _repr
            return made

        return make if cls is None else make(cls)

    def _eq(self, other):
        if other.__class__ is not self.__class__:
            return NotImplemented
        names = self._record_compared
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)

    def _hash(self):
        return hash(tuple(getattr(self, n) for n in self._record_hashed))

    def _repr(self):
        shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._record_shown)
        return f"{self.__class__.__qualname__}({shown})"
