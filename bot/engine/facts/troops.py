"""Troop figures and the direction forces move in: "8,350 troops", "cut from 8,350 to 4,500"."""

from __future__ import annotations

import re

from bot.engine.facts.numbers import _MODS, _NUM, _NUM_FIND, parse_number
from bot.engine.facts.reader import Reader, _has_any, _is_background
from bot.engine.facts.vocabulary import (
    _ACTOR_WORDS,
    _AFTER_FIGURE_OK,
    _AFTER_NOUN,
    _AFTER_NOUNS,
    _CHANGE,
    _DECREASE,
    _DEPLOY_VERBS,
    _DESCRIBED,
    _DESCRIBED_OF,
    _EXISTING_AFTER,
    _EXISTING_BEFORE,
    _FORCE_WORDS,
    _FROM_PEAK,
    _FROM_TO,
    _ITEM,
    _MEMBER_NOUNS,
    _MEMBERS_BEFORE,
    _NEGATED,
    _NOT_FORCE_WORDS,
    _NOT_IN_GAP,
    _OBJECT_STOP,
    _PLUPERFECT,
    _PUNCT_TO_SPACE,
    _REINFORCED_BY,
    _REPORTED_HAD,
    _RESPONSE,
    _ROTATION,
    _SELF_MILITARY,
    _STRONG_BEFORE,
    _STRONG_NOUNS,
    _SUBORDINATE,
    _THINGS,
    _TOTAL_OF,
    _TOTAL_OF_NEXT,
    _TOTAL_TO,
    _TROOP_CASUALTY_AFTER,
    _TROOP_CASUALTY_BEFORE,
    _TROOP_NOUNS,
    _UNCHANGED,
    _VAGUE_STARTS,
)
from bot.engine.lazy_regex import lazy_compile

# change words weighed per sentence at most (a real sentence has one or two)
MAX_CHANGE_CUES = 50


# forces in flight: "the soldiers guarding it had fled", "troops deserted", "abandoned their posts"
_FLIGHT = lazy_compile(r"\b(?:fled|flee|flees|fleeing|deserted|deserting|ran\s+away|running\s+away|abandon(?:ed|ing|s)?"
                     r"\s+(?:their|its|the)\s+(?:posts?|positions?|bases?|barracks|checkpoints?|camps?))\b")
FLIGHT_SUBJECT_WORDS = 8   # how far before the verb of flight its subject may be

# "cut the troops to about 4,500 from 8,350", "to about 4,500, from a peak of 8,350": the new level first
_TO_FROM = lazy_compile(rf"\bto\s{_MODS}(?P<b>{_NUM}),?\sfrom\s(?:a\s(?:peak|high|maximum|height)\sof\s)?"
                      rf"{_MODS}(?P<a>{_NUM})")


# the dead or hurt an event leaves: " 8 dead", " at least two soldiers wounded", " dozens injured"
_LEAVES_CASUALTIES = lazy_compile(
    rf"\s{_MODS}{_NUM}\s(?:[a-z'’-]+\s){{0,3}}?(?:dead|killed|wounded|injured|hurt|homeless|missing)\b"
)


