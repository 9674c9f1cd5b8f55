"""Word tables of the facts reader for Serbian, Albanian, Russian and Ukrainian (facts/local.py).

Words are written as the languages write them, Serbian in Cyrillic or Latin as it comes; the
reader folds them with the engine's fold (text.py), so one Serbian entry serves both scripts and
case and diacritics do not matter. Stems end in `*` and match any ending: these languages
inflect numbers and nouns for case and gender ("тројица", "троје", "трое", "троих").
"""

from __future__ import annotations

# number words, one table per language; tens and units join ("dvadeset pet", "двадцать пять")
NUMBERS: dict[str, dict[str, int]] = {
    "sr": {
        "jedan": 1, "jedna": 1, "jedno": 1, "jednog": 1, "jednu": 1, "jednom": 1, "jednoj": 1,
        "dva": 2, "dve": 2, "dvije": 2, "obojica": 2, "obojicu": 2, "obojice": 2, "dvojica": 2, "dvojicu": 2,
        "dvoje": 2, "dvoma": 2,
        "tri": 3, "trojica": 3, "trojicu": 3, "troje": 3,
        "četiri": 4, "četvorica": 4, "četvoricu": 4, "četvoro": 4, "pet": 5, "petorica": 5, "petoricu": 5,
        "petoro": 5, "šest": 6, "šestorica": 6, "šestoro": 6, "sedam": 7, "sedmorica": 7, "sedmoro": 7,
        "osam": 8, "osmorica": 8, "osmoro": 8, "devet": 9, "devetorica": 9, "devetoro": 9,
        "deset": 10, "desetorica": 10, "desetoro": 10, "jedanaest": 11, "dvanaest": 12, "trinaest": 13,
        "četrnaest": 14, "petnaest": 15, "šesnaest": 16, "sedamnaest": 17, "osamnaest": 18,
        "devetnaest": 19, "dvadeset": 20, "trideset": 30, "četrdeset": 40, "pedeset": 50, "šezdeset": 60,
        "sedamdeset": 70, "osamdeset": 80, "devedeset": 90, "sto": 100, "stotinu": 100,
        "dvesta": 200, "trista": 300,
        "desetak": 10, "petnaestak": 15, "dvadesetak": 20, "tridesetak": 30, "četrdesetak": 40,
        "pedesetak": 50, "stotinak": 100,
        # the collective numerals of 11 to 30: "dvanaestoro dece", "dvadesetorica vojnika"
        **{base + ending: n for base, n in (("jedanaest", 11), ("dvanaest", 12), ("trinaest", 13),
                                            ("četrnaest", 14), ("petnaest", 15), ("šesnaest", 16),
                                            ("sedamnaest", 17), ("osamnaest", 18), ("devetnaest", 19),
                                            ("dvadeset", 20), ("trideset", 30), ("četrdeset", 40),
                                            ("pedeset", 50), ("šezdeset", 60), ("sedamdeset", 70),
                                            ("osamdeset", 80), ("devedeset", 90))
           for ending in ("oro", "orica", "oricu", "orice", "orici", "orim", "oga")},
        # hundreds and one thousand: "tri hiljade petsto vojnika", "hiljadu vojnika"
        "četiristo": 400, "petsto": 500, "šeststo": 600, "šesto": 600, "sedamsto": 700, "osamsto": 800,
        "devetsto": 900, "hiljadu": 1000,
        # the dative and instrumental: "sa dvama", "među trima"
        "dvama": 2, "trima": 3, "četirima": 4,
        # the accusative and genitive of the "-ica" numerals: "ubio šestoricu", "od dvojice"
        **{stem + ending: n for stem, n in (("dvoj", 2), ("troj", 3), ("četvor", 4), ("petor", 5), ("šestor", 6),
                                            ("sedmor", 7), ("osmor", 8), ("devetor", 9), ("desetor", 10))
           for ending in ("icu", "ice", "ici", "icom")},
    },
    "sq": {
        "një": 1, "nje": 1, "dy": 2, "tre": 3, "tri": 3, "katër": 4, "pesë": 5, "gjashtë": 6, "shtatë": 7,
        "tetë": 8, "nëntë": 9, "dhjetë": 10, "njëmbëdhjetë": 11, "dymbëdhjetë": 12, "trembëdhjetë": 13,
        "katërmbëdhjetë": 14, "pesëmbëdhjetë": 15, "gjashtëmbëdhjetë": 16, "shtatëmbëdhjetë": 17,
        "tetëmbëdhjetë": 18, "nëntëmbëdhjetë": 19, "njëzet": 20, "tridhjetë": 30, "dyzet": 40,
        "pesëdhjetë": 50, "gjashtëdhjetë": 60, "shtatëdhjetë": 70, "tetëdhjetë": 80, "nëntëdhjetë": 90,
        # "vdekja e të dyve": of the two, the three
        "dyve": 2, "treve": 3, "katërve": 4, "pesëve": 5,
        "njëqind": 100, "qind": 100, "dyqind": 200, "treqind": 300, "katërqind": 400, "pesëqind": 500,
        "gjashtëqind": 600, "shtatëqind": 700, "tetëqind": 800, "nëntëqind": 900,
    },
    "ru": {
        "один": 1, "одна": 1, "одно": 1, "одного": 1, "одну": 1, "одном": 1, "одной": 1,
        "два": 2, "две": 2, "двое": 2, "двух": 2, "двоих": 2, "двоим": 2, "оба": 2, "обоих": 2,
        "три": 3, "трое": 3, "трех": 3, "троих": 3, "четыре": 4, "четверо": 4, "четырех": 4, "четверых": 4,
        "пять": 5, "пятеро": 5, "пяти": 5, "пятерых": 5, "шесть": 6, "шестеро": 6, "шести": 6, "шестерых": 6,
        "семь": 7, "семеро": 7, "семи": 7, "восемь": 8, "восьмеро": 8, "восьми": 8, "девять": 9,
        "девятеро": 9, "девяти": 9, "десять": 10, "десятеро": 10, "десяти": 10,
        "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15,
        "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
        "одиннадцати": 11, "двенадцати": 12, "пятнадцати": 15,
        "двадцать": 20, "двадцати": 20, "тридцать": 30, "тридцати": 30, "сорок": 40, "сорока": 40,
        "пятьдесят": 50, "пятидесяти": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80,
        "девяносто": 90, "сто": 100, "ста": 100, "двести": 200, "триста": 300,
        # the genitive and collective forms the tables lacked: "гибель семерых", "из тринадцати"
        "семерых": 7, "восьмерых": 8, "девятерых": 9, "десятерых": 10, "тринадцати": 13, "четырнадцати": 14,
        "шестнадцати": 16, "семнадцати": 17, "восемнадцати": 18, "девятнадцати": 19, "шестидесяти": 60,
        "семидесяти": 70, "восьмидесяти": 80, "девяноста": 90,
        # oblique tens and hundreds, and one thousand: "тридцати двух", "пятисот", "тысячу военных"
        "двадцатью": 20, "тридцатью": 30, "пятьюдесятью": 50, "двухсот": 200, "трехсот": 300,
        "четыреста": 400, "четырехсот": 400, "пятьсот": 500, "пятисот": 500, "шестьсот": 600, "шестисот": 600,
        "семьсот": 700, "семисот": 700, "восемьсот": 800, "восьмисот": 800, "девятьсот": 900,
        "девятисот": 900, "тысяча": 1000, "тысячу": 1000,
        # the instrumental ("семью" is also "family": left out)
        "двумя": 2, "тремя": 3, "четырьмя": 4, "пятью": 5, "шестью": 6, "восемью": 8, "десятью": 10,
        # "около десятка человек": about ten; "ещё сотню военных": a hundred
        "десяток": 10, "десятка": 10, "сотня": 100, "сотню": 100, "сотней": 100,
    },
    "uk": {
        "один": 1, "одна": 1, "одне": 1, "одного": 1, "одну": 1, "одній": 1,
        "два": 2, "дві": 2, "двоє": 2, "двох": 2, "обидва": 2, "обидві": 2, "обох": 2, "обоє": 2,
        "три": 3, "троє": 3, "трьох": 3,
        "чотири": 4, "четверо": 4, "чотирьох": 4, "п'ять": 5, "п'ятеро": 5, "п'ятьох": 5,
        "шість": 6, "шестеро": 6, "шістьох": 6, "сім": 7, "семеро": 7, "сімох": 7, "вісім": 8, "восьмеро": 8,
        "дев'ять": 9, "дев'ятеро": 9, "десять": 10, "десятеро": 10, "десятьох": 10,
        "одинадцять": 11, "дванадцять": 12, "тринадцять": 13, "чотирнадцять": 14, "п'ятнадцять": 15,
        "шістнадцять": 16, "сімнадцять": 17, "вісімнадцять": 18, "дев'ятнадцять": 19,
        "двадцять": 20, "двадцяти": 20, "тридцять": 30, "тридцяти": 30, "сорок": 40, "сорока": 40,
        "п'ятдесят": 50, "шістдесят": 60, "сімдесят": 70, "вісімдесят": 80, "дев'яносто": 90,
        "сто": 100, "двісті": 200, "триста": 300, "вісьмох": 8, "дев'ятьох": 9,
        # the genitive: "життя шести людей", "загибель десяти військових"
        "п'яти": 5, "шести": 6, "семи": 7, "восьми": 8, "дев'яти": 9, "десяти": 10, "одинадцяти": 11,
        "дванадцяти": 12, "тринадцяти": 13, "чотирнадцяти": 14, "п'ятнадцяти": 15, "шістнадцяти": 16,
        "сімнадцяти": 17, "вісімнадцяти": 18, "дев'ятнадцяти": 19, "п'ятдесяти": 50, "шістдесяти": 60,
        "сімдесяти": 70, "вісімдесяти": 80, "дев'яноста": 90, "ста": 100,
        # the genitive of the tens in -ох ("шістдесятьох"), hundreds and one thousand
        "одинадцятьох": 11, "дванадцятьох": 12, "тринадцятьох": 13, "чотирнадцятьох": 14,
        "п'ятнадцятьох": 15, "шістнадцятьох": 16, "сімнадцятьох": 17, "вісімнадцятьох": 18,
        "дев'ятнадцятьох": 19, "двадцятьох": 20, "тридцятьох": 30, "п'ятдесятьох": 50, "шістдесятьох": 60,
        "сімдесятьох": 70, "вісімдесятьох": 80, "двохсот": 200, "трьохсот": 300, "чотириста": 400,
        "чотирьохсот": 400, "п'ятсот": 500, "п'ятисот": 500, "шістсот": 600, "шестисот": 600, "сімсот": 700,
        "семисот": 700, "вісімсот": 800, "восьмисот": 800, "дев'ятсот": 900, "дев'ятисот": 900,
        "тисяча": 1000, "тисячу": 1000,
        # the instrumental: "з двома загиблими"
        "двома": 2, "трьома": 3, "чотирма": 4, "п'ятьма": 5, "шістьма": 6, "сімома": 7, "вісьмома": 8,
        "десятьма": 10,
        # the collective numerals of 11 to 30, in the nominative and genitive: "дванадцятеро дітей"
        **{base + ending: n for base, n in (("одинадцят", 11), ("дванадцят", 12), ("тринадцят", 13),
                                            ("чотирнадцят", 14), ("п'ятнадцят", 15), ("шістнадцят", 16),
                                            ("сімнадцят", 17), ("вісімнадцят", 18), ("дев'ятнадцят", 19),
                                            ("двадцят", 20), ("тридцят", 30))
           for ending in ("еро", "ьох")},
        # "близько десятка людей": about ten; "ще сотнею військових": a hundred; "подружжя пенсіонерів": a
        # married couple, two
        "десяток": 10, "десятка": 10, "сотня": 100, "сотню": 100, "сотнею": 100, "подружжя": 2,
    },
}

