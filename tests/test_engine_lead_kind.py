"""Long articles: the lead decides for `scope: lead` rules, and the kind of a piece is read from its signs."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.engine.conditions import ScanResult
from bot.engine.kind import article_kind
from bot.engine.lead import LONG_TEXT, lead_article, lead_text
from bot.models import Article

RULES = """
- id: clash
  title: Clash
  scope: lead
  when:
    kind: news
    killed: {at_least: 1}
    terms: [gunmen, ambush*, shelling, attack*]
- id: clash-anywhere
  title: Clash anywhere
  when:
    killed: {at_least: 1}
    terms: [gunmen, ambush*, shelling, attack*]
"""
RULESET = compile_rules(load_rules_text(RULES, "test.yaml"))
NOW = datetime(2026, 12, 1, tzinfo=UTC)

# Background paragraphs written for these tests: long enough to make an article "long".
FILLER = (
    "The district has seen years of unrest between herders and farmers over grazing land and water. "
    "Aid groups say schools in the area have been closed for most of the year, and that families have "
    "moved to the regional capital in search of work. The governor has promised new roads and a clinic. "
) * 6


def article(title: str, text: str) -> Article:
    return Article(source="test", title=title, text=text, published=NOW)


def fired(a: Article) -> dict[str, dict[str, object]]:
    return {m.rule_id: m.facts for m in RULESET.match(a, NOW)}


def test_a_long_report_of_a_new_attack_matches_on_its_lead_with_todays_toll() -> None:
    text = ("Gunmen ambushed a police patrol outside the town on Tuesday, killing three officers, the regional "
            "police chief said. " + FILLER + " In 2019, an attack on the same road killed 40 people.")
    assert len(text) > LONG_TEXT
    result = fired(article("Three police officers killed in ambush", text))
    assert result["clash"]["killed"] == 3
    assert result["clash-anywhere"]["killed"] == 3


def test_a_long_report_takes_its_wounded_from_the_body_when_its_lead_gives_only_the_dead() -> None:
    told_later = ("Gunmen ambushed a police patrol outside the town on Tuesday, killing three officers, the "
                  "regional police chief said. " + FILLER + " Doctors at the district hospital said seven "
                  "people were wounded in the attack, two of them seriously.")
    assert fired(article("Three police officers killed in ambush", told_later))["clash"] == {"killed": 3, "wounded": 7}
    # wounded in the lead stay the lead's, and a lead with no dead takes nothing from the body
    told_first = told_later.replace("killing three officers,", "killing three officers and wounding two,")
    assert fired(article("Three police officers killed in ambush", told_first))["clash"] == {"killed": 3, "wounded": 2}


def test_a_long_piece_that_mentions_an_old_attack_deep_in_its_body_does_not_match_in_lead_scope() -> None:
    text = ("The town's new market opened on Saturday with stalls selling grain, cloth and phones. " + FILLER
            + " Traders recalled how gunmen stormed the old market, killing twelve people.")
    result = fired(article("A market reopens", text))
    assert "clash" not in result
    assert "clash-anywhere" in result  # the same words anywhere in the text still satisfy a whole-article rule


def test_short_items_are_read_whole() -> None:
    text = "Residents said the shelling began at dawn. Later, officials said two children were killed in the attack."
    assert len(text) < LONG_TEXT
    assert fired(article("", text))["clash"]["killed"] == 2


def test_the_lead_is_a_few_sentences() -> None:
    body = "First sentence here. Second one here. Third one. Fourth one. Fifth one is not in the lead."
    assert lead_text(body) == "First sentence here. Second one here. Third one. Fourth one."
    assert lead_text("No sentence end at all " * 200).startswith("No sentence end")


@pytest.mark.parametrize(
    ("title", "text", "kind"),
    [
        ("Gunmen kill three in ambush", "Gunmen ambushed a patrol on Tuesday, killing three officers.", "news"),
        ("Opinion: The war nobody is watching", "The shelling goes on. " + FILLER, "opinion"),
        ("Ten years since the siege, survivors return", "Survivors gathered at the stadium. " + FILLER,
         "anniversary"),
        ("Former commander goes on trial", "A former militia commander went on trial on Monday over the 2014 "
         "massacre of 30 villagers.", "trial"),
        ("", "The former general, who led the army during the war, died at the age of 91, his family said.",
         "obituary"),
        ("Attack on the border post: what we know", "Gunmen attacked a border post on Sunday.", "explainer"),
        ("Ten years of war", "2014: troops enter the province. 2016: a ceasefire fails. 2019: talks resume.",
         "explainer"),
        ("Timeline: the siege", "Rebels surrounded the city in March.", "explainer"),
        # a profile or an interview tells a person's story, even when it recalls the battles they fought
        ("Profile: the general who held the capital", "He placed artillery and troops on the approaches. "
         + FILLER, "feature"),
        ("Interview - the last doctor in the besieged town", "Shelling killed two nurses last week.", "feature"),
        # ... but a headline merely starting with the word is news
        ("Feature film festival cancelled after shelling kills two", "Shelling killed two people.", "news"),
        # an attack on a commemoration is news of the attack; the commemoration of one is an anniversary
        ("", "At least 20 people died when a bomb exploded among mourners gathered to commemorate the "
         "anniversary of a cleric's death.", "news"),
        ("", "Hundreds gathered on Sunday to commemorate the anniversary of the bombing that killed 20 people.",
         "anniversary"),
        # ... and so in the headline: one that opens with its own toll, or kills in the present tense, is news
        ("41 dead as suicide bomber strikes memorial march in Quetta", "The bomber blew himself up among marchers "
         "on Friday.", "news"),
        ("Rocket hits remembrance service, kills 7", "Seven worshippers died.", "news"),
        ("Memorial held for 12 killed in mine attack", "Families laid flowers at the site.", "anniversary"),
        ("The northern war since 2014: a timeline", "Rebels took the first towns in the spring.", "explainer"),
        ("Clashes kill 4", "Columnists and critics disagree, but the toll is clear: four dead in the clash.",
         "news"),
        ("", "A soldier was killed. The views expressed in this commentary are the author's own.", "opinion"),
        # charges and rulings over deaths are court coverage, not news of the deaths
        ("", "A former guard who is charged over the deaths of two inmates can be tried as an adult, a judge "
         "ruled on Friday.", "trial"),
        ("Gunman indicted over market shooting", "The man was arrested at the scene in May.", "trial"),
        ("Police kill two robbers", "Officers shot dead two armed robbers; a third was later charged with "
         "theft.", "news"),
        # a follow-up tells first of an attack a week or more back; its dead are that attack's
        ("", "Shops stayed shut on Monday while the town grieved for the students, a week after the "
         "raid on the college, in which gunmen killed 40 students.", "follow-up"),
        ("Market traders reopen a month after the bombing", "Stalls reopened on Saturday.", "follow-up"),
        ("", "Weeks after the ambush that killed nine rangers, the park has hired new guards.", "follow-up"),
        # ... a week or more counted in days too: a build-up story recalling the clash it answers
        ("Serbia moves 5,000 troops to Kosovo line", "Serbia has moved about 5,000 troops to the line, eleven days "
         "after four police officers were killed in an ambush near Zvecan.", "follow-up"),
        ("", "Ten days since gunmen killed six miners, the pit has reopened.", "follow-up"),
        ("Serbia moves troops to Kosovo line", "Serbia moved troops to the line three days after four police "
         "officers were killed near Zvecan.", "news"),
        # ... but a new attack told first is news, whatever older one the lead recalls next
        ("Gunmen kill five at market", "Gunmen killed five traders on Sunday, a month after the bombing of the "
         "same market.", "news"),
        # ... and an attack of this week, or the funerals of its dead, are too recent to be left to an
        # incident Beacon may never have seen
        ("India holds funerals for soldiers killed in border clash", "Funerals were held on Friday.", "news"),
        ("", "This week's attack on the college is the group's fifth in a year.", "news"),
        # an age of a place or an event in a headline is an anniversary; a distance is not
        ("Srebrenica at 30: thousands gather as more victims are laid to rest", "Mourners came from afar.",
         "anniversary"),
        ("Gunmen kill five at 30 km from the border", "Gunmen killed five villagers.", "news"),
    ],
)
def test_article_kind(title: str, text: str, kind: str) -> None:
    assert article_kind(title, text) == kind


def test_kind_news_keeps_op_eds_out() -> None:
    text = ("Gunmen ambushed a patrol on Tuesday, killing three officers. "
            "The views expressed in this commentary are mine.")
    assert "clash" not in fired(article("Opinion: after the ambush", text))
    assert fired(article("After the ambush", "Gunmen ambushed a patrol on Tuesday, killing three officers."))


def test_unknown_scope_and_kind_are_refused_with_position() -> None:
    from bot.errors import RuleError

    with pytest.raises(RuleError) as err:
        load_rules_text("id: x\ntitle: X\nscope: paragraph\nwhen:\n  kind: newz\n  terms: [a]\n", "bad.yaml")
    text = str(err.value)
    assert "bad.yaml:3" in text and "scope" in text
    assert "bad.yaml:5" in text and "newz" in text and "news" in text


@pytest.mark.parametrize(
    ("title", "text", "kind"),
    [
        # an attack the lead itself dates a year or more back is no news told first: the anniversary stands
        ("", "A year after gunmen killed dozens of farmers near the dam, their widows gathered in the capital on "
         "Sunday to mark the anniversary.", "anniversary"),
        ("", "Two years since the bombing of the bus station, survivors met to mark the anniversary.", "anniversary"),
        # ... but deaths told first with no such date are news, whatever the lead commemorates next
        ("", "Gunmen killed four guards on Sunday at a rally held to mark the anniversary of the uprising.", "news"),
        # hearings and tribunals over old killings, and findings that an old attack was a war crime
        ("Former soldiers face victims' mothers at hearing on staged killings", "Nine retired officers sat before "
         "the families on Tuesday.", "trial"),
        ("", "Three former officers told the special tribunal on Monday that the killings of 40 farmers in 2008 "
         "were staged.", "trial"),
        ("Inquiry says 2023 strike on wedding was a likely war crime", "The strike killed 80 guests.", "trial"),
        # ... while an attack on a court is news
        ("Gunmen kill two guards outside court", "Gunmen shot dead two guards at the gate on Monday.", "news"),
    ],
)
def test_kind_old_attacks_hearings_and_findings(title: str, text: str, kind: str) -> None:
    assert article_kind(title, text) == kind


def test_the_headline_toll_is_read_alike_by_the_kind_and_the_clash_rule() -> None:
    """kind.py and rules/fatal-clash.yaml both let a headline that opens with its toll through a memorial or
    trial word: the two patterns must stay one."""
    import yaml

    from bot.engine.kind import _HEADLINE_TOLL

    rule = yaml.safe_load((Path(__file__).parents[1] / "rules" / "fatal-clash.yaml").read_text())
    exceptions = [
        branch["all"][1]["not"]["regex"]
        for branch in rule["when"]["not"]["any"]
        if "all" in branch and "not" in branch["all"][1] and "regex" in branch["all"][1]["not"]
        and branch["all"][0].get("terms") == ["$trials-memorials-fiction"]
    ]
    assert exceptions == [_HEADLINE_TOLL.pattern]


def test_a_leads_language_and_kind_are_the_whole_articles_read_once() -> None:
    # a long report matched by a `scope: lead` rule is scanned twice, whole and lead; its language and kind are
    # the whole article's, so they are read from it once and the lead's scan asks the whole one
    text = ("Gunmen ambushed a police patrol outside the town on Tuesday, killing three officers, the regional "
            "police chief said. " + FILLER)
    whole_article = article("Three police officers killed in ambush", text)
    whole = ScanResult(article=whole_article, text=whole_article.title + "\n" + text,
                       title_end=len(whole_article.title), now=NOW)
    lead = lead_article(whole_article)
    lead_scan = ScanResult(article=lead, text=lead.title + "\n" + lead.text, title_end=len(lead.title), now=NOW,
                           whole=whole_article, whole_scan=whole)
    assert lead_scan.language == "en" and lead_scan.kind == "news"
    assert whole._language == ("en",) and whole._kind == "news"   # read on the whole article's scan
    assert lead_scan._language is None and lead_scan._kind is None  # and not again on the lead's
    assert (lead_scan.language, lead_scan.kind) == (whole.language, whole.kind)
    # the matcher links them: the lead rule's match carries the whole article's language
    [match] = [m for m in RULESET.match(whole_article, NOW) if m.rule_id == "clash"]
    assert match.language == "en"
