"""The shipped rules against the Serbian, Albanian, Russian and Ukrainian corpora: guards against
regressions in each language.

`L-dev.jsonl` was tuned on from the start; `L-holdout.jsonl` was run blind once (fatal-clash P 0.872
R 0.932, troop-buildup P 0.857 R 0.783 over the four) and opened as development data in the second
round; `L-holdout2.jsonl` was run blind once at the end of that round (docs/performance.md, "Languages,
second round") and opened in the third. All three are development sets now, and the floors sit a
little under the figures measured on them ("Languages, third round"). The third round's blind sets
(`L-holdout3.jsonl`) were run once and are development data since the fourth. The fifth round's blind sets
(`L-holdout4.jsonl`) were run once at its end (docs/performance.md, "Languages, holdout4 run once") and are
development data since; after the seventh round (troop-buildup precision 0.889-1.000 on each of them, "Languages,
seventh round") they are under the same floors as the other four sets, which did not have to drop to take them in.
"""

from __future__ import annotations

import pytest

from bot.evaluation import Labeled, evaluate, read_labeled
from bot.models import Article
from tests.conftest import DATA, shipped_ruleset


def development_set(language: str) -> list[Labeled]:
    # holdout3 and holdout4 were each run blind once (docs/performance.md) and are development data since
    return [item for part in ("dev", "holdout", "holdout2", "holdout3", "holdout4")
            for item in read_labeled(DATA / "lang" / f"{language}-{part}.jsonl")]


@pytest.mark.parametrize("language", ["sr", "sq", "ru", "uk"])
def test_precision_recall_and_facts_per_language(language: str) -> None:
    scores = {s.rule: s for s in evaluate(shipped_ruleset(), development_set(language))}
    clash, buildup = scores["fatal-clash"], scores["troop-buildup"]
    assert clash.precision >= 0.95 and clash.recall >= 0.97, clash.misses
    assert buildup.precision >= 0.9 and buildup.recall >= 0.95, buildup.misses
    assert clash.fact_right["killed"] / clash.fact_total["killed"] >= 0.9, clash.misses
    assert buildup.fact_right["troops"] / buildup.fact_total["troops"] >= 0.9, buildup.misses
    assert buildup.fact_right["troops_change"] / buildup.fact_total["troops_change"] >= 0.95, buildup.misses


# holdout5 (run blind once, development data since; Russian and Ukrainian 200 items each) is held to the issue's
# bar itself: precision >= 0.9, recall >= 0.85, killed and troops exact on >= 85 % of positives
@pytest.mark.parametrize("language", ["sr", "sq", "ru", "uk"])
def test_holdout5_meets_the_issues_bar(language: str) -> None:
    items = read_labeled(DATA / "lang" / f"{language}-holdout5.jsonl")
    scores = {s.rule: s for s in evaluate(shipped_ruleset(), items)}
    clash, buildup = scores["fatal-clash"], scores["troop-buildup"]
    assert clash.precision >= 0.9 and clash.recall >= 0.85, clash.misses
    assert buildup.precision >= 0.9 and buildup.recall >= 0.85, buildup.misses
    assert clash.fact_right["killed"] / clash.fact_total["killed"] >= 0.85, clash.misses
    assert buildup.fact_right["troops"] / buildup.fact_total["troops"] >= 0.85, buildup.misses


def test_kosovo_clashes_in_serbian_and_albanian() -> None:
    for language in ("sr", "sq"):
        score = next(s for s in evaluate(shipped_ruleset(), development_set(language))
                     if s.rule == "kosovo-fatal-clash")
        assert score.precision >= 0.9 and score.recall >= 0.9, (language, score.misses)


def rules_matching(title: str, text: str, language: str) -> set[str]:
    from bot.models import Article

    return {m.rule_id for m in shipped_ruleset().match(Article(source="t", title=title, text=text, language=language))}


