"""Syndicated copies are one story; independent reports of the same event stay apart.

All texts are invented for these tests: a fictional wire story, its reprints, and two
reports written independently about the same (fictional) incident.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.models import Article, StoryMember
from bot.sources.syndication import StoryIndex, StoryMatch

NOW = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)

WIRE_TITLE = "Guards exchange fire at Veloria-Castrana border crossing"
WIRE_PARAGRAPHS = (
    "Border guards from Veloria and Castrana exchanged gunfire early on Tuesday near the mountain crossing "
    "at Dornik, officials on both sides said, in the most serious incident along the disputed frontier in "
    "more than a year.",
    "Veloria's interior ministry said two of its guards were lightly wounded when their patrol came under "
    "fire while inspecting a damaged fence. A Castranan army spokesman, Colonel Arvid Messen, said his "
    "troops had returned fire only after a warning shot was ignored.",
    "The crossing, which handles most of the cargo trucks moving between the two countries, was closed for "
    "six hours and reopened in the afternoon under heavy guard.",
    "Both governments have agreed to send officers to a meeting of the joint border commission on Thursday "
    "in the town of Keller, according to a statement from the regional mediation office.",
)
WIRE_TEXT = "\n\n".join(WIRE_PARAGRAPHS)

# 1. a new headline over the same body
REPRINT_HEADLINE = ("Two Velorian guards hurt in shootout at Dornik", WIRE_TEXT)
# 2. the last paragraph dropped and a local intro added
REPRINT_LOCAL = (
    WIRE_TITLE,
    "Hauliers from Ostmark who use the Dornik route were told on Tuesday to expect long delays.\n\n"
    + "\n\n".join(WIRE_PARAGRAPHS[:3]),
)
# 3. other quotes, dashes and punctuation, and a byline
REPRINT_STYLED = (
    "Guards exchange fire at Veloria–Castrana border crossing",
    "By Mara Lind, Northern Wire Service\n\n"
    "Border guards from Veloria and Castrana exchanged gunfire early on Tuesday near the mountain crossing "
    "at Dornik — officials on both sides said — in the most serious incident along the disputed frontier in "
    "more than a year.\n\n"
    "Veloria’s interior ministry said two of its guards were “lightly wounded” when their patrol came under "
    "fire while inspecting a damaged fence; a Castranan army spokesman (Col. Arvid Messen) said his "
    "troops had returned fire «only after a warning shot was ignored».\n\n"
    "The crossing – which handles most of the cargo trucks moving between the two countries – was closed for "
    "six hours, and reopened in the afternoon under heavy guard.\n\n"
    "Both governments have agreed to send officers to a meeting of the joint border commission on Thursday "
    "in the town of Keller: according to a statement from the regional mediation office. (NWS)",
)

# Two reports written independently: same facts and place names, other words.
REPORT_A = (
    "Shots fired on Veloria frontier, Dornik crossing shut",
    "Gunfire broke out on Tuesday morning at the Dornik border post between Veloria and Castrana. Two Velorian "
    "guards suffered light injuries, the interior ministry in Veloria said, after a patrol checking a broken "
    "section of fence was targeted. Colonel Arvid Messen, speaking for the Castranan army, insisted that his "
    "soldiers fired back only when a warning shot went unheeded. Traffic through the post, the main route for "
    "freight between the neighbours, stopped for six hours before it resumed under tight security. Officers "
    "from both sides will meet at the joint border commission in Keller on Thursday, the regional mediation "
    "office announced.",
)
REPORT_B = (
    "Castrana says its troops only answered Velorian fire at Dornik",
    "Castrana's army on Tuesday defended its soldiers after a shooting at the Dornik border crossing in which "
    "two Velorian guards were slightly hurt. Colonel Arvid Messen told reporters the troops returned fire after "
    "their warning shot was ignored, while Veloria's interior ministry said its patrol had simply been "
    "inspecting a fence. Lorries queued for six hours on both sides of the frontier until the crossing "
    "reopened. The regional mediation office said the joint border commission would meet in Keller on "
    "Thursday to discuss the clash, the worst along the disputed border in more than a year.",
)


def article(source: str, title: str, text: str = "", guid: str | None = None) -> Article:
    return Article(source=source, title=title, text=text, guid=guid or f"{source}-1")


WIRE = article("wire", WIRE_TITLE, WIRE_TEXT)
REPRINTS = (
    article("herald", *REPRINT_HEADLINE),
    article("ostmark-post", *REPRINT_LOCAL),
    article("courier", *REPRINT_STYLED),
)


def test_reprints_join_the_first_article_story() -> None:
    index = StoryIndex()
    assert index.find(WIRE, NOW) is None
    story = index.add(WIRE, NOW)
    assert story == WIRE.key
    sources = ["wire"]
    for minutes, reprint in enumerate(REPRINTS, start=1):
        now = NOW + timedelta(minutes=minutes)
        match = index.find(reprint, now)
        assert match is not None, reprint.source
        assert match.story_id == story
        assert match.sources == tuple(sources)
        assert match.similarity >= index.threshold
        assert index.add(reprint, now) == story
        sources.append(reprint.source)
    assert len(index) == 4
    again = index.find(article("gazette", *REPRINT_HEADLINE), NOW + timedelta(hours=1))
    assert again == StoryMatch(story, 1.0, ("wire", "herald", "ostmark-post", "courier"))


def test_independent_reports_of_the_same_event_stay_apart() -> None:
    index = StoryIndex()
    wire_story = index.add(WIRE, NOW)
    a = article("daily", *REPORT_A)
    b = article("tribune", *REPORT_B)
    assert index.find(a, NOW) is None
    assert index.add(a, NOW) == a.key
    assert index.find(b, NOW) is None
    assert index.add(b, NOW) == b.key
    assert len({wire_story, a.key, b.key}) == 3


def test_window_and_prune() -> None:
    index = StoryIndex(window_seconds=86400)
    story = index.add(WIRE, NOW)
    late = NOW + timedelta(days=1, seconds=1)
    assert index.find(REPRINTS[0], NOW + timedelta(hours=23)) is not None
    assert index.find(REPRINTS[0], late) is None  # not pruned yet, but outside the window
    assert index.prune(NOW + timedelta(hours=23)) == 0
    assert index.prune(late) == 1
    assert len(index) == 0
    assert index.add(REPRINTS[0], late) == REPRINTS[0].key != story  # a new story now


def test_signatures_persist_and_load_rebuilds() -> None:
    index = StoryIndex()
    rows = []
    for minutes, item in enumerate((WIRE, REPRINTS[0], article("daily", *REPORT_A))):
        now = NOW + timedelta(minutes=minutes)
        signature = index.signature(item)
        assert isinstance(signature, bytes) and len(signature) < 600
        story = index.add(item, now, signature=signature)
        rows.append(StoryMember(item.key, story, item.source, signature, now))
    assert rows[1].story_id == rows[0].story_id == WIRE.key

    restored = StoryIndex()
    restored.load(reversed(rows))
    assert len(restored) == 3
    probe, later = REPRINTS[2], NOW + timedelta(hours=2)
    assert restored.find(probe, later) == index.find(probe, later)
    assert restored.find(probe, later).sources == ("wire", "herald")
    assert restored.signature(probe) == index.signature(probe)
    # another configuration cannot read them: skipped, not crashed
    other = StoryIndex(num_perm=64)
    other.load(rows)
    assert len(other) == 0
    with pytest.raises(ValueError):
        other.add(WIRE, NOW, signature=rows[0].signature)


def test_short_texts_match_only_exact_copies() -> None:
    index = StoryIndex()
    title = "Guards exchange fire at Veloria-Castrana border crossing"
    story = index.add(article("wire", title), NOW)
    assert index.find(article("herald", "GUARDS EXCHANGE FIRE AT VELORIA CASTRANA BORDER CROSSING!"), NOW) == (
        StoryMatch(story, 1.0, ("wire",))
    )
    for other in (
        "Guards exchange fire at Veloria-Castrana border crossing, two hurt",
        "Guards exchange fire at Veloria-Castrana border post",
        "Guards exchange fire at Dornik",
    ):
        assert index.find(article("herald", other), NOW) is None, other
    # a short text is no copy of a long one that contains it, nor the other way round
    assert index.find(WIRE, NOW) is None
    index.add(WIRE, NOW)
    assert index.find(article("herald", title), NOW).story_id == story


def test_add_is_idempotent_and_honours_a_given_story() -> None:
    index = StoryIndex()
    story = index.add(WIRE, NOW)
    assert index.add(WIRE, NOW + timedelta(hours=1)) == story
    assert len(index) == 1
    assert index.add(article("daily", *REPORT_A), NOW, story_id="manual") == "manual"
    assert index.find(article("tribune", *REPORT_A), NOW).story_id == "manual"


def test_signatures_of_an_older_format_are_skipped_with_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    index = StoryIndex()
    current = StoryMember(WIRE.key, WIRE.key, "wire", index.signature(WIRE), NOW)
    # what datasketch's LeanMinHash wrote before this format: seed, count, then 32-bit values
    older = StoryMember("herald-1", "herald-1", "herald", (1).to_bytes(8, "little") + (128).to_bytes(4, "little")
                        + bytes(512), NOW)
    restored = StoryIndex()
    with caplog.at_level("WARNING", logger="bot.sources.syndication"):
        restored.load([older, current])
    assert len(restored) == 1
    assert "skipped 1 stored signatures of another format" in caplog.text
    assert restored.find(REPRINTS[0], NOW).story_id == WIRE.key