# vague quantities, coded like the English reader: "several" 3, "dozens" 12, "hundreds" 100
VAGUE: dict[str, dict[str, int]] = {
    "sr": {"nekoliko": 3, "više": 3, "desetine": 12, "desetina": 12, "stotine": 100, "stotina": 100},
    "sq": {"disa": 3, "dhjetëra": 12, "qindra": 100},
    "ru": {"несколько": 3, "нескольких": 3, "десятки": 12, "десятков": 12, "сотни": 100, "сотен": 100},
    # "кількасот військових": several hundred, 100 as "hundreds" is
    "uk": {"кілька": 3, "кількох": 3, "декілька": 3, "десятки": 12, "десятків": 12, "сотні": 100, "сотень": 100,
           "кількасот": 100},
}

# "30 тысяч", "30.000", "30 hiljada": the word multiplies the figure before it
THOUSANDS = {"hiljada", "hiljade", "hiljadu", "hiljadama", "tisuća", "tisuće", "тысяча", "тысячи", "тысяч", "тыс",
             "тысячах", "тысячам", "тысячами", "тысячу", "тисяча", "тисячі", "тисяч", "тис", "тисячах",
             "тисячам", "тисячами", "тисячу", "mijë", "mije"}

# "около тысячи", "близько тисячі": one thousand in the genitive, after a word that takes it (about, more than,
# from, to, of); alone, "тысячи военных" is "thousands of soldiers", no figure
THOUSAND_GENITIVE = {"тысячи", "тисячі"}
GOVERNS_GENITIVE = {"около", "более", "свыше", "менее", "порядка", "до", "из", "с", "со", "от",
                    "близько", "понад", "більше", "менше", "з", "із", "від"}

