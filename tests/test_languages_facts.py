"""Casualty and troop facts in Serbian (both scripts), Albanian, Russian and Ukrainian (facts/local.py),
read through extract_facts by the article's language."""

from __future__ import annotations

import pytest

from bot.engine import compile_rules, load_rules_text
from bot.engine.facts import extract_facts
from bot.models import Article
from tests.conftest import shipped_ruleset


@pytest.mark.parametrize(("language", "text", "killed", "wounded"), [
    # the figure after the verb, before it, a singular verb, and a title summing two groups
    ("sr", "Погинуо полицајац, тројица нападача убијена код Бањске\nУ пуцњави је погинуо један полицајац.", 4, None),
    ("sr", "Poginuo policajac, trojica napadača ubijena kod Banjske\nU pucnjavi je poginuo jedan policajac.", 4, None),
    ("sr", "Napad na patrolu\nNajmanje 30 ljudi poginulo je, a desetine su ranjene u napadu.", 30, 12),
    ("sr", "Пуцњава у Митровици\nНападач је отворио ватру и ранио једног полицајца.", None, 1),
    ("sq", "Sulm në Banjskë\nNjë polic u vra dhe një tjetër u plagos kur persona të armatosur hapën zjarr.", 1, 1),
    ("sq", "Tre ushtarë dhe dy sulmues vriten në sulm ndaj një posti\n", 5, None),
    ("sq", "Sulm me raketa në Odesë: pesë të vdekur dhe 32 të plagosur\n", 5, 32),
    ("ru", "Удар по рынку\nПогибли 27 человек, ещё 25 получили ранения.", 27, 25),
    ("ru", "На границе погибли четверо военных\nЧетверо военнослужащих погибли и ещё один был ранен.", 4, 1),
    ("ru", "Перестрелка в Косово\nВ перестрелке погибли полицейский и трое нападавших.", 4, None),
    ("ru", "Удар по Днепру\nЧисло погибших выросло до 46, сообщили спасатели.", 46, None),
    ("uk", "Обстріл Херсона: двоє загиблих, троє поранених\n", 2, 3),
    ("uk", "Бойовики убили п'ятьох військових\nНапад стався вночі.", 5, None),
    ("uk", "Удар по Одесі\nКількість загиблих зросла до 21.", 21, None),
])
def test_casualties(language: str, text: str, killed: int | None, wounded: int | None) -> None:
    facts = extract_facts(text, language)
    assert (facts.killed, facts.wounded) == (killed, wounded)


def test_background_tolls_and_ages_are_not_the_incident() -> None:
    # a toll of the past, an earlier incident in a relative clause, and a victim's age
    assert extract_facts("Годишњица\nНапади су почели 24. марта 1999. године, погинуло је 2.500 људи.", "sr").killed \
        is None
    text = "Vojska se povlači\nDo gomilanja je došlo posle napada, u kojem su poginuli jedan policajac i trojica."
    assert extract_facts(text, "sr").killed is None
    assert extract_facts("Удар дрона\nЗагинув 56-річний чоловік.", "uk").killed == 1


@pytest.mark.parametrize(("language", "text", "troops", "change"), [
    ("sr", "Број војника смањен са 8.350 на 4.500\nБрој припадника војске смањен је са 8.350 на 4.500.", 4500,
     "decrease"),
    ("sr", "NATO šalje još 700 vojnika na Kosovo\nMisija je pojačana.", 700, "increase"),
    ("sq", "Serbia pakëson ushtarët nga 8.350 në 4.500\nUshtria u tërhoq nga vija.", 4500, "decrease"),
    ("ru", "Россия сосредоточила более 50 тысяч военных у границы\n", 50000, "increase"),
    ("ru", "Минобороны объявило об отводе войск\nНа левый берег переправлены около 30 тысяч военнослужащих.", 30000,
     "decrease"),
    ("uk", "Північна Корея відправила ще 3 тисячі військових\n", 3000, "increase"),
])
def test_troops_and_their_direction(language: str, text: str, troops: int | None, change: str | None) -> None:
    facts = extract_facts(text, language)
    assert (facts.troops, facts.troops_change) == (troops, change)


def test_casualty_figures_are_not_troops_and_asked_for_pullbacks_do_not_count() -> None:
    assert extract_facts("Al-Shabaab vret tre ushtarë me bombë\n", "sq").troops is None
    facts = extract_facts("Vašington poziva Srbiju\nBela kuća je pozvala Beograd da povuče jedinice.", "sr")
    assert facts.troops_change is None


def test_rules_read_facts_in_the_article_language() -> None:
    rule = "id: r\ntitle: R\nwhen:\n  killed: {at_least: 3}\n  language: [ru, sr]\n"
    ruleset = compile_rules(load_rules_text(rule))
    [match] = ruleset.match(Article("t", "Погибли трое военных", "Обстрел продолжался всю ночь."))
    assert match.language == "ru" and match.facts["killed"] == 3
    assert match.as_dict()["language"] == "ru"
    # declared by the feed
    [match] = ruleset.match(Article("t", "Poginula trojica vojnika", "", language="sr-Latn"))
    assert match.language == "sr"
    assert not ruleset.match(Article("t", "Three soldiers killed", "Three soldiers were killed."))


def test_english_is_read_as_before() -> None:
    text = "Officer killed in ambush\nGunmen attacked a patrol, killing one officer; three attackers died."
    assert extract_facts(text) == extract_facts(text, "en")
    assert extract_facts(text).killed == 4


def test_hostile_text_is_read_in_bounded_time() -> None:
    import time

    for language, text in [("sr", "Naslov\n" + "5.000 vojnika na granici. " * 4000),
                           ("ru", "Т\n" + "Погибли 5 человек и ранены 3, " * 4000),
                           ("sq", "T\n" + "u vra " * 40000)]:
        # CPU time of this thread, not wall time: a loaded machine must not fail it. About 0.5 s is normal
        # here; a reader that backtracks or rescans grows with the square of these 100-200 KB and takes minutes.
        start = time.thread_time()
        extract_facts(text, language)
        assert time.thread_time() - start < 5.0