@pytest.mark.parametrize(("language", "title", "text", "rule", "expected"), [
    # Serbian "pas" (dog: an animal attack) is Albanian "pas" (after)
    ("sq", "Katër të vdekur dhe dy policë të plagosur pas sulmit në veri",
     "Katër persona u vranë në sulmin e armatosur.", "fatal-clash", True),
    # Russian "убит*" would find Serbian "убитачан" (deadly) in a football headline
    ("sr", "Партизан поразио Звезду, напад црно-белих био убитачан", "Фудбалери Партизана победили су.",
     "fatal-clash", False),
    # Serbian "golova" (goals) is Ukrainian "голова" (the head of an administration)
    ("uk", "Голова ОВА: внаслідок обстрілу загинули двоє людей", "Росіяни обстріляли село з артилерії.",
     "fatal-clash", True),
    # Russian "направ*" (sent) would find Serbian "naprave" (devices), and a wounded soldier
    # "prebačen u bolnicu" (taken to hospital) is no deployment
    ("sr", "U napadu na konvoj poginulo 29 vojnika",
     "Napadači su koristili eksplozivne naprave, a vojska tvrdi da je odgovorila. Dvojica ranjenih vojnika "
     "prebačena su helikopterom u bolnicu blizu granice.", "troop-buildup", False),
    # Ukrainian "призов*" (draft-age) would find Russian "призовут" (will call up) and block a mobilisation
    ("ru", "Объявлена мобилизация: призовут 300 тысяч резервистов",
     "Резервистов направят в части у линии фронта.", "troop-buildup", True),
])
def test_words_of_one_language_do_not_decide_another_s(language: str, title: str, text: str, rule: str,
                                                       expected: bool) -> None:
    assert (rule in rules_matching(title, text, language)) is expected


@pytest.mark.parametrize(("language", "title", "text", "rule", "expected"), [
    # KFOR stepping up patrols or its presence after an incident, with the troops it has, is no build-up
    ("sr", "KFOR pojačao prisustvo u Zvečanu posle napada na policiju",
     "KFOR je pojačao prisustvo na putevima oko Zvečana posle napada. Vojnici KFOR-a patroliraju i kod "
     "administrativne linije.", "troop-buildup", False),
    ("sq", "KFOR-i shton patrullat në veri pas incidentit",
     "Ushtarët e KFOR-it kanë shtuar patrullimin përgjatë vijës administrative pas të shtënave. Tensionet "
     "vazhdojnë.", "troop-buildup", False),
    # ... but troops sent from abroad to reinforce it are
    ("sr", "Nemačka šalje 150 vojnika da ojača KFOR posle tenzija na severu",
     "Nemačka će na Kosovo uputiti još 150 vojnika kao pojačanje misiji KFOR.", "troop-buildup", True),
    # reinforcements that did not arrive ("nisu stigla") are no arrival
    ("sr", "Pojačanja nisu stigla, pobunjenici zauzeli bazu kod granice",
     "Vojska tvrdi da pojačanja nisu stigla na vreme, pa su pobunjenici zauzeli bazu.", "troop-buildup", False),
    # a blast at a factory is an accident in every language, not a fatal clash
    ("sr", "Eksplozija u fabrici kod Šapca, poginuo radnik", "Radnik je poginuo u eksploziji.", "fatal-clash", False),
    ("sq", "Shpërthim në fabrikë në Elbasan, dy punëtorë të vdekur",
     "Dy punëtorë humbën jetën në shpërthim.", "fatal-clash", False),
    ("ru", "Взрыв на заводе в Подмосковье: погибли двое рабочих", "Двое рабочих погибли при взрыве в цехе.",
     "fatal-clash", False),
    ("uk", "Вибух на заводі у Львові: загинули двоє робітників", "Двоє робітників загинули внаслідок вибуху.",
     "fatal-clash", False),
    # forces sent toward a city where the enemy advances, or to replace another army's losses
    ("sq", "Ukraina zhvendos dy brigada drejt Kupjanskut",
     "Ushtria ka zhvendosur dy brigada drejt Kupjanskut, ku forcat ruse po përparojnë.", "troop-buildup", True),
    ("uk", "КНДР відправить ще 4 тисячі військових",
     "Північна Корея відправить ще 4 тисячі військових на заміну загиблим.", "troop-buildup", True),
])
def test_third_round_constructions(language: str, title: str, text: str, rule: str, expected: bool) -> None:
    assert (rule in rules_matching(title, text, language)) is expected