# "полторы тысячи", "півтори тисячі": one and a half before a thousands word is 1,500
ONE_AND_A_HALF = {"полторы", "полтора", "полутора", "півтори", "півтора"}

# words for the dead: stems (`*`) and forms. SINGULAR: a death with no figure counts 1
KILLED: dict[str, list[str]] = {
    "sr": ["pogin*", "pogibij*", "ubijen*", "ubijeno", "usmrćen*", "usmrti*",
           "ubio", "ubila", "ubili", "ubile", "ubivši", "mrtv*", "mrtav",
           "stradao", "žrtvama",
           "stradala", "stradali", "stradalo", "nastradal*", "nastradao", "preminuo", "preminula", "preminuli",
           "smrtno", "lišen života", "lišeni života", "izgubio život", "izgubila život", "izgubili život",
           "izgubilo život", "žrtava", "žrtve", "odneo živote", "odnela živote", "odnelo živote",
           # "likvidirano je osam napadača", as Russian "ликвидированы" and Ukrainian "ліквідовано"
           "likvidiran*",
           # the present of a headline: "Ginu vojnici u napadu", "Dronovi ubijaju civile"
           "ginu", "gine", "ubija", "ubijaju"],
    "sq": ["vra", "vranë", "vrane", "vrarë", "vrare", "vrau", "vritet", "vriten", "vrarët", "vrarëve", "vret",
           "vrasin",
           "vdiq", "vdiqën", "vdekur", "vdekurve", "humbi jetën", "humbën jetën", "humbur jetën", "pa jetë",
           "viktima", "viktimat", "viktimave", "viktimash", "mori jetën", "morën jetën",
           # "vdes polici i plagosur": the wounded officer dies; "ka ndërruar jetë", passed away
           "vdes", "ndërroi jetë", "ndërruan jetë", "ndërruar jetë",
           # shot dead: "sulmuesi qëllohet për vdekje"
           "qëllohet për vdekje", "qëllua për vdekje", "qëlluan për vdekje", "qëlloi për vdekje",
           "qëllonte për vdekje"],
    "ru": ["погиб*", "гибель", "гибели", "убит*", "убил", "убила", "убили", "убиты", "мертв*", "скончал*", "жертв*",
           "уничтожен*", "ликвидирован*", "застрелил*", "застрелен*", "унес жизни", "унесли жизни", "унесла жизни",
           "унесло жизни", "уносит жизни", "гибнут", "гибнет", "убивает", "убивают",
           # "ликвидировали пятерых": a figure is needed ("ликвидировали пожар" is no death)
           "ликвидировали", "ликвидировал", "ликвидировала"],
    "uk": ["загин*", "загибл*", "загибел*", "вбит*", "вбив", "вбила", "вбили", "убит*", "убив", "убила", "убили",
           "мертв*",
           "помер", "померла",
           "померли", "жертв*", "знищен*", "ліквідован*", "застрелил*", "застрелен*", "забрав життя", "забрали життя",
           "забрала життя", "забрало життя", "обірвав життя", "обірвала життя", "гинуть", "гине", "вбиває",
           "вбивають", "ліквідували", "ліквідував", "ліквідувала"],
}
SINGULAR_KILLED: dict[str, set[str]] = {
    "sr": {"poginuo", "poginula", "ubijen", "ubijen je", "mrtav", "stradao", "stradala", "nastradao", "nastradala",
           "preminuo", "preminula", "izgubio život", "izgubila život", "lišen života", "gine"},
    "sq": {"vra", "vrau", "vritet", "vdiq", "vdes", "humbi jetën", "ndërroi jetë", "ndërruar jetë", "i vrarë",
           "i vdekur", "e vrarë",
           "qëllohet për vdekje", "qëllua për vdekje"},
    "ru": {"погиб", "погибла", "убит", "убита", "скончался", "скончалась", "гибнет"},
    "uk": {"загинув", "загинула", "вбит", "вбито", "вбитий", "убитий", "помер", "померла", "гине"},
}
# active verbs ("полицајци су убили нападача"): the victims come after, one when no figure is given; not the
# present ("Жара убивает", "Dronovi ubijaju"), often habitual: it needs a figure
ACTIVE_KILLED: dict[str, set[str]] = {
    "sr": {"ubio", "ubila", "ubili", "ubile"},
    "sq": {"vrau", "vranë", "vret", "vrasin", "vrarën"},
    "ru": {"убил", "убила", "убили"},
    "uk": {"вбив", "вбила", "вбили", "убив", "убила", "убили"},
}
WOUNDED: dict[str, list[str]] = {
    "sr": ["ranjen*", "ranio", "ranila", "ranili", "povređen*", "povredjen*", "povrijeđen*", "povređeno"],
    "sq": ["plagos*", "lënduar", "lëndua", "lënduan", "lënduarit"],
    "ru": ["ранен*", "ранения", "ранило", "пострадал*", "травмирован*"],
    "uk": ["поранен*", "поранення", "травмован*", "постраждал*"],
}
SINGULAR_WOUNDED: dict[str, set[str]] = {
    "sr": {"ranjen", "ranjena", "povređen", "povređena", "ranio"},
    "sq": {"plagos", "plagosur", "u plagos", "lëndua"},
    "ru": {"ранен", "ранена"},
    "uk": {"поранений", "поранена", "поранено"},
}