@pytest.mark.parametrize(("language", "text", "killed", "wounded"), [
    # Albanian "në" (in) and the passive "u" are not Serbian "ne" (not) and "u" (in)
    ("sq", "Sulm me dronë mbi Kiev\nTre persona u vranë dhe gjashtë u plagosën në Kiev.", 3, 6),
    ("sq", "Sulm në veri\nRreshteri mbeti i vrarë në sulm. Tre nga sulmuesit mbetën të vrarë në përleshje.", 4, None),
    # Serbian collective numerals past ten, and "an unknown number" (3, as "several")
    ("sr", "Raketa pogodila teren, poginulo dvanaestoro dece\n", 12, None),
    ("sr", "Napad na selo\nNaoružani ljudi ubili su nepoznat broj meštana.", 3, None),
    ("ru", "Нападение на село\nБоевики убили неизвестное число жителей.", 3, None),
    # "took the lives of": a death with no verb of dying
    ("ru", "Израильский удар по лагерю унёс жизни 45 человек\n", 45, None),
    ("uk", "Удар по Харкову забрав життя шести людей\n", 6, None),
    # a toll that "exceeded" a figure, and a toll's figure many words after it
    ("ru", "Бои на границе\nЧисло погибших в конфликте превысило 80 человек.", 80, None),
    ("sr", "Sukob na granici\nBroj poginulih premašio je 30.", 30, None),
    ("ru", "Теракт\nЧисло погибших в результате нападения на концертный зал в Красногорске выросло до 137.", 137,
     None),
    # "both"
    ("uk", "Напад\nОбох нападників застрелили на місці.", 2, None),
    # the title counts the attackers' victims; the attackers killed besides are added, a title's total is not
    ("uk", "Нападники вбили шістьох людей на зупинці\nШестеро людей загинули. Обох нападників застрелили.", 8, None),
    ("sq", "Sulmi në Banjskë: katër të vrarë\nKatër persona humbën jetën. Policia vrau tre prej sulmuesve.", 4, None),
])
def test_casualties_in_each_languages_own_small_words(language: str, text: str, killed: int | None,
                                                      wounded: int | None) -> None:
    facts = extract_facts(text, language)
    assert (facts.killed, facts.wounded) == (killed, wounded)


@pytest.mark.parametrize(("language", "text", "troops", "change"), [
    # the figure after "umesto" ("instead of") is the earlier, larger one: a cut, to the level before it
    ("sr", "Na liniji 4.500 vojnika\nUz liniju je sada raspoređeno 4.500 vojnika umesto 8.350.", 4500, "decrease"),
    # "from A to B" decides the direction whatever verbs surround it; after a cut, B is the figure
    ("sq", "Ushtria në vijë\nNumri i ushtarëve pranë vijës është ulur nga 8.350 në rreth 4.500.", 4500, "decrease"),
    ("sq", "Polonia në kufi\nNumri i ushtarëve në kufi do të rritet nga 5.000 në 10.000.", 10000, "increase"),
    # thousands in every case: "о 30 тысячах военнослужащих"
    ("ru", "Войска в Белоруссии\nРечь идёт примерно о 30 тысячах военнослужащих, переброшенных к границе.", 30000,
     "increase"),
    # troops are the largest figure, never a sum: the brigades' "dve" is not added to 3,000
    ("sr", "Pojačanja na granici\nNa granicu su upućene dve brigade i oko 3.000 vojnika.", 3000, "increase"),
])
def test_troop_figures_and_their_direction(language: str, text: str, troops: int, change: str) -> None:
    facts = extract_facts(text, language)
    assert (facts.troops, facts.troops_change) == (troops, change)


@pytest.mark.parametrize(("language", "text", "troops", "change"), [
    # a pull-back with no figure wins over the build-up it ends, told as a noun or in a relative clause
    ("sr", "Minsk povlači deo snaga sa granice posle letnjeg gomilanja\nBelorusija povlači deo jedinica koje je "
           "u julu dovukla do granice i upućivala tenkove.", None, "decrease"),
    ("sq", "Bjellorusia tërheq trupat nga kufiri pas grumbullimit\nMinsku ka nisur tërheqjen e forcave që kishte "
           "dërguar në kufi.", None, "decrease"),
    ("uk", "Росія відвела частину військ від кордону\nросія відвела підрозділи, які стягувала до кордону. "
           "Частина техніки повернулася до постійних баз.", None, "decrease"),
    # troops already on the ground are no figure of the deployment; "several thousand" gives none
    ("sr", "Britanija šalje 200 vojnika na Kosovo\nBritanija će uputiti dodatnih 200 vojnika, koji će se "
           "pridružiti oko 400 britanskih vojnika koji su već na terenu.", 200, "increase"),
    ("ru", "Вагнеровцы прибыли в Белоруссию\nНесколько тысяч бойцов прибыли в лагерь у границы.", None, "increase"),
    # the dead that troops are sent to replace are no casualties, and the figure beside them counts
    ("uk", "КНДР відправить ще 4 тисячі військових на заміну загиблим\n", 4000, "increase"),
    # a range counts its lowest figure, with the highest's scale word
    ("uk", "КНДР готує військових\nКНДР готує до відправки від 10 до 12 тисяч військових.", 10000, "increase"),
    ("ru", "Войска у границы\nК границе переброшены 10-12 тысяч военных.", 10000, "increase"),
    # the level first, then where it came from: a cut to 4,500
    ("sq", "Ushtria në vijë\nNumri i ushtarëve është ulur në 4.500, nga 8.350 sa ishin.", 4500, "decrease"),
    # "military" ships are no troops
    ("uk", "Китай стягнув кораблі\nКитай зосередив близько 90 військових кораблів біля Тайваню.", None, "increase"),
])
def test_pullbacks_existing_forces_and_replacements(language: str, text: str, troops: int | None,
                                                    change: str) -> None:
    facts = extract_facts(text, language)
    assert (facts.troops, facts.troops_change, facts.killed) == (troops, change, None)


