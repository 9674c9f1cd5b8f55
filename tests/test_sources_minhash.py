"""One-permutation MinHash: estimates near the true Jaccard similarity, stored bytes that read back, clear errors."""

from __future__ import annotations

import pytest

from bot.sources.minhash import Signature, signature


def pair(size: int, shared: int, tag: str) -> tuple[set[bytes], set[bytes]]:
    """Two sets of `size` elements each, `shared` of them common to both."""
    common = {f"{tag}-common-{i}".encode() for i in range(shared)}
    first = common | {f"{tag}-first-{i}".encode() for i in range(size - shared)}
    second = common | {f"{tag}-second-{i}".encode() for i in range(size - shared)}
    return first, second


@pytest.mark.parametrize("size", [12, 40, 150, 600])
def test_estimates_follow_the_true_similarity_for_small_and_large_sets(size: int) -> None:
    errors = []
    for step in range(11):
        shared = size * step // 10
        first, second = pair(size, shared, f"{size}-{step}")
        truth = len(first & second) / len(first | second)
        errors.append(abs(signature(first, 128).jaccard(signature(second, 128)) - truth))
    # 128 bins: a standard error of at most 0.045; empty bins borrowed must not widen it for a dozen elements
    assert sum(errors) / len(errors) < 0.06, errors
    assert max(errors) < 0.2, errors


def test_identical_sets_agree_everywhere_and_disjoint_ones_almost_nowhere() -> None:
    first, second = pair(50, 0, "disjoint")
    assert signature(first, 64).jaccard(signature(set(first), 64)) == 1.0
    assert signature(first, 64).jaccard(signature(second, 64)) < 0.1
    # one element: every bin borrows its value, and another single element shares none
    assert signature([b"only"], 64).jaccard(signature([b"only"], 64)) == 1.0
    assert signature([b"only"], 64).jaccard(signature([b"other"], 64)) == 0.0


def test_the_order_of_elements_does_not_matter() -> None:
    elements = [f"shingle {i}".encode() for i in range(30)]
    assert signature(elements, 128) == signature(list(reversed(elements)), 128)


def test_stored_bytes_read_back_and_other_formats_are_refused() -> None:
    original = signature([f"word {i}".encode() for i in range(40)], 128)
    stored = original.to_bytes()
    assert len(stored) == 4 + 2 + 4 * 128
    assert Signature.from_bytes(stored) == original
    with pytest.raises(ValueError, match="another format"):
        Signature.from_bytes(b"\x01\x00\x00\x00" + stored[4:])  # an older store's signature
    with pytest.raises(ValueError, match="holds"):
        Signature.from_bytes(stored[:-3])
    with pytest.raises(ValueError, match="cannot be compared"):
        original.jaccard(signature([b"x"], 64))


def test_sizes_and_empty_sets_are_refused() -> None:
    for size in (8, 100, 2048):
        with pytest.raises(ValueError, match="power of two"):
            signature([b"x"], size)
    with pytest.raises(ValueError, match="empty set"):
        signature([], 64)