# a toll: "broj poginulih porastao je na 12", "число погибших возросло до", "numri i të vrarëve"
TOLL_WORDS = {"broj", "bilans", "ukupno", "число", "количество", "всего", "кількість", "загалом",
              "numri", "gjithsej", "bilanci"}
# "погибших стало девять", "загиблих стало дев'ятеро": the dead "became" a figure, a toll that rose
BECAME = {"стало", "стала", "станет", "становится", "стає"}
# verbs a toll's figure follows with no preposition: "число погибших превысило 80", "broj poginulih premašio je 80"
TOLL_VERBS = {"превысило", "превысил", "превысила", "достигло", "достиг", "достигла", "перевищило", "перевищила",
              "перевищив", "сягнуло", "досягло", "досягла", "premašio", "premašila", "premašilo", "dostigao",
              "dostigla", "dostiglo", "kaloi", "kapërceu", "arriti",
              # a toll corrected, its figure after a dash or a colon: "кількість загиблих уточнили — восьмеро"
              "уточнили", "уточнило", "уточнила", "уточнено", "уточнився", "уточнилось", "уточнилася"}
# a group inside a larger one, not added again: "među poginulima", "среди погибших", "в том числе"
SUBGROUP_WORDS = {"među", "medju", "od toga", "uključujući", "среди", "в том числе", "включая", "из них",
                  "серед", "у тому числі", "в тому числі", "з них", "ndër", "midis", "përfshirë", "prej tyre"}
# background: tolls of a war, a season or a year, not of today's incident
BACKGROUND_WORDS = {"od početka", "od pocetka", "tokom rata", "u ratu", "godišnjic*", "obeležen*", "obilježen*",
                    "с начала", "со времени", "за время", "за годы", "годовщин*", "з початку", "за час",
                    "річниц*", "роковин*", "që nga fillimi", "gjatë luftës", "përvjetor*", "sezone", "сезона",
                    "сезону", "sezonit", "prošle godine", "в прошлом году", "минулого року", "vitin e kaluar",
                    # a relative clause about an earlier incident: "posle napada u Banjskoj, u kojem su poginuli"
                    "u kojem", "u kome", "u kojoj", "ku u", "в котором", "в ходе которого", "у якому", "в якому",
                    "під час якого", "в которой", "в которых", "у якій", "в якій", "у яких", "в яких",
                    "u kojima", "në të cilën", "në të cilat", "në të cilin", "në të cilët",
                    # ... and "under which": "обвал навісу, під яким загинули шістнадцять людей"
                    "під яким", "під якою", "під якими", "под которым", "под которой", "под которыми", "pod kojim",
                    "pod kojom", "pod kojima", "nën të cilin", "nën të cilën",
                    # a war long over, and the last time something happened: "во время войны во Вьетнаме, где
                    # погибли 14", "В последний раз ..."
                    "во время войны", "в годы войны", "під час війни", "у роки війни", "za vreme rata",
                    "u toku rata", "в последний раз", "последний раз", "востаннє", "останній раз",
                    "poslednji put", "posljednji put", "herën e fundit", "për herë të fundit",
                    # an earlier attack of a series, early in the year: "у једном од тих напада", "почетком године"
                    "od tih napada", "početkom godine", "početkom prošle godine",
                    # a cumulative toll over months: "впервые за полгода назвал потери"
                    "за полгода", "за півроку", "за пів року",
                    # a war's toll since it began, and days of fighting told whole: "від початку вторгнення",
                    # "внаслідок збройної агресії", "за чотири дні бойових дій"
                    "від початку", "от начала", "që nga fillimi i", "збройної агресії", "вооруженной агрессии",
                    "днів бойових дій", "дні бойових дій", "дней боевых действий", "дня боевых действий",
                    "dana borbi", "ditë luftimesh",
                    # last week: another day's toll ("Минулого тижня ... загинули ще троє людей")
                    "минулого тижня", "на минулому тижні", "минулому тижні", "на прошлой неделе", "прошлой неделе",
                    "prošle nedelje", "prošle sedmice", "prošlog tjedna", "javën e kaluar", "javën që shkoi",
                    # an earlier attack than the one reported: "U ranijem napadu poginuo je jedan policajac"
                    *(f"{earlier} {event}" for earlier in (
                        "ranijem", "ranijeg", "ranijim", "prethodnom", "prethodnog", "prethodnim",
                        "предыдущем", "предыдущего", "предыдущей", "предыдущих", "попередньому", "попереднього",
                        "попередній", "попередніх") for event in (
                        "napad*", "incident*", "напад*", "инцидент*", "інцидент*", "обстрел*", "обстріл*",
                        "атак*", "удар*")),
                    *(f"{event} e {earlier}" for event in ("sulmin", "incidentin") for earlier in (
                        "mëparshëm", "mëhershëm")),
                    *(f"{event} të {earlier}" for event in ("sulmit", "incidentit") for earlier in (
                        "mëparshëm", "mëhershëm")),

                    # a past month with no day, as the incident's date has one: "У квітні ... вбили 35 людей"
                    *(f"{prep} {month}" for prep in ("в", "во") for month in (
                        "январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре",
                        "октябре", "ноябре", "декабре")),
                    *(f"{prep} {month}" for prep in ("в", "у") for month in (
                        "січні", "лютому", "березні", "квітні", "травні", "червні", "липні", "серпні", "вересні",
                        "жовтні", "листопаді", "грудні"))}
# "Тогда погибли 334 человека": a sentence opened by "then" goes on about the background sentence before it
THEN_WORDS = {"тогда", "тоді", "tada", "тада", "atëherë"}
# a sentence opened by a past month with no day (Albanian, Serbian): "Në maj, në Zveçan, u plagosën ..."; inside
# a sentence the month may date the build-up a headline counts from ("nga 10.000 të dërguar në korrik")
PAST_MONTH_OPENERS = {*(f"në {month}" for month in ("janar", "shkurt", "mars", "prill", "maj", "qershor", "korrik",
                                                      "gusht", "shtator", "tetor", "nëntor", "dhjetor")),
                      *(f"u {month}" for month in ("januaru", "februaru", "martu", "aprilu", "maju", "junu", "julu",
                                                     "avgustu", "septembru", "oktobru", "novembru", "decembru"))}
