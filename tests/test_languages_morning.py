"""The morning round in Serbian, Albanian, Russian and Ukrainian (docs/languages.md, "Since the morning round"): forces
sent abroad named in more ways, forces sent to riots, protests and matches at home, a rotation, blasts whose report
rules out an attack, analysis headlines, a toll corrected, and war leftovers read as in English. Every sentence is
our own; the rules are the shipped ones."""

from __future__ import annotations

import pytest

from bot.engine import RuleSet
from bot.engine.facts.local import read_local_facts
from bot.engine.kind import article_kind
from bot.engine.kind_local import headline_kind
from bot.models import Article
from tests.conftest import shipped_ruleset


def shipped() -> RuleSet:
    """The shipped rules, compiled once per test worker (tests/conftest.py)."""
    return shipped_ruleset()


def rules_matched(title: str, text: str, language: str) -> set[str]:
    return {m.rule_id for m in shipped().match(Article("t", title, text, language=language))}


# forces sent abroad or massed, told with words the lists lacked: carabinieri, commandos in the indefinite, armoured
# units, "concentrates", reinforcement to bases abroad, the Middle East, the United States as "SAD", Somalia, Kuwait
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sr", "Italija upućuje 80 karabinjera u misiju u Bosni",
     "Italijanska vlada odobrila je slanje 80 karabinjera koji će ojačati misiju."),
    ("sr", "SAD upućuju dodatnih 1.500 vojnika na Bliski istok",
     "Pentagon je naredio slanje još hiljadu i po vojnika u region."),
    ("sr", "Мађарска распоредила оклопне јединице код Сегедина", ""),
    ("sq", "Greqia dërgon 300 komando në kufirin me Turqinë",
     "Qeveria greke tha se komandot do të qëndrojnë në kufi për disa javë."),
    ("sq", "FSK dërgon 60 ushtarë në misionin në Kuvajt",
     "Ushtarët do të shërbejnë gjashtë muaj në misionin ndërkombëtar."),
    ("ru", "Армения концентрирует войска у границы с Азербайджаном",
     "Министерство обороны Азербайджана сообщило о передвижении колонн."),
    ("ru", "Египет направит в Сомали до трёх тысяч военных",
     "Каир подтвердил участие в новой миссии Африканского союза."),
    ("ru", "Турция направила подкрепление на базы на севере Ирака",
     "Колонна с бронетехникой пересекла границу ночью."),
])
def test_forces_sent_abroad_or_massed_are_a_build_up(language: str, title: str, text: str) -> None:
    assert "troop-buildup" in rules_matched(title, text, language)


# forces sent to keep order at home (riots, protests, a match), a rotation, a sending "abroad" with no front
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sr", "Policija upućena u Kragujevac zbog protesta studenata",
     "Dodatne jedinice žandarmerije stigle su u grad posle sukoba na granici grada i sela."),
    ("sr", "Žandarmerija upućena u Loznicu posle nereda na utakmici",
     "Jedinice žandarmerije raspoređene su oko stadiona."),
    ("sq", "Njësi speciale dërgohen në Gjilan pas trazirave në ndeshje",
     "Policia tha se njësitë do të qëndrojnë në qytet deri të dielën."),
    ("ru", "В Дербент стянуты силы ОМОНа после беспорядков у стадиона",
     "Сотрудники полиции задержали двадцать человек."),
    ("uk", "До Ужгорода направили підрозділи поліції після заворушень на матчі",
     "Поліцейські посилили патрулювання біля стадіону."),
    ("ru", "Очередная смена пограничников прибыла на заставу у границы",
     "Новые пограничники заменили тех, кто отслужил полгода."),
    ("ru", "Минобороны направит за рубеж группу военных врачей",
     "Военные медики будут работать в госпитале полгода."),
])
def test_order_kept_at_home_a_rotation_and_abroad_are_no_build_up(language: str, title: str, text: str) -> None:
    assert "troop-buildup" not in rules_matched(title, text, language)


# a blast whose report rules out an attack is an accident, whatever the plant makes; a power plant is industry
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sr", "Eksplozija u fabrici municije u Kruševcu, poginuo radnik",
     "Radnik je poginuo u eksploziji u pogonu za punjenje granata. Policija je saopštila da eksplozija nije "
     "posledica napada."),
    ("sq", "Shpërthim në termocentralin e Kosovës A, vdes një punëtor",
     "Një punëtor vdiq pas shpërthimit të një kaldaje. Policia përjashtoi mundësinë e një sulmi."),
    ("ru", "Взрыв на заводе боеприпасов: погибли двое рабочих",
     "Двое рабочих погибли при взрыве в цехе завода. Следователи исключили версию теракта."),
    ("uk", "Вибух на заводі: загинули троє працівників",
     "Троє працівників загинули внаслідок вибуху в цеху заводу. Поліція виключила версію теракту."),
])
def test_a_blast_with_an_attack_ruled_out_is_no_clash(language: str, title: str, text: str) -> None:
    assert "fatal-clash" not in rules_matched(title, text, language)


