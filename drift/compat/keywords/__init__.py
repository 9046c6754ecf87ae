"""The keyword families: one module per kind of JSON value a schema constrains.

Each family compares two :class:`~drift.compat.shapes.Shape` objects over the type
atoms they share and returns :class:`~drift.compat.result.Change` records; the
session (``drift.compat.session``) decides which family a shape pair goes to.

- ``numbers``: bounds, ``multipleOf``, the integer domain;
- ``strings``: lengths, ``pattern``, ``format``;
- ``arrays``: tuples (``items``/``prefixItems``/``additionalItems``), lengths,
  ``uniqueItems``, ``contains``, ``unevaluatedItems``;
- ``objects``: properties, ``required``, sizes, dependencies, ``propertyNames``,
  built on ``object_set`` (how one shape constrains objects) and ``content``
  (the properties no schema names);
- ``enums``: ``enum``/``const`` and other finite value sets;
- ``logic``: ``not``, ``if``/``then``/``else``, disjointness proofs;
- ``notes``: keywords that do not validate (annotations, metadata, unknown keywords).
"""