# "за вісім років конфлікту загинули понад 14 тисяч": a toll summed over years, months or weeks, not one incident's
OVER_SPAN = {"за", "za", "gjatë"}
YEARS_AND_MONTHS = {"років", "роки", "лет", "года", "годы", "godina", "godine", "meseci", "месеци", "mjeseci",
                    "місяців", "місяці", "месяцев", "месяца", "viteve", "vjetëve", "muajve",
                    # and weeks: "лише за минулий тиждень загинули семеро", "за прошлую неделю"
                    "тиждень", "тижні", "тижнів", "неделю", "недели", "недель", "nedelju", "nedelje", "nedelja",
                    "sedmicu", "sedmice", "javën", "javët", "javëve"}

# months, in the cases a date gives them: "24. septembra", "24 сентября", "24 вересня", "më 24 shtator"
MONTHS = {"januar*", "februar*", "mart*", "april*", "maj*", "jun*", "jul*", "avgust*", "septembar*",
          "septembr*", "oktobar*", "oktobr*", "novembar*", "novembr*", "decembar*", "decembr*",
          "января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
          "ноября", "декабря", "січня", "лютого", "березня", "квітня", "травня", "червня", "липня",
          "серпня", "вересня", "жовтня", "листопада", "грудня", "janar*", "shkurt*", "prill*", "qershor*",
          "korrik*", "gusht*", "shtator*", "tetor*", "nëntor*", "dhjetor*", "mars", "marsit", "marsin"}
# time and measure words: a figure before one of these is not a count of people
NOT_PEOPLE = {"godišnj*", "летн*", "летия", "годовал*", "річн*", "vjeçar*", "vjeç", "sat", "sata", "sati",
              "minut*", "dan", "dana", "godin*", "meseci", "mesec*", "km", "kilometar*",
              "metar*", "metara", "odsto", "posto", "procen*", "evra", "dinara", "dolara",
              "час", "часа", "часов", "минут*", "день", "дня", "дней", "год", "года", "лет", "месяц*", "км",
              "километр*", "метр*", "процент*", "рубл*", "долл*", "суток", "сутки",
              "годин*", "хвилин*", "днів", "доби", "рік", "роки", "років", "місяц*", "кілометр*", "відсот*",
              "гривень", "orë", "ore", "minuta", "ditë", "dite", "vjet", "vite", "muaj", "kilometra",
              "metra", "përqind", "euro"} | MONTHS
# "posle napada u Banjskoj 24. septembra, kada su poginuli ...": a "when" clause after a dated earlier event
# ("after" it) tells that event's toll, not today's; "kada" alone also opens today's incidents
WHEN_WORDS = {"kada", "kad", "когда", "коли", "kur",
              # "where" works alike: "pas sulmit të 24 shtatorit në Banjskë, ku u vranë ..."
              "ku", "gde", "gdje", "где", "де", "tada", "тада", "тогда", "тоді", "atëherë"}
# "od septembra, kada su ...", "с сентября, когда", "з вересня, коли", "që nga shtatori, kur": a "when" clause after
# a month named with "since" tells the earlier event that began it
SINCE_WORDS = {"od", "с", "со", "з", "із", "від", "nga"}
AFTER_WORDS = {"posle", "poslije", "nakon", "после", "після", "pas"}
# "pas përplasjes së fundit, ku humbi jetën një ushtar", "posle poslednjeg sukoba, kada ...": "the latest"
# event after "after" is an earlier one, as a dated one is
LATEST_WORDS = {"fundit", "poslednjeg", "poslednje", "posljednjeg", "posljednje", "последнего", "последней",
                "последнее", "останнього", "останньої", "последњег", "последње"}
# "posle ponoći 24. septembra, kada ...": after a time of day, not an earlier event
TIMES_OF_DAY = {"ponoći", "podne", "полуночи", "полудня", "опівночі", "обіду", "mesnatës", "mesditës", "drekës"}

# a force's strength as it stands, not the figure of a change: "ukupno 3.800 vojnika", "всего"
EXISTING = {"ukupno", "sada", "trenutno", "već", "укупно", "всего", "сейчас", "в настоящее время", "уже",
            "загалом", "наразі", "зараз", "вже", "gjithsej", "aktualisht", "tani", "tashmë", "totalin"}
# the number of troops is the subject: "broj vojnika smanjen sa 8.350 na 4.500", "численность"
COUNT_WORDS = {"broj", "brojno stanje", "число", "численность", "количество", "кількість", "чисельність",
               "numri", "numrin", "numrit"}
# a unit's strength given after it: "бригада численностью около двух тысяч человек", "brigada jačine 3.000"
STRENGTH_OF = {"численностью", "чисельністю", "jačine", "jacine", "brojnosti", "јачине", "бројности"}
# what a pull-back leaves: "tamo će ih ostati 25.000", "mbeten rreth 5.000", "залишилося близько 3 тисяч",
# "останутся около 4 тысяч"; the figure after one of these is the level a cut left
REMAINING = {"ostaje", "ostaju", "ostati", "ostalo", "ostaće", "ostace", "ostane", "ostanu", "остаје", "остају",
             "остати", "остало", "остаће", "mbetet", "mbeten", "mbetur", "mbeti", "mbetën", "do të mbeten",
             "остаётся", "остается", "остаются", "останется", "останутся", "осталось", "остались", "остаться",
             "залишається", "залишаються", "залишиться", "залишаться", "залишилося", "залишилось", "залишилися",
             "залишились"}
# "sa 8.350 na 4.500", "с 8350 до 4500", "nga 8.350 në 4.500": the figures of a change
FROM_TO = {"sa", "s", "od", "na", "с", "со", "от", "до", "з", "із", "від", "nga", "në", "ne", "prej",
           "umesto", "вместо", "замість"}