@pytest.mark.parametrize(("language", "text", "killed", "wounded"), [
    # an earlier incident in a relative clause of either gender, a war long over, the last time, a
    # cumulative toll over months, a past month with no day, and a sentence that goes on with "then"
    ("ru", "Напряжённость растёт\nНапряжённость выросла после стычки 3 мая, в которой погибли двое пограничников.",
     None, None),
    ("uk", "Напруга зростає\nНапруга зросла після бою 3 травня, в якій загинули двоє прикордонників.", None, None),
    ("sq", "Tensione në veri\nTensionet u rritën pas sulmit në të cilin u vranë dy policë.", None, None),
    ("ru", "Войска на учениях\nВ последний раз армия воевала за рубежом во время войны, где погибли 40 лётчиков.",
     None, None),
    ("ru", "Минобороны назвало потери\nМинистр впервые за полгода назвал потери: погибли 3200 военнослужащих.",
     None, None),
    ("uk", "Війська біля кордону\nУ березні дві ракети влучили в центр міста і вбили 20 людей.", None, None),
    ("ru", "Память жертв\nШколу захватили в сентябре 2004 года. Тогда погибли 300 человек.", None, None),
    # a unit counted in tens; "more than two hundred"; a figure after "also"
    ("uk", "Обстріл Харкова\nЗагинули троє людей, ще близько трьох десятків людей поранені.", 3, 30),
    ("sr", "Napad na kasarnu\nPoginulo je 12 vojnika. Ranjeno je više od trista ljudi.", 12, 300),
    ("sq", "Sulm me raketë\nTetë fëmijë e të rinj u vranë kur raketa ra mbi shesh.", 8, None),
    # the dead told as "also" killed are besides the title's toll the body restates
    ("sr", "Zaseda na konvoj: ubijeno osam vojnika\nNajmanje osam vojnika poginulo je u zasedi. U uzvratnoj "
           "vatri ubijen je i nepoznat broj napadača.", 11, None),
    ("ru", "Засада на колонну: погибли пять военных\nПять военнослужащих погибли в засаде. В ответном бою "
           "погибли также трое нападавших.", 8, None),
    # Albanian "dies" and "passed away": a wounded officer who died
    ("sq", "Vdes ushtari i plagosur në sulmin afër kufirit\n", 1, None),
])
def test_fourth_round_casualties(language: str, text: str, killed: int | None, wounded: int | None) -> None:
    facts = extract_facts(text, language)
    assert (facts.killed, facts.wounded) == (killed, wounded)


@pytest.mark.parametrize(("language", "text", "troops"), [
    # a decimal before a thousands word; sailors are troops
    ("uk", "Кордон посилять\nНа кордон направлять додатково 6,5 тисячі військовослужбовців.", 6500),
    ("ru", "Флот у берегов\nК берегам острова направлены корабли примерно с 3000 моряков на борту.", 3000),
    # a total sent is no existing strength; a contingent's total after an earlier group
    ("ru", "Миротворцы уходят\nВсего в республику были направлены 1800 военнослужащих.", 1800),
    ("uk", "Ще 2 тисячі військових\nРазом із 900 десантниками, які вже на місці, чисельність контингенту "
           "сягне 2900 осіб.", 2900),
    # the soldiers among the dead, the dead named by a troop noun, units before a troop noun: no troop figure
    ("uk", "Напад на колону\nЗагинули 14 людей, серед них 6 військовослужбовців.", None),
    ("ru", "Удар по казарме\nЧисло военнослужащих, погибших при ударе, выросло до 75.", None),
    ("sr", "Eksplozija na stanici\nPoginulo je 20 ljudi. Među žrtvama je najmanje osam vojnika.", None),
    ("sq", "Izraeli thërret rezervistët\nUshtria po dërgon tri brigada rezerviste në veri.", None),
])
def test_fourth_round_troop_figures(language: str, text: str, troops: int | None) -> None:
    assert extract_facts(text, language).troops == troops


