"""Killed and wounded: the figure each death or injury word is part of, and the incident's total."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from bot.engine.facts.dates import date_before
from bot.engine.facts.numbers import _MODS, _NUM_FIND, _NUMR, parse_number
from bot.engine.facts.reader import Mention, Part, Reader, _has_any, _last
from bot.engine.facts.vocabulary import (
    _ALSO,
    _ANIMALS,
    _ASIDE_SOURCE,
    _AUX,
    _CAPTURED_BEFORE,
    _CLAIM,
    _CLAIMED_FIGURE,
    _CUMULATIVE,
    _CUMULATIVE_SUBJECT,
    _CUMULATIVE_WHICH,
    _DAYS_AFTER,
    _DEATH_STATES,
    _EARLIER_INCIDENT,
    _GAP_STOP,
    _ITEM,
    _ITEM_BODY,
    _ITEM_SEP,
    _KILL_VERBS,
    _KILLING_VERBS,
    _LATER_DEATH,
    _LEFT_VERB,
    _LIST_GAP,
    _NAMED_AND_AGED,
    _NAMING_ASIDE,
    _NEGATIONS,
    _NEW_CLAUSE,
    _NO_FIGURE,
    _NOT_NAMES,
    _NOT_PEOPLE,
    _NOT_YET,
    _NUMBER_OF,
    _ONE_AFTER,
    _ONE_BEFORE,
    _ONE_PERSON_NOUNS,
    _ONE_VICTIM_WORDS,
    _OTHER_ACCOUNT,
    _PUNCT,
    _RECENT_ATTACKS,
    _REFERENCED_INCIDENT,
    _RELATIVE_ON_THE_WAR,
    _REPORTING,
    _SEPARATE_INCIDENT,
    _SHOOT,
    _SHOT_ONE_DEAD,
    _SINGLE_DETERMINERS,
    _SINGULAR_AUX,
    _STOP_AFTER_VICTIM,
    _SUBSET,
    _SUBSET_MARKERS,
    _SUPERSEDED,
    _TAIL_TREATED,
    _THINGS,
    _TO_DEATH,
    _TO_HOSPITAL_WITH,
    _TOLL_SKIP,
    _TOLL_VALUE,
    _TOTAL_HINTS,
    _TOTAL_NEAR,
    _TREATED,
    _TWO_SINGLES,
    _VAGUE_OBJECTS,
    _VAGUE_VICTIMS,
    _WAR_INSIDE_A_PHRASE,
    _WOUND_VERBS,
    UNSPECIFIED_DEAD,
)
from bot.engine.lazy_regex import lazy_compile


class CasualtyReader(Reader):
    """Reads casualty statements into `mentions`."""

    reading_losses = False  # set while read_losses adds a side's own loss
    restating = False  # set while bodies recovered are read: no more dead than a count already told


    def read_casualty_word(self, word: str, ws: int, we: int) -> None:
        """Read the casualty figure a death or injury word at [ws, we) is part of, if any."""
        self.restating = word == "bodies"  # bodies found are no more dead than a count already told
        try:
            self._read_casualty_word(word, ws, we)
        finally:
            self.restating = False

    def _read_casualty_word(self, word: str, ws: int, we: int) -> None:
        low = self.low
        s_lo, s_hi = self.sentence(ws)
        prev = self.words_before(ws, s_lo, 3)
        p1 = prev[-1] if prev else ""
        if ws < self.covered_until:
            return  # read with the stretch around it ("the toll does not include the attackers, four of whom died")
        if word in ("killed", "dead") and low.startswith((" or wounded", " or injured"), we):
            return  # "of whom several thousand were killed or wounded": the dead and the hurt in one figure, no toll
        if word == "dead" and _DEAD_IDIOM.match(low, we) is not None:
            return  # "dead on his feet", "a dead rubber", "a dead heat": no one died
        if word == "toll" or (word == "death" and self.next_word(we) == "toll"):
            if word == "toll" and p1 == "death":
                return  # read from "death"
            toll_end = low.find("toll", ws) + 4
            left_out = _TOLL_LEAVES_OUT.match(low, toll_end, s_hi)
            if left_out is not None:
                self._left_out_of_toll(left_out, ws, s_hi)
                return
            self._toll("killed", toll_end, ws, s_hi)
            return
        if (
            word in ("killed", "dead", "deaths", "fatalities", "injured", "wounded")
            and low.find("number of", max(s_lo, ws - 30), ws) >= 0
            and _NUMBER_OF.search(low, max(s_lo, ws - 30), ws)
        ):
            number_of = _NUMBER_OF.search(low, max(s_lo, ws - 30), ws)
            side = number_of is not None and number_of.group("who") not in (None, *_WHOLE_TOLL_NOUNS)
            # "the number of dead rose to 12" is the toll; "the number of Maoists killed to twelve" that of one side
            self._toll("wounded" if word in ("injured", "wounded") else "killed", we, ws, s_hi, whole=side)
            return
        if word == "deaths" and p1 in ("their", "his", "her") and any(m.name == "killed" for m in self.mentions):
            return  # "the group later announced their deaths": the dead already counted
        if word in ("death", "deaths", "bodies") and self.next_word(we) == "of":
            if _REMEMBERED.search(low, max(s_lo, ws - 40), ws):
                return  # "mourners marking the anniversary of the death of the commander": a death remembered
            if word == "bodies" and _BODIES_HANDED.search(low, max(s_lo, ws - 80), ws):
                return  # "agreed to exchange the bodies of 6,000 soldiers killed in action": a swap, no incident
            self._object("killed", ws, low.find("of", we) + 2, s_hi)
            return
        if word == "death":
            if p1 == "to" and len(prev) > 1 and prev[-2] in _TO_DEATH:
                self._subject("killed", ws, we, s_lo, bare_words=3)
            elif p1 in ("one", "another") and self.next_word(we) not in _DEATH_COMPOUNDS:
                # "officials confirmed one death in the province": one dead, told by another side or place
                one = low.rfind(p1, s_lo, ws)
                self.add("killed", [(1, one, one + len(p1))], one, we)
            return
        if word == "down":
            if p1 in ("gunned", "gunning", "gun", "guns") and not self._object("killed", ws, we, s_hi):
                self._subject("killed", ws, we, s_lo, bare_words=3)
            return
        if word == "lives":
            self._lives(ws, we, prev, s_lo, s_hi)
            return
        if word in ("wounds", "injuries", "injury"):
            lo = max(s_lo, ws - 100)
            m = _last(_TREATED, low, lo, ws) if low.find("treated", lo, ws) >= 0 else None
            obj = self.object_after(m.end(), s_hi) if m else None
            if m and obj and _TAIL_TREATED.fullmatch(low, obj[1], ws):
                self.add("wounded", obj[0], m.start(), obj[1])
            elif p1 in ("suffered", "sustained") or (len(prev) > 1 and prev[-2] in ("suffered", "sustained")):
                self.subject_before(ws, we, 10, "wounded", singular_ok=False)
            elif _TO_HOSPITAL_WITH.search(low, max(s_lo, ws - 90), ws) and not _DIED_OF_THEM.match(low, we, s_hi):
                # "Seven people were taken to hospital with gunshot wounds": those carried in hurt are the wounded;
                # "... and later died" makes them the dead, read from the death word
                self.subject_before(ws, we, 14, "wounded", singular_ok=True)
            return
        part_of = len(prev) > 1 and p1 in ("the", "those") and prev[-2] in ("of", "among")
        if word in ("dead", "killed", "wounded", "injured", "victims") and part_of:
            # "three of the dead were officers", "among the dead were two children", "a contractor was among
            # those killed": a part of a count, not the toll
            return
        among = low.find("among ", max(s_lo, ws - 60), ws) >= 0
        if among and word in ("died", "killed", "dead", "wounded", "injured") and (
                _AMONG_THOSE.search(low, max(s_lo, ws - 60), ws) is not None):
            return  # "two officers were among the soldiers who died": a part of a count, not more dead
        name = "wounded" if word in _WOUND_VERBS or word == "hurt" else "killed"
        if word in ("dead", "wounded", "injured", "killed", "hurt") and self._left_dead(name, ws, we, s_lo, s_hi):
            return
        if word == "dead" and p1 == "them" and len(prev) > 2 and prev[-2] == "of" and (
                shot := _SHOT_SOME_OF_THEM.search(low, max(s_lo, ws - 60), ws)) is not None:
            fig = _NUM_FIND.match(low, shot.start("num"), ws)
            if fig is not None and (value := self.value_of(fig)) is not None:  # "... and shot nine of them dead"
                self.add("killed", [(value, fig.start(), fig.end())], shot.start(), we)
            return
        if word == "dead" and p1 == "them" and len(prev) > 1 and prev[-2] in _SHOOT:
            group = self.group_before(ws - 5)
            if group is not None:  # "took nine passengers off the buses and shot them dead"
                self.add("killed", [group], group[1], we)
            return
        if word == "dead" and p1 in _SHOOT:
            if not self._object("killed", ws, we, s_hi):
                self._subject("killed", ws, we, s_lo, bare_words=3)
            return
        if word == "killed" and (named := _NAMED_AND_AGED.search(self.text, max(s_lo, ws - 50), ws)) is not None:
            self.add("killed", [(1, named.start(), named.end())], named.start(), we)
            return  # "police sergeant Arben Krasniqi, 36, killed on Wednesday": one named victim, and an age
        if word == "dead" and (shot := _SHOT_ONE_DEAD.search(self.low, max(s_lo, ws - 70), ws)) is not None:
            self.add("killed", [(1, shot.start("one"), shot.end("one"))], shot.start(), we)
            return  # "shooting the village head dead", "shot a district magistrate dead"
        if word in ("kill", "wound", "massacre") and p1 in _NOT_YET:
            return  # "threatened to kill three hostages", "would kill": nobody died
        if (word in _KILL_VERBS or word in _WOUND_VERBS) and self._object(name, ws, we, s_hi):
            return
        if word in ("killed", "dead") and p1 in ("were", "themselves", "later", "all") and (
                self._attackers_killed(ws, we, s_lo)):
            return
        if word in _KILLING_VERBS:
            if word == "slain" or not self._object("killed", ws, we, s_hi):
                self._subject("killed", ws, we, s_lo, bare_words=3)
            return
        if word == "die" and (p1 in _NOT_YET or p1 in ("not", "never", "did", "do", "does", "let", "rather")):
            return  # "could die", "did not die": nobody died
        if word in ("died", "dies", "perished", "killed", "dead") or word in _LATER_DEATH:
            stretch = low[max(s_lo, ws - 120):ws]
            nth = None
            if "th " in stretch or "second " in stretch or "third " in stretch:
                nth = _ORDINAL_VICTIM.search(low, max(s_lo, ws - 120), ws)
            if nth is not None:
                # "and a tenth victim, a young man shot in the stomach, died overnight": ten dead in all, at least
                value = _ORDINALS[nth.group("nth")]
                self.add("killed", [(value, nth.start("nth"), nth.end("nth"))], nth.start(), we, whole=True)
                return
        if word in ("died", "dies", "die", "perished") or word in _LATER_DEATH:
            count = len(self.mentions)
            self.subject_before(ws, we, 14, "killed", singular_ok=True)
            if len(self.mentions) > count and _ONE_OF_THEM_LATER.search(low, max(0, ws - 40), ws):
                self._wounded_one_died(s_lo, ws)
        elif word in ("killed", "dead", "massacred", "wounded", "injured", "hurt", "deaths", "bodies", "fatalities",
                      "fatality"):
            bare_words = 3
            if word in ("deaths", "bodies", "fatalities", "fatality"):
                bare_words = 2
            self._subject(name, ws, we, s_lo, bare_words)

    def _wounded_one_died(self, s_lo: int, ws: int) -> None:
        """"A guard was wounded in the attack. He later died in hospital": the one wounded just told is the one
        who died, dead only, not wounded as well. Read from the sentence before and this one."""
        lo = self.sentence(s_lo - 1)[0] if s_lo > 0 else 0
        for i in range(len(self.mentions) - 1, -1, -1):
            m = self.mentions[i]
            if m.name == "wounded" and m.value == 1 and not m.in_title and lo <= m.start < ws:
                del self.mentions[i]
                return
            if m.name == "wounded" and m.start >= lo:
                return  # another group of wounded told between: not plainly the same person

    def _attackers_killed(self, ws: int, we: int, s_lo: int) -> bool:
        """"Three gunmen opened fire on a checkpoint, killing two officers, before they were killed": the attackers
        the sentence opened with, killed in turn."""
        low = self.low
        they = _THEY_KILLED.search(low, max(s_lo, ws - 40), ws)
        if they is None:
            return False
        fig = _NUM_FIND.match(low, self._sentence_start(s_lo), min(ws, s_lo + 60))
        if fig is None or fig.start() >= they.start() or self.next_word(fig.end()) not in _ATTACKER_NOUNS:
            return False
        value = self.value_of(fig)
        if value is None or not self.figure_ok(fig, ws):
            return False
        self.add("killed", [(value, fig.start(), fig.end())], they.start(), we, extra=True)
        return True

    def _sentence_start(self, s_lo: int) -> int:
        """The first word of a sentence, past a dateline ("MAKHACHKALA, Russia - ") and spaces."""
        low = self.low
        dash = _DATELINE.match(self.text, s_lo, min(len(self.text), s_lo + 90))  # bounded: a dateline is short
        pos = dash.end() if dash is not None else s_lo
        while pos < len(low) and low[pos] in " \n\t":
            pos += 1
        return pos

    def _left_out_of_toll(self, m: re.Match[str], ws: int, s_hi: int) -> None:
        """"The toll does not include the attackers, four of whom also died", "... the bomber, who died in the
        blast": the attackers' dead, which conflict databases count with the rest."""
        low = self.low
        self.covered_until = min(s_hi, m.end() + 160)
        value: int | None = None
        start, end = m.start("who"), m.end("who")
        if m.group("num") is not None:
            fig = _NUM_FIND.match(low, m.start("num"), s_hi)
            value = self.value_of(fig) if fig is not None else None
            if fig is not None:
                start, end = fig.start(), fig.end()
        elif (of_whom := _OF_WHOM_DIED.match(low, m.end(), s_hi)) is not None:
            fig = _NUM_FIND.match(low, of_whom.start("num"), s_hi)
            value = self.value_of(fig) if fig is not None else None
            if fig is not None:
                start, end = fig.start(), fig.end()
        elif not m.group("who").endswith(("s", "men")) and _DIED_AFTER.match(low, m.end(), s_hi) is not None:
            value = 1  # "the attacker, who died in the blast"
        if value is not None:
            self.add("killed", [(value, start, end)], ws, end, beyond_toll=True)

    def read_losses(self) -> None:
        """A side's own dead told as a loss: "Azerbaijan said it had lost 50 servicemen", "while losing three of
        its own fighters". Only these two shapes: "lost two brothers" or "lost days of trade" are not a toll.
        One pass over the text, run only when it holds "lost" or "losing"."""
        low = self.low
        for m in _SIDE_LOST.finditer(low, self.title_end):
            if len(self.mentions) > 200:
                break  # hostile text: the cue reader's bound, kept here too
            s_hi = self.sentence(m.start())[1]
            obj = self.object_after(m.end() - 1, s_hi)
            if not obj or any(low[a:b] in ("a", "an", "another") for _v, a, b in obj[0]):
                continue
            count = len(self.mentions)
            self.reading_losses = True  # a side telling its own loss: not another account of the dead counted
            self.add("killed", obj[0], m.start(), obj[1])
            self.reading_losses = False
            if len(self.mentions) > count:  # keep the mentions in the order of the text
                new = self.mentions.pop()
                at = bisect_right([x.start for x in self.mentions], new.start)
                self.mentions.insert(at, new)

    def _subject(self, name: str, ws: int, we: int, s_lo: int, bare_words: int) -> None:
        before = self.words_before(ws, s_lo, 3)
        aux = [w for w in before if w in _AUX]
        if aux or (before and before[-1] in _DEATH_STATES):
            self.subject_before(ws, we, 14, name, singular_ok=any(w in _SINGULAR_AUX for w in aux))
        else:
            self.subject_before(ws, we, bare_words, name, singular_ok=self._headline_passive_of_one(ws, we))

    def _headline_passive_of_one(self, ws: int, we: int) -> bool:
        """A headline drops its auxiliary: "Policeman shot dead in Kabul" is "a policeman was shot dead", one
        victim. Only in the title, only a noun for one person right before the participle, and only with no
        object after it ("Soldier killed two militants" is active)."""
        if ws >= self.title_end:
            return False
        before = self.words_before(ws, 0, 4)
        if before and before[-1] in _VERBS_BEFORE_DEAD:
            before = before[:-1]   # "Guard shot dead": the noun before the verb
        if len(before) > 2 and before[-2] == "of" and before[-3] in _PARENTS and parse_number(before[-1]) is not None:
            before = before[:-2]   # "Mother of five killed": one mother, described by her children
        if not before or before[-1] not in _ONE_PERSON_NOUNS:
            return False
        after = self.low[we:min(we + 4, self.title_end)].lstrip()
        if after[:1].isdigit():
            return False
        return self.next_word(we) in _AFTER_A_HEADLINE_PASSIVE

    def _lives(self, ws: int, we: int, prev: list[str], s_lo: int, s_hi: int) -> None:
        low = self.low
        if len(prev) > 1 and prev[-1] in ("their", "his", "her") and prev[-2] == "lost":
            self.subject_before(low.rfind("lost", s_lo, ws), we, 14, "killed", singular_ok=True)
        elif len(prev) > 1 and prev[-1] == "the" and prev[-2].startswith("claim") and self.next_word(we) == "of":
            self._object("killed", ws, low.find("of", we) + 2, s_hi)
        else:
            m = _last(_CLAIM, low, max(s_lo, ws - 40), ws) if low.find("claim", max(s_lo, ws - 40), ws) >= 0 else None
            if m:
                self._object("killed", m.start(), m.end() - 1, s_hi, until=ws)

    def _left_dead(self, name: str, ws: int, we: int, s_lo: int, s_hi: int) -> bool:
        """"left two soldiers dead", "leaving 5 dead and 12 wounded"."""
        low = self.low
        lo = max(s_lo, ws - 120)
        m = _last(_LEFT_VERB, low, lo, ws) if low.find(" le", lo, ws) >= 0 else None
        if not m:
            return False
        return self._object(name, m.start(), m.end() - 1, s_hi, until=ws)

    def _object(self, name: str, cs: int, ce: int, s_hi: int, until: int | None = None) -> bool:
        if name == "killed" and until is None and self.low.startswith(_AND_WOUNDING, ce):
            # "killing and wounding an unknown number of soldiers": the dead an unspecified number; a figure
            # there counts the dead and the hurt together, no toll
            after = ce + next(len(w) for w in _AND_WOUNDING if self.low.startswith(w, ce))
            if self.low.startswith(_VAGUE_OBJECTS, after):
                self.add(name, [(UNSPECIFIED_DEAD, after, after + 1)], cs, after)
            return True
        obj = self.object_after(ce, s_hi)
        if not obj and until is None and name == "killed":
            obj = self.uncounted_object(ce, s_hi)
            if obj and len(obj[0]) == 1 and obj[0][0][0] == 1:
                obj = self.with_others(obj[0], obj[1], s_hi)
        if not obj:
            return False
        parts, end = obj
        if until is not None and self.low[end:until].strip():
            return False  # the list must run up to the word that makes it a casualty count
        self.add(name, parts, cs, end)
        return True

    def subject_before(self, cue_start: int, cue_end: int, max_words: int, name: str, singular_ok: bool) -> None:
        """The counted subject of a verb: "Ten soldiers and 19 gunmen were killed", "A soldier was killed"."""
        low = self.low
        s_lo, _ = self.sentence(cue_start)
        lo = max(s_lo, cue_start - 160)  # never rescan a run-on sentence from every cue: linear on hostile text
        semi = max(low.rfind(";", lo, cue_start), low.rfind(":", lo, cue_start))
        lo = max(lo, semi + 1)
        parts: list[Part] = []
        aside: tuple[int, int] | None = None
        for m in self.figures_before(lo, cue_start, max_words + 2):
            if aside is None and (aside := self.aside_span(m.start())) is not None:
                continue  # "Four policemen (six according to the rebels) were killed": read past the aside
            if self.in_name(m):
                continue  # "three members of the 400 Mawozo gang were killed": read past the name
            gap = low[m.end():cue_start]
            if aside is not None and m.end() <= aside[0]:
                gap = low[m.end():aside[0]] + low[aside[1]:cue_start]
            if "(" in gap or "[" in gap or ", " in gap:
                gap = _NAMING_ASIDE.sub(" ", gap)
            gap_words = len(gap.split())
            if gap.startswith(" of ") and _OWN_SIDE.match(gap):
                gap_words -= 3  # "50 of its own soldiers killed": the side's own dead, a group like "50 soldiers"
            if gap_words > max_words or _GAP_STOP.search(gap) or _MOURNERS.search(gap):
                break
            head = low[max(lo, m.start() - 14):m.start()].rstrip()
            subject_of_the_verb = head.endswith(("of whom", "of them")) and _AUX_ONLY.fullmatch(gap) is not None
            if not subject_of_the_verb and (head.endswith(_SUBSET_MARKERS) or _SUBSET.match(low, m.end(), cue_start)):
                continue  # "including eleven children", "one of them a sergeant": part of a count, not a group
            # ("15,000 troops, of whom 300 were killed": the part is the verb's own subject, the dead)
            if head.endswith((" not", ",not")) or head == "not":
                continue  # "four people, not six as reported earlier, were killed": the figure it corrects
            if m.group() == "one" and head.endswith(("no", "none")):
                return
            value = self.value_of(m) if self.figure_ok(m, cue_start) else None
            if value is not None:
                parts.append((value, m.start(), m.end()))
                vague = _VAGUE_VICTIMS.search(low, m.end(), cue_start) if name == "killed" else None
                one = _ONE_AFTER.search(low, m.end(), cue_start)
                if one is not None and "," in one.group() and ", " in low[m.end():one.start()]:
                    one = None  # "two foreign soldiers, an Estonian and an American, were killed": the two named
                if vague is not None and " and " in low[m.end():vague.start() + 1]:
                    # "one commander and an unknown number of fighters were killed"
                    parts.insert(0, (UNSPECIFIED_DEAD, vague.start(), vague.end()))
                elif one is not None:
                    # "five rebels and a police sergeant were killed", "1 commander and his guard"
                    parts.insert(0, (1, one.start() + 1, one.end()))
            break
        if not parts:
            two = _TWO_SINGLES.search(low, max(lo, cue_start - 100), cue_start)
            both = None
            if low.find("both", max(lo, cue_start - 100), cue_start) >= 0:
                both = _BOTH_SUBJECT.search(low, max(lo, cue_start - 100), cue_start)
            if both is not None and both.group("head") not in _BOTH_NOT_PEOPLE:
                # "Both assailants, a man and a woman, were killed", "both of them died": two people
                self.add(name, [(2, both.start("both"), both.end("both"))], both.start("both"), cue_end)
            elif two is not None and _NEGATIONS.isdisjoint(two.group().split()):
                self.add(name, [(2, two.start(), two.end())], two.start(), cue_end)
            elif singular_ok and self._singular_subject(lo, cue_start):
                self.add(name, [(1, cue_start, cue_end)], cue_start, cue_end)
            elif name == "killed" and self.no_figure_given(cue_start):
                pass  # "the army said many assailants were killed but gave no figure": a count withheld is none
            elif name == "killed" and low.find(" also ", max(lo, cue_start - 60), cue_start) >= 0 and (
                    side := _VAGUE_OF_SIDE.search(low, max(lo, cue_start - 60), cue_start)) is not None:
                # "several of the attackers were also killed": an unspecified number of another side
                self.add(name, [(UNSPECIFIED_DEAD, side.start(), side.end())], side.start(), cue_end)
            elif name == "killed" and (vague := _VAGUE_VICTIMS.search(low, max(lo, cue_start - 80), cue_start)):
                self.add(name, [(UNSPECIFIED_DEAD, vague.start(), vague.end())], vague.start(), cue_end)
            return
        # walk left along the list: "Ten soldiers and 19 gunmen", "a soldier and two civilians"
        while True:
            first = parts[-1][1]
            modifier = _MODIFIER_BEFORE.search(low, max(lo, first - 14), first)
            if modifier is not None:
                first = modifier.start()  # "Three soldiers and at least five militants": read on past "at least"
            before = low[max(lo, first - 50):first]
            if ", " not in before and " and " not in before and " plus " not in before:
                break
            one = _ONE_BEFORE.search(before)
            if one:
                a = first - len(before) + one.start("a")
                group = _FIGURE_OF_GROUP.search(low, max(lo, a - 40), a)
                if group is None:
                    parts.append((1, a, a + len(one.group("a"))))
                    break
                # "nine members of a resistance force and four soldiers": the "a" names what the nine belong to
                figure = _NUM_FIND.match(low, group.start("num"))
                value = self.value_of(figure) if figure is not None and self.figure_ok(figure, a) else None
                if figure is None or value is None:
                    break
                parts.append((value, figure.start(), figure.end()))
                continue
            figure = next(self.figures_before(lo, first, 7), None)
            if figure is None or not self.figure_ok(figure, first):
                break
            gap_at = figure.end()
            if not _LIST_GAP.fullmatch(low, gap_at, first) and not _OF_GROUP_GAP.fullmatch(low, gap_at, first):
                break
            if low[max(lo, figure.start() - 14):figure.start()].rstrip().endswith(_SUBSET_MARKERS):
                break
            value = self.value_of(figure)
            if value is None:
                break
            parts.append((value, figure.start(), figure.end()))
        parts.reverse()
        if low.startswith((", as well as ", " as well as ", ", along with ", ", together with "), cue_end):
            # "nine fighters and six gunmen had been killed, as well as two civilians": one more group
            more = self._trailing_group(cue_end)
            if more is not None:
                parts.append(more)
        self.add(name, parts, parts[0][1], cue_end)
        if low.startswith(" on ", cue_end) and (other := _OTHER_SIDE_TOO.match(low, cue_end, cue_end + 120)):
            # "Kyrgyzstan counted 59 dead on its side, while Dushanbe reported 35": the other side's own dead
            fig = _NUM_FIND.match(low, other.start("num"))
            if fig is not None and (value := self.value_of(fig)) is not None:
                self.add(name, [(value, fig.start(), fig.end())], other.start(), fig.end())

    def _trailing_group(self, cue_end: int) -> Part | None:
        """The counted group told after a subject's verb: "..., as well as two civilians", or None."""
        low = self.low
        more = _TRAILING_GROUP.match(low, cue_end, min(len(low), cue_end + 120))
        if more is None:
            return None
        fig = _NUM_FIND.match(low, more.start("num"))
        if fig is None or not self.figure_ok(fig, more.end()):
            return None
        value = self.value_of(fig)
        if value is None:
            return None
        return value, fig.start(), fig.end()

    def _singular_subject(self, lo: int, cue_start: int) -> bool:
        """"A police officer was killed": a singular subject with no figure counts one."""
        stretch = self.low[lo:cue_start]
        c = max(stretch.rfind(","), stretch.rfind(" and "))
        # a speaker's word in quotes is still that word: "said 'several' people had died"
        words = [w.strip(_QUOTE_MARKS) or w for w in (stretch if c < 0 else stretch[c + 1:]).split()]
        if words and words[0] in ("and", "but"):
            words = words[1:]
        if not _PLURAL_PRONOUNS.isdisjoint(words[-3:]):
            return False  # "details of how they died": the dead already counted, no single victim
        if not _MANY_WORDS.isdisjoint(words):
            return False  # "as several of the wounded died in hospital": more than one, and no figure
        if not words or len(words) > 16:
            return self._singular_verb(stretch)
        if words[0] in ("a", "an", "another") or (words[0] == "one" and len(words) > 1 and words[1] != "of"):
            return True
        if not _NEGATIONS.isdisjoint(words):
            return False  # "nobody was killed", "no one died"
        if words[0] in ("he", "she") or self._singular_verb(stretch):
            return True
        # "the driver", "his brother", "Nehru Punem": a definite or named subject whose head is not plural
        head = words[-1]
        while head in _AUX and len(words) > 1:
            words = words[:-1]
            head = words[-1]
        if head.endswith("s") and not head.endswith(("ss", "'s", "’s", "us")):
            return False
        first = self.text[lo:cue_start].split()
        return words[0] in _SINGLE_DETERMINERS or bool(first and first[0][:1].isupper() and len(words) <= 6)

    def _singular_verb(self, stretch: str) -> bool:
        """"..., was shot dead", "has been killed": a singular verb right before the cue, not negated."""
        tail = stretch.split()[-3:]
        if not any(w in ("was", "has", "is") for w in tail):
            return False
        near = stretch[-80:].split()
        return _NEGATIONS.isdisjoint(near) and "it" not in near and "there" not in near

    def bodies_handed(self, pos: int) -> bool:
        """Is the figure at pos the dead whose bodies sides hand back, swap or repatriate ("agreed to exchange the
        bodies of 6,000 soldiers killed in action")? Those dead are a war's, told at talks, not an incident's."""
        lo, _hi = self.sentence(pos)
        start = max(lo, pos - 120)
        before = self.low.rfind("bodies of ", start, pos)
        if before < 0 or pos - (before + len("bodies of ")) > 12:
            return False
        return _BODIES_HANDED.search(self.low, start, before) is not None

    def no_figure_given(self, pos: int) -> bool:
        """Does the sentence at pos say its speaker gave no figure ("said many assailants were killed but gave no
        figure", "did not say how many"), after the report has counted dead of its own? An unspecified number told
        so beside a toll is a count withheld: the toll is the counted dead, not those plus ACLED's 3 for a number the
        report never had. Alone ("attacked a village ... did not say how many people died") it is still the
        unspecified 3: the only word that the attack killed."""
        if not any(m.name == "killed" for m in self.mentions):
            return False
        lo, hi = self.sentence(pos)
        return _NO_FIGURE.search(self.low, lo, hi) is not None

    def uncounted_object(self, pos: int, limit: int) -> tuple[list[Part], int] | None:
        """A victim with no figure after a verb: "killing him", "killed the group's commander", "killed Ali
        Hassan" count one; "killing several fighters", "a number of civilians" count UNSPECIFIED_DEAD."""
        low = self.low
        if pos < limit and low[pos] == " ":
            pos += 1
        words = low[pos:min(limit, pos + 80)].split()[:6]
        if not words:
            return None
        first = words[0].strip(",.;:()'\"")
        end = pos + len(words[0])
        if first in _ONE_VICTIM_WORDS:
            return self.with_companion([(1, pos, end)], end, limit)
        if first == "them":
            group = self.group_before(pos)
            if group is not None:  # "took nine passengers off the buses and shot them dead": the nine
                # ... and the companions named after them: "two officials ..., killing them along with three of
                #     their bodyguards" is five
                return self.with_companion([group], end, limit)
            return None
        if first == "both":
            after = words[1].strip(_PUNCT) if len(words) > 1 and words[0] == "both" else ""
            person = not after or after in _STOP_AFTER_VICTIM or after.endswith(("s", "men"))
            if person and after not in _BOTH_NOT_PEOPLE:
                return [(2, pos, pos + 4)], pos + 4  # "shot at two officers, killing both", "killing both men"
            return None
        if first == "family" and len(words) > 2 and words[1] == "of":
            size = parse_number(words[2].strip(_PUNCT))
            if size is not None:  # a headline's "kill family of five"
                size_end = low.find(words[2], end) + len(words[2].strip(_PUNCT))
                return [(size, size_end - len(words[2].strip(_PUNCT)), size_end)], size_end
        if low.startswith(_VAGUE_OBJECTS, pos):
            if _SOME_OF_THEM.match(low, pos) is not None and self.dead_counted_before(pos):
                return None  # "killed nine people, beheading several of them": some of the nine, nobody more
            if _SOME_OF_THE_DEAD.match(low, pos) is not None and any(
                    m.name == "killed" and m.start < pos for m in self.mentions):
                return None  # "killed at least 30 people ... beheaded some of their victims": some of the 30
            if self.no_figure_given(pos):
                return None  # "claimed to have killed many fighters but gave no figure"
            return [(UNSPECIFIED_DEAD, pos, end)], end
        if low[pos] in _QUOTES and low.startswith(_VAGUE_QUOTED, pos + 1):
            # the source's own words quoted: 'troops had killed "a number of" the attackers' (ACLED's unknown number)
            return [(UNSPECIFIED_DEAD, pos + 1, end)], end
        if first in _SINGLE_DETERMINERS and first not in ("a", "an") and len(words) > 1:
            fig = _NUM_FIND.match(low, pos + len(words[0]) + 1, limit)
            if fig is not None and self.figure_ok(fig, limit) and (value := self.value_of(fig)) is not None:
                return [(value, fig.start(), fig.end())], fig.end()  # "the bodies of the nine men": nine
            head = _victim_head(words[1:5])
            if head in _PLURAL_PEOPLE:
                return None
            if head and head not in _NOT_PEOPLE and head not in _THINGS and not head.endswith("s"):
                # ... and the companions a possessive names after it: "killing the district police chief and two of
                # his guards" is three
                head_at = low.find(head, pos + len(words[0]), min(limit, pos + 80))
                if head_at >= 0:
                    with_kin, kin_end = self.with_companion([(1, pos, end)], head_at + len(head), limit)
                    if len(with_kin) > 1:
                        return with_kin, kin_end
                return [(1, pos, end)], end
            return None
        original = self.text[pos:pos + len(words[0])]
        if original[:1].isupper() and first not in _NOT_NAMES and not first.endswith("s"):
            return [(1, pos, end)], end  # a named victim
        if original[:1].isupper() and first.endswith(("'s", "’s")) and len(words) > 1:
            # "killed Afghanistan's minister for refugees": one person of a named place or body
            head = _victim_head(words[1:5])
            if head and head not in _NOT_PEOPLE and head not in _THINGS and not head.endswith("s"):
                return [(1, pos, end)], end
        # a headline drops its articles: "Gunmen kill village chief", "Militants kill police officer" (a plural or
        # a collective is no single victim: "kill villagers", "kill family")
        if pos < self.title_end and _victim_head(words[:3]) in _ONE_PERSON_NOUNS:
            head_end = pos + len(" ".join(words[:3]))
            and_at = low.find(" and ", pos, head_end)
            if and_at >= 0:   # "Mortar shells kill woman and her son": the kin after the victim
                with_kin, kin_end = self.with_companion([(1, pos, end)], and_at, limit)
                if len(with_kin) > 1:
                    return with_kin, kin_end
            return [(1, pos, end)], end
        return None

    def with_companion(self, parts: list[Part], end: int, limit: int) -> tuple[list[Part], int]:
        """A single victim and the kin or companion a possessive names after it: "killing him and his driver"
        and a headline's "kill woman and her son" are two, "him and his two bodyguards" three."""
        joint = next((j for j in _COMPANION_JOINTS if self.low.startswith(j, end)), None)
        if joint is not None:
            kin = self.relative_item(end + len(joint), limit)
            if kin is not None:
                return [*parts, kin[:3]], kin[3]
        return parts, end

    def dead_counted_before(self, pos: int) -> bool:
        """Is the group "them" stands for ("beheading several of them") a figure of dead already counted in the
        sentence ("killed at least nine people")? Not soldiers of a convoy ambushed ("killing several of them")."""
        group = self.group_before(pos)
        return group is not None and any(p[1] == group[1] for m in self.mentions for p in m.parts)

    def group_before(self, pos: int) -> Part | None:
        """The counted group "them" stands for: the nearest figure of people earlier in the sentence ("took nine
        passengers off ... and shot them dead"), or None when there is none."""
        lo = max(self.sentence(pos)[0], pos - 200)
        for fig in self.figures_before(lo, pos, 30):
            if not self.figure_ok(fig, pos):
                continue
            value = self.value_of(fig)
            noun = self.next_word(fig.end())
            if value is None or not noun.endswith(("s", "men", "people", "children")) or noun in _THINGS:
                return None
            return value, fig.start(), fig.end()
        return None

    def with_others(self, parts: list[Part], end: int, limit: int) -> tuple[list[Part], int]:
        """A single victim and the others killed with them: "killed the minister, Ali Hassan, and five other
        people" is six. The victim's description may run on for a few words first; a clause of its own ("and
        three others were wounded") or a wounding verb ends the list."""
        hi = min(limit, end + 120)
        if end < self.title_end:
            # a headline's bare victim and a counted group: "Gunmen kill village chief and two guards"
            more = _TITLE_AND_MORE.match(self.low, end, min(hi, self.title_end))
            fig = _NUM_FIND.match(self.low, more.start("num"), limit) if more is not None else None
            if fig is not None and self.figure_ok(fig, self.title_end) and (value := self.value_of(fig)) is not None:
                return [*parts, (value, fig.start(), fig.end())], fig.end()
        m = _AND_OTHERS.match(self.low, end, hi) if self.low.find(" other", end, hi) >= 0 else None
        if m is None or _NEW_CLAUSE.match(self.low, m.end(), limit):
            return parts, end
        fig = _NUM_FIND.match(self.low, m.start("num"), limit)
        value = self.value_of(fig) if fig is not None and self.figure_ok(fig, limit) else None
        if value is None or fig is None:
            return parts, end
        return [*parts, (value, fig.start(), fig.end())], m.end()

    def relative_item(self, pos: int, limit: int) -> tuple[int, int, int, int] | None:
        """A victim told by a possessive after another in a list: "her son", "their Pakistani driver" count one,
        "their two children" two, and "a couple" two. A plural with no figure ("their relatives") counts
        nobody. Returns (value, figure start, figure end, item end)."""
        low = self.low
        if low.startswith("a couple ", pos) and not low.startswith("a couple of ", pos):
            return 2, pos, pos + 8, pos + 8
        fig = None
        part_of = _FIGURE_OF_POSSESSIVE.match(low, pos, limit)
        if part_of is not None:  # "two of his guards": a figure of a possessive's people
            fig = _NUM_FIND.match(low, pos, limit)
            m = _POSSESSIVE.match(low, part_of.end("possessive"), limit)
        else:
            m = _POSSESSIVE.match(low, pos, limit)
        if m is None:
            return None
        body_start = m.end() - 1  # the body's words each start with their space
        if fig is None:
            fig = _NUM_FIND.match(low, m.end(), limit)
        value = None
        if fig is not None and self.figure_ok(fig, limit):
            value = self.value_of(fig)
            body_start = m.end() - 1 if part_of is not None else fig.end()
        body = _ITEM_BODY.match(low, body_start, limit)
        item_end = body.end() if body else body_start
        nouns = [w.strip(_PUNCT) for w in low[body_start:item_end].split()]
        if not nouns or nouns[-1] in _THINGS or _NOT_PEOPLE.intersection(nouns):
            return None
        if _NEW_CLAUSE.match(low, item_end, limit):
            return None  # "killing a commander and his driver was wounded": the next clause's subject
        if value is not None and fig is not None:
            return value, fig.start(), fig.end(), item_end
        head = nouns[-1]
        if head.endswith("s") and not head.endswith(("ss", "'s", "’s")):
            return None
        return 1, pos, m.end() - 1, item_end

    def object_after(self, pos: int, limit: int) -> tuple[list[Part], int] | None:
        """The counted groups that follow a verb: "killing at least 15 officers and four civilians"."""
        low = self.low
        if pos < limit and low[pos] == " ":
            pos += 1
        parts: list[Part] = []
        end = pos
        if low.startswith(("himself and ", "herself and "), pos):
            # "blew himself up, killing himself and six cadets": the bomber is one of the dead, as ACLED counts
            parts.append((1, pos, pos + 7))
            end = pos + 7
            pos += 12
        while pos < limit:
            m = _ITEM.match(low, pos, limit)
            if not m:
                if parts and low.endswith(" and ", 0, pos) and low.startswith(_VAGUE_OBJECTS, pos):
                    # "killed one of the group's commanders and an unknown number of fighters"
                    vague_end = pos + next(len(v) for v in _VAGUE_OBJECTS if low.startswith(v, pos))
                    parts.append((UNSPECIFIED_DEAD, pos, vague_end))
                    end = vague_end
                    break
                kin = self.relative_item(pos, limit) if parts or low.startswith("a couple ", pos) else None
                if kin is None:
                    break
                # "killing a woman and her son", "a man, his wife and their two children", "a couple and ..."
                parts.append(kin[:3])
                end = kin[3]
                sep = _ITEM_SEP.match(low, end, limit)
                if not sep:
                    break
                pos = sep.end()
                continue
            if m.group("num") is not None:
                fig = _NUM_FIND.match(low, m.start("num"), limit)
                value = self.value_of(fig) if fig is not None and self.figure_ok(fig, limit) else None
                if value is None:
                    break
                num_start, num_end = m.start("num"), m.end("num")
            else:
                key = "another" if m.group("another") is not None else "a"
                num_start, num_end, value = m.start(key), m.end(key), 1
            body = _ITEM_BODY.match(low, m.end(), limit)
            item_end = body.end() if body else m.end()
            nouns = low[m.end():item_end].split()
            if nouns and nouns[-1] in _ANIMALS:
                # "killed a farmer, 40 of his cattle and his son": animals are no people killed, the list goes on
                sep = _ITEM_SEP.match(low, item_end, limit)
                if not sep:
                    break
                pos = sep.end()
                continue
            if nouns and (nouns[0] in _THINGS and nouns[-1] in _THINGS):  # "a village chief" is a person
                break
            if parts and (_REPORTING.match(low, item_end, limit) or _SOURCES_SAID.match(low, item_end, limit)):
                # "wounding ten, a relief group said", "4 soldiers, a local official and a hospital worker said": a
                # new clause's subject, not a group
                break
            if parts and nouns and nouns[0].strip(_PUNCT) in _SPEAKER_NOUNS:
                break  # "killing 16 soldiers, a spokesman for the southern forces said": the source, however long
            if parts and _NEW_CLAUSE.match(low, item_end, limit):
                break  # "killed 3 guards and 5 others were hurt": the subject of the next clause
            if parts and _SUBSET.match(low, num_end, limit):
                break  # "killing 20 people, 18 of them women": a part of the group already counted
            if m.group("a") is not None and (not nouns or _NOT_PEOPLE.intersection(nouns)):
                break  # "a" alone is not a count, and "killing a deal" counts nobody
            if len(nouns) > 2 and nouns[0] == "family" and nouns[1] == "of":
                size = parse_number(nouns[2].strip(_PUNCT))
                if size is not None:
                    value = size  # "killing a family of four": four people
            parts.append((value, num_start, num_end))
            end = item_end
            sep = _ITEM_SEP.match(low, item_end, limit)
            if not sep and low.find("(", item_end, item_end + 70) >= 0:
                # a group's long name closed by its acronym: "four fighters of the United Liberation Front of the
                # Hills (ULFH) and a farmer"
                name = _GROUP_NAME.match(low, item_end, limit)
                if name is not None:
                    sep = _ITEM_SEP.match(low, name.end(), limit)
                    if sep and not _NUMBERED_ITEM.match(low, sep.end(), limit):
                        sep = None
            if not sep:
                break
            pos = sep.end()
        return (parts, end) if parts else None

    def earlier_incident(self, start: int, end: int) -> bool:
        """Is the figure's sentence about an earlier incident ("killed 147 people last week")? Not when the
        earlier time is that of the victim's capture ("an aid worker kidnapped three weeks ago has been
        killed"): the death is today's news."""
        lo, hi = self.sentence(start)
        lo, hi = max(lo, start - 200), min(hi, end + 200)
        for m in _EARLIER_INCIDENT.finditer(self.low, lo, hi):
            if _YARDSTICK.search(self.low, max(lo, m.start() - 160), m.start()) is not None:
                continue  # "the deadliest attack since the Banjska raid two years ago": a yardstick, not a toll
            if _CAPTURED_BEFORE.search(self.low, max(lo, m.start() - 60), m.start()) is None:
                return True
        return False

    def dated_earlier(self, start: int, end: int) -> bool:
        """Does the figure's clause, read on to the end of its sentence, date the deaths weeks before the
        article was published ("was killed in a raid in January", read in April)? See facts/dates.py."""
        a, _ = self.clause(start, end)
        _, hi = self.sentence(start)
        return date_before(self.low, a, min(hi, end + 160), self.published)

    def referenced(self, start: int) -> bool:
        """Is the toll that of a dated incident the sentence only refers to ("over a 1974 car bombing that
        killed a general", "reenacted Thursday's bomb attack that killed nine")? A new report says so in
        its main clause ("A car bomb killed nine people on Thursday")."""
        # not bounded by the sentence: "Aug. 12" reads as a sentence end
        return _REFERENCED_INCIDENT.search(self.low, max(0, start - 160), start + 1) is not None

    def cumulative(self, start: int, end: int) -> bool:
        """Is the figure the toll of a whole war ("the insurgency has claimed more than 2,000 lives")? Only when the
        war is its clause's subject: "Shelling in the campaign against the rebels has killed 14" is the shelling's."""
        a, b = self.clause(start, end)
        for war in _CUMULATIVE.finditer(self.low, max(a, start - 120), b):
            if self._war_is_subject(a, war.start(), start):
                return True
        lo = max(self.sentence(start)[0], start - 200)
        if self.low.find("which ", lo, start) >= 0 and _CUMULATIVE_WHICH.search(self.low, lo, start) is not None:
            return True
        if _CUMULATIVE_WHERE.search(self.low, lo, start) is not None and _PERFECT_DEATH.match(
                self.low, start, min(self.sentence(start)[1], start + 120)) is not None:
            return True  # "Russia's war in Ukraine, where tens of thousands of soldiers have been killed"
        pos = lo
        while (subject := _CUMULATIVE_SUBJECT.search(self.low, pos, start)) is not None:
            if self._war_is_subject(lo, subject.start(), start):
                return True  # "the war between the army and the RSF has killed more than 20,000 people"
            pos = subject.start() + 1
        if self.period_tally(a, b):
            return True  # "troops had killed over 100 insurgents across the country in the past month"
        return self.low.find("recent ", lo, start) >= 0 and _RECENT_ATTACKS.search(self.low, lo, start) is not None

    def _war_is_subject(self, lo: int, war: int, figure: int) -> bool:
        """Is the war word at `war` the subject of the verb before the figure? Not inside another subject's phrase
        ("Shelling in the campaign against the rebels has killed 14"), unless a relative clause makes it the subject
        again ("fought in a war from 2020 to 2022 that is estimated to have killed hundreds of thousands")."""
        if _WAR_INSIDE_A_PHRASE.search(self.low, lo, war) is None:
            return True
        return _RELATIVE_ON_THE_WAR.search(self.low, war, figure) is not None

    def period_tally(self, a: int, b: int) -> bool:
        """Is the clause [a, b) a tally over a month, a quarter or a year ("killed over 100 insurgents in the past
        month", "'over 100' insurgents killed this month", "so far this year")? Many incidents summed, none of them
        today's; but not an attack counted among the month's ("the third attack this month")."""
        for m in _PERIOD.finditer(self.low, a, b):
            if _PERIOD_OF_AN_ATTACK.search(self.low, max(a, m.start() - 40), m.start()) is None:
                return True
        return False

    def another_incident_or_account(self, name: str, pos: int) -> bool:
        """Is the figure's sentence another incident of the same report ("In another attack, ...") or,
        once this fact has a figure, another account of the same dead ("Taliban claimed 4 were killed")?"""
        lo, hi = self.sentence(pos)
        if lo <= self.title_end:
            return False
        lo = max(lo, self.low.rfind("; ", lo, pos) + 1)  # a clause after ";" has its own source
        while lo < pos and not self.low[lo].isalnum():
            lo += 1
        hi = max(pos + 1, min(hi, lo + 120))
        if _SEPARATE_INCIDENT.match(self.low, lo, hi):
            return True
        counted = [m for m in self.mentions if m.name == name and not m.in_title]
        if counted and (_CLAIMED_FIGURE.search(self.low, max(lo, pos - 120), pos) is not None
                        or _SIDE_SAID_KILLED.search(self.low, max(lo, pos - 120), pos) is not None):
            # a side's claim about the dead already counted ("three soldiers were killed ... the insurgents
            # claimed they had killed 30 soldiers"); a claim about others ("11 insurgents were killed ... the
            # movement claimed to have killed 5 policemen") may tell more dead, as conflict databases count it:
            # the other tests decide
            claimed = self.victim_words(pos)
            if not claimed:
                return True  # "the rebels claimed to have killed 40": a claim naming nobody is of the dead counted
            if any(not claimed.isdisjoint(self.victim_words(p[1])) for m in counted for p in m.parts):
                return True
        if counted and _SOURCE_COUNTED.search(self.low, max(lo, pos - 90), pos) is not None:
            return True  # "a rights group said it had documented 34 deaths": another count of the same dead
        if counted and _has_any(self.low, max(lo, pos - 90), pos, _SECOND_SOURCE_WORDS) and _SECOND_SOURCE.search(
                self.low, max(lo, pos - 90), pos) is not None:
            return True  # "a second source said the number of dead was close to 80": another account
        if counted and self.low.find("put", max(lo, pos - 90), pos) >= 0 and self.disputed(pos):
            return True  # "... while civil society leaders put the number of dead at 52": another source's toll
        if counted and self.low.find(" alone", pos, pos + 90) >= 0 and _ALONE.match(self.low, pos, pos + 90):
            return True  # "113 bodies had been recovered in his area alone": a part of the toll already told
        if counted and (self.reading_losses or self.own_losses(pos)):
            return False  # "Baku said 50 of its own servicemen died": each side tells its own dead, all are counted
        if counted and self.low.find(" also ", pos, hi) >= 0 and _ALSO_AFTER.match(self.low, pos, hi):
            return False  # "the army said 5 gunmen were also shot dead": more dead, whoever tells them
        return bool(counted) and _OTHER_ACCOUNT.match(self.low, lo, hi) is not None

    def disputed(self, pos: int) -> bool:
        """Is the figure at `pos` a toll another source puts beside one already told: set against it in the same
        sentence ("the army said 31, while civil society leaders put the number of dead at 52"), or told with a
        word that the two figures differ ("A monitor put the toll at 37. Neither figure could be confirmed")?"""
        low = self.low
        lo = max(self.sentence(pos)[0], pos - 120)
        if _PUT_TOLL.search(low, lo, pos) is None:
            return False
        if low.find("while ", lo, pos) >= 0 or low.find("whereas ", lo, pos) >= 0:
            return _CONTRASTED_TOLL.search(low, lo, pos) is not None
        return _TWO_FIGURES.search(low, pos, pos + 300) is not None

    def own_losses(self, pos: int) -> bool:
        """Is the figure at `pos` a side's count of its own dead ("50 of its own servicemen", "one of its
        soldiers")? Told by that side, it is a group of its own, not another account of dead already counted."""
        fig = _NUM_FIND.match(self.low, pos)
        return fig is not None and _OWN_SIDE.match(self.low, fig.end()) is not None

    def victim_words(self, pos: int) -> set[str]:
        """The words naming who a figure counts: "30 nigerien soldiers in" -> {"nigerien", "soldiers"}."""
        words = _SENTENCE_END.split(self.low[pos:pos + 60], maxsplit=1)[0].split()[1:4]
        found = {w.strip(",.;:()'\"") for w in words} - _NOT_VICTIM_WORDS
        if not _SOLDIER_WORDS.isdisjoint(found):
            found.add("soldiers")  # "47 malian troops" are the "soldiers" already counted
        return found

    def superseded(self, pos: int) -> bool:
        """Is the figure one a later count replaced ("an initial report said eleven officers had died, but
        the figure was later revised to seven")?"""
        lo, _ = self.sentence(pos)
        return _SUPERSEDED.search(self.low, max(lo, pos - 80), pos) is not None

    def also(self, start: int, end: int) -> bool:
        """Does the figure's clause add to the dead already told ("two civilians were also killed",
        "two others died")? Such a group is never a restatement of an earlier one. The clause is read up to the
        end of the statement: in "the bodies of six soldiers were brought in and 14 others were treated" the
        "others" belong to the next group, not to the six."""
        a, b = self.clause(start, end)
        return _ALSO.search(self.low, a, min(b, end + 1)) is not None

    def also_of_this_sentence(self, name: str, pos: int) -> bool:
        """Is the group told "also" killed the second of its own sentence's list ("He said nine of its fighters had
        died and that four soldiers had also been killed")? The "also" then joins it to that group, and the pair may
        restate a toll told before, as a pair of groups with no "also" may."""
        lo = self.sentence(pos)[0]
        return any(m.name == name and not m.in_title and lo <= m.start < pos for m in self.mentions)

    def in_aside(self, pos: int) -> bool:
        """Is the figure another account in brackets ("3 policemen (5 according to officials) were killed")?"""
        return self.aside_span(pos) is not None

    def aside_span(self, pos: int) -> tuple[int, int] | None:
        """The bracketed aside with a source that holds `pos`, brackets included, if any."""
        low = self.low
        opening = low.rfind("(", max(0, pos - 60), pos)
        if opening < 0 or low.find(")", opening, pos) >= 0:
            return None
        closing = low.find(")", pos, pos + 80)
        if closing < 0 or _ASIDE_SOURCE.search(low, opening, closing) is None:
            return None
        return opening, closing + 1

    def _toll(self, name: str, start: int, cs: int, s_hi: int, whole: bool = False) -> None:
        low = self.low
        m = _TOLL_VALUE.search(low, start, min(s_hi, start + 160))
        if not m or _TOLL_SKIP.search(low, start, m.start()):
            return
        fig = _NUM_FIND.match(low, m.start("num"), s_hi)
        if fig is None or not self.figure_ok(fig, s_hi) or low.endswith("from ", 0, fig.start()):
            return
        value = self.value_of(fig)
        if value is not None:
            self.add(name, [(value, fig.start(), fig.end())], cs, fig.end(), toll=True, whole=whole)

    def add(self, name: str, parts: list[Part], start: int, end: int, toll: bool = False,
            beyond_toll: bool = False, whole: bool = False, extra: bool = False) -> None:
        fresh = [p for p in parts if p[1] not in self.used]
        if not fresh or self.background(fresh[0][1], end) or self.in_aside(fresh[0][1]):
            return
        if self.earlier_incident(fresh[0][1], end) or self.cumulative(fresh[0][1], end) or self.referenced(start):
            return
        if self.dated_earlier(fresh[0][1], end):
            return
        if self.another_incident_or_account(name, fresh[0][1]):
            return
        if self.superseded(fresh[0][1]):
            return
        if name == "killed" and self.bodies_handed(fresh[0][1]):
            return  # "exchange prisoners and the bodies of 6,000 soldiers killed in action": a swap, no incident
        if self.quoted_vague(fresh):
            if any(m.name == name and not m.in_title and not self.quoted_vague(m.parts) for m in self.mentions):
                return
        elif not start < self.title_end:
            # a figure of the report's own: a quoted vague word told before it, in the body or the headline ("Gunmen
            # kill three soldiers; 'dozens' of attackers died, army says"), is a speaker's word, no count
            self.mentions = [m for m in self.mentions if m.name != name or not self.quoted_vague(m.parts)]
        if len(fresh) >= 3 and self._breakdown(fresh, end):
            fresh = fresh[:1]  # "five people, two guards and three attackers, died": a total and its breakdown
        if not toll and name == "killed" and len(fresh) == 1:
            a, b = self.clause(fresh[0][1], end)
            stretch = self.low[a:b]
            toll = any(w in stretch for w in _TOTAL_HINTS) and _TOTAL_NEAR.search(stretch) is not None
        if self.restating and any(m.name == name and not m.in_title and m.value >= sum(p[0] for p in fresh)
                                  for m in self.mentions) and not self.also(fresh[0][1], end) and (
                not _MORE_AFTER.match(self.low, fresh[-1][2])):
            # "forces had recovered the bodies of ten rebels" after twelve were counted: some of those dead, still
            # victims (their soldiers are no force on the move)
            self.restated.append((start, end))
            return
        if not whole and len(fresh) == 1 and _ALL_BEFORE.search(self.low, max(0, fresh[0][1] - 8), fresh[0][1]):
            # "all nine men inside died": every one of a group, so the toll is at least that; not the attackers
            # alone ("all three attackers were killed" adds to their victims)
            whole = self.next_word(fresh[0][2]) not in _ATTACKER_NOUNS
        self.used.update(p[1] for p in fresh)
        value = sum(p[0] for p in fresh)
        extra = extra or self.low.startswith("another", fresh[0][1]) or (
            self.also(fresh[0][1], end) and not self.also_of_this_sentence(name, fresh[0][1]))
        if value == 1 and not extra:
            extra = self.joined(name, start)
        earlier = self.days_before(fresh[0][1], end)
        claim = name == "killed" and start >= self.title_end and self.claimed(fresh[0][1])
        if name == "killed" and start >= self.title_end and not claim:
            self.drop_claims_of(fresh[0][1])
        self.mentions.append(Mention(name, value, start, end, toll and not whole, start < self.title_end,
                                     tuple(fresh), extra, earlier, beyond_toll, whole, claim))

    def claimed(self, pos: int) -> bool:
        """Is the figure at pos a side's claim of what it killed ("claimed to have killed 30 soldiers", "the rebels
        said they had killed 20 soldiers")?"""
        lo = max(self.sentence(pos)[0], pos - 120)
        return (_CLAIMED_FIGURE.search(self.low, lo, pos) is not None
                or _SIDE_SAID_KILLED.search(self.low, lo, pos) is not None)

    def drop_claims_of(self, pos: int) -> None:
        """An official figure told after a side's claim about the same victims ("The rebels said they had killed 20
        soldiers. The army said five soldiers were killed.") replaces the claim: official figures over a side's."""
        victims = self.victim_words(pos)
        if not victims:
            return
        self.mentions = [m for m in self.mentions
                         if not (m.claim and not victims.isdisjoint(self.victim_words(m.parts[0][1])))]

    def _breakdown(self, parts: list[Part], end: int) -> bool:
        """Are the groups after the first a breakdown of it? A total of people with groups that add up to it
        ("five people, two guards and three attackers, died"), or with fewer set off by commas on both sides
        ("four people, two officers and a civilian, were killed": one victim not described)."""
        first, rest = parts[0][0], sum(p[0] for p in parts[1:])
        noun = _NOUN_AFTER.match(self.low, parts[0][2])
        if noun is None or noun.group("noun") not in _WHOLE_GROUP_NOUNS:
            return False
        if first == rest:
            return True
        closed = "," in self.low[parts[-1][1]:end]  # the breakdown set off by a comma before the verb too
        return noun.group("comma") is not None and closed and rest < first

    def joined(self, name: str, start: int) -> bool:
        """Is a single death joined by "and" to another single death of the same sentence, the first the report
        tells ("A police officer was killed and one of the attackers was shot dead")? Two people, not one twice."""
        body = [m for m in self.mentions if not m.in_title]
        if len(body) != 1:
            return False
        last = body[0]
        if last.name != name or last.value != 1 or not last.end <= start:
            return False
        lo, _ = self.sentence(start)
        if last.start < lo:
            return False
        between = self.low[last.end:start]
        return len(between) < 40 and _JOINING_AND.fullmatch(between) is not None

    def quoted_vague(self, parts: Sequence[Part]) -> bool:
        """Is the figure a vague quantity in quotation marks ("'dozens' of soldiers died", said a rebel
        commander)? The reporter quotes a speaker's word, not a count: it stands for the dead only when the
        report gives no figure of its own."""
        low = self.low
        for _, start, end in parts:
            word = low[start:end]
            if low[start - 1:start] in _QUOTES and " our " in word and word.startswith(_VAGUE_OBJECTS):
                continue  # '"a number of our fighters were martyred"': a side's own word for its dead, no count
            if word.rstrip("s") not in _VAGUE_WORDS:
                return False
            if low[start - 1:start] not in _QUOTES or low[end:end + 1] not in _QUOTES:
                return False
        return bool(parts)

    def days_before(self, start: int, end: int) -> bool:
        """Is the figure told in a clause dated days before the incident ("three days after 51 died")?"""
        a, _ = self.clause(start, end)
        return _DAYS_AFTER.search(self.low, a, start) is not None