@pytest.mark.parametrize(("language", "title", "text", "region"), [
    ("sr", "Severna Koreja poslala hiljade vojnika u Rusiju",
     "Prema obaveštajnim podacima, Pjongjang šalje još ljudi na front.", "Russia"),
    ("sr", "Турска шаље 500 војника на Косово", "Анкара ће ојачати свој контингент у саставу мисије.", "Kosovo"),
    ("sq", "Turqia dërgon 500 ushtarë në Kosovë", "Ankaraja do të përforcojë kontingjentin e saj.", "Kosovo"),
    ("ru", "Франция направит в Румынию батальон военных", "Париж усилит присутствие на восточном фланге.",
     "Romania"),
    ("uk", "Польща відправить військових до Литви", "Варшава посилить свій контингент.", "Lithuania"),
])
def test_troops_one_country_sends_to_another_are_a_build_up_where_they_go(
        language: str, title: str, text: str, region: str) -> None:
    # troop-buildup's `countries: 2` headline path, with the countries' names and the prepositions
    # ("u", "na", "në", "в", "до") of each language; the place is where the troops go, not who sends them
    [match] = [m for m in shipped_ruleset().match(Article("t", title, text, language=language))
               if m.rule_id == "troop-buildup"]
    assert match.facts.get("troops_change") == "increase"
    assert match.regions[0] == region


def test_two_countries_in_a_headline_without_troops_are_no_build_up() -> None:
    article = Article("t", "Kina i Rusija potpisale sporazum o trgovini", "Dogovorene su nove kvote.", language="sr")
    assert [m.rule_id for m in shipped_ruleset().match(article)] == []


@pytest.mark.parametrize(("language", "title", "text", "rule", "expected"), [
    # a deployment denied or not seen is no build-up
    ("ru", "Штаб опроверг сообщения о переброске войск к границе",
     "«Никакие новые подразделения к границе не направлялись и не прибывали», — заявили в штабе.",
     "troop-buildup", False),
    ("uk", "Прикордонники: нових підрозділів біля кордону не виявлено",
     "За словами речника, нових підрозділів біля кордону не виявлено, техніка не прибувала.", "troop-buildup", False),
    # allied troops that never came, beside an earlier deployment told in the past
    ("ru", "Союзники не прислали войска на помощь",
     "Ереван просил о помощи, но войска союзников так и не прибыли. В январе блок перебросил две тысячи военных "
     "в другую страну.", "troop-buildup", False),
    # a strike on a gathering of soldiers is a fatal clash, not a build-up
    ("uk", "Ракетний удар по навчальному центру: загинули 11 військових",
     "Росія знову вдарила по скупченню військових у тилу, загинули 11 військовослужбовців.", "troop-buildup", False),
    ("uk", "Ракетний удар по навчальному центру: загинули 11 військових",
     "Росія знову вдарила по скупченню військових у тилу, загинули 11 військовослужбовців.", "fatal-clash", True),
    # ... while a build-up told by the same noun still is
    ("uk", "Розвідка: біля кордону скупчення 40 тисяч російських військових",
     "Це найбільше скупчення російських сил біля кордону за рік.", "troop-buildup", True),
    # a hockey game "killed" in overtime; an Albanian war-crimes sentence
    ("ru", "«Металлург» добил соперника в овертайме",
     "Хозяева буквально расстреляли ворота, команда «сама себя убила».", "fatal-clash", False),
    ("sq", "Dënohet me 10 vjet burg ish-ushtari për krime lufte",
     "Gjykata e dënoi ish-ushtarin e njësive rezerviste për vrasjen e dy civilëve.", "troop-buildup", False),
    # an Albanian officer who died of his wounds
    ("sq", "Vdes polici i plagosur në pritën pranë kufirit",
     "Polici u qëllua nga një grup i armatosur dhe ka ndërruar jetë në spital.", "fatal-clash", True),
])
def test_fourth_round_constructions(language: str, title: str, text: str, rule: str, expected: bool) -> None:
    assert (rule in rules_matching(title, text, language)) is expected