@pytest.mark.parametrize(("language", "text", "killed", "wounded"), [
    # numbers as words in oblique cases, up to the tens and hundreds
    ("sr", "Granatiranje sela\nGranatiranje je odnelo živote četrdesetorice ljudi, a ranjeno je šezdesetoro.", 40, 60),
    ("ru", "Засада в горах\nВ засаде боевики убили тридцать двух военнослужащих.", 32, None),
    ("uk", "Обстріл ринку\nОбстріл забрав життя шістдесятьох людей, ще сорок поранено.", 60, 40),
    ("uk", "Засідка на дорозі\nБойовики вбили двадцятьох військовослужбовців у засідці.", 20, None),
    ("sq", "Sulm me dron: vriten njëzet e tre ushtarë\nNjëzet e tre ushtarë u vranë në sulmin me dron.", 23, None),
    ("sq", "Sulm në treg: dyzet e dy të vrarë\nDyzet e dy persona u vranë në sulmin me raketa.", 42, None),
    # sides given apart and summed
    ("sr", "Pucnjava na granici\nU pucnjavi su poginula dva vojnika i pet napadača.", 7, None),
    ("ru", "Бой у границы\nВ бою погибли трое военных и семеро боевиков.", 10, None),
    ("sq", "Përplasje e armatosur\nDy policë dhe pesë sulmues u vranë në përplasje.", 7, None),
    # impersonal and present-tense deaths
    ("ru", "Обстрел\nВ результате обстрела убито семь мирных жителей.", 7, None),
    ("uk", "Обстріл міста\nВнаслідок обстрілу загинуло п'ятеро людей.", 5, None),
    ("sr", "Ginu vojnici u napadu džihadista\nPetorica vojnika ginu u napadu na bazu.", 5, None),
    ("ru", "При обстреле гибнут трое мирных жителей\n", 3, None),
    ("uk", "В обстрілі гинуть троє людей\n", 3, None),
    # a toll that rises in the text: the latest figure
    ("sq", "Sulm në treg: pesë të vrarë\nPesë persona u vranë. Më vonë numri i të vrarëve u rrit në nëntë.", 9, None),
    ("sr", "Napad na pijacu: pet mrtvih\nPoginulo je pet osoba. Kasnije su od rana preminula još četvorica.", 9, None),
    ("sq", "Sulm në Harkiv: 5 të vrarë\nPesë persona u vranë. Numri i viktimave u rrit në 15 deri në mbrëmje.", 15,
     None),
    ("uk", "Удар по Харкову: загинули 5 людей\nЗагинули п'ятеро людей. Кількість жертв зросла до 15.", 15, None),
    ("ru", "Удар по Одессе: погибли пять человек\nПогибли пять человек. К вечеру погибших стало девять.", 9, None),
    ("uk", "Удар по Одесі: загинули п'ятеро\nЗагинули п'ятеро людей. Увечері загиблих стало дев'ятеро.", 9, None),
    # ... and the wounded who died since are counted once, as dead
    ("ru", "Удар по вокзалу: погибли 5 человек\nПогибли пять человек. Позднее скончались ещё четверо раненых.", 9,
     None),
    ("sq", "Sulm në stacion: 5 të vrarë\nPesë persona u vranë. Më vonë në spital vdiqën edhe katër të plagosur.", 9,
     None),
    # a tens numeral after "e" leaves its first word to count ("njëzet e pesë të tjerë")
    ("sq", "Pritë në kufi\nDymbëdhjetë ushtarë janë vrarë dhe njëzet e pesë të tjerë janë plagosur.", 12, 25),
    ("sr", "Погибија двадесеторице војника у заседи\n", 20, None),
    # attackers killed "also", and shot dead, besides the title's victims
    ("sr", "Džihadisti ubili dvanaest vojnika\nU napadu je poginulo dvanaest vojnika. U uzvratnoj akciji ubijeno je "
           "i nekoliko napadača.", 15, None),
    ("sq", "Të shtëna në Durrës: gjashtë të vrarë, sulmuesi qëllohet për vdekje\nNjë burrë i armatosur vrau gjashtë "
           "persona, përpara se policia ta qëllonte për vdekje.", 7, None),
    # a sentence opened by "besides" tells more dead
    ("uk", "Напади в Дагестані: 12 загиблих\nЩонайменше 12 людей загинули внаслідок нападів. Крім того, силовики "
           "ліквідували чотирьох нападників.", 16, None),
    ("sr", "Napadi u Dagestanu: 12 mrtvih\nNajmanje 12 ljudi poginulo je u napadima. Osim toga, snage bezbednosti "
           "ubile su četvoricu napadača.", 16, None),
    # a habitual present needs a figure
    ("ru", "Жара убивает: в Москве гибнут пожилые люди\nИз-за жары гибнут пожилые люди.", None, None),
    # "liquidated a fire" is no death
    ("ru", "Пожар на складе\nСпасатели ликвидировали пожар на складе после взрыва.", None, None),
    # a death told as a noun: "загибель двохсот п'ятдесяти"
    ("uk", "Загибель двохсот п'ятдесяти військових\nПід час штурму загинули двісті п'ятдесят військових.", 250, None),
    # a "when" clause after a dated earlier attack tells that attack's toll
    ("sr", "Vojska smanjuje broj vojnika\nTenzije su porasle posle napada u Banjskoj 24. septembra, kada su "
           "poginuli jedan policajac i trojica napadača.", None, None),
    ("uk", "Сербія скорочує війська\nНапруга зросла після нападу 24 вересня, коли загинули поліцейський і троє "
           "нападників.", None, None),
    ("sq", "Serbia tërheq trupat\nTensionet u rritën pas sulmit më 24 shtator, kur u vranë një polic dhe tre "
           "sulmues.", None, None),
    # ... while "when" that tells today's incident still counts
    ("ru", "Перестрелка у Звечана\nПолицейский погиб в субботу вечером, когда нападавшие открыли огонь.", 1, None),
    ("sr", "Policajac poginuo kod Zvečana\nPosle ponoći 24. septembra, kada su napadači otvorili vatru, poginuo je "
           "jedan policajac.", 1, None),
    # a violence verb in scare quotes is a figure of speech
    ("sq", "Ballkani e „vret” Dritën në minutën e fundit\nSkuadra u „vra” nga një gabim.", None, None),
    ("ru", "«Спартак» «убил» соперника\nНападающий «убил» соперника голом.", None, None),
])
def test_fifth_round_casualties(language: str, text: str, killed: int | None, wounded: int | None) -> None:
    facts = extract_facts(text, language)
    assert (facts.killed, facts.wounded) == (killed, wounded)