# some of the dead already counted, named as the victims: "beheaded some of their victims", "several of the dead"
_SOME_OF_THE_DEAD = lazy_compile(
    r"(?:some|several|many|most|a\sfew|a\snumber|dozens|scores)\sof\s(?:the|their|its|his|her|those)\s"
    r"(?:[a-z'’-]+\s)?(?:victims|dead|bodies)\b")
# what joins a victim to the companions named after it: "him and his driver", "them along with three of their guards"
_COMPANION_JOINTS = (" and ", " along with ", " together with ", " as well as ", ", along with ", ", together with ")
_QUOTE_MARKS = "'\"‘’“”"
# A counted group named by what it belongs to, before the "a" of that: "nine members of a resistance force", "two
# officers of a police unit"
_FIGURE_OF_GROUP = lazy_compile(rf"(?:^|[\s,(])(?P<num>{_NUMR})\s(?:[a-z'’-]+\s){{0,2}}of\s$")
# ... and the words between such a group's figure and the next group of a list: "two [members of the security
# forces and] one gunman"
_OF_GROUP_GAP = lazy_compile(
    r"\s(?:[a-z'’-]+\s){0,2}of\s(?:an?|the|its|their|his|her)\s(?:[a-z'’.-]+\s){1,3}(?:and|plus|as\swell\sas)\s")
