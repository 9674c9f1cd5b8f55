"""The night round in Serbian, Albanian, Russian and Ukrainian (docs/languages.md, "Since the night round"):
a police killing in law enforcement in each language, reinforcements and deployments with no named border,
declined town names, and short Russian titles told from Ukrainian. Every sentence is our own."""

from __future__ import annotations

import pytest

from bot.engine import RuleSet
from bot.engine.language import detect_language
from bot.engine.place_names_local import declined_forms
from bot.models import Article
from tests.conftest import shipped_ruleset


def shipped() -> RuleSet:
    """The shipped rules, compiled once per test worker (tests/conftest.py)."""
    return shipped_ruleset()


def rules_matched(title: str, text: str, language: str) -> set[str]:
    return {m.rule_id for m in shipped().match(Article("t", title, text, language=language))}


# police who kill a man with a knife in law enforcement: no armed clash, in any of the four languages
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sr", "Policija u Kraljevu ubila muškarca koji je nožem napao prodavce",
     "Policajac je iz službenog pištolja usmrtio muškarca koji je nožem napadao prodavce na pijaci. Tužilaštvo "
     "ispituje da li je upotreba vatrenog oružja bila opravdana."),
    ("sr", "Полицајац у Чачку упуцао мушкарца који је претио ножем",
     "Мушкарац који је ножем претио пролазницима преминуо је у болници. Испитује се употреба ватреног оружја."),
    ("sq", "Policia vret një burrë që sulmoi me thikë dy gra në Gjakovë",
     "Një polic qëlloi me armën zyrtare një burrë që po sulmonte me thikë dy gra. Burri vdiq në spital. "
     "Inspektorati Policor nisi hetimin."),
    ("ru", "В Самаре полицейские застрелили мужчину, бросившегося на них с ножом",
     "Сотрудники полиции применили табельное оружие против мужчины, который с ножом напал на наряд у вокзала. "
     "Он скончался на месте, проводится проверка."),
    ("uk", "У Львові поліцейський застрелив чоловіка, який напав на патруль з ножем",
     "Поліцейський застосував табельну зброю проти чоловіка з ножем. Нападник помер на місці, триває перевірка."),
])
def test_police_killing_a_man_with_a_knife_is_no_clash(language: str, title: str, text: str) -> None:
    assert "fatal-clash" not in rules_matched(title, text, language)


# police who kill armed men of a group, or police killed, are in a clash
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sr", "Policija ubila dvojicu terorista posle napada nožem na patrolu",
     "Dvojica terorista napala su patrolu nožem i pištoljem, a policija ih je ubila u razmeni vatre."),
    ("sq", "Policia vret dy terroristë pas sulmit me thikë ndaj patrullës",
     "Dy terroristë sulmuan patrullën me thikë dhe armë zjarri; policia i vrau në shkëmbimin e zjarrit."),
    ("ru", "Полицейские застрелили двух боевиков, напавших на пост с ножами",
     "Двое боевиков с ножами и пистолетом напали на пост полиции; оба убиты в перестрелке."),
    ("uk", "Поліцейські застрелили двох бойовиків, які напали на блокпост з ножами",
     "Двоє бойовиків з ножами та автоматом напали на блокпост; обох знищено у перестрілці."),
    # the police killed, not killing: the accusative is no subject
    ("sr", "Napadač nožem ubio policajca ispred stanice u Novom Pazaru",
     "Naoružani napadač je nožem ubio policajca na ulazu u policijsku stanicu, a zatim je uhapšen."),
])
def test_police_against_armed_men_stays_a_clash(language: str, title: str, text: str) -> None:
    assert "fatal-clash" in rules_matched(title, text, language)


# build-ups with no border named: reinforcements a force sends, a security situation that worsens, violence, a
# force that grows; and the present plural of a Serbian pull-back (update-only)
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sr", "KFOR šalje pojačanja u Zubin Potok posle napada na patrolu", ""),
    ("sq", "KFOR dërgon përforcime në Zubin Potok pas sulmit ndaj patrullës", ""),
    ("sr", "EUFOR upućuje 400 vojnika u Bosnu",
     "Misija upućuje 400 vojnika iz rezervnih snaga zbog pogoršanja bezbednosne situacije u zemlji."),
    ("sq", "NATO dërgon 400 ushtarë në veri të Kosovës",
     "Aleanca dërgon 400 ushtarë pas dhunës së javës së kaluar në komunat veriore."),
    ("ru", "Группировка у границы с Норвегией вырастет до 20 тысяч",
     "Численность группировки у границы с Норвегией вырастет до 20 тысяч военнослужащих, сообщил источник."),
])
def test_build_ups_with_no_named_border(language: str, title: str, text: str) -> None:
    assert "troop-buildup" in rules_matched(title, text, language)


