"""The dawn round in Serbian, Albanian, Russian and Ukrainian (docs/languages.md, "Since the dawn round"): the
funeral of an attack's dead is a fatal clash, the funeral of a war's fallen is not. Every sentence is our own."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from bot.config import REPO_ROOT
from bot.engine import RuleSet
from bot.engine.facts.local import read_local_facts
from bot.engine.place_names_local import TOWNS_FILE, build_towns_file, cyrillic_nominatives
from bot.models import Article
from tests.conftest import shipped_ruleset


def shipped() -> RuleSet:
    return shipped_ruleset()


def rules_matched(title: str, text: str, language: str) -> set[str]:
    return {m.rule_id for m in shipped().match(Article("t", title, text, language=language))}


# the dead of an attack of this week, buried: news of that attack (a follow-up, still a fatal clash)
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sr", "Sahranjen policajac ubijen u zasedi kod Raške",
     "Policajac koji je u ponedeljak ubijen u zasedi na putu kod Raške sahranjen je danas u rodnom selu."),
    ("sr", "Сахрањена двојица граничара убијених у нападу на караулу",
     "Двојица граничара, убијени у суботу у нападу наоружане групе на караулу, сахрањени су данас."),
    ("sq", "Varroset polici i vrarë në sulmin ndaj patrullës në Zubin Potok",
     "Polici që u vra të hënën në sulmin ndaj patrullës u varros sot me nderime në Pejë."),
    ("ru", "В Курске простились с тремя погибшими при обстреле рынка",
     "Трое местных жителей погибли в четверг, когда снаряды попали в рынок; сегодня с ними простились."),
    ("uk", "У Харкові попрощалися з чотирма загиблими внаслідок удару по заводу",
     "Четверо робітників загинули у вівторок під час ракетного удару по заводу; сьогодні їх поховали."),
])
def test_the_funeral_of_an_attacks_dead_is_a_fatal_clash(language: str, title: str, text: str) -> None:
    assert "fatal-clash" in rules_matched(title, text, language)


# the funeral of a soldier of a long war, of remains given back, or of a man who died of an illness: no incident
@pytest.mark.parametrize(("language", "title", "text"), [
    ("ru", "В Омске похоронили бойца, чьё тело вернули при обмене",
     "Останки военнослужащего передали родным спустя год после его гибели; прощание прошло в городском храме."),
    ("uk", "У Рівному попрощалися із захисником, останки якого повернули через рік",
     "Захисника поховали на алеї почесних поховань; його тіло повернули під час репатріації."),
    ("sr", "Sahranjeni posmrtni ostaci trojice Srba nestalih 1999. godine",
     "Posmrtni ostaci identifikovani su posle dve decenije i sahranjeni danas na seoskom groblju."),
    ("sq", "Varroset me nderime ushtari që humbi jetën gjatë stërvitjes",
     "Ushtari vdiq gjatë një stërvitjeje në poligon; ai u varros sot në vendlindje."),
])
def test_the_funeral_of_no_new_attack_is_no_clash(language: str, title: str, text: str) -> None:
    assert "fatal-clash" not in rules_matched(title, text, language)


# the toll of an earlier attack, told in passing, is no toll of today's report; nor is a feuilleton's
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sr", "KFOR šalje još 200 vojnika na sever posle pucnjave kod Zvečana",
     "Na sever će biti upućeno još 200 vojnika iz rezervnih snaga. U ranijem napadu poginuo je jedan policajac."),
    ("ru", "На границу переброшены дополнительные силы после перестрелки",
     "К границе направлены ещё два батальона. В предыдущем нападении погиб один пограничник."),
    ("sr", "Feljton: Bitka na Paštriku, svedočenja preživelih",
     "Dvadeset pet godina posle bitke na Paštriku, bivši vojnici pričaju o danima kada je na karauli poginulo 60 "
     "pripadnika Vojske Jugoslavije."),
])
def test_an_earlier_attacks_toll_or_a_feuilleton_is_no_clash(language: str, title: str, text: str) -> None:
    assert "fatal-clash" not in rules_matched(title, text, language)


# Kumanovo in Serbian cases and in Albanian is in North Macedonia; the government "in Pristina" that condemns the
# attack is a speaker, not the place: no Kosovo clash
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sr", "Куманово: у борбама са наоружаном групом погинуло шест полицајаца",
     "Полиција Северне Македоније водила је борбе у једном насељу Куманова. Група је, према властима, дошла са "
     "Косова. Влада у Приштини осудила је напад."),
    ("sq", "Sulm i armatosur në Kumanovë: vriten gjashtë policë",
     "Policia e Maqedonisë së Veriut u përlesh me një grup të armatosur në Kumanovë. Sipas autoriteteve, grupi "
     "kishte ardhur nga Kosova. Qeveria në Prishtinë e dënoi sulmin."),
])
def test_a_clash_in_kumanovo_is_no_kosovo_clash(language: str, title: str, text: str) -> None:
    matched = rules_matched(title, text, language)
    assert "fatal-clash" in matched
    assert "kosovo-fatal-clash" not in matched


# forces sent or arriving abroad with no border named: a force of troops abroad next to a word of sending in the
# headline, with the place it goes to (a base, a country, the Golan)
@pytest.mark.parametrize(("language", "title", "text"), [
    ("sq", "Gjermania dërgon batalion shtesë në Bondsteel",
     "Ministria e Mbrojtjes urdhëroi dërgimin e rreth 500 ushtarëve në Kampin Bondsteel në Kosovë."),
    ("ru", "Российский корпус прибыл в Мали",
     "В Бамако прибыли около двухсот военнослужащих с бронетехникой, сообщили местные власти."),
    ("uk", "Казахстан відправив миротворців до Голанських висот",
     "Перша група з 120 військовослужбовців вирушила на Голанські висоти у складі місії ООН."),
    ("sr", "Italija šalje mirovnjake u Liban",
     "Vlada u Rimu odlučila je da u misiju UN u Libanu uputi još 300 vojnika."),
])
def test_forces_sent_abroad_with_no_border_are_a_build_up(language: str, title: str, text: str) -> None:
    assert "troop-buildup" in rules_matched(title, text, language)


# ... but not troops sent after a flood, a sending allowed only if needed, a rotation of a force whose size stays
@pytest.mark.parametrize(("language", "title", "text"), [
    ("ru", "В Орск после паводка направлены 300 военных",
     "Военнослужащие помогают жителям затопленных улиц, сообщило Минобороны."),
    ("ru", "Парламент разрешил при необходимости направить в Молдавию военных",
     "Депутаты одобрили закон, который позволяет правительству отправлять военных в миссии ООН."),
    ("ru", "В Абхазию прибыла новая смена российских миротворцев",
     "Численность контингента не изменилась и составляет около 300 человек."),
    ("uk", "На Голанські висоти прибула нова зміна казахстанських миротворців",
     "Чисельність контингенту не змінилася: 139 військовослужбовців замінили попередню групу."),
])
def test_relief_conditional_sending_and_same_size_are_no_build_up(language: str, title: str, text: str) -> None:
    assert "troop-buildup" not in rules_matched(title, text, language)


def killed(title: str, text: str, language: str) -> int | None:
    return read_local_facts(f"{title}\n{text}", language).killed


# the dead told "also" before the verb are besides the headline's; last week's dead and those "under which" an
# earlier collapse buried are not today's
@pytest.mark.parametrize(("language", "title", "text", "expected"), [
    ("uk", "На кордоні в бою з контрабандистами загинули троє прикордонників",
     "Троє прикордонників загинули в перестрілці на кордоні. Двоє контрабандистів також убиті.", 5),
    ("ru", "В перестрелке на границе погибли двое пограничников",
     "Двое пограничников погибли в перестрелке с контрабандистами. Трое нарушителей также убиты.", 5),
    ("uk", "Обстріл Миколаєва: загинув чоловік",
     "Російські війська обстріляли місто, загинув 50-річний чоловік. Минулого тижня внаслідок обстрілів у місті "
     "загинули ще четверо людей.", 1),
    ("uk", "Сутичка на кордоні з сусідньою країною",
     "Двоє прикордонників загинули у сутичці. Напруга зросла після обвалу мосту, під яким загинули дев'ять людей.",
     2),
])
def test_killed_also_before_the_verb_and_other_days(language: str, title: str, text: str, expected: int) -> None:
    assert killed(title, text, language) == expected


# a skirmish is armed violence in Ukrainian and Russian
@pytest.mark.parametrize(("language", "title", "text"), [
    ("uk", "Сутичка на кордоні забрала життя трьох прикордонників",
     "Троє прикордонників загинули під час збройної сутички з сусідніми військовими біля села."),
    ("ru", "В стычках на побережье погибли 20 человек",
     "Не менее 20 человек погибли в вооружённых стычках между армией и ополченцами."),
])
def test_a_skirmish_with_deaths_is_a_fatal_clash(language: str, title: str, text: str) -> None:
    assert "fatal-clash" in rules_matched(title, text, language)


# any town of 15,000 or more of Ukraine, Russia and their neighbours, declined, names the town and its country (not
# only the 29 towns data/place_names_local.yaml lists)
@pytest.mark.parametrize(("title", "text", "language", "town", "country"), [
    ("У Нікополі внаслідок обстрілу загинули двоє", "Двоє людей загинули у Нікополі внаслідок артилерійського "
     "обстрілу.", "uk", "Nikopol", "Ukraine"),
    ("В Никополе при обстреле погибли двое", "Два человека погибли в Никополе при артиллерийском обстреле.", "ru",
     "Nikopol", "Ukraine"),
    ("У Ковелі вибух дрона: загинули троє", "Троє людей загинули у Ковелі внаслідок удару дрона.", "uk", "Kovel",
     "Ukraine"),
    ("Под Гомелем в перестрелке погибли двое", "Двое военных погибли в перестрелке под Гомелем.", "ru", "Homyel'",
     "Belarus"),
])
def test_any_declined_town_names_the_town_and_its_country(title: str, text: str, language: str, town: str,
                                                          country: str) -> None:
    clash = [m for m in shipped().match(Article("t", title, text, language=language)) if m.rule_id == "fatal-clash"]
    assert clash and town in clash[0].regions and country in clash[0].regions


def test_the_towns_table_is_what_its_builder_writes(tmp_path: Path) -> None:
    """data/towns_cyrillic.tsv.gz is generated from GeoNames (python -m bot.engine.place_names_local): written
    again, it is the same table; it keeps no adjective and no other town's name ("Слов'янськ" is not Nikopol's)."""
    out = tmp_path / "towns.tsv.gz"
    written = build_towns_file(str(out))
    shipped_table = gzip.decompress((REPO_ROOT / "bot/engine/data" / TOWNS_FILE).read_bytes()).decode()
    assert gzip.decompress(out.read_bytes()).decode() == shipped_table
    assert written == len(shipped_table.splitlines()) > 1000
    rows = dict(line.split("\t") for line in shipped_table.splitlines())
    assert rows["700051"].split("|") == ["Никополь", "Никопіль", "Нікополь", "Нікопіль"]
    assert cyrillic_nominatives("Sovetskiy", ["Советский", "Sovetsky"]) == []