# A span of a month, a quarter or a year that a toll is summed over: "this month", "in the past month", "so far this
# year", "over the last three months", "since the start of the year".
_PERIOD = lazy_compile(
    r"\b(?:(?:this|last|past|the\spast|the\slast|previous|the\sprevious)\s(?:month|quarter|year)"
    r"|(?:past|last|previous)\s(?:\w+\s)?months|so\sfar\sthis\s(?:month|year)|year\sto\sdate"
    r"|since\sthe\s(?:start|beginning)\sof\s(?:the\s)?(?:year|month))\b")
# ... told of one attack among the period's: "the third attack this month", "a raid last month"
_PERIOD_OF_AN_ATTACK = lazy_compile(
    r"\b(?:attacks?|raids?|ambush(?:es)?|incidents?|bombings?|strikes?|assaults?|clash(?:es)?|killings?|massacres?)"
    r"\s(?:[a-z]+\s){0,2}$")
_CASUALTY_WORDS = frozenset(
    """kill kills killed killing dead death deaths died dies die slain perished massacre massacres massacred massacring
    lives bodies toll wounded wounding wound wounds injured injuring injures injuries injury hurt down
    fatalities fatality""".split()
) | _KILLING_VERBS | _LATER_DEATH
# a crowd's own verb between a figure and the death word: "Thousands mourn sergeant killed in ambush",
# "Hundreds attend burial of two soldiers killed": the figure counts the mourners, not the dead
# a side's own dead told as a loss: "said it had lost 50 servicemen", "losing three of its own fighters"
_SIDE_LOST = lazy_compile(
    r"\b(?:said|says|admitted|acknowledged|conceded)\s(?:it|they)\s(?:had\s|has\s|have\s)?(?:lost|losing)\s"
    r"|\b(?:lost|losing)\s(?=(?:at\sleast\s|about\s|some\s|more\sthan\s|nearly\s)?[\w-]+\sof\s(?:its|their)\sown\s)"
)
# the same people's death told right after their wounds, no figure of its own: "were rushed to hospital with gunshot
# wounds and later died", "..., where they died" (not "and two later died": a part of them)
_DIED_OF_THEM = lazy_compile(
    r",?\s(?:and|but|where\s(?:they|he|she))\s(?:(?:later|subsequently|then|eventually|soon|all|both|also)\s){0,2}"
    r"(?:died|succumbed|passed\saway)\b"
)
# A relative clause of place on a war: its dead are the war's, not an incident's: "Russia's war in Ukraine, where tens
# of thousands of soldiers have been killed", "the civil war, in which some 300,000 people have died" (read from the
# sentence's start up to the figure); not "fighting", which may be the incident itself
_CUMULATIVE_WHERE = lazy_compile(
    r"\b(?:war|wars|conflict|insurgency|uprising|rebellion|crisis|revolt|unrest|feud|invasion)\b"
    r"(?:\s(?:in|on|against|with|between|over|of)\s[^,.;]{0,60}?)?,?\s(?:where|in\swhich|during\swhich)\s"
    r"(?:(?:an\sestimated|at\sleast|more\sthan|over|nearly|about|some|around|up\sto|as\smany\sas)\s)?$"
)
# ... told in the present perfect, a toll still running: "... have been killed", "... have died" (not "fighting, in
# which dozens of soldiers were killed": the incident itself)
_PERFECT_DEATH = lazy_compile(
    r"(?:[^,.;]|(?<=\d)[,.](?=\d)){0,80}?\b(?:have|has)\s(?:(?:now|since|so\sfar|already)\s)?"
    r"(?:been\skilled|died|perished)\b"
)
# the one person just told of dies, the pronoun opening the clause: "He later died in hospital", "and she died of
# her wounds"
_ONE_OF_THEM_LATER = lazy_compile(
    r"(?:(?<=[.;]\s)|(?<=\sand\s))(?:he|she)\s(?:(?:later|subsequently|eventually|then)\s)?$"
)
# a death an occasion remembers, just before "death of": "the anniversary of the death of", "in memory of the deaths of"
# ... or mourns or commemorates it: "processions to mourn the death of Imam Hussain", "to commemorate the deaths of"
_REMEMBERED = lazy_compile(
    r"\b(?:(?:anniversary|anniversaries|commemoration|memory|remembrance)\sof"
    r"|(?:mourn|mourns|mourned|mourning|commemorate|commemorates|commemorated|commemorating|mark|marks|marked"
    r"|marking)(?:\s(?:and\s)?[a-z]+){0,2}?)\s(?:the\s)?$")