@pytest.mark.parametrize(("language", "text", "troops", "change"), [
    # hundreds after thousands, one thousand alone, and Albanian tens joined by "e"
    ("sr", "Vojska na granici\nVojska je na granicu poslala tri hiljade petsto vojnika.", 3500, "increase"),
    ("sr", "Tenkovi na granici\nVojska šalje tenkove i hiljadu vojnika na administrativnu liniju.", 1000, "increase"),
    ("sq", "Trupa në kufi\nRusia ka dërguar tridhjetë e pesë mijë ushtarë në kufi.", 35000, "increase"),
    ("ru", "Войска у границы\nАрмия стянула к границе около двадцати пяти тысяч военнослужащих.", 25000, "increase"),
    # a pull-back whose title tells the earlier sending in a participle
    ("sr", "Turski komandosi, poslati na Kosovo posle nereda, vraćaju se kući\nOko 500 komandosa, koji su prošlog "
           "juna upućeni na Kosovo, vraća se u Tursku. Bataljon je tada hitno prebačen iz rezerve kako bi pojačao "
           "misiju. Dodatne snage više nisu potrebne.", 500, "decrease"),
    ("ru", "Турецкие коммандос, направленные в Косово после беспорядков, возвращаются домой\nОколо 500 военных, "
           "которые в прошлом июне были направлены в Косово, возвращаются в Турцию. Батальон тогда срочно "
           "перебросили из резерва, чтобы усилить миссию. Дополнительные силы больше не нужны.", 500, "decrease"),
    ("uk", "Турецькі командос, направлені до Косова після заворушень, повертаються додому\nБлизько 500 військових, "
           "які минулого червня були направлені до Косова, повертаються до Туреччини. Батальйон тоді терміново "
           "перекинули з резерву, щоб посилити місію. Додаткові сили більше не потрібні.", 500, "decrease"),
    ("sq", "Komandot turq, të dërguar në Kosovë pas trazirave, kthehen në shtëpi\nRreth 500 ushtarë, që qershorin "
           "e kaluar u dërguan në Kosovë, po kthehen në Turqi. Batalioni atëherë u zhvendos nga rezerva për të "
           "përforcuar misionin. Forcat shtesë nuk nevojiten më.", 500, "decrease"),
    ("ru", "Переброска\nК границе перебросили тысячу двести военнослужащих.", 1200, "increase"),
    # Albanian "without" is no negation of the sending
    ("sq", "Trupa në kufi\nRreth 2.000 ushtarë u dërguan pa paralajmërim në kufi.", 2000, "increase"),
    ("sq", "Trupa në kufi\nRusia dërgon një mijë e pesëqind ushtarë në kufi me Ukrainën.", 1500, "increase"),
    # one and a half thousand
    ("ru", "Переброска к границе\nМинобороны начало переброску полутора тысяч военнослужащих к границе.", 1500,
     "increase"),
    ("uk", "Кордон\nРосія перекинула до кордону півтори тисячі військових.", 1500, "increase"),
    # "no fewer than" is no negation of a sending
    ("ru", "Переброска к границе\nК границе перебросили не менее 4000 военнослужащих.", 4000, "increase"),
])
def test_fifth_round_troop_figures_and_direction(language: str, text: str, troops: int, change: str) -> None:
    facts = extract_facts(text, language)
    assert (facts.troops, facts.troops_change) == (troops, change)


# sixth round (after holdout4): the level a pull-back leaves, a unit's strength given after it
@pytest.mark.parametrize(("language", "text", "troops", "change"), [
    ("sr", "Povlačenje sa granice\nOd 30.000 vojnika poslatih u avgustu, na granici će ostati 12.000 posle povlačenja.",
     12000, "decrease"),
    ("sq", "Tërheqje nga kufiri\nNga 9.000 ushtarë të dërguar në mars, pas tërheqjes në kufi mbeten rreth 3.000.",
     3000, "decrease"),
    ("ru", "Отвод войск\nИз 20 тысяч военных, стянутых к границе в марте, после отвода останутся около 6 тысяч.",
     6000, "decrease"),
    ("uk", "Відведення військ\nЗ 12 тисяч військових, перекинутих у березні, після відведення залишилося 4 тисячі.",
     4000, "decrease"),
    ("ru", "Переброска на юг\nНа южное направление переброшена десантная бригада численностью около полутора "
           "тысяч человек.",
     1500, "increase"),
])
def test_sixth_round_level_left_and_strength(language: str, text: str, troops: int, change: str) -> None:
    facts = extract_facts(text, language)
    assert (facts.troops, facts.troops_change) == (troops, change)


# sixth round: tolls told as the past behind today's news are no toll of it
@pytest.mark.parametrize(("language", "text"), [
    # "after the dated attack, where ..." (Albanian "ku", Serbian "gde")
    ("sq", "Ushtria rrit praninë në kufi\nTensionet u shtuan pas sulmit të 5 marsit në Leposaviq, ku dy policë "
           "u vranë."),
    ("sr", "Vojska jača prisustvo na liniji\nTenzije su porasle posle napada 5. marta kod Zubina Potoka, gde su "
           "poginula dva policajca."),
    # a sentence opened by a past month with no day
    ("sq", "Tensione në veri\nNë prill, në Zveçan, u plagosën tridhjetë ushtarë në përplasje me protestuesit."),
    # a toll summed over years, and "then" after a dated earlier attack
    ("uk", "Війська біля кордону\nЗа десять років конфлікту загинули понад 9 тисяч людей."),
    ("ru", "Напряжённость растёт\nОбострение началось после нападения 3 мая, тогда погибли 12 человек."),
    # a war's toll since it began
    ("uk", "Звіт прокуратури\nВід початку вторгнення загинули 480 цивільних."),
])
def test_sixth_round_background_tolls(language: str, text: str) -> None:
    facts = extract_facts(text, language)
    assert (facts.killed, facts.wounded) == (None, None)


# sixth round: a range with "between ... and" counts its lowest; a Serbian year's dot before a lower-case word
@pytest.mark.parametrize(("language", "text", "troops"), [
    ("sq", "Trupa në kufi\nRaporti vlerëson se midis 2.000 dhe 3.000 ushtarë janë dislokuar në kufi.", 2000),
    ("sr", "Trupe na granici\nProcene su da je između 2.000 i 3.000 vojnika raspoređeno uz granicu.", 2000),
    # "A deri B" right after a colon is a range too; "с A до B" stays a change
    ("sq", "Raporti: 2.000 deri 3.000 ushtarë të dislokuar në kufi\nTrupat mbërritën javën e kaluar.", 2000),
])
def test_sixth_round_between_range(language: str, text: str, troops: int) -> None:
    assert extract_facts(text, language).troops == troops


def test_sixth_round_serbian_year_dot_is_no_toll() -> None:
    facts = extract_facts("Vojska na granici\nOd 2019. na toj granici stradalo je više desetina migranata.", "sr")
    assert facts.killed is None