@pytest.mark.parametrize(("language", "title", "text", "rule", "expected"), [
    # mourners who gathered at a wake are no forces gathering
    ("sr", "Raketa pogodila kafanu tokom pomena: 20 poginulih",
     "Broj poginulih u raketnom napadu porastao je na 20. Raketa je pogodila kafanu u kojoj su se meštani okupili "
     "na pomenu vojniku iz sela.", "troop-buildup", False),
    ("sq", "Raketa godet një kafene gjatë një përkujtimi: 20 të vrarë",
     "Numri i të vrarëve nga sulmi me raketë u rrit në 20. Raketa goditi kafenenë ku banorët ishin mbledhur në "
     "përkujtimin e një ushtari nga fshati.", "troop-buildup", False),
    ("sr", "Raketa pogodila kafanu tokom pomena: 20 poginulih",
     "Broj poginulih u raketnom napadu porastao je na 20. Raketa je pogodila kafanu u kojoj su se meštani okupili "
     "na pomenu vojniku iz sela.", "fatal-clash", True),
    # a violence verb in scare quotes in a match report, with the minute of the goal
    ("sq", "Ballkani e „vret” Dritën me një sulm të shpejtë në minutën e fundit",
     "Ballkani fitoi 2:1 ndaj Dritës. Trajneri tha se skuadra u „vra” nga një gabim.", "fatal-clash", False),
    ("sr", "Вождовац „убио” Раднички нападом у последњем минуту",
     "Нападач Вождовца „убио” је Раднички голом у 90. минуту.", "fatal-clash", False),
    # a rocket on a football pitch is a strike, not sport
    ("sq", "Raketë mbi një fushë futbolli: 12 fëmijë të vrarë",
     "Dymbëdhjetë fëmijë u vranë kur një raketë goditi një fushë futbolli.", "fatal-clash", True),
    ("ru", "Ракета попала в футбольное поле: погибли 12 детей",
     "Двенадцать детей погибли, когда ракета попала в футбольное поле.", "fatal-clash", True),
    ("uk", "Ракета влучила у футбольне поле: загинули 12 дітей",
     "Дванадцятеро дітей загинули, коли ракета влучила у футбольне поле.", "fatal-clash", True),
    # a cut whose story recalls an earlier dated attack's toll in a "when" clause is no fatal clash
    ("sr", "Vojska smanjuje broj vojnika uz liniju sa Kosovom",
     "Tenzije su porasle posle napada u Banjskoj 24. septembra, kada su poginuli jedan policajac i trojica "
     "napadača. Vojska je sada povukla deo jedinica.", "fatal-clash", False),
    ("ru", "Сербия сокращает войска у линии с Косово",
     "Напряжённость выросла после нападения в Баньске 24 сентября, когда погибли полицейский и трое нападавших. "
     "Армия теперь отводит часть подразделений.", "fatal-clash", False),
    # commandos sent after unrest, now going home: a pull-back with the sending behind it
    ("ru", "Турецкие коммандос, направленные в Косово после беспорядков, возвращаются домой",
     "Около 400 военных, которые прошлой весной были направлены в Косово, возвращаются в Турцию. Дополнительные "
     "силы больше не нужны.", "troop-buildup", True),
    ("sq", "Komandot turq, të dërguar në Kosovë pas trazirave, kthehen në shtëpi",
     "Rreth 400 ushtarë, që pranverën e kaluar u dërguan në Kosovë, po kthehen në Turqi. Forcat shtesë nuk "
     "nevojiten më.", "troop-buildup", True),
    # present-tense deaths in a headline
    ("ru", "В Донецке при обстреле гибнут трое мирных жителей", "При обстреле гибнут трое мирных жителей.",
     "fatal-clash", True),
    ("uk", "В обстрілі гинуть троє людей", "Під час обстрілу гинуть троє людей.", "fatal-clash", True),
])
def test_fifth_round_constructions(language: str, title: str, text: str, rule: str, expected: bool) -> None:
    assert (rule in rules_matching(title, text, language)) is expected