# bodies handed back, swapped or repatriated between sides, whose dead are no incident's: "agreed to exchange
# prisoners and the bodies of", "the repatriation of the bodies of"
_BODIES_HANDED = lazy_compile(
    r"\b(?:exchang\w*|swap\w*|repatriat\w*|return\w*|hand(?:s|ed|ing)?\sover|hand(?:s|ed|ing)?\sback)\b"
    r"[^.;:]*$")
# "dead" in idioms of tiredness, sport and speech, no death at all: "dead on his feet", "a dead rubber", "a dead
# ball", "a dead heat", "a dead end", "in the dead of night", "dead set against", "dead wrong"
_DEAD_IDIOM = lazy_compile(
    r"(?:\s(?:on\s(?:his|her|their|its|my|your|our)\sfeet|rubbers?|balls?|heats?|ends?|of\s(?:the\s)?(?:night|winter)"
    r"|set\s(?:on|against)|ringers?|certain|wrong|serious|silence|calm)|-(?:ball|end|heat))\b"
)
# "death" as the first word of a compound, no death at all: "one death threat", "another death sentence"
_DEATH_COMPOUNDS = frozenset(("threat", "threats", "sentence", "sentences", "penalty", "squad", "squads", "row",
                              "warrant", "wish", "march", "camp", "certificate", "certificates"))