class TroopReader(Reader):
    """Reads troop figures into `troops` and the direction of the change."""


    def read_troop_word(self, word: str, ws: int, we: int) -> None:
        """Read the troop figure a force noun or deployment verb at [ws, we) is bound to, if any."""
        low = self.low
        s_lo, s_hi = self.sentence(ws)
        if word == "reinforced":
            m = _REINFORCED_BY.match(low, we, s_hi)
            if m:
                fig = _NUM_FIND.match(low, m.start("num"), s_hi)
                if fig:
                    self._troop_figure(fig, ws, fig.end(), s_hi)
            return
        if word in _DEPLOY_VERBS:
            m = _ITEM.match(low, we + 1, s_hi)  # "mobilised 300,000 men", "deploy an additional 3,000 to Europe"
            if m and m.group("num") is not None:
                fig = _NUM_FIND.match(low, m.start("num"), s_hi)
                nxt = self.next_word(fig.end()) if fig and low.startswith(" ", fig.end()) else ""
                if fig and (nxt in _AFTER_FIGURE_OK or nxt in ("men", "more", "extra", "additional") or not nxt):
                    self._troop_figure(fig, fig.start(), fig.end(), s_hi)
            return

        if word in _AFTER_NOUNS:
            self._figure_after_noun(we, s_hi)
        if word in _MEMBER_NOUNS:
            lo = max(s_lo, ws - 80)
            m = _MEMBERS_BEFORE.search(low, lo, ws) if low.find("members of", lo, ws) >= 0 else None
            if m:
                self._figure_before(m.start(), we, s_lo, s_hi)
        if word in _STRONG_NOUNS:
            lo = max(s_lo, ws - 40)
            m = _STRONG_BEFORE.search(low, lo, ws) if _has_any(low, lo, ws, ("strong", "member", "man ")) else None
            if m:
                fig = next(self.figures_before(max(s_lo, m.start() - 20), m.start(), 2), None)
                if fig and fig.end() == m.start():
                    self._troop_figure(fig, fig.start(), we, s_hi, strong=True)
        if word in _TROOP_NOUNS:
            self._figure_before(ws, we, s_lo, s_hi)

    def _figure_before(self, ws: int, we: int, s_lo: int, s_hi: int) -> None:
        fig = next(self.figures_before(max(s_lo, ws - 60), ws, 4), None)
        if fig is None:
            return
        pos = self.low.rfind("from ", max(0, fig.start() - 20), fig.start() + 1)
        if pos >= 0 and (ft := _FROM_TO.match(self.low, pos, s_hi)) is not None and ft.end() >= fig.end():
            return  # "cut from 8,350 to 4,500 troops": the new level, read with its start (read_sentence_figures)
        gap = self.low[fig.end():ws]
        words = gap.split()
        if words[:1] == ["of"] and words[1:2] and words[1] in ("its", "their", "the", "his", "her", "our"):
            words = words[2:]  # "8,350 of its troops"
        elif words[:1] == ["of"] and fig.group().startswith(_VAGUE_STARTS):
            words = words[1:]  # "hundreds of soldiers"
        if len(words) > 3 or any(ch in gap for ch in ",;:()") or any(w in _THINGS or w in _NOT_IN_GAP for w in words):
            return
        if "and" in words and not all(w == "and" or self.text[fig.end():ws].split()[k][:1].isupper()
                                      for k, w in enumerate(words)):
            return  # "5,000 Russian and Belarusian troops", but not "40 tanks and troops"
        self._troop_figure(fig, fig.start(), we, s_hi)

    def _figure_after_noun(self, we: int, s_hi: int) -> None:
        """"raising the number of troops in Poland to 10,000", "a force of 5,000"."""
        low = self.low
        m = _AFTER_NOUN.match(low, we, min(s_hi, we + 90))
        if not m:
            return
        fig = _NUM_FIND.match(low, m.start("num"), s_hi)
        if fig is None:
            return
        nxt = self.next_word(fig.end()) if low.startswith(" ", fig.end()) else ""
        if nxt and nxt not in _AFTER_FIGURE_OK:
            return
        pos = low.rfind("from ", max(0, fig.start() - 60), fig.start())
        if pos >= 0 and (ft := _FROM_TO.match(low, pos, s_hi)) is not None and ft.end() >= fig.end():
            return  # the end of "from X to Y", read with its start (read_sentence_figures)
        self._troop_figure(fig, fig.start(), fig.end(), s_hi)

    def _troop_figure(self, fig: re.Match[str], start: int, end: int, s_hi: int, strong: bool = False) -> None:
        low = self.low
        s = fig.group()
        if s == "another" or fig.start() in self.used:
            return
        if not strong and not self.figure_ok(fig, s_hi):
            return
        value = self.value_of(fig)
        if value is None or value < 10:
            return
        if s.startswith(_VAGUE_STARTS) and value != 100:
            return  # only "hundreds" (also "several/a few hundred") reads as a figure, 100: see _VAGUE_TROOPS
        if _TROOP_CASUALTY_AFTER.match(low, end, s_hi):
            return
        if _TROOP_CASUALTY_BEFORE.search(low, max(0, fig.start() - 40), fig.start()):
            return
        if _EXISTING_BEFORE.search(low, max(0, fig.start() - 50), fig.start()) or _EXISTING_AFTER.match(low, end, s_hi):
            return
        if self.background(fig.start(), end, dated=False):
            return
        if self.dated(fig.start(), end):
            self.past_troops.append((value, start, end))  # "deployed in December 2023 with about 1,300"
            return
        self.troops.append((value, start, end))

    def read_sentence_figures(self, lo: int, hi: int) -> None:
        """Figures a troop sentence states as a change or a total: "cut from 8,350 to 4,500" (the new level,
        and the direction), "bringing the total to 10,000"."""
        low = self.low
        if low.find("ing the", lo, hi) >= 0:
            for m in _TOTAL_TO.finditer(low, lo, hi):
                fig = _NUM_FIND.match(low, m.start("num"), hi)
                if fig:
                    self._troop_figure(fig, m.start(), fig.end(), hi)
        if low.find("total of", lo, hi) >= 0:
            for m in _TOTAL_OF.finditer(low, lo, hi):
                fig = _NUM_FIND.match(low, m.start("num"), hi)
                nxt = self.next_word(fig.end()) if fig and low.startswith(" ", fig.end()) else ""
                if fig and (nxt in _TOTAL_OF_NEXT or nxt in _AFTER_FIGURE_OK):
                    self._troop_figure(fig, m.start(), fig.end(), hi)
        if low.find("from a ", lo, hi) >= 0:
            for m in _FROM_PEAK.finditer(low, lo, hi):
                fig = _NUM_FIND.match(low, m.start("num"), hi)
                if fig and not self.background(m.start(), fig.end()):
                    self.hints.append("decrease")
                    self._troop_figure(fig, m.start(), fig.end(), hi)
        pos = low.find("from ", lo, hi)
        while pos >= 0:
            span = _FROM_TO.match(low, pos, hi)
            if span:
                a, b = parse_number(span.group("a")), parse_number(span.group("b"))
                if a is not None and b is not None and a != b and not self.background(pos, span.end()):
                    self.hints.append("increase" if b > a else "decrease")
                    # the level forces are at now: "cut from 8,350 to 4,500" leaves 4,500 (the cut's direction
                    # says which way), "grew from 4,500 to 8,350" 8,350
                    if b >= 10 and not span.group("b").startswith(_VAGUE_STARTS):   # "to a few hundred": no level
                        self.troops.append((b, span.start("b"), span.end()))
                        self.levels.append((b, span.start("b"), span.end()))
            pos = low.find("from ", pos + 5, hi)
        if low.find(" from ", lo, hi) >= 0:
            for m in _TO_FROM.finditer(low, lo, hi):
                a, b = parse_number(m.group("a")), parse_number(m.group("b"))
                if a is None or b is None or a == b or self.background(m.start(), m.end()):
                    continue
                self.hints.append("increase" if b > a else "decrease")
                if b >= 10 and not m.group("b").startswith(_VAGUE_STARTS):
                    self.troops.append((b, m.start("b"), m.end("b")))
                    self.levels.append((b, m.start("b"), m.end("b")))

    # -- direction

    def direction(self, sentences: list[tuple[int, int]]) -> str | None:
        """"increase", "decrease" or None, weighing the change words of the sentences about forces."""
        scores = {"increase": 0.0, "decrease": 0.0, "held": 0.0}
        for lo, hi in sentences:
            self.read_change(lo, hi, scores)
        for hint in self.hints:
            scores[hint] += 2.0
        change = None
        if scores["decrease"] > 0 and scores["decrease"] >= scores["increase"]:
            change = "decrease"
        elif scores["increase"] > 0 or scores["held"] > 0:
            change = "increase"  # a pullback only demanded or denied: the forces are there
        if change and self._any_in(sentences, _UNCHANGED, ("chang", "same", "like")) and self._any_in(
            sentences, _ROTATION, ("rotat", "hand", "swap")
        ):
            change = None  # a like-for-like rotation
        return change

    def _any_in(self, sentences: list[tuple[int, int]], pattern: re.Pattern[str], hints: tuple[str, ...]) -> bool:
        return any(_has_any(self.low, lo, hi, hints) and pattern.search(self.low, lo, hi) for lo, hi in sentences)

    def read_change(self, lo: int, hi: int, scores: dict[str, float]) -> None:
        low = self.low
        weight = 2.0 if lo < self.title_end else 1.0  # the title says what the story is about
        routed = self.forces_fled(lo, hi)
        for n, cue in enumerate(_CHANGE.finditer(low, lo, hi)):
            if n >= MAX_CHANGE_CUES:
                break  # a run-on "sentence" of hostile text: its first cues say enough
            word = cue.group()
            name = "decrease" if _DECREASE.fullmatch(word) else "increase"
            if routed and name == "increase":
                continue  # "the soldiers had fled when the militiamen arrived": a rout, not a build-up
            before = low[max(lo, cue.start() - 60):cue.start()]
            if not self.forces_move(cue.start(), cue.end(), lo, hi, before):
                continue
            if _NEGATED.search(before):
                if name == "decrease":
                    scores["held"] += 1.0  # "urged Serbia to withdraw": the forces are there
                continue
            if _is_background(low, *self.clause(cue.start(), cue.end())):
                continue  # "in 2022 some 14,000 soldiers were stationed there"
            w = weight
            if _PLUPERFECT.search(before) and not _REPORTED_HAD.search(before):
                w *= 0.5  # "had been deployed": an earlier step
            if word.endswith(("ment", "ments", "up", "ups")):
                w *= 0.5  # a noun ("deployment", "build-up") says less than a verb
            if ("while" in before or "though" in before or "whereas" in before or "even as" in before
                    or "after" in before) and _SUBORDINATE.search(before):
                w *= 0.5  # "moved reserve brigades ... while withdrawing some units": the main clause wins
            scores[name] += w

    def forces_fled(self, lo: int, hi: int) -> bool:
        """Does the sentence [lo, hi) tell of forces fleeing or deserting ("guards fled", "the soldiers guarding it
        had fled")? Forces in flight are no build-up, whatever else moves in that sentence (the attackers who
        "arrived"). The subject is the nearest actor word before the verb: "civilians fled" is no rout of forces."""
        low = self.low
        if not _has_any(low, lo, hi, ("fle", "desert", "ran away", "running away", "abandon")):
            return False
        for flight in _FLIGHT.finditer(low, lo, hi):
            if _NEGATED.search(low[max(lo, flight.start() - 30):flight.start()]):
                continue  # "troops did not flee"
            subjects = low[lo:flight.start()].translate(_PUNCT_TO_SPACE).split()[-FLIGHT_SUBJECT_WORDS:]
            for word in reversed(subjects):
                if word in _FORCE_WORDS:
                    return True
                if word in _NOT_FORCE_WORDS:
                    break
        return False

    def forces_move(self, cs: int, ce: int, lo: int, hi: int, before: str) -> bool:
        """Is the change at [cs, ce) one of forces? Its object ("sent 3,000 soldiers") or else its nearest
        subject ("the army withdrew") must be a force, not gunmen, police or a death toll; a change that only
        describes a force ("the soldiers it massed") or answers an incident ("before the army arrived") is none."""
        low = self.low
        word = low[cs:ce]
        if word.endswith("ing") and before.endswith((" a ", " an ")):
            return False  # "a gathering": a noun
        if ("before" in before or "until" in before or "the time" in before) and _RESPONSE.search(before):
            return False
        if word.endswith("ed") or " " not in word:
            m = _DESCRIBED.search(before, max(0, len(before) - 45))
            if m is None and word.endswith("ed") and " of " in before:
                m = _DESCRIBED_OF.search(before)
            if m is not None and m.group(1) in _FORCE_WORDS:
                return False
        # words that name a military move by themselves ("ordered a general mobilisation", "reinforced its
        # positions") count unless their subject or object says otherwise ("police deployed")
        if word.startswith("leav") and _LEAVES_CASUALTIES.match(low, ce, hi) is not None:
            return False  # "clashes leave 8 dead", "leaving two soldiers wounded": a result, nobody leaves
        military = word.startswith(_SELF_MILITARY)
        if " " in word and not _FORCE_WORDS.isdisjoint(word.split()):
            return True  # "pulls troops from", "sent the soldiers back"
        if not word.startswith("leav"):  # only forces leave: "Leave was cancelled for all army personnel"
            seg = low[ce:min(hi, ce + 90)]
            for sep in (", ", "; ", ": "):  # the object ends with its clause (not at the comma of "8,350")
                cut = seg.find(sep)
                if cut >= 0:
                    seg = seg[:cut]
            words = seg.translate(_PUNCT_TO_SPACE).split()[:8]
            for i, core in enumerate(words):
                if core in _FORCE_WORDS:
                    return True
                if core in _NOT_FORCE_WORDS:
                    return False  # "deployed extra staff", "raising the toll"
                if core in _OBJECT_STOP and not (core == "at" and words[i + 1:i + 2] == ["least"]):
                    break
        subjects = low[max(lo, cs - 160):cs].translate(_PUNCT_TO_SPACE).split()[-24:]
        if _ACTOR_WORDS.isdisjoint(subjects):
            return military
        for core in reversed(subjects):
            if core in _FORCE_WORDS:
                return True
            if core in _NOT_FORCE_WORDS:
                return False
        return military
