"""``.drift-waivers.toml`` on disk: the I/O edge of :mod:`drift.waivers`."""

from __future__ import annotations

from pathlib import Path

from drift.errors import ConfigError

TYPE_CHECKING = False  # not typing's
if TYPE_CHECKING:
    from drift.waivers import Waiver

__all__ = ["WAIVER_FILE", "WaiverFile"]

#: The waivers of a project, in its root (parsed and written by :mod:`drift.waivers`;
#: imported only when the file exists, so a project without waivers pays nothing).
WAIVER_FILE = ".drift-waivers.toml"


class WaiverFile:
    """Read and write the waivers of one project (``<root>/.drift-waivers.toml``)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    @classmethod
    def in_root(cls, root: Path) -> WaiverFile:
        return cls(Path(root) / WAIVER_FILE)

    def read(self) -> tuple[Waiver, ...]:
        """The waivers; ``()`` when the file does not exist; :class:`ConfigError` (exit 2)
        naming the file, the waiver and the field when it is malformed."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return ()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{self.path}: cannot read: {exc}") from None
        from drift.waivers import parse_waivers

        return parse_waivers(text, str(self.path))

    def add(self, waiver: Waiver) -> tuple[Waiver, ...]:
        """Write ``waiver`` (replacing one for the same track and schema), atomically."""
        from drift.atomic import write_atomic
        from drift.waivers import dump_waivers, with_waiver

        waivers = with_waiver(self.read(), waiver)
        write_atomic(self.path, dump_waivers(waivers), fsync=True)
        return waivers