@pytest.mark.parametrize(("language", "title", "text"), [
    # backup sent to the scene of a shooting is no build-up (the singular)
    ("sr", "Policajac ranjen u pucnjavi kod Jarinja",
     "Nepoznati napadači pucali su na patrolu, a na lice mesta upućeno je pojačanje specijalne policije."),
    # a worsening economy is no standoff
    ("sr", "Vlada šalje inspektore u fabrike", "Inspektori su upućeni zbog pogoršanja ekonomske situacije."),
])
def test_backup_and_other_worsening_are_no_build_up(language: str, title: str, text: str) -> None:
    assert "troop-buildup" not in rules_matched(title, text, language)


def test_serbian_present_plural_pull_back_updates_the_build_up() -> None:
    matches = shipped().match(Article("t", "САД повлаче 200 војника из базе у Урошевцу",
                                      "Сједињене Државе повући ће око 200 војника из базе, саопштио је Пентагон.",
                                      language="sr"))
    pullback = [m for m in matches if m.rule_id == "troop-buildup"]
    assert pullback and pullback[0].facts.get("troops_change") == "decrease"


# short Cyrillic titles with none of Russian's or Ukrainian's own letters (ы э ъ ё, і ї є ґ)
@pytest.mark.parametrize(("title", "language"), [
    ("Засада у Тюбы: обстрелян патруль Росгвардии", "ru"),   # и before и: Ukrainian writes "Росгвардії"
    ("Армия наращивает группировку у границы", "ru"),       # "ия", and е after a vowel
    ("Удар по Краматорську: загинули четверо", "uk"),        # a soft sign in -ськ-
    ("Удар по Слов’янську: загинули п'ятеро", "uk"),         # apostrophes inside words
    ("Израелски напад на школу у Гази, више од тридесет мртвих", "sr"),   # е after a vowel is Serbian too
])
def test_short_russian_and_ukrainian_titles_by_spellings_of_their_own(title: str, language: str) -> None:
    assert detect_language(title) == language


# a Russian or Ukrainian town in the locative names the town and its country, not only a contested area
@pytest.mark.parametrize(("title", "text", "language", "town"), [
    ("В Купянске при обстреле погибли двое", "Двое мирных жителей погибли в Купянске при обстреле.", "ru", "Kupyansk"),
    ("В Донецке при обстреле погибли трое", "Три человека погибли в Донецке при обстреле рынка.", "ru", "Donetsk"),
    ("У Херсоні внаслідок обстрілу загинули троє", "Троє людей загинули у Херсоні внаслідок обстрілу.", "uk",
     "Kherson"),
    ("У Луганську вибух: загинули двоє", "Двоє людей загинули у Луганську внаслідок удару дрона.", "uk", "Luhansk"),
])
def test_declined_towns_name_the_town_and_its_country(title: str, text: str, language: str, town: str) -> None:
    clash = [m for m in shipped().match(Article("t", title, text, language=language)) if m.rule_id == "fatal-clash"]
    assert clash and town in clash[0].regions and "Ukraine" in clash[0].regions


def test_declension_of_town_names() -> None:
    assert {"Донецке", "Донецька"} <= set(declined_forms("Донецк") + declined_forms("Донецьк"))
    assert {"Харкові", "Харкова"} <= set(declined_forms("Харків"))
    assert {"Одесі", "Одессе", "Одессы"} <= set(declined_forms("Одеса") + declined_forms("Одесса"))
    assert "Авдіївці" in declined_forms("Авдіївка")
    assert "Сумах" in declined_forms("Суми")


# a clash in the Preševo valley is in Serbia, though its report names the line with Kosovo
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sr", "Napadnuta patrola kod Bujanovca, poginuo policajac",
     "Policajac je poginuo kada je na patrolu kod Bujanovca otvorena vatra; napadači su pobegli ka liniji sa Kosovom."),
    ("sq", "Sulmohet patrulla afër Preshevës, vritet një polic",
     "Një polic u vra kur persona të armatosur hapën zjarr mbi patrullën afër Preshevës; sulmuesit ikën "
     "drejt Kosovës."),
])
def test_a_clash_in_the_presevo_valley_is_no_kosovo_clash(language: str, title: str, text: str) -> None:
    found = rules_matched(title, text, language)
    assert "fatal-clash" in found and "kosovo-fatal-clash" not in found