def test_sixth_round_albanian_sport_headline_with_killed_hopes_is_no_clash() -> None:
    ruleset = shipped_ruleset()
    sport = Article("t", "Drita „vret” shpresat e Ballkanit me dy goditje fitimtare",
                    "Skuadra e Gjilanit fitoi 2:1 pas dy sulmeve të shpejta në pjesën e dytë.", language="sq")
    assert not [m.rule_id for m in ruleset.match(sport) if "fatal-clash" in m.rule_id]
    clash = Article("t", "Dy policë u vranë në një sulm të armatosur në veri",
                    "Dy policë u vranë kur persona të armatosur hapën zjarr mbi patrullën.", language="sq")
    assert "fatal-clash" in [m.rule_id for m in ruleset.match(clash)]


def test_sixth_round_ukrainian_years_since_an_attack_is_no_clash() -> None:
    memorial = Article("t", "Два роки теракту в Кременчуці: рідні загиблих вимагають правди",
                       "Біля торговельного центру родини загиблих зібралися на акцію пам'яті.", language="uk")
    assert not [m.rule_id for m in shipped_ruleset().match(memorial) if "fatal-clash" in m.rule_id]
    attack = Article("t", "Теракт у Кременчуці: загинули троє людей",
                     "Троє людей загинули внаслідок ракетного удару по торговельному центру.", language="uk")
    assert "fatal-clash" in [m.rule_id for m in shipped_ruleset().match(attack)]


# seventh round: troop figures in words in Serbian Cyrillic, ranges in words, and the level a change left or reached
@pytest.mark.parametrize(("language", "text", "troops", "change"), [
    # Serbian Cyrillic thousands ("хиљаде" folds apart from "hiljade")
    ("sr", "Војска шаље три хиљаде војника на југ\nНа границу је упућено око три хиљаде војника.", 3000, "increase"),
    # a range in words counts its lowest, with the scale of the highest
    ("sr", "Stižu nove trupe\nNa granicu je upućeno od pet do šest hiljada vojnika.", 5000, "increase"),
    ("sr", "Стижу нове трупе\nНа границу је упућено између пет и шест хиљада војника.", 5000, "increase"),
    ("sq", "Trupa të reja në kufi\nUshtria dërgoi dy deri në tre mijë ushtarë drejt kufirit.", 2000, "increase"),
    ("ru", "К границе идут войска\nК границе перебросили от двух до трёх тысяч военнослужащих.", 2000, "increase"),
    ("uk", "До кордону йдуть війська\nДо кордону перекинули від двох до трьох тисяч військовослужбовців.", 2000,
     "increase"),
    # what a pull-back leaves takes the scale of the figure it came from
    ("sr", "Vojska se povlači: od trideset hiljada ostaje dvadeset\nDeo vojnika vraća se u kasarne.", 20000,
     "decrease"),
    # a cut "to" a level, then the peak it came from
    ("sr", "Broj vojnika na liniji vraćen na 3.200\nBroj vojnika smanjen je na 3.200, posle povećanja na 7.100.",
     3200, "decrease"),
    # a force raised "to" a level with no troop noun after it
    ("ru", "Группировка у границы утроена — до тридцати тысяч\nРоссия утроила группировку войск у границы.", 30000,
     "increase"),
    ("uk", "Угруповання біля кордону подвоєно — до двадцяти тисяч\nРосія подвоїла угруповання військ біля кордону.",
     20000, "increase"),
    # the number of a force is the subject, several words before it
    ("ru", "Учения у границы\nЧисленность направленных к границе белорусских войск достигнет 12 тысяч.", 12000,
     "increase"),
])
def test_seventh_round_troop_figures(language: str, text: str, troops: int, change: str) -> None:
    facts = extract_facts(text, language)
    assert (facts.troops, facts.troops_change) == (troops, change)


# seventh round: a death "after the latest clash, where ..." is that earlier clash's, not today's news
@pytest.mark.parametrize(("language", "text"), [
    ("sq", "Ushtria rrit trupat në kufi\nUshtria ka dërguar 3.000 ushtarë në kufi pas përplasjes së fundit, ku u vra "
           "një polic."),
    ("sr", "Vojska šalje trupe na granicu\nVojska je uputila 3.000 vojnika na granicu posle poslednjeg sukoba, kada "
           "je poginuo jedan policajac."),
    ("ru", "Армия перебрасывает войска к границе\nАрмия направила к границе 3000 военных после последнего "
           "столкновения, когда погиб пограничник."),
])
def test_seventh_round_latest_clash_is_background(language: str, text: str) -> None:
    facts = extract_facts(text, language)
    assert (facts.killed, facts.troops) == (None, 3000)


# eighth round (after holdout5): tolls told without a figure beside the verb, and troop levels told in words
@pytest.mark.parametrize(("language", "text", "killed", "wounded"), [
    # the collective numerals of 11 to 30 in Ukrainian
    ("uk", "Удар по Сумах\nУнаслідок удару загинули тринадцятеро людей.", 13, None),
    ("uk", "Удар по Ізюму: двадцятеро загиблих\n", 20, None),
    # "about ten"
    ("ru", "Нападение на деревню\nПогибли около десятка жителей.", 10, None),
    # a married couple is two
    ("uk", "Дрон атакував будинок\nЗагинуло подружжя літніх людей.", 2, None),
    # a dash stands for "is": "погибших — трое"
    ("ru", "Обстрел Шебекино: погибших — двое, раненых — четверо\n", 2, 4),
    ("uk", "Обстріл Нікополя\nЗагиблих — четверо, поранених — шестеро.", 4, 6),
    # people named one by one after a plural verb, joined by "and" or "with"
    ("ru", "Удар по машине\nПогибли водитель и его пассажирка.", 2, None),
    ("ru", "Обстрел села\nПогибли мужчина, его сын и соседка.", 3, None),
    ("uk", "Дрон влучив у машину\nЗагинули батько з сином.", 2, None),
    # ... but not plurals ("мирные жители": no count) nor places
    ("ru", "Обстрел Горловки\nПогибли мирные жители и военные.", None, None),
    ("ru", "Удары по областям\nЛюди погибли в Харькове и Сумах.", None, None),
    # a toll over a week is a tally, not an incident
    ("uk", "Обстріли Херсонщини\nЗа минулий тиждень на Херсонщині загинули дев'ятеро людей.", None, None),
    # Serbian "usmrćen" (killed)
    ("sr", "Eksplozija u kafiću\nU eksploziji je usmrćeno troje ljudi.", 3, None),
    # a "when" clause after a month named with "since" tells the event that began it
    ("sr", "Vojska smanjuje broj vojnika\nNapetost traje od septembra, kada su poginula četvorica ljudi.", None,
     None),
    ("ru", "Армия отводит войска\nНапряжённость сохраняется с сентября, когда погибли четыре человека.", None, None),
])
def test_eighth_round_casualties(language: str, text: str, killed: int | None, wounded: int | None) -> None:
    facts = extract_facts(text, language)
    assert (facts.killed, facts.wounded) == (killed, wounded)