# an abbreviated thousand's dot ends no sentence: "3 тыс. военных" is 3,000 troops
@pytest.mark.parametrize(("language", "text", "expected"), [
    ("ru", "КНДР направила в Россию ещё 3 тыс. военных\nОни будут размещены в приграничной области.", 3000),
    ("uk", "Росія перекинула до кордону ще 5 тис. військових\nВони прибули ешелонами.", 5000),
])
def test_an_abbreviated_thousand_counts_troops(language: str, text: str, expected: int) -> None:
    assert read_local_facts(text, language).troops == expected


# a border guard killed, told by the Albanian passive with its subject, and a clash in the Rugova mountains, are Kosovo
# clashes
@pytest.mark.parametrize(("title", "text"), [
    ("Vritet roja i kufirit në Jarinjë", ""),
    ("Përleshje e armatosur në malet e Rugovës: vritet kontrabandist",
     "Në një shkëmbim zjarri mes policisë kufitare dhe kontrabandistëve një kontrabandist është vrarë."),
])
def test_albanian_kosovo_clashes_at_the_border(title: str, text: str) -> None:
    assert "kosovo-fatal-clash" in rules_matched(title, text, "sq")


def test_a_declined_form_that_folds_to_a_short_latin_word_is_left_out() -> None:
    """Shuya's dative "Шуи" folds to "sui": Sui in Balochistan is no Russian town."""
    article = Article("t", "", "Gunmen killed two guards of a gas plant in Sui on Monday, the levies said.")
    clash = [m for m in shipped().match(article) if m.rule_id == "fatal-clash"]
    assert clash and "Russia" not in clash[0].regions
