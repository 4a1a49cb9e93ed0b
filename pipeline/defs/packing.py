"""Extractions kept packed, one compressed pickle each, from the worker that made them to the corpus step.

A document's extraction is about 46 KB of Python objects and 6 KB packed: held as objects until the
corpus step turned them into rows, the extractions of a 16,000-article feed took most of the build's
memory. Workers pack what they extract (the pool pickled it anyway), the build holds the bytes, and the
corpus step unpacks them one at a time.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, overload

if TYPE_CHECKING:
    from pipeline.extraction import DocumentExtraction

# What a partition's metadata counts, so that counting needs no unpacking.
COUNTED = ("mentions", "events", "forecasts", "refused_figures", "observations")


@dataclass(frozen=True)
class Packed:
    data: bytes  # zlib level 1: a fifth of the pickle's size for a tenth of the time pickling takes
    counts: tuple[int, ...]  # the length of each COUNTED field


def pack(extraction: DocumentExtraction) -> Packed:
    return Packed(zlib.compress(pickle.dumps(extraction, protocol=pickle.HIGHEST_PROTOCOL), 1),
                  tuple(len(getattr(extraction, name)) for name in COUNTED))


def unpack(packed: Packed) -> DocumentExtraction:
    return pickle.loads(zlib.decompress(packed.data))


class PackedExtractions(Sequence):
    """A file's extractions, each unpacked when asked for (a new object every time)."""

    def __init__(self, items: Iterable[Packed]):
        self.items = tuple(items)

    @overload
    def __getitem__(self, index: int) -> DocumentExtraction: ...

    @overload
    def __getitem__(self, index: slice) -> list[DocumentExtraction]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [unpack(p) for p in self.items[index]]
        return unpack(self.items[index])

    def __len__(self) -> int:
        return len(self.items)

    def total(self, name: str) -> int:
        """How many ``name`` (one of COUNTED) the extractions hold together."""
        column = COUNTED.index(name)
        return sum(p.counts[column] for p in self.items)