# the two ends of a change in a force's size: "sa 8.350 na 4.500", "с 8350 до 4500", "nga 5.000 në
# 10.000", "4.500 vojnika umesto 8.350" (the figure after "umesto" is the earlier one)
CHANGE_FROM = {"sa", "s", "od", "с", "со", "от", "з", "із", "від", "nga", "prej"}
CHANGE_TO = {"na", "до", "në", "ne"}
INSTEAD_OF = {"umesto", "уместо", "вместо", "замість"}
# a range of figures, "od 10 do 12 hiljada", "от 10 до 12 тысяч", "від 10 до 12 тисяч", "nga 10 deri në 12
# mijë", "10-12 тисяч": the range counts its lowest figure, which takes the scale word of the highest
RANGE_FROM = {"od", "između", "от", "между", "від", "між", "nga", "prej"}
RANGE_TO = {"do", "до", "deri"}
# "između 3.000 i 4.000", "midis 3.000 dhe 4.000", "между 3000 и 4000": a range with "and" needs its "between"
RANGE_BETWEEN = {"između", "izmedju", "између", "между", "між", "midis", "ndërmjet"}
RANGE_AND = {"i", "и", "dhe", "і", "та"}
# words a figure may follow: "na oko 4.500", "në rreth 4.500", "до около 4500"
ABOUT = {"oko", "otprilike", "rreth", "afro", "около", "примерно", "приблизно", "близько"}
# year words: "1999. godine", "в 2014 году"
YEAR_WORDS = {"godine", "godina", "godinu", "godini", "году", "года", "год", "г", "року", "рік", "р",
              "vitin", "viti", "vit", "vitit"}
# year words written before the year: "që nga viti 2014", "në luftën e vitit 2006"
YEAR_BEFORE = {"vitin", "viti", "vitit"}
# "двох десятків", "dve desetine": a unit counted in tens
# "više od dvesta": a word for "more" that is vague alone, and what joins it to a figure
MORE_THAN = {"više": ("od", "nego"), "vise": ("od", "nego")}
TENS_WORDS = {"десятка", "десятков", "десятки", "десятків", "desetine", "desetina"}