@pytest.mark.parametrize(("language", "title", "text", "rule", "expected"), [
    # a sending denied or none made is no build-up, in each language's words
    ("sr", "Misija pojačava patrole uz liniju, novih vojnika nema",
     "Patrole uz administrativnu liniju izvode jedinice koje su već tu, novih jedinica nema.", "troop-buildup",
     False),
    ("sq", "Qeveria: asnjë njësi nuk do të dërgohet në kufi",
     "Ministri tha se trupat nuk do të dërgohen në kufi, pavarësisht tensioneve.", "troop-buildup", False),
    ("ru", "Минобороны опровергло переброску войск к границе",
     "В ведомстве заявили, что ни один батальон к границе не направлялся.", "troop-buildup", False),
    # ... while the same sending told as done still is
    ("sr", "Vojska šalje dve brigade ka granici",
     "Vojska je uputila dve brigade ka granici zbog tenzija.", "troop-buildup", True),
    # forces moved to a front against an enemy's advance ("napredovanje"), or to a bridgehead
    ("sr", "Na južni pravac prebačene tri brigade",
     "Komanda je prebacila tri brigade na južni pravac kako bi zaustavila neprijateljsko napredovanje.",
     "troop-buildup", True),
    ("uk", "Десантники посилюють плацдарм на лівому березі",
     "На плацдарм прибули ще близько двох тисяч десантників.", "troop-buildup", True),
    # guided bombs that "struck" a city, with dead but no figure: a fatal clash whose toll is unknown
    ("uk", "Авіабомби вдарили по Херсону: є загиблі", "Унаслідок удару є загиблі та поранені.", "fatal-clash",
     True),
])
def test_seventh_round_constructions(language: str, title: str, text: str, rule: str, expected: bool) -> None:
    assert (rule in rules_matching(title, text, language)) is expected


@pytest.mark.parametrize(("language", "text", "killed"), [
    # attackers killed "also", in a body that does not restate the title's toll, are besides it
    ("sr", "Napad na stanicu: poginulo šest policajaca i jedan čuvar\nStanica je napadnuta u zoru, vlasti su "
           "saopštile da su stradali policajci i čuvar. U pucnjavi je ubijeno i troje napadača.", 10),
    # a title that names the attackers adds the attackers "liquidated" in return fire
    ("sr", "Talibanski napad na bazu, devet vojnika ubijeno\nTalibani su napali bazu i ubili devet vojnika. "
           "U uzvratnoj vatri likvidirano je četiri napadača.", 13),
])
def test_seventh_round_attackers_killed_besides_the_title(language: str, text: str, killed: int) -> None:
    from bot.engine.facts import extract_facts

    assert extract_facts(text, language).killed == killed


@pytest.mark.parametrize(("language", "title", "text"), [
    # a headline that says nobody died, with the noun for the dead before "there are none" as these
    # languages put it (the toll reader finds no figure either: only the wounded are counted)
    ("ru", "Обстрел Харькова: пострадали восемь человек, погибших нет",
     "Снаряды попали в жилой квартал. Восемь человек ранены."),
    ("uk", "Атака дронів на Суми: четверо поранених, загиблих немає",
     "Уламки пошкодили два будинки, четверо людей дістали поранення."),
    ("sr", "Napad na patrolu kod Zubinog Potoka, poginulih nema",
     "Dvojica policajaca su lakše povređena u napadu na patrolu."),
    ("sq", "Sulm me dron në Kharkiv, pa të vdekur",
     "Tre persona u plagosën kur dronët goditën një lagje banimi."),
])
def test_a_headline_that_says_nobody_died_is_no_fatal_clash(language: str, title: str, text: str) -> None:
    assert "fatal-clash" not in rules_matching(title, text, language)


@pytest.mark.parametrize(("language", "title", "text"), [
    # years counted since an attack or a war began, in the forms for one and for two to four years: a
    # remembrance or a tally, not a new clash
    ("ru", "Два года назад ракета попала в вокзал: город вспоминает погибших",
     "Жители принесли цветы к вокзалу, где погибли люди."),
    ("ru", "Три года войны: сколько военных погибли на южном направлении",
     "Аналитики подсчитали потери по открытым данным."),
    ("uk", "Рік тому дрон влучив у гуртожиток: як живуть родини загиблих",
     "Родини загиблих досі чекають на компенсацію."),
    ("uk", "Два роки війни: скільки рятувальників загинули під обстрілами",
     "Служба порахувала втрати серед рятувальників."),
])
def test_a_headline_that_counts_one_to_four_years_since_is_no_fatal_clash(language: str, title: str,
                                                                           text: str) -> None:
    assert "fatal-clash" not in rules_matching(title, text, language)
