"""C2SP tlog-tiles: tile paths, which tiles a tree has, building tiles, reading nodes back.

A tile at level L holds up to 256 consecutive hashes of tree level 8L; level 0 holds leaf
hashes and each hash of level L+1 is the root of a full tile of level L.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias

from audit.errors import TileError
from audit.merkle import HASH_SIZE, GetNode, perfect_root

TILE_HEIGHT: Final = 8  # C2SP tlog-tiles: "Full tiles MUST be exactly 256 hashes wide"
TILE_WIDTH: Final = 1 << TILE_HEIGHT
MAX_LEVEL: Final = 63  # C2SP tlog-tiles: <L> is between 0 and 63
_PATH_BASE: Final = 1000
MAX_ENTRY_SIZE: Final = 0xFFFF  # C2SP tlog-tiles: entries are uint16 length-prefixed
_PATH: Final = re.compile(
    r"tile/(?:(0|[1-9][0-9]?)|entries)/((?:x[0-9]{3}/)*[0-9]{3})(?:\.p/([0-9]+))?"
)

TileReader: TypeAlias = Callable[[int, int], bytes]
"""read_tile(level, index) -> the tile's hashes: full, or a partial one wide enough."""


def _encode_index(index: int) -> str:
    groups = [f"{index % _PATH_BASE:03d}"]
    while index >= _PATH_BASE:  # C2SP tlog-tiles: 3-digit elements, all but the last x-prefixed
        index //= _PATH_BASE
        groups.append(f"x{index % _PATH_BASE:03d}")
    return "/".join(reversed(groups))


@dataclass(frozen=True, slots=True, order=True)
class Tile:
    """One tile: level, index within the level, and width (1..256; 256 means full)."""

    level: int
    index: int
    width: int = TILE_WIDTH

    def __post_init__(self) -> None:
        """Check the coordinates are in range."""
        if not (0 <= self.level <= MAX_LEVEL and self.index >= 0 and 0 < self.width <= TILE_WIDTH):
            raise TileError(f"tile ({self.level}, {self.index}, {self.width}) out of range")

    @property
    def full(self) -> bool:
        """True for a full (immutable) tile."""
        return self.width == TILE_WIDTH

    def _suffix(self) -> str:
        return _encode_index(self.index) + ("" if self.full else f".p/{self.width}")

    def path(self) -> str:
        """`tile/<L>/<N>[.p/<W>]`, e.g. index 1234067 gives `tile/0/x001/x234/067`."""
        return f"tile/{self.level}/{self._suffix()}"

    def entries_path(self) -> str:
        """`tile/entries/<N>[.p/<W>]`, the entry bundle of a level-0 tile."""
        if self.level != 0:
            raise TileError("only level-0 tiles have entry bundles")
        return f"tile/entries/{self._suffix()}"

    def first_hash(self) -> int:
        """Index, within tree level 8L, of the tile's first hash (the tile's start)."""
        return self.index * TILE_WIDTH


def parse_tile_path(path: str) -> tuple[Tile, bool]:
    """Parse a tile or entry bundle path; return the tile and whether it is an entry bundle.

    Raises:
        TileError: unless `path` is exactly what `Tile.path`/`Tile.entries_path` produce.
    """
    match = _PATH.fullmatch(path)
    if match is None:
        raise TileError(f"not a tile path: {path!r}")
    level, digits, width = match.groups()
    index = int(digits.replace("x", "").replace("/", ""))
    tile = Tile(int(level or 0), index, TILE_WIDTH if width is None else int(width))
    is_entries = level is None
    if (tile.entries_path() if is_entries else tile.path()) != path:
        raise TileError(f"non-canonical tile path: {path!r}")
    return tile, is_entries


def tiles_for_size(size: int) -> list[Tile]:
    """Every tile (full and partial) of a tree of `size` leaves, level by level."""
    return new_tiles(0, size)


def new_tiles(old_size: int, new_size: int) -> list[Tile]:
    """Tiles that a tree of `new_size` has and one of `old_size` has not, in this form.

    These are the full tiles completed between the sizes and the new partial tiles at the
    right edge (C2SP tlog-tiles §Partial Tiles: width floor(s / 256**l) mod 256).
    """
    if not 0 <= old_size <= new_size:
        raise TileError(f"sizes out of order: {old_size} > {new_size}")
    out: list[Tile] = []
    level = 0
    while new_size >> (TILE_HEIGHT * level):
        old_hashes, new_hashes = (
            old_size >> (TILE_HEIGHT * level),
            new_size >> (TILE_HEIGHT * level),
        )
        full_from, full_to = old_hashes // TILE_WIDTH, new_hashes // TILE_WIDTH
        out.extend(Tile(level, i) for i in range(full_from, full_to))
        if new_hashes % TILE_WIDTH and new_hashes != old_hashes:
            out.append(Tile(level, full_to, new_hashes % TILE_WIDTH))
        level += 1
    return out