# a shell of a war still fought kills as that war does; one of a war decades past does not
def test_an_unexploded_shell_of_a_war_still_fought_is_a_fatal_clash() -> None:
    assert "fatal-clash" in rules_matched(
        "Неразорвавшийся снаряд убил двух подростков в Горловке",
        "Двое подростков погибли, когда неразорвавшийся снаряд взорвался во дворе после ночного обстрела.", "ru")


def test_a_shell_of_the_second_world_war_is_no_clash() -> None:
    assert "fatal-clash" not in rules_matched(
        "Granata iz Drugog svetskog rata ubila traktoristu",
        "Traktorista je poginuo kada je plug udario u granatu iz Drugog svetskog rata.", "sr")


# analysis, opinion and explainers, by their own-language labels and questions of why
@pytest.mark.parametrize(("headline", "kind"), [
    ("Zašto jug Srbije ostaje nemiran", "analysis"),
    ("Зашто се север не смирује", "analysis"),
    ("Pse Lugina e Preshevës mbetet e tensionuar", "analysis"),
    ("Почему Донбасс снова горит", "analysis"),
    ("Чому фронт на півдні стоїть", "analysis"),
    ("Analiza: šta donosi novo primirje", "analysis"),
    ("Мнение: война на истощение", "opinion"),
    ("Çfarë dimë për sulmin në Zubin Potok", "explainer"),
    ("Що відомо про удар по Сумах", "explainer"),
])
def test_local_labels_and_questions_of_why_are_no_news(headline: str, kind: str) -> None:
    assert headline_kind(headline.lower()) == kind
    assert article_kind(headline, "Nekoliko policajaca poginulo je poslednjih godina.") == kind


def test_an_english_question_and_local_news_stay_news() -> None:
    assert article_kind("Why the border stays tense", "") == "news"
    assert article_kind("Poginuo policajac u pucnjavi kod Zvečana", "") == "news"


def test_an_analysis_of_the_north_is_no_kosovo_clash() -> None:
    found = rules_matched("Zašto sever Kosova ostaje nemiran",
                          "U napadima i sukobima poslednjih godina poginulo je više policajaca i civila.", "sr")
    assert "kosovo-fatal-clash" not in found and "fatal-clash" not in found


# a toll corrected, its figure after a dash or a colon
def test_a_corrected_toll_after_a_dash_is_the_toll() -> None:
    facts = read_local_facts("Суми: кількість загиблих уточнили — шестеро\nКількість загиблих унаслідок удару "
                             "уточнили: шестеро людей, а не семеро.", "uk")
    assert facts.killed == 6


def test_the_dead_of_a_strike_are_a_fatal_clash() -> None:
    assert "fatal-clash" in rules_matched(
        "Балаклія: кількість загиблих унаслідок удару зросла до п'яти",
        "Рятувальники знайшли під завалами ще двох загиблих унаслідок удару.", "uk")


# pull-backs told with a transitive verb, a future, the present plural or border guards: update-only matches
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sq", "Italia largon trupat nga Libani",
     "Ushtarët e fundit italianë, rreth 200 veta, janë larguar nga baza në jug të Libanit."),
    ("ru", "Армения возвращает бригаду от границы",
     "Бригада, выдвинутая к границе в мае, вернулась в места постоянной дислокации, сообщило Минобороны."),
    ("ru", "Российские пограничники покинут пункт пропуска на границе",
     "Пограничники, много лет нёсшие службу на пункте пропуска, покидают его по просьбе местных властей."),
])
def test_pull_backs_in_more_verbs_update_a_build_up(language: str, title: str, text: str) -> None:
    found = [m for m in shipped().match(Article("t", title, text, language=language)) if m.rule_id == "troop-buildup"]
    assert found and found[0].only_updates


def test_the_serbian_present_plural_of_withdrawing_is_a_decrease() -> None:
    facts = read_local_facts("Grčka i Turska povlače trupe sa granice na Evrosu\nObe zemlje povlače deo jedinica.",
                             "sr")
    assert facts.troops_change == "decrease"


def test_the_drenica_valley_is_in_kosovo() -> None:
    found = {m.rule_id for m in shipped().match(Article(
        "t", "Naoružani muškarac ubijen u pucnjavi sa policijom u Drenici",
        "Policija je u razmeni vatre ubila naoružanog muškarca.", language="sr"))}
    assert "kosovo-fatal-clash" in found