# troops: a figure bound to one of these nouns counts
TROOP_NOUNS: dict[str, list[str]] = {
    "sr": ["vojnik*", "vojnici", "vojnicima", "pripadnik*", "trupa", "trupe", "vojske", "vojnih lica",
           "padobranac*", "marinac*", "marinc*", "mornar*", "komandos*", "rezervist*", "regrut*", "mirovnjak*",
           "pripadnika kfor*"],
    # "rezervist*" would take the adjective of "dy brigada rezerviste": the nouns only
    "sq": ["ushtar*", "trupa", "trupave", "trupat", "pjesëtarë", "pjesëtarëve", "efektivë", "rezervist",
           "rezervistë", "rezervistët", "rezervistëve", "rezervistësh", "marins*", "marinar*",
           "komando", "komandot", "komandove", "komandos", "komandosë", "komandosët", "komandosve", "komandosh",
           "paqeruajtës*", "paqeruajtës"],
    "ru": ["военн*", "военнослужащ*", "солдат*", "бойц*", "боец", "десантник*", "резервист*", "мобилизованн*",
           "контрактник*", "морпех*", "моряк*", "пехотинц*", "миротворц*", "коммандос", "спецназовц*",
           "человек личного состава", "личного состава"],
    "uk": ["військов*", "військовослужбов*", "солдат*", "бійц*", "бійців", "боєць", "десантник*", "резервіст*",
           "мобілізован*", "миротворц*", "піхотинц*", "морпіх*", "моряк*", "командос", "спецпризначенц*",
           "особового складу"],
}
# "военных кораблей", "військових літаків": a troop word used of hardware is no troop noun
HARDWARE: dict[str, list[str]] = {
    "sr": ["brod*", "avion*", "vozil*", "helikopter*", "objekt*", "baz*", "tehnik*"],
    "sq": ["anije", "anijet", "anijesh", "avion*", "automjet*", "helikopter*", "objekt*", "baz*"],
    "ru": ["корабл*", "суд*", "самолет*", "самолёт*", "вертолет*", "вертолёт*", "машин*", "техник*", "объект*",
           "баз*", "катер*"],
    "uk": ["корабл*", "суд*", "літак*", "гелікоптер*", "вертольот*", "машин*", "техні*", "об'єкт*", "об’єкт*",
           "баз*", "катер*"],
}
# forces, for the direction of a change: the troop nouns and these
FORCE_WORDS: dict[str, list[str]] = {
    "sr": ["vojsk*", "snag*", "jedinic*", "tenk*", "artiljerij*", "oklopn*", "brigad*", "bataljon*", "trup*",
           "kontingent*", "žandarmerij*", "oružj*", "naoružanj*", "tehnik*", "borbene", "brod*", "flot*"],
    "sq": ["ushtri*", "forca", "forcat", "forcave", "forcash", "njësi*", "tank*", "artileri*", "brigad*",
           "batalion*", "kontingjent*", "trupash", "armatim*", "anije", "anijet", "flot*"],
    "ru": ["войск*", "войска", "сил", "силы", "силами", "подразделени*", "танк*", "артиллери*", "бригад*",
           "батальон*", "контингент*", "техник*", "групп*", "группировк*", "армия", "армии", "армию", "корабл*",
           "флот*", "резерв*", "всу",
           # border guards withdrawn ("Российские пограничники покинут аэропорт")
           "пограничник*"],
    "uk": ["військ*", "зсу", "сил", "сили", "силами", "підрозділ*", "танк*", "артилері*", "бригад*", "батальйон*",
           "контингент*", "техні*", "угруповання", "армія", "армії", "армію", "резерв*", "корабл*", "флот*",
           "прикордонник*"],
}
INCREASE: dict[str, list[str]] = {
    "sr": ["raspored*", "raspoređ*", "gomilanj*", "gomila", "gomilaju", "nagomila*", "pojača*", "pojačan*",
           "uput*", "upućen*", "poslat*", "posla*", "šalje", "šalju", "prebac*", "prebačen*", "dovlač*",
           "dovuk*", "koncentr*", "mobiliz*", "mobilis*", "razmešt*", "razmest*", "povećan*", "povećava*", "povećal*",
           "stiž*", "stigl*", "jača*", "borbenu gotovost", "pripravnost*", "podig*", "dodatn*", "okuplj*",
           "okupil*", "premest*", "premešt*", "dovede*", "doveo", "dovela", "doveli", "dovelo", "dovele", "kreću",
           "kreće",
           # a force doubled or tripled
           "udvostruč*", "utrostruč*"],
    "sq": ["grumbull*", "dislok*", "vendos*", "vendosj*", "dërg*", "dërgua*", "shtim*", "shton", "shtuar",
           "shtoi", "përforc*", "mobiliz*", "koncentr*", "sjell*", "zhvendos*", "rrit*", "gatishmëri*",
           "mbërrit*", "dislokim*", "shtesë", "mblodh*", "mbledh*", "lëvizin", "lëvizën", "dyfish*", "trefish*"],
    "ru": ["стяг*", "стянул*", "перебро*", "перебрасыва*", "наращива*", "нарастил*", "развертыва*",
           "развёртыва*", "разверн*", "развёрн*", "усил*", "сосредоточ*", "концентр*", "мобилиз*",
           "направ*", "отправ*", "прибыл*", "прибыва*", "увелич*", "подтяг*", "выдвига*", "выдвинул*", "размест*",
           "размещ*",
           "боевую готовность", "перемещ*", "дополнительн*", "движутся", "скопил*", "удвоил*", "удвоен*",
           "удваива*", "утроил*", "утроен*"],
    "uk": ["стяг*", "стягну*", "перекида*", "перекину*", "нарощ*", "розгорта*", "розгорну*", "посил*",
           "зосеред*", "концентр*", "мобіліз*", "направ*", "відправ*", "прибул*", "прибува*", "збільш*", "розмісти*",
           "розміщ*",
           "підтяг*", "висува*", "бойову готовність", "переміщ*", "додатков*", "рухаються", "скупчил*", "подвоїл*",
           "подвоєн*", "подвою*", "потроїл*", "потроєн*"],
}
# a barracks alone is no direction ("napad na kasarnu": an attack on one); a return to it is, by its verb
DECREASE: dict[str, list[str]] = {
    "sr": ["povlačenj*", "povlači*", "povlače", "povuk*", "povučen*", "povukl*", "povuć*", "smanjen*", "smanji*",
           "smanjuj*", "vraćen*", "vraća*", "vratil*", "demobiliz*", "odlazak", "napušta*", "napust*",
           # "vraćaju se u mesta stalnog razmeštaja": home, not deployed
           "mesta stalnog razmeštaja", "mesto stalnog razmeštaja"],
    "sq": ["tërheq*", "tërhoq*", "tërhiq*", "tërhequr", "zvogël*", "pakës*", "reduktim*", "ulje", "ulur",
           "largim*", "largua*", "largohen", "largon", "largojnë", "largoi",
           # "numri i ushtarëve u ul në katër mijë e pesëqind": was lowered
           "u ul", "uli", "ulën", "uljen", "uljes",
           "kthim*", "kthehen", "kthen", "kthyen", "kthye*", "çmobiliz*"],
    "ru": ["отвод*", "отвел*", "отвёл*", "отвед*", "отвест*", "вывод*", "вывел*", "выведен*", "вывест*",
           "сокращ*", "сократ*", "отступ*", "отход*", "отошл*", "демобилиз*", "покида*", "покинул*", "покинут*",
           "вернут*", "вернул*", "возвраща*", "возвращени*",
           # a force's number lowered: "численность снижается с пятнадцати до девяти тысяч"
           "сниж*", "снизил*", "снизит*",
           # forces that came out of a town or left their positions: "ВСУ вышли из Авдеевки"
           "вышли из", "вышла из", "вышел из", "оставили позиции", "оставили город"],
    "uk": ["відвод*", "відвед*", "відвест*", "відвел*", "відвів", "вивод*", "вивів", "вивел*", "вивед*", "вивест*",
           "скороч*", "скорот*", "відступ*",
           "відход*", "відійшл*", "демобіліз*", "залиша*", "залишил*", "покида*", "повернул*",
           "повернут*", "поверта*", "повернення",
           # a force's number lowered: "кількість військових зменшується з двадцяти до восьми тисяч"
           "зменш*", "зниж*", "знизил*",
           # forces that came out of a town or left their positions: "ЗСУ вийшли з Вугледара"
           "вийшли з", "вийшли із", "вийшла з", "вийшов з", "залишили позиції", "залишили місто"],
}
# a build-up named by a noun ("posle letnjeg gomilanja", "pas grumbullimit të verës") says less than a
# verb, as in English: such a cue weighs half in the direction of a change
INCREASE_NOUNS: dict[str, list[str]] = {
    "sr": ["gomilanj*", "raspoređivanj*", "prebacivanj*", "koncentracij*", "mobilizacij*", "povećanj*",
           "pojačanj*", "jačanj*"],
    "sq": ["grumbullim*", "dislokim*", "vendosj*", "shtim*", "përforcim*", "mobilizim*", "koncentrim*", "rritj*",
           "zhvendosj*", "dërgim*"],
    "ru": ["стягивани*", "наращивани*", "развертывани*", "развёртывани*", "усилени*", "сосредоточени*",
           "концентраци*", "мобилизаци*", "увеличени*", "переброск*", "перемещени*"],
    "uk": ["стягуванн*", "нарощуванн*", "розгортанн*", "посиленн*", "зосередженн*", "концентраці*",
           "мобілізаці*", "збільшенн*", "перекидання", "переміщенн*"],
}
# the build-up behind a pull-back is told in a relative clause or a pluperfect ("jedinice koje je u
# julu dovukla", "forcat që kishte dërguar", "войска, которые стягивала", "підрозділи, які стягувала"):
# a cue after one of these words, in the same clause, is an earlier step and weighs half
EARLIER_STEP: dict[str, str] = {
    "sr": "koji koja koje koju kojih kojima kojem kojeg kojoj tada",
    "sq": "që kishte kishin kishim kishe atëherë",
    "ru": "который которая которое которые которых которым которыми которую которого тогда",
    "uk": "який яка яке які яких якими яку якого якій тоді",
}
# the dead named before a comma and told after it, by a participle or a relative clause of their own ("траур по
# 29 военным, погибшим в засаде", "29 військовим, які загинули"): the figure before the comma is the toll
DEAD_AFTER_COMMA: dict[str, str] = {
    "sr": "poginulim poginulima poginulih ubijenim ubijenima ubijenih koji koje",
    "sq": "të",
    "ru": "погибшим погибшими погибших убитым убитыми убитых которые",
    "uk": "загиблим загиблими загиблих вбитим вбитими вбитих убитим убитими які",
}
# the attackers: killed besides the victims the title counts, they are added ("Шестеро людей загинули ...
# Обох нападників застрелили": 8)
ATTACKERS: dict[str, list[str]] = {
    "sr": ["napadač*", "teroris*", "džihadist*", "taliban*"],
    "sq": ["sulmues*", "terrorist*", "xhihadist*", "taliban*"],
    "ru": ["нападавш*", "террорист*", "боевик*", "злоумышленник*", "талиб*"],
    "uk": ["нападник*", "терорист*", "бойовик*", "зловмисник*", "таліб*"],
}
# "na zamenu poginulima", "на заміну загиблим", "për të zëvendësuar të vrarët": the dead the troops replace
# are no casualties of the report, and a troop figure beside them still counts
REPLACING: dict[str, str] = {
    "sr": "zamenu zameni zamenom zamena",
    "sq": "zëvendësuar zëvendësojnë zëvendësim zëvendësimin",
    "ru": "замену замены замена",
    "uk": "заміну заміни заміна",
}
# "also" right after a verb for the dead: killed besides those the title counts ("убијен је и непознат број
# нападача")
ALSO: dict[str, str] = {
    "sr": "i takođe još",
    "sq": "edhe gjithashtu",
    "ru": "и также тоже ещё еще",
    "uk": "і й також теж ще",
}
# "also" right before the verb, after the dead it counts: "Троє порушників також убиті", "Tre kontrabandistë
# gjithashtu u vranë" (only the words that mean nothing but "also": "и", "i", "edhe" join lists)
ALSO_BEFORE: dict[str, str] = {
    "sr": "takođe takodje",
    "sq": "gjithashtu",
    "ru": "также тоже",
    "uk": "також теж",
}
# "Крім того, силовики ліквідували п'ятьох нападників": a sentence opened by "besides" tells more dead
ALSO_OPENERS = {"крім того", "кроме того", "osim toga", "pored toga", "përveç kësaj", "veç kësaj"}
# "pozvao Srbiju da povuče", "призвал отвести": a change only asked for or denied does not count
NOT_DONE = {"pozva*", "zatraž*", "zahteva*", "traži", "traže", "poziva*", "nema", "negira*", "demantova*",
            "призвал*", "призыва*", "потребова*", "требу*", "нет", "отрица*", "опроверг*",
            "закликал*", "заклика*", "вимага*", "немає", "заперечу*", "спростува*",
            "bëri thirrje", "kërkoi", "kërkon", "mohoi", "mohon", "nuk ka"}