@dataclass(frozen=True, slots=True)
class TileEdge:
    """The right edge of a tiled tree: its size and its partial tiles' hashes per level."""

    size: int = 0
    partials: tuple[bytes, ...] = ()


def append_leaf_hashes(
    edge: TileEdge, leaf_hashes: Iterable[bytes]
) -> tuple[TileEdge, list[tuple[Tile, bytes]]]:
    """Append leaf hashes to a tiled tree; return the new edge and the tiles to store.

    The tiles returned are every full tile completed and the new partial tile of each level
    that received hashes, with their contents (concatenated 32-byte hashes).
    """
    _check_edge(edge)
    rows = [bytearray(p) for p in edge.partials]
    size, out = edge.size, []
    for leaf_hash in leaf_hashes:
        node, level = leaf_hash, 0
        while True:
            if level == len(rows):
                rows.append(bytearray())
            rows[level] += node
            if len(rows[level]) < TILE_WIDTH * HASH_SIZE:
                break
            full = bytes(rows[level])
            out.append((Tile(level, size >> (TILE_HEIGHT * (level + 1))), full))
            rows[level].clear()
            node, level = perfect_root(_split_hashes(full)), level + 1
        size += 1
    received = {t.level + 1 for t, _ in out} | ({0} if size != edge.size else set())
    for level, row in enumerate(rows):
        if row and level in received:
            tile = Tile(level, size >> (TILE_HEIGHT * (level + 1)), len(row) // HASH_SIZE)
            out.append((tile, bytes(row)))
    return TileEdge(size, tuple(bytes(r) for r in rows)), out


def _check_edge(edge: TileEdge) -> None:
    for level, partial in enumerate(edge.partials):
        width = (edge.size >> (TILE_HEIGHT * level)) % TILE_WIDTH
        if len(partial) != width * HASH_SIZE:
            raise TileError(f"edge level {level} holds {len(partial)} bytes, want {width} hashes")


def _split_hashes(data: bytes) -> list[bytes]:
    return [data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE)]


def read_node(level: int, index: int, read_tile: TileReader) -> bytes:
    """Hash of the perfect node (level, index) of RFC 9162 §2.1, read out of tiles.

    Raises:
        TileError: if the tile returned is too narrow to hold the node.
    """
    tile_level, sub = divmod(level, TILE_HEIGHT)
    first = index << sub  # first hash at tree level 8 * tile_level under the node
    tile_index, offset = divmod(first, TILE_WIDTH)
    data = read_tile(tile_level, tile_index)
    start, end = offset * HASH_SIZE, (offset + (1 << sub)) * HASH_SIZE
    if len(data) < end or len(data) % HASH_SIZE:
        raise TileError(f"tile ({tile_level}, {tile_index}) too narrow for node ({level}, {index})")
    return perfect_root(_split_hashes(data[start:end]))


def tile_node_getter(read_tile: TileReader) -> GetNode:
    """A `GetNode` over tiles that reads each tile at most once (one getter per proof)."""
    cache: dict[tuple[int, int], bytes] = {}

    def cached(level: int, index: int) -> bytes:
        if (level, index) not in cache:
            cache[level, index] = read_tile(level, index)
        return cache[level, index]

    return lambda level, index: read_node(level, index, cached)


def encode_entry_bundle(entries: Sequence[bytes]) -> bytes:
    """An entry bundle: each entry as a big-endian uint16 length, then its bytes.

    Raises:
        TileError: for an entry longer than 65,535 bytes or more than 256 entries.
    """
    if len(entries) > TILE_WIDTH or any(len(e) > MAX_ENTRY_SIZE for e in entries):
        raise TileError("entry bundle holds at most 256 entries of at most 65,535 bytes")
    return b"".join(len(e).to_bytes(2, "big") + e for e in entries)


def decode_entry_bundle(data: bytes) -> list[bytes]:
    """Split an entry bundle into its entries.

    Raises:
        TileError: if a length runs past the end or there are more than 256 entries.
    """
    entries, pos = [], 0
    while pos < len(data):
        if pos + 2 > len(data):
            raise TileError("truncated entry length")
        end = pos + 2 + int.from_bytes(data[pos : pos + 2], "big")
        if end > len(data):
            raise TileError("entry runs past the end of the bundle")
        entries.append(data[pos + 2 : end])
        pos = end
    if len(entries) > TILE_WIDTH:
        raise TileError("more than 256 entries in a bundle")
    return entries