# the rest of a group's name up to its bracketed acronym, words only: " of nagaland–khaplang (nscn-k)"
_GROUP_NAME = lazy_compile(
    r"(?:\s(?!(?:and|or|were|was|killed|wounded|injured|said|in|on|at|near|when|after)\b)[a-z'’.–-]+){0,6}\s\([a-z0-9'’.–-]{2,15}\)"
)
# the noun after a figure, and the comma that may set a breakdown off after it: " people, "
_NOUN_AFTER = lazy_compile(r"\s(?P<noun>[a-z]+)(?P<comma>,)?\s")
_WHOLE_GROUP_NOUNS = frozenset(("people", "persons", "individuals", "victims", "dead"))
_NUMBERED_ITEM = lazy_compile(rf"{_MODS}{_NUMR}\s")
_PLURAL_PEOPLE = frozenset(("men", "women", "children", "people", "police", "gentlemen", "policemen", "gunmen"))
# a person described by the number of their children: "mother of five", "father of four"
_PARENTS = frozenset(("father", "mother", "parent", "grandfather", "grandmother"))
_PLURAL_PRONOUNS = frozenset(("they", "we", "those", "these", "them"))
# a possessive opening a victim who is kin or companion of the one before: "and her son", "and their driver"
_POSSESSIVE = lazy_compile(r"(?:his|her|their)\s")
# a figure's modifier right before it: "at least five", "more than 20"
_MODIFIER_BEFORE = lazy_compile(r"\b(?:at\sleast|more\sthan|about|some|nearly|around|over|up\sto|almost|roughly)\s$")
# only auxiliaries between a figure and its verb: "of whom 300 were killed", "of them 12 had been killed"
_AUX_ONLY = lazy_compile(r"(?:\s(?:were|was|had|have|has|been|also|later|reportedly))*\s?")
# people who speak for a side or an outlet, never a victim in a list after a count ("killing 16 soldiers, a spokesman
# for the southern forces said")
_SPEAKER_NOUNS = frozenset(("spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokeswomen", "spokespeople"))
# a figure of a possessive's people after another victim: "the chief and two of his guards"
_FIGURE_OF_POSSESSIVE = lazy_compile(rf"{_NUMR}\sof\s(?P<possessive>)")
# a side's own people after a figure: "50 of its own servicemen", "one of their fighters"
_OWN_SIDE = lazy_compile(r"\sof\s(?:its|their|our)\s")
# a group told as added to the dead already counted, in the figure's own words: "5 gunmen were also shot dead"
_ALSO_AFTER = lazy_compile(
    r"[\w,.-]+\s(?:[a-z'’-]+\s){0,4}(?:were|was|had\sbeen|have\sbeen)\salso\s(?:killed|shot|dead)\b"
)
# "both" as the subject of a death: "Both attackers were killed", "Both assailants, a man and a woman, were
# killed", "both of them died"; not "fighters on both sides were killed" (a preposition before it)
_BOTH_SUBJECT = lazy_compile(
    r"(?<!\bon\s)(?<!\bfrom\s)(?<!\bof\s)(?<!\bin\s)(?<!\bbetween\s)(?<![a-z'’-])(?P<both>both)\s"
    r"(?:(?:of\s(?:the\s)?)?(?P<head>[a-z'’-]+)(?:,\s[^,.;:\d]{1,60},)?\s)?(?:(?:were|had\sbeen|have\sbeen|are"
    r"|later|also|reportedly|then)\s){0,2}$"
)
_BOTH_NOT_PEOPLE = frozenset(
    """sides side countries parties camps armies forces vehicles cars buses trucks incidents attacks events
    nations governments groups towns villages cities""".split()
)
# the others killed with a single victim, after the victim's description: ", and five other people", " and 3 others"
_AND_OTHERS = lazy_compile(
    r"(?:(?!\b(?:wound|injur|said|says|told|and\b)\w*)[^.;:()]){0,80}?,?\s(?:and|as\swell\sas|along\swith|plus)\s"
    rf"(?:at\sleast\s|some\s|about\s)?(?P<num>{_NUMR})\sother(?:s\b|\s[a-z]+)"
)
# more sources before their reporting verb: " and a hospital worker said", " or a police officer told"
_SOURCES_SAID = lazy_compile(
    r"\s(?:(?:and|or)\s(?:an?\s|the\s|two\s|other\s|several\s)?|(?:in|from|at|with|close\sto)\s)"
    r"(?:[a-z'’-]+\s){0,6}?[a-z'’-]+\s(?:said|says|say|told"
    r"|reported|reports|added|confirmed|claimed|stated|announced)\b"
)
# a superlative measured against an earlier incident: "the most serious incident ... since the attack two years ago"
_YARDSTICK = lazy_compile(
    r"\b(?:most\s[a-z]+|deadliest|worst|bloodiest|biggest|largest|heaviest|first|highest)\b[^.;]{0,80}\bsince\b"
    r"[^.;]{0,60}$"
)
# another source's figure for the same dead: "a second source said", "another official put"
_SECOND_SOURCE = lazy_compile(
    r"\b(?:a|the)\s(?:second|third|another|different|separate)\s(?:[a-z'’-]+\s){0,2}?(?:source|official|officer"
    r"|witness|medic|doctor|resident|group|agency|monitor)s?\s(?:[a-z'’-]+\s){0,3}?(?:said|says|put|reported|told|gave"
    r"|estimated)\b"
)
# what lies between two statements joined in one sentence: " and ", ", and ", " while "
_JOINING_AND = lazy_compile(r",?\s(?:and|while|whereas)\s")
_SECOND_SOURCE_WORDS = ("second ", "third ", "another ", "different ", "separate ")
# a count for one place within the incident's: "113 bodies had been recovered in his area alone"
_ALONE = lazy_compile(r"[^.;,]{0,80}?\b(?:in|at|from)\s(?:[a-z'’-]+\s){0,3}?[a-z'’-]+\salone\b")
# a toll that leaves the attackers out: "the toll does not include the attackers", "... the two bombers"
_TOLL_LEAVES_OUT = lazy_compile(
    r"\s(?:\w+\s)?(?:does|did|do)\s(?:not|n[o'’]t)\s(?:include|count|cover)\s(?:the\s)?"
    rf"(?:(?P<num>{_NUMR})\s)?"
    r"(?:[a-z'’-]+\s)?(?P<who>attackers?|assailants?|bombers?|gunm[ae]n|militants?|perpetrators?|raiders?"
    r"|insurgents?|hostage-takers?)\b"
)
# "..., four of whom also died", "..., two of whom were killed"
_OF_WHOM_DIED = lazy_compile(
    rf",\s(?P<num>{_NUMR})\sof\swhom\s(?:also\s|later\s)?(?:died|were\skilled|were\sshot\sdead|blew\sthemselves\sup)\b"
)
# "the attacker, who died in the blast", "the bomber, who was killed"
_DIED_AFTER = lazy_compile(r",?\s(?:who|which)\s(?:also\s)?(?:died|was\skilled|was\sshot\sdead|blew\shimself\sup)\b")
_MOURNERS = lazy_compile(r"^\s+(?:mourn|mourned|attend|attended|gather|gathered|march|marched|rally|rallied|"
                       r"protest|protested|bury|buried|honour|honoured|honor|honored|pay|paid|line|lined)\b")