@pytest.mark.parametrize(("language", "text", "troops", "change"), [
    # "one thousand" in the genitive after "about", "more than", "to"
    ("ru", "К границе идут войска\nК границе направлены около тысячи военнослужащих.", 1000, "increase"),
    ("uk", "До кордону йдуть війська\nДо кордону перекинуто понад тисячі двохсот військових.", 1200, "increase"),
    # ... but "thousands of soldiers" alone gives no figure
    ("ru", "К границе идут войска\nК границе стягиваются тысячи военных.", None, "increase"),
    # a change's first figure shares the thousands word of its second
    ("ru", "Армия сокращает группировку\nЧисленность войск у границы снижается с двенадцати до семи тысяч.", 7000,
     "decrease"),
    ("uk", "Армія скорочує угруповання\nКількість військових на кордоні зменшується з сорока до двадцяти тисяч.", 20000,
     "decrease"),
    # ... while a real rise from hundreds keeps both, and gives the level reached
    ("ru", "Контингент растёт\nЧисленность контингента выросла с шестисот до полутора тысяч военных.", 1500,
     "increase"),
    # "a hundred", "several hundred"
    ("uk", "Польща посилює кордон\nПольща направляє на кордон ще сотню військових.", 100, "increase"),
    ("uk", "Польща посилює кордон\nПольща направляє на кордон кількасот військових.", 100, "increase"),
    # Serbian "doveo" (brought) sends, "šesto" is 600
    ("sr", "Vojska na granici\nVojska je na granicu dovela oko šesto pedeset vojnika.", 650, "increase"),
    # Albanian "u ul në" (was lowered to) in words
    ("sq", "Ushtria pakëson trupat\nNumri i ushtarëve në kufi u ul në tre mijë e pesëqind.", 3500, "decrease"),
])
def test_eighth_round_troop_figures(language: str, text: str, troops: int | None, change: str) -> None:
    facts = extract_facts(text, language)
    assert (facts.troops, facts.troops_change) == (troops, change)


def test_eighth_round_denied_or_proposed_sending_is_no_buildup() -> None:
    ruleset = shipped_ruleset()
    for language, title, text in (
        ("uk", "Кишинів спростовує перекидання військ до кордону",
         "Міністерство оборони назвало неправдою повідомлення про перекидання військ до кордону."),
        ("ru", "Депутат предложил ввести войска в приграничный район",
         "Депутат предложил направить дополнительный контингент к границе."),
        ("ru", "На границе усилено наблюдение, новых сил не привлекали",
         "Пограничники усилили наблюдение на границе, дополнительные силы не привлекались."),
    ):
        article = Article("t", title, text, language=language)
        assert "troop-buildup" not in [m.rule_id for m in ruleset.match(article)], title
    sent = Article("t", "росія стягує війська до кордону",
                   "Москва заперечує плани нападу, але стягує до кордону нові підрозділи.", language="uk")
    assert "troop-buildup" in [m.rule_id for m in ruleset.match(sent)]


def test_eighth_round_trials_memorials_and_workshop_blasts_are_no_clash() -> None:
    ruleset = shipped_ruleset()
    for language, title, text in (
        ("ru", "Соучастник нападения получил 12 лет за обстрел поста",
         "Суд приговорил мужчину к 12 годам колонии за участие в обстреле поста, при котором погибли двое."),
        ("ru", "Взрыв в цехе химического завода: погибли трое рабочих",
         "Трое рабочих погибли при взрыве в цехе, причиной стало нарушение техники безопасности."),
        ("uk", "Херсон згадує жертв обстрілу автобусної зупинки",
         "Рік тому внаслідок обстрілу зупинки загинули семеро людей."),
    ):
        matched = [m.rule_id for m in ruleset.match(Article("t", title, text, language=language))]
        assert "fatal-clash" not in matched, (title, matched)
    # "процесс" alone would fold to the English "process": an English clash headline with it stays a clash
    english = Article("t", "Peace process stalls as gunmen kill 12 in village raid",
                      "Gunmen killed 12 villagers in a night raid, officials said.")
    assert "fatal-clash" in [m.rule_id for m in ruleset.match(english)]


def test_eighth_round_mobilised_men_and_displaced_people_are_no_force() -> None:
    ruleset = shipped_ruleset()
    for language, title, text in (
        ("ru", "Стрельба в учебном центре: убиты семь мобилизованных",
         "В учебном центре двое мужчин открыли огонь по мобилизованным."),
        ("ru", "Удар по лагерю: погибли двадцать человек",
         "Силы быстрого реагирования обстреляли лагерь для перемещённых лиц."),
    ):
        matched = [m.rule_id for m in ruleset.match(Article("t", title, text, language=language))]
        assert "troop-buildup" not in matched and "fatal-clash" in matched, (title, matched)


