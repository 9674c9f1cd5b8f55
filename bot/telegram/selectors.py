"""What `/subscribe` and `/unsubscribe` name: a rule, a tag or `all`, maybe narrowed to regions.

Plain functions over the current rules, so they are tested without Telegram. Errors carry a
message ready for a Telegram HTML reply, with a did-you-mean hint where one is close.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from bot.engine import RuleSet
from bot.engine.region_names import ambiguous
from bot.engine.regions import Region, RegionBook, place_key, slug
from bot.routing import region_key
from bot.yamldoc import did_you_mean

ALL = "all"
TAG_PREFIX = "tag:"
REGION_PREFIX = "region:"   # a mute of one region's alerts
# "Bosnia and Herzegovina" arrives as three words; a region name is looked for in up to this many
MAX_REGION_WORDS = 5
# a compass word alone names no region: "Kosovo north" is not Kosovo and Cameroon's North division
COMPASS_WORDS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                           "northeast", "northwest", "southeast", "southwest"})


def hint_html(word: str, choices: Iterable[str]) -> str:
    """` Did you mean 'x'?` (escaped for an HTML reply) when a choice is close, else ``."""
    hint = did_you_mean(word, choices)
    return " " + html.escape(hint[:1].upper() + hint[1:], quote=False) if hint else ""


class SelectionError(ValueError):
    """A selector or region the user cannot mean; `str()` is an HTML reply."""


@dataclass(frozen=True)
class Selection:
    selector: str                 # a rule id, "tag:<tag>" or "all"
    regions: tuple[str, ...] = ()  # region keys (engine/regions.place_key: `georgia`, `us-ga`), empty: anywhere


def known_tags(rules: RuleSet) -> dict[str, str]:
    """Every tag the rules use, by its lower-case form (tags are stored as the rules spell them)."""
    return {t.lower(): t for rule in rules.rules for t in rule.tags}


def parse_selector(word: str, rules: RuleSet) -> str:
    """`fatal-clash`, `tag:conflict`, a bare tag `conflict` (when no rule has that id) or `all`."""
    wanted = word.strip()
    lowered = wanted.lower()
    if lowered == ALL:
        return ALL
    if rules.get(lowered) is not None:
        return lowered
    tags = known_tags(rules)
    bare = lowered.removeprefix(TAG_PREFIX)
    if bare in tags:
        return TAG_PREFIX + tags[bare]
    if lowered.startswith(TAG_PREFIX):
        message = f"No rule has the tag <code>{html.escape(bare)}</code>." + hint_html(bare, tags.values())
    else:
        message = (f"Unknown rule or tag <code>{html.escape(wanted)}</code>."
                   + hint_html(lowered, [r.id for r in rules.rules] + list(tags.values())))
    raise SelectionError(message + " See /rules.")


def resolve_region(text: str, book: RegionBook) -> Region | None:
    """A country, an operator region or a known town, by name, slug or ISO code, in any case."""
    region_id = book.resolve(text)
    if region_id is not None:
        return book.regions[region_id]
    key = slug(text)
    if not key:
        return None
    return next((r for r in book.regions.values() if r.kind == "city" and slug(r.name) == key), None)


def current_key(stored: str, book: RegionBook) -> str:
    """Today's key for a region key a chat stored: itself when the rules know it, else the key of the region
    its words name (an older version stored the slug of a region's name: `idlib` is now `sy-id`), else itself
    (a region the rules no longer know is kept, not dropped). A stored `georgia` stays the country, as
    `/subscribe all georgia` always meant it."""
    if book.from_key(stored) is not None:
        return stored
    region = resolve_region(stored, book)
    return place_key(region.id) if region is not None else stored


def parse_regions(words: list[str], book: RegionBook, *, strict: bool = True) -> tuple[str, ...]:
    """Region keys for the words after the selector: `kosovo north-kosovo`, `Bosnia and Herzegovina, Serbia`.

    The key is the region's (engine/regions.place_key), which alerts list beside the names they show
    (Match.region_keys): `Georgia` is the country's key `georgia`, `us-ga` the US state's, though both are
    named Georgia. Unknown names raise, unless not `strict` (`/unsubscribe` may name a region the rules no
    longer know: its word, as a key, is taken out).
    """
    parts = [part.strip() for part in " ".join(words).split(",")]   # commas only separate names...
    keys: list[str] = []
    index = 0
    while index < len(parts):
        # ...except "Georgia, United States", "Beograd, Serbia": a place and its country, as replies show them
        inner = region_in_country(parts[index], parts[index + 1], book) if index + 1 < len(parts) else None
        if inner is not None:
            keys.append(place_key(inner.id))
            index += 2
            continue
        keys += _group_keys(parts[index].split(), book, strict=strict)
        index += 1
    return tuple(dict.fromkeys(keys))


def _group_keys(group: list[str], book: RegionBook, *, strict: bool) -> list[str]:
    """The region keys of one comma-free run of words, the longest name first at each word."""
    keys: list[str] = []
    i = 0
    while i < len(group):
        for j in range(min(len(group), i + MAX_REGION_WORDS), i, -1):
            name = " ".join(group[i:j])
            region = None if name.lower() in COMPASS_WORDS else resolve_region(name, book)
            if region is not None:
                keys.append(place_key(region.id))
                i = j
                break
        else:
            if strict or not slug(group[i]):
                phrase = " ".join(group)
                said = phrase if group[i].lower() in COMPASS_WORDS else group[i]   # "North Mitrovica", not "North"
                raise SelectionError(_unknown_region(said, book, phrase))
            keys.append(region_key(group[i]))
            i += 1
    return keys


def region_in_country(name: str, country_name: str, book: RegionBook) -> Region | None:
    """The division or town called `name` inside the country `country_name` ("Georgia", "United States": the
    US state), the larger first; None when the second names no country or nothing of that name is in it."""
    country = resolve_region(country_name, book)
    wanted = slug(name)
    if country is None or country.kind != "country" or not wanted:
        return None
    inside = [r for r in book.regions.values()
              if r.kind in ("division", "city") and r.id != country.id and book.country_of(r.id) == country.id
              and wanted in {slug(n) for n in (r.name, *r.names)}]
    inside.sort(key=lambda r: (r.kind != "division", -r.population))
    return inside[0] if inside else None


def _unknown_region(word: str, book: RegionBook, phrase: str = "") -> str:
    reason = ambiguous(word)   # "korea": North or South, say which
    if reason is not None:
        return html.escape(reason[:1].upper() + reason[1:], quote=False) + "."
    regions = operator_regions_for(phrase or word, book)
    if regions:
        hint = " Did you mean " + " or ".join(f"<code>{html.escape(r)}</code>" for r in regions) + " (a region of " \
            "the rules whose names include it)?"
    else:
        hint = hint_html(slug(word), book.ids())
    return (f"Unknown region <code>{html.escape(word)}</code>." + hint + " Use a country, a division (e.g. "
            "<code>us-ga</code>), a region of the rules (e.g. <code>north-kosovo</code>) or a town as "
            "<code>beacon regions NAME</code> writes it (<code>Mitrovicë, Kosovo</code>).")


def operator_regions_for(phrase: str, book: RegionBook) -> list[str]:
    """The rules' own regions a phrase points at: one whose key has the phrase's words ("Kosovo north":
    north-kosovo), or one of whose names holds the phrase ("Mitrovica", "North Mitrovica": north-kosovo)."""
    words = set(slug(phrase).split("-")) - {""}
    found: list[str] = []
    for region in book.regions.values():
        if region.kind != "region" or not words:
            continue
        key = place_key(region.id)
        named = any(set(slug(n).split("-")) >= words for n in region.names)
        if set(key.split("-")) <= words | {"of"} or named:
            found.append(key)
    return found


def parse_subscription(args: list[str], rules: RuleSet) -> Selection:
    """`/subscribe <rule-id|tag|all> [region ...]`, checked against the current rules."""
    if not args:
        raise SelectionError("Name a rule, a tag or <code>all</code>, e.g. <code>/subscribe fatal-clash</code> "
                             "or <code>/subscribe all kosovo</code>. See /rules.")
    return Selection(parse_selector(args[0], rules), parse_regions(args[1:], rules.book))


def region_label(key: str, book: RegionBook | None) -> str:
    """How a chat is shown a stored region key: its name, with its country when it is a division or a town,
    since names are shared (`us-ga`: "Georgia, United States"; `georgia`: "Georgia"); the key itself when
    the rules no longer know it."""
    region_id = book.from_key(key) if book is not None else None
    if book is None or region_id is None:
        return key
    region = book.regions[region_id]
    country = book.country_of(region_id)
    if region.kind in ("division", "city") and country is not None and country != region_id:
        return f"{region.name}, {book.regions[country].name}"
    return region.name


def describe(selector: str, regions: tuple[str, ...] = (), book: RegionBook | None = None) -> str:
    """`<code>fatal-clash</code> in Kosovo, Georgia, United States`, for replies: region keys shown by name."""
    if selector == ALL:
        what = "all rules"
    elif selector.startswith(TAG_PREFIX):
        what = f"rules tagged <code>{html.escape(selector.removeprefix(TAG_PREFIX))}</code>"
    elif selector.startswith(REGION_PREFIX):
        what = f"alerts about <code>{html.escape(region_label(selector.removeprefix(REGION_PREFIX), book))}</code>"
    else:
        what = f"<code>{html.escape(selector)}</code>"
    if regions:
        what += " in " + "; ".join(html.escape(region_label(r, book)) for r in regions)
    return what


def unsubscribe_selector(word: str, rules: RuleSet, subscribed: Iterable[str]) -> str:
    """The selector `/unsubscribe` means: the one this chat has among the readings of the word.

    Lenient where `/subscribe` is strict: a rule or tag removed from the rules since can still
    be unsubscribed from.
    """
    have = set(subscribed)
    lowered = word.strip().lower()
    try:
        parsed: str | None = parse_selector(word, rules)
    except SelectionError:
        parsed = None
    bare = lowered.removeprefix(TAG_PREFIX)
    readings = [parsed] if lowered.startswith(TAG_PREFIX) else [parsed, lowered]
    if lowered.startswith(REGION_PREFIX):   # `region:Zvečan` is stored by the town's key
        keys = parse_regions([word.strip()[len(REGION_PREFIX):]], rules.book, strict=False)
        readings += [REGION_PREFIX + k for k in keys]
    readings.append(TAG_PREFIX + bare)
    readings += [s for s in have if s.lower() == TAG_PREFIX + bare]   # a tag spelt otherwise in the rules
    return next((r for r in readings if r is not None and r in have), parsed or lowered)