# a side telling what it killed: "the group said in a statement that its fighters had killed 27 soldiers", "the RSF
# said it had killed dozens of soldiers", "claimed a far larger toll, saying its fighters had killed more than 60
# soldiers"; of dead already counted, another account (see _CLAIMED_FIGURE)
_SIDE_SAID_KILLED = lazy_compile(
    r"\b(?:said|says|saying|announced|boasted|asserted|claimed|claiming)\s(?:[\w'’,-]+\s){0,8}?(?:that\s)?(?:it|they|its\s[\w'’-]+"
    r"|their\s[\w'’-]+)\s(?:had\s|has\s|have\s)?(?:killed|kill)\s(?:at\sleast\s|more\sthan\s|up\sto\s"
    r"|as\smany\sas\s|some\s|over\s|nearly\s)?$"
)
# a source's own count of the dead, read up to the figure: "a rights group said it had documented 34 deaths", "the
# monitor said it had recorded 41 killings"; of dead already counted, another account
_SOURCE_COUNTED = lazy_compile(
    r"\b(?:said|says|saying|reported|reports)\s(?:that\s)?(?:it|they)\s(?:had\s|has\s|have\s)?(?:documented|recorded"
    r"|counted|registered|verified|tallied)\s(?:at\sleast\s|more\sthan\s|some\s|over\s|nearly\s|about\s)?$"
)
# a source putting the toll at a figure, read up to the figure: "put the toll at 37", "put the number of dead at 52"
_PUT_TOLL = lazy_compile(
    r"\bput\s(?:the\s)?(?:death\s|overall\s|total\s)?(?:toll|number\sof\s(?:dead|deaths|people\skilled|victims)"
    r"|figure)\s(?:at\s)?(?:at\sleast\s|more\sthan\s|about\s|around\s|nearly\s|over\s|some\s)?$"
)
# the same, set against another figure in one sentence: "..., while local leaders put the number of dead at 52"
_CONTRASTED_TOLL = lazy_compile(r"\b(?:while|whereas)\s(?:[\w'’-]+\s){1,8}?put\s[^.;]{0,40}$")
# a report saying that the figures differ: "Neither figure could be independently confirmed"
_TWO_FIGURES = lazy_compile(
    r"\b(?:neither\s(?:figure|toll|account|count|number)|(?:the|both)\s(?:two\s|differing\s|conflicting\s)?"
    r"(?:figures|tolls|counts)\s(?:could|can|differ|were|are)|figures\s(?:differ|vary|varied|conflict)"
    # ... or the first source not confirming the second's: "The army did not confirm his figure"
    r"|(?:did|does|could|would|has|have)\s(?:not\s|n['’]t\s)(?:yet\s)?confirm(?:ed)?\s(?:his|her|their|its|that|this|the)"
    r"\s(?:figure|toll|count|number|account))"
)
# a part of the dead named before the group it belongs to: "were among the soldiers who died", "among those who were
# killed", "among the people killed"
_AMONG_THOSE = lazy_compile(
    r"\bamong\s(?:the|those)\s(?:[a-z'’-]+\s){0,3}?(?:(?:who|that)\s)?(?:(?:had|have|were|was)\s)?(?:been\s)?$"
)
# a group told after the verb of a counted subject: ", as well as two civilians," (not ", as well as two wounded")
_TRAILING_GROUP = lazy_compile(
    rf",?\s(?:as\swell\sas|along\swith|together\swith)\s(?:at\sleast\s)?(?P<num>{_NUMR})\s(?:[a-z'’-]+\s?){{1,3}}"
    r"(?=[,.;]|\s(?:on|in|at|near|during|when|one|two|three|including)\b)(?<!wounded)(?<!injured)"
)
_AND_WOUNDING = (" and wounding ", " and injuring ", " or wounding ", " or injuring ")
_MANY_WORDS = frozenset(("several", "many", "some", "few", "dozens", "scores", "hundreds", "thousands"))
# "... forced the passengers off the bus and shot nine of them dead": a counted part of a group, shot dead
_SHOT_SOME_OF_THEM = lazy_compile(rf"\b(?:shot|shoot|shoots|shooting)\s(?:at\sleast\s)?(?P<num>{_NUMR})\sof\sthem\s$")
# a headline's counted group after a bare single victim, the victim's words first: " chief and two guards"
_TITLE_AND_MORE = lazy_compile(
    rf"(?:\s(?!(?:and|in|at|on|near|as|after|with|by|outside|inside)\b)[a-z'’-]+){{0,3}}?,?\s(?:and|plus)\s"
    rf"(?:at\sleast\s)?(?P<num>{_NUMR})\s[a-z]"
)
# the attackers a sentence opened with, killed in their turn: "..., before they were killed in a shoot-out"
_THEY_KILLED = lazy_compile(r"\b(?:before|until|after|when)\s(?:they|the\sattackers|the\sgunmen)\s(?:were|had\sbeen)\s"
                          r"(?:themselves\s|all\s|later\s)?$")