@pytest.mark.parametrize(("language", "text", "change"), [
    # a participle of sending right after its force, in a clause of return, tells how the force came
    ("sr", "Holandski vojnici upućeni kao pojačanje vraćaju se kući\nTrista vojnika upućenih u bazu kao pojačanje "
           "posle letnjih nemira vraća se ove sedmice.", "decrease"),
    # ... but with no return in the clause it is the sending itself
    ("sr", "Tristo vojnika upućeno na granicu\nVojnici upućeni na granicu stižu sutra.", "increase"),
    # the army named by its initials, and forces that came out of a town
    ("uk", "ЗСУ вийшли з Торецька\nПідрозділи ЗСУ вийшли з міста на нові позиції.", "decrease"),
    ("ru", "ВСУ вышли из Угледара\nВСУ вышли из города после двух лет обороны.", "decrease"),
])
def test_ninth_round_direction_of_returns_and_withdrawals(language: str, text: str, change: str) -> None:
    assert extract_facts(text, language).troops_change == change


def test_ninth_round_troops_sent_abroad_are_named_by_both_countries() -> None:
    ruleset = shipped_ruleset()
    for language, title, text in (
        # a people's adjective and a country in the local language name the two countries
        ("sr", "Grčki bataljon od 400 vojnika stigao u Litvaniju", ""),
        ("sq", "Kanadaja dërgon 300 ushtarë shtesë në Letoni", ""),
        # Ukrainian outlets write the aggressor's name in lower case
        ("uk", "КНДР відправить до росії ще 2 тисячі військових", ""),
        ("ru", "В Таджикистан прибыли первые эшелоны российских войск", "Всего в страну прибудут до 3 тысяч военных."),
    ):
        matched = [m.rule_id for m in ruleset.match(Article("t", title, text, language=language))]
        assert "troop-buildup" in matched, (title, matched)
    for language, title in (
        # a sending ruled out, or nobody said whether one was made
        ("ru", "Венгрия не будет вводить войска в Сербию"),
        ("uk", "Угорщина не відправлятиме своїх військ до Сербії"),
    ):
        matched = [m.rule_id for m in ruleset.match(Article("t", title, "", language=language))]
        assert "troop-buildup" not in matched, (title, matched)
    threat = Article("t", "Kërcënim nga Tirana: \"Ushtria është gati\"",
                     "Ministri nuk tha nëse ndonjë njësi është dërguar drejt kufirit.", language="sq")
    assert "troop-buildup" not in [m.rule_id for m in ruleset.match(threat)]


@pytest.mark.parametrize(("language", "text", "killed"), [
    # a range of the dead counts its lowest figure, in words or digits, before or after the verb
    ("ru", "Авиаудар по рынку\nОт семи до десяти человек погибли, сообщили медики.", 7),
    ("ru", "Авиаудар по рынку\nПогибли от 7 до 10 человек.", 7),
    ("sr", "Napad na pijacu\nOd sedam do deset ljudi poginulo je u napadu.", 7),
    # a toll that rose "from A to B" is B
    ("ru", "Удар по городу\nЧисло погибших выросло с 7 до 10.", 10),
    ("sr", "Napad na selo\nBroj poginulih porastao je sa 7 na 10.", 10),
    # the dead named before a comma and told after it, by a participle or a relative clause
    ("ru", "Траур в столице\nВласти объявили траур по 14 военным, погибшим в засаде.", 14),
    ("uk", "Жалоба в області\nОголошено жалобу за 14 військовими, які загинули в засідці.", 14),
    # ... but not "none dead"
    ("ru", "Удар по городу\nРанены двадцать человек, погибших нет.", None),
])
def test_ninth_round_ranges_rises_and_the_dead_after_a_comma(language: str, text: str, killed: int | None) -> None:
    assert extract_facts(text, language).killed == killed


def test_ninth_round_a_strike_told_by_its_verb_and_target() -> None:
    ruleset = shipped_ruleset()
    strike = Article("t", "Росіяни вдарили по Миколаєву: загинули троє", "", language="uk")
    assert "fatal-clash" in [m.rule_id for m in ruleset.match(strike)]
    frost = Article("t", "Вдарили морози: на дорогах загинули троє водіїв", "", language="uk")
    assert "fatal-clash" not in [m.rule_id for m in ruleset.match(frost)]
    # an officer killed, the Albanian passive with its subject, as "officer killed" in English
    officer = Article("t", "Vritet polic në Podujevë, plagoset një kalimtar", "", language="sq")
    assert "fatal-clash" in [m.rule_id for m in ruleset.match(officer)]


@pytest.mark.parametrize(("language", "title", "text"), [
    # withdraw, leave, come out of a town, cut a force: each language's own verbs and forces
    ("sr", "Vojska Crne Gore povukla deo jedinica sa granice", "Jedinice su povučene u kasarne u Podgorici."),
    ("sq", "Greqia tërheq 400 ushtarë nga kufiri", "Ushtarët u tërhoqën nga pozicionet pranë kufirit."),
    ("ru", "Турция выводит из Ливии последние 500 военных", "Последние 500 турецких военных покинут страну."),
    ("uk", "ЗСУ вийшли з Часового Яру", "Підрозділи ЗСУ відійшли на нові позиції біля міста."),
])
def test_ninth_round_pull_backs_in_each_language_only_update(language: str, title: str, text: str) -> None:
    match = next((m for m in shipped_ruleset().match(Article("t", title, text, language=language))
                  if m.rule_id == "troop-buildup"), None)
    assert match is not None, title
    assert match.facts.get("troops_change") == "decrease" and match.only_updates, (title, match.facts)


def test_ninth_round_the_end_of_a_raid_is_no_pull_back() -> None:
    raid = Article("t", "Спецназ вышел из села после рейда", "Силы вышли из села после рейда, задержаны трое.",
                   language="ru")
    assert "troop-buildup" not in [m.rule_id for m in shipped_ruleset().match(raid)]
