"""Syndicated copies: the same story reprinted by several sources counts as one story.

Wire copy is reprinted with small edits: a new headline, a dropped last paragraph, a local
intro sentence, other quotes and punctuation, a byline. Word 5-shingles of the folded text
survive such edits almost whole, while two reports written independently about the same
event share their facts and place names but hardly any run of five words. So a story is
recognised by the Jaccard similarity of shingle sets, estimated with MinHash and looked up
with MinHashLSH, among the articles seen within a time window.

Texts too short for a meaningful set of shingles (a one-line title) are hashed as a single
element, their whole folded word sequence: their signature then equals another only for an
exact copy (similarity 1), and everything else is ~0 instead of a random overlap of a few
shingles. One signature format and one index serve both cases.

Several instances share one database: an article's LSH band keys (`band_keys`, one 64-bit hash per
band, the same in every process) are stored with its story member, and before a lookup the caller
loads the stories of stored articles sharing a band with it (`ArticleStore.stories_sharing`). The
stored rows are the truth; this index is each process's cache of them, plus the batch not committed yet.
The same band keys index this process's cache, so a lookup is a few dictionary reads.
"""

from __future__ import annotations

import hashlib
import heapq
import logging
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.engine.text import fold
from bot.models import Article, StoryMember
from bot.sources.minhash import Signature, check_size, signature

log = logging.getLogger(__name__)

_MIN_SHINGLES = 10  # fewer shingles than this: compare the exact word sequence instead
_EXACT = b"\x00exact\x00"  # prefix that keeps a whole-text element apart from any shingle
# The LSH only proposes candidates, each then checked against `threshold` with its estimated
# Jaccard similarity: its bands are chosen so that it misses at most 1% of pairs at the threshold.
_RECALL = 0.99


@dataclass(frozen=True)
class StoryMatch:
    """The story an article is a copy of."""

    story_id: str             # the key of the story's first article
    similarity: float         # estimated Jaccard similarity with the closest member
    sources: tuple[str, ...]  # sources already in the story, in the order they joined


@dataclass(frozen=True)
class _Member:
    story_id: str
    source: str
    minhash: Signature
    band_keys: tuple[int, ...]
    seen_at: float