# a dateline opening a sentence: "MAKHACHKALA, Russia - ", "KABUL (Reuters) — "
_DATELINE = lazy_compile(r"\s*[A-Z][A-Z .'’/-]+(?:,\s[A-Z][\w .'’-]+)?(?:\s\([^()]{1,40}\))?\s[-–—]\s")
# one word for a side's soldiers, so that a claim about "troops" is read against "soldiers" already counted
_SOLDIER_WORDS = frozenset(("soldiers", "soldier", "troops", "servicemen", "troopers", "personnel", "service"))
# each side telling its own dead, the other's noun left out: " on its side, while Dushanbe reported 35."
_OTHER_SIDE_TOO = lazy_compile(
    rf"\son\s(?:its|their)\s(?:own\s)?side,?\s(?:while|whereas|and)\s(?:[\w'’-]+\s){{1,4}}?(?:reported|counted|gave"
    rf"|listed|confirmed|put\sits\sown\sat|said)\s(?:at\sleast\s)?(?P<num>{_NUMR})(?=[.;]|,\s)"
)
# a figure of more dead: "three more bodies", "two more were found"
_MORE_AFTER = lazy_compile(r"\s(?:more|further|other|additional)\b")
_VAGUE_QUOTED = tuple(v.strip() for v in _VAGUE_OBJECTS)
# some of a group already told: "beheading several of them", "many of the victims"
_SOME_OF_THEM = lazy_compile(
    r"(?:several|some|many|a\snumber)\sof\s(?:them|those|the\s(?:victims|dead|bodies|people\skilled))\b")
