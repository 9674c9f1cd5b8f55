"""MinHash signatures by one-permutation hashing, in plain Python.

A classic MinHash hashes every element once per permutation (128 hashes per shingle). One-permutation
hashing hashes each element once: the hash's low bits pick one of `size` bins and its high 32 bits
are the value, and each bin keeps its smallest value. A bin no element fell into borrows the value of
the first filled bin along its own fixed pseudo-random order of the other bins ("optimal
densification"), so that two signatures still agree in a bin with probability equal to the sets'
Jaccard similarity, with about the variance of a classic MinHash even for sets of a dozen elements,
and LSH bands work on them as on a classic MinHash (Li, Owen and Zhang 2012; Shrivastava 2017).

Why not datasketch: its MinHash needs NumPy, about 15 MB of a daemon's resident memory for the one
job of grouping reprints, where one keyed BLAKE2b digest per shingle costs about a microsecond.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

_MAGIC = b"OPH1"  # a stored signature's format: one-permutation hashing, rotation densification
_KEY = b"beacon-minhash-1"  # the hash key: signatures are stored, so it never changes within a format
_EMPTY = 1 << 32  # above every 32-bit value: a bin no element fell into


def check_size(size: int) -> None:
    """Sizes are powers of two, so that a hash's low bits pick the bin without bias."""
    if size < 16 or size > 1024 or size & (size - 1):
        raise ValueError(f"a signature has 16 to 1024 bins, a power of two; got {size}")


@dataclass(frozen=True, slots=True)
class Signature:
    """The MinHash of one set: one 32-bit value per bin (an array, 4 bytes a bin in memory too)."""

    values: array[int]

    def __len__(self) -> int:
        return len(self.values)

    def jaccard(self, other: Signature) -> float:
        """The estimated Jaccard similarity: the share of bins where both agree."""
        if len(self.values) != len(other.values):
            raise ValueError(f"signatures of {len(self.values)} and {len(other.values)} bins cannot be compared")
        same = sum(1 for mine, theirs in zip(self.values, other.values, strict=True) if mine == theirs)
        return same / len(self.values)

    def band_bytes(self, start: int, end: int) -> bytes:
        """The values of bins [start, end) as little-endian bytes, for hashing an LSH band."""
        return _little_endian(self.values[start:end])

    def to_bytes(self) -> bytes:
        """The signature as stored: format tag, bin count, values; little-endian on every machine."""
        return _MAGIC + struct.pack("<H", len(self.values)) + _little_endian(self.values)

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        """Read a stored signature back; ValueError for another format (an older store's) or a truncated one."""
        if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + 2:
            raise ValueError("not a one-permutation MinHash signature (another format or version)")
        (size,) = struct.unpack_from("<H", data, len(_MAGIC))
        body = data[len(_MAGIC) + 2:]
        if len(body) != 4 * size:
            raise ValueError(f"signature of {size} bins holds {len(body)} bytes, not {4 * size}")
        values = array("I")
        values.frombytes(body)
        if sys.byteorder == "big":
            values.byteswap()
        return cls(values)


def _little_endian(values: array[int]) -> bytes:
    if sys.byteorder == "little":
        return values.tobytes()
    swapped = array("I", values)
    swapped.byteswap()
    return swapped.tobytes()


def signature(elements: Iterable[bytes], size: int) -> Signature:
    """The signature of a non-empty set of byte strings in `size` bins (a power of two)."""
    check_size(size)
    mask = size - 1
    bins = [_EMPTY] * size
    for element in elements:
        digest = hashlib.blake2b(element, digest_size=8, key=_KEY).digest()
        hashed = int.from_bytes(digest, "little")
        slot = hashed & mask
        value = hashed >> 32  # the bin comes from the low bits, so the value is independent of it
        if value < bins[slot]:
            bins[slot] = value
    return Signature(array("I", _densified(bins)))


@cache
def _borrowing_order(size: int) -> tuple[tuple[int, ...], ...]:
    """For each bin, the other bins in a fixed pseudo-random order: where an empty bin looks for a value.

    The same for every signature of a size (it is derived from the bin numbers alone), which is what
    makes a borrowed value agree between two sets exactly as often as an own one."""
    orders = []
    for slot in range(size):
        def rank(other: int, slot: int = slot) -> bytes:
            return hashlib.blake2b(struct.pack("<HH", slot, other), digest_size=8, key=_KEY).digest()

        orders.append(tuple(sorted((other for other in range(size) if other != slot), key=rank)))
    return tuple(orders)


def _densified(bins: list[int]) -> list[int]:
    """Fill each empty bin with the value of the first filled bin in its borrowing order."""
    if all(value == _EMPTY for value in bins):
        raise ValueError("the signature of an empty set is undefined")
    filled = list(bins)
    orders = _borrowing_order(len(bins))
    for slot, value in enumerate(bins):
        if value != _EMPTY:
            continue
        for other in orders[slot]:
            if bins[other] != _EMPTY:
                filled[slot] = bins[other]
                break
    return filled