def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """The (bands, rows) with the fewest spurious candidates that still finds a pair at the threshold 99% of the time.

    A miss costs a duplicate alert while a spurious candidate costs one Jaccard estimate, so recall comes first.
    """
    for rows in range(num_perm // 2, 0, -1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= _RECALL:
            return bands, rows
    return num_perm, 1


class StoryIndex:
    """Articles seen within a window, grouped into stories of near-identical copies.

    The default threshold, 0.5, comes from invented samples: reprints of a 145-word wire story
    have Jaccard 0.66-0.89 with it (a dropped paragraph plus a local intro costs the most), two
    independent reports of the same event, with its facts and names, at most 0.01. 0.5 leaves
    room below the reprints for the +-0.045 error of a 128-permutation estimate and for longer cuts.
    """

    def __init__(
        self, threshold: float = 0.5, window_seconds: float = 3 * 86400, num_perm: int = 128, shingle: int = 5
    ) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        if shingle < 1:
            raise ValueError(f"shingle must be >= 1, got {shingle}")
        check_size(num_perm)
        self.threshold = threshold
        self.window = float(window_seconds)
        self.num_perm = num_perm
        self.shingle = shingle
        bands, rows = _bands(threshold, num_perm)
        self._ranges = [(band * rows, (band + 1) * rows) for band in range(bands)]
        self._layout = struct.pack("<HHH", num_perm, bands, rows) + b"oph1"
        self._members: dict[str, _Member] = {}
        self._by_band: dict[int, set[str]] = {}         # band key -> member keys sharing it
        self._stories: dict[str, dict[str, None]] = {}  # story id -> member keys, in the order they joined
        self._expiry: list[tuple[float, str]] = []      # (seen_at, key) min-heap, for pruning in time order
        # The last article hashed: callers ask signature, find and add of the same article in turn.
        self._last: tuple[str, str, Signature] | None = None
        self._last_keys: tuple[Signature, tuple[int, ...]] | None = None  # its band keys, asked up to three times

    def __len__(self) -> int:
        return len(self._members)

    def signature(self, article: Article) -> bytes:
        """The article's MinHash as bytes (518 for 128 bins), to persist and `load` later."""
        return self._minhash(article).to_bytes()

    def band_keys(self, article: Article) -> tuple[int, ...]:
        """The article's LSH bands, each hashed to a signed 64-bit key (what a SQL BIGINT holds): an article
        sharing any of them is a candidate copy. The band's number and the layout are hashed in, so indexes
        of other settings never share a key."""
        return self._band_keys(self._minhash(article))

    def find(self, article: Article, now: datetime) -> StoryMatch | None:
        """The story this article is a copy of, among articles seen within the window; None if new."""
        return self._match(self._minhash(article), now.timestamp())

    def add(
        self, article: Article, now: datetime, story_id: str | None = None, signature: bytes | None = None
    ) -> str:
        """Index the article under `story_id`, else the story it copies, else a new story; returns the story id.

        An article already indexed keeps its story: re-polling must not move it.
        """
        key = article.key
        if key in self._members:
            return self._members[key].story_id
        minhash = self._decode(signature) if signature is not None else self._minhash(article)
        seen_at = now.timestamp()
        if story_id is None:
            match = self._match(minhash, seen_at)
            story_id = match.story_id if match else key
        self._insert(key, story_id, article.source, minhash, seen_at)
        return story_id

    def load(self, members: Iterable[StoryMember]) -> None:
        """Rebuild from the stored story members after a restart, oldest first.

        Signatures from another configuration or format (a store written before this format) cannot be
        compared and are skipped: they only cost a missed grouping within one window.
        """
        skipped = 0
        for member in sorted(members, key=lambda m: m.seen_at.timestamp() if m.seen_at else 0.0):
            if member.article_key in self._members or member.seen_at is None:
                continue
            try:
                minhash = self._decode(member.signature)
            except ValueError:
                skipped += 1
                continue
            self._insert(member.article_key, member.story_id, member.source, minhash, member.seen_at.timestamp())
        if skipped:
            log.warning("syndication: skipped %d stored signatures of another format", skipped)

    def prune(self, now: datetime) -> int:
        """Forget articles seen longer ago than the window, so memory stays bounded; returns how many."""
        cutoff = now.timestamp() - self.window
        removed = 0
        while self._expiry and self._expiry[0][0] < cutoff:
            seen_at, key = heapq.heappop(self._expiry)
            member = self._members.get(key)
            if member is None or member.seen_at != seen_at:
                continue
            del self._members[key]
            for band_key in member.band_keys:
                sharing = self._by_band[band_key]
                sharing.discard(key)
                if not sharing:
                    del self._by_band[band_key]
            story = self._stories[member.story_id]
            del story[key]
            if not story:
                del self._stories[member.story_id]
            removed += 1
        return removed

    def _minhash(self, article: Article) -> Signature:
        if self._last and self._last[0] == article.title and self._last[1] == article.text:
            return self._last[2]
        words = fold(f"{article.title} {article.text}").split()
        k = self.shingle
        if len(words) - k + 1 < _MIN_SHINGLES:
            elements = [_EXACT + " ".join(words).encode("utf-8")]
        else:
            elements = [" ".join(words[i : i + k]).encode("utf-8") for i in range(len(words) - k + 1)]
        minhash = signature(elements, self.num_perm)
        self._last = (article.title, article.text, minhash)
        return minhash

    def _band_keys(self, minhash: Signature) -> tuple[int, ...]:
        if self._last_keys is not None and self._last_keys[0] is minhash:
            return self._last_keys[1]
        keys = []
        for band, (start, end) in enumerate(self._ranges):
            digest = hashlib.blake2b(self._layout + band.to_bytes(2, "little") + minhash.band_bytes(start, end),
                                     digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        self._last_keys = (minhash, tuple(keys))
        return self._last_keys[1]

    def _decode(self, stored: bytes) -> Signature:
        minhash = Signature.from_bytes(stored)
        if len(minhash) != self.num_perm:
            raise ValueError(f"signature of {len(minhash)} bins; this index uses {self.num_perm}")
        return minhash

    def _match(self, minhash: Signature, now: float) -> StoryMatch | None:
        cutoff = now - self.window
        candidates: set[str] = set()
        for band_key in self._band_keys(minhash):
            candidates.update(self._by_band.get(band_key, ()))
        best: tuple[float, float, str] | None = None  # (similarity, -seen_at, story): ties go to the older
        for key in candidates:
            member = self._members[key]
            if member.seen_at < cutoff:
                continue  # not pruned yet, but outside the window
            similarity = minhash.jaccard(member.minhash)
            candidate = (similarity, -member.seen_at, member.story_id)
            if similarity >= self.threshold and (best is None or candidate > best):
                best = candidate
        if best is None:
            return None
        return StoryMatch(best[2], best[0], self._sources(best[2]))

    def _sources(self, story_id: str) -> tuple[str, ...]:
        members = self._stories.get(story_id, {})
        return tuple(dict.fromkeys(self._members[key].source for key in members))

    def _insert(self, key: str, story_id: str, source: str, minhash: Signature, seen_at: float) -> None:
        band_keys = self._band_keys(minhash)
        for band_key in band_keys:
            self._by_band.setdefault(band_key, set()).add(key)
        self._members[key] = _Member(story_id, source, minhash, band_keys, seen_at)
        self._stories.setdefault(story_id, {})[key] = None
        heapq.heappush(self._expiry, (seen_at, key))
