"""This repository's tasks: the toolkit's own collection (``invoke --list``)."""

from drift.tasks import ns

namespace = ns