# The small words of each language, apart: a word of one is often another word in another
# once folded (Albanian "në", "in", is Serbian "ne", "not"; Albanian "u" makes a passive, Serbian
# "u" is "in"; Serbian "pa" is "and so", Albanian "pa" "without").
# words between a verb and its figure: "poginuo je jedan", "погибли ещё трое", "u vranë të paktën tre"
AUXILIARY: dict[str, str] = {
    "sr": "je su se bio bila bili bilo još i najmanje oko više od čak ukupno preko",
    "sq": "janë është u ka kanë edhe të paktën rreth mbi më shumë se",
    "ru": "был была было были ещё еще уже также тоже по меньшей мере не менее около более почти свыше как минимум",
    "uk": "був була було були ще вже також теж щонайменше близько понад майже принаймні не менше",
}
# prepositions: a figure before one belongs to another phrase ("3 тисячі військових на заміну загиблим")
PREPOSITIONS: dict[str, str] = {
    "sr": "na u za po pri prema posle nakon zbog radi",
    "sq": "nga për pas në drejt",
    "ru": "на в во за по при к ко после ради для через до",
    "uk": "на в у за по при до після через від з для",
}
# "niko nije poginuo", "никто не погиб", "askush nuk u vra", "ніхто не загинув": no death at all
NEGATIONS: dict[str, str] = {
    "sr": "ne nije nisu niko nema nijedan",
    "sq": "nuk s askush asnjë pa",
    "ru": "не нет никто ни",
    "uk": "не немає ніхто ні",
}
CONJUNCTIONS: dict[str, str] = {
    "sr": "a i dok ali",
    "sq": "dhe por e",
    "ru": "а и но",
    "uk": "а і й та але",
}
# people named one by one after a plural verb, with no figure ("погибли мужчина и женщина", "загинули мати з
# донькою", "погибли мужчина, его супруга и их сын"): each counts one when its last word (Russian and Ukrainian
# put the noun last) is not plural. A word with one of these endings is plural; Serbian and Albanian have no table
# (their singular and plural endings overlap: "dete", "žene"), so they do not count such lists
PLURAL_ENDINGS: dict[str, tuple[str, ...]] = {
    "sr": (),
    "sq": (),
    "ru": ("ы", "и"),
    "uk": ("и", "і", "ї"),
}
# singular nouns with a plural's ending ("мати", mother)
SINGULAR_EXCEPTIONS: dict[str, str] = {
    "sr": "",
    "sq": "",
    "ru": "",
    "uk": "мати",
}
# "мать с дочерью", "мати з донькою": "with" joins two people as "and" does, in such a list
COMITATIVES: dict[str, str] = {
    "sr": "",
    "sq": "",
    "ru": "с со",
    "uk": "з із зі",
}
# "tre nga sulmuesit u vranë", "trojica od napadača", "трое из нападавших": a figure of a group
PARTITIVES: dict[str, str] = {
    "sr": "od",
    "sq": "nga prej",
    "ru": "из",
    "uk": "з із",
}
# "an unknown number" counts 3, as "several" does (docs/rules.md)
VAGUE_PHRASES: dict[str, dict[str, int]] = {
    "sr": {"nepoznat broj": 3, "neutvrđen broj": 3, "veći broj": 3},
    "sq": {"numër i panjohur": 3, "numër të panjohur": 3, "një numër i panjohur": 3},
    "ru": {"неизвестное число": 3, "неизвестное количество": 3, "неустановленное число": 3},
    "uk": {"невідома кількість": 3, "невідому кількість": 3, "невстановлена кількість": 3},
}