# an unspecified number of one side, told as more dead: "several of the attackers were also killed"
_VAGUE_OF_SIDE = lazy_compile(
    r"\b(?:several|some|many|a\snumber)\sof\sthe\s(?:attackers|assailants|gunmen|militants|insurgents|rebels|raiders"
    r"|fighters|bombers|hijackers|kidnappers|jihadists|terrorists)\s(?:were|had\sbeen|have\sbeen)\salso\s$"
)
# the nouns of a toll that counts every dead, after "the number of": not one side's toll ("the number of Maoists")
_WHOLE_TOLL_NOUNS = frozenset(("dead", "people", "persons", "deaths", "victims", "casualties", "fatalities", "those",
                               "civilians", "killed", "wounded", "injured", "individuals", "bodies"))
# "all" before a figure: every one of the group ("all nine men inside died"), not "in all", a total of its own
_ALL_BEFORE = lazy_compile(r"(?<!\bin\s)(?<![a-z])all\s$")
_ATTACKER_NOUNS = frozenset(("attackers", "assailants", "gunmen", "militants", "bombers", "raiders", "insurgents",
                             "rebels", "fighters", "hijackers", "kidnappers", "terrorists", "jihadists"))
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
             "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15,
             "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20}
# a victim counted by an ordinal, as the subject of the death just after: "a tenth victim, a young man shot in the
# stomach, died overnight", "the third soldier died in hospital" (not "a second attack killed four")
_ORDINAL_VICTIM = lazy_compile(
    r"\b(?:a|the)\s(?P<nth>" + "|".join(_ORDINALS) + r")\s(?:victim|person|body|casualty|man|woman|child|boy|girl"
    r"|soldier|civilian|officer|policeman|resident|villager|passenger|worker|member|fighter|guard|student)\b"
    r"(?:,[^.;:,]{1,70},)?\s(?:(?:also|later|has|had|have|was|been|reportedly|then)\s){0,3}$"
)
# vague quantities (facts/numbers.py) as a speaker's word, and the quotation marks around them
_VAGUE_WORDS = frozenset(("dozen", "score", "hundred", "thousand"))
_QUOTES = frozenset("'\"‘’“”")


def _victim_head(words: list[str]) -> str:
    """The last word of a victim's description, read up to a preposition or a clause word ("the village head
    in front of" -> "head"), or "" when there is none."""
    head = ""
    for w in words:
        core = w.strip(",.;:()'\"")
        if not core or core in _STOP_AFTER_VICTIM:
            break
        head = core
        if w[-1:] in ",.;:)":
            break
    return head


# where the words naming a figure's victims stop: "killed 40. Officials denied it" names nobody
_SENTENCE_END = lazy_compile(r"[.;:!?](?:\s|$)")
# What may follow a headline's bare participle when it is passive ("Soldier killed in blast", "Guard shot dead,
# two hurt"); anything else may be its object ("Soldier killed a colleague").
_VERBS_BEFORE_DEAD = frozenset(("shot", "stabbed", "beaten", "hacked", "burned", "burnt", "found", "left"))
_AFTER_A_HEADLINE_PASSIVE = frozenset(
    """in near at by as after during on outside inside amid while when within across along from overnight
    today yesterday""".split()) | {""}
_NOT_VICTIM_WORDS = frozenset(("", "of", "the", "and", "in", "at", "on", "were", "was", "had", "have", "been", "killed",
                               "them", "dead", "died", "wounded", "injured", "people", "others", "other", "more",
                               "than"))


def _total(mentions: list[Mention], name: str) -> tuple[int | None, list[Mention]]:
    """The incident's total from a fact's mentions, with the dead its toll leaves out (the attackers) added."""
    left_out = [m for m in mentions if m.name == name and m.beyond_toll]
    if not left_out:
        return _incident_total(mentions, name)
    total, used = _incident_total([m for m in mentions if not m.beyond_toll], name)
    return (total or 0) + sum(m.value for m in left_out), used + left_out


def _incident_total(mentions: list[Mention], name: str) -> tuple[int | None, list[Mention]]:
    """The incident's total from a fact's mentions: the highest toll, else the title's or the body's sum."""
    mine = [m for m in mentions if m.name == name]
    if not mine:
        return None, []
    # an earlier incident's dead ("three days after 51 died") count only when nothing else is told: not when the
    # report's own incident has casualties of the other kind ("a bomb injures three, a day after a missile kills
    # a commander")
    fresh = [m for m in mine if not m.earlier]
    if not fresh and any(m.name != name and not m.earlier for m in mentions):
        return None, []
    mine = fresh or mine
    wholes = [m for m in mine if m.whole]
    if wholes:
        # "all nine men inside died", "a tenth victim died": the toll is at least that, whatever else is counted
        total, used = _incident_total([m for m in mentions if not (m.name == name and m.whole)], name)
        best = max(wholes, key=lambda m: m.value)
        if total is None or best.value > total:
            return best.value, [best]
        return total, used
    tolls = [m for m in mine if m.toll]
    if tolls:
        best = max(tolls, key=lambda m: m.value)
        return best.value, [best]
    counted: list[Mention] = []
    running = 0
    seen: set[int] = set()  # the figures counted so far, and the groups they were summed from
    pending: list[Mention] = []  # smaller figures that may restate a counted total group by group
    for m in (m for m in mine if not m.in_title):
        if not m.extra and (m.value in seen or (counted and m.value == running)):
            continue  # a restatement of a figure, of one of its groups, or of the running total
        if counted and (pending or (not m.extra and m.value < max(c.value for c in counted))):
            # "six dead ... five gunmen lay dead and a soldier had died": a breakdown? A victim told as "also
            # killed" after parts of it may be its last part ("six dead ... three fighters ... two soldiers ... a
            # woman was also killed"); if the parts do not add up to a total, they all count as before
            pending.append(m)
            told = sum(p.value for p in pending)
            if any(c.value == told for c in counted):
                pending = []  # the groups add up to a total already counted: a restatement
            elif told > max(c.value for c in counted):
                running = _count(pending, counted, seen, running)
                pending = []
            continue
        running = _count([m], counted, seen, running)
    running = _count(pending, counted, seen, running)
    title = [m for m in mine if m.in_title]
    best_title = max(title, key=lambda m: m.value) if title else None
    if best_title and best_title.value > running:
        return best_title.value, [best_title]
    return running, counted


def _count(mentions: list[Mention], counted: list[Mention], seen: set[int], running: int) -> int:
    """Add the mentions to the count; the new running total."""
    for m in mentions:
        seen.add(m.value)
        seen.update(part[0] for part in m.parts)
        counted.append(m)
        running += m.value
    return running
