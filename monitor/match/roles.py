"""Words around a surname that say who (or what) it names: titles and roles, namesakes, grammatical gender.

* A **title or role** before a bare surname ("President Kennedy", "pisarz Mróz", "писатель Мороз") shows a
  person is meant, which a surname that is also an everyday word needs (`monitor.match.lexicon`).
* A **namesake noun** next to it shows something named after a person: "the Sakharov Prize", "Chopin
  Airport", "ulica Wałęsy", "премия имени Сахарова", "Kolesnikovo is a village", "the Znak publishing house".
* A past-tense verb in the same clause shows the **gender** of whoever the surname names in Slavic languages:
  "Шевчук заявила" is a woman, whatever the surname's own form.

The lists are closed vocabularies (nouns of titles, prizes, places and organisations in the languages the
matcher reads), stored as lower-case stems so that inflected forms ("prezydenta", "премии", "ulicy") match.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Titles and roles. Latin-script words are matched whole (and with a plural -s); Cyrillic ones and the
# Polish, Czech and German ones marked with "~" are stems, so that their inflected forms match too.
_TITLES = """
    mr mrs ms miss dr sir dame lord lady mx prof rev fr st
    president premier prime minister chancellor secretary senator sen rep representative governor
    gov mayor judge justice general gen colonel col major capt captain lieutenant lt sgt sergeant admiral
    commander pope king queen prince princess emperor empress sheikh imam rabbi father pastor bishop cardinal
    patriarch ambassador envoy director professor chairman chairwoman chair ceo founder commissioner speaker
    leader coach editor writer author novelist poet journalist reporter photographer correspondent columnist
    lawyer attorney activist dissident candidate deputy mp mep spokesman spokeswoman spokesperson composer
    conductor pianist singer actor actress artist filmmaker scientist physicist economist opposition
    officer agent prosecutor defendant prisoner detainee nominee laureate
    prezydent~ premier~ minister~ pan pani poseł~ posłank~ marszałk~ marszałek pisarz~ pisark~ autor~
    dziennikar~ aktywist~ opozycjonist~ sędzi~ generał~ ksiądz księdz~ biskup~ mecenas~ mec kompozytor~
    reżyser~ senator~ prezes~ przewodnicząc~ rzeczni~ adwokat~ kandydat~
    президент~ премьер~ министр~ господин~ госпож~ писател~ журналист~ политик~ оппозиционер~ активист~
    депутат~ генерал~ судья~ судьи~ адвокат~ патриарх~ губернатор~ мэр~ глава~ главы~ режиссер~ режиссёр~
    композитор~ поэт~ певец~ певиц~ правозащитни~ заключенн~ заключённ~ политзаключ~
    прем'єр~ міністр~ пан пані письменни~ журналіст~ правозахисни~
    прэзідэнт~ спадар~ пісьменні~ палітвязн~ палітвязень
    herr frau präsident~ kanzler~ ministerin bundeskanzler~ schriftsteller~ journalistin richter~
    bürgermeister~ oppositionell~
    monsieur madame mme président présidente ministre écrivain journaliste général
    señor señora sr sra presidente ministro ministra escritor periodista don doña
    signor signora scrittore giornalista
    paní prezident~ premiér~ ministr~ spisovatel~ novinář~
    miniszterelnök~ elnök~ úr asszony
    prezidentas prezidentė ponas ponia
"""

# Nouns of things named after people (prizes, places, institutions, laws, events) and of companies and
# publishers named like a person; same notation, and "^" for a word that counts only capitalised (after a
# name, "Navalny records a video" is a verb, "Znak Records" a company).
_NAMESAKES = """
    prize award^ awards^ medal lecture^ prix premio premi preis~ nagrod~ cena ceny премия премии премию премией
    премі~ прэмі~ scholarship fellowship stypendi~ стипенди~ cup^ puchar~ кубок~ кубк~ trophy
    airport airfield aéroport aeropuerto aeroporto flughafen lotnisk~ letiště аэропорт~ аеропорт~ аэрапорт~
    street avenue boulevard road^ square^ bridge^ station^ embankment rue place^ via^ viale piazza calle plaza
    avenida straße strasse platz allee ulic~ ul aleja alei aleje plac placu placem placów náměstí nábřeží třída
    улиц~ ул проспект~ просп площад~ переул~ бульвар~ набережн~ вулиц~ вул площ~ вуліц~ праспект~
    gatvė gatvės
    village town hamlet district wieś wsi miejscowoś~ vesnic~ obec~ деревн~ село села селе сёл~ посёлок~
    поселок~ посел~ город~ района район~ dorf stadt ville pueblo kaim~
    university universität université universidad università uniwersytet~ univerzit~ университет~
    університет~ універсітэт~ school szkoł~ škol~ школ~ gymnasium liceum lyceum лицей~ ліцэй~ college
    institute institut instytut~ институт~ інститут~ foundation stiftung fundacj~ фонд~ museum muzeum
    музей~ musée museo theatre theater teatr~ театр~ hall^ library bibliotek~ библиотек~ stadium stadion~
    стадион~ hospital szpital~ больниц~ памятник~ pomnik~ monument memorial festival фестивал~ konkurs~
    конкурс~ competition act^ law^ ustaw~ закон~ doctrine day^ bay^ park^ tower^
    pris priset prisen сквер~ skwer~ мост~ island^ islands^ aircraft carrier ship^ frigate submarine
    publishing publisher verlag~ éditions editorial editore nakladatelství wydawnict~ издательств~
    видавництв~ выдавецтв~ company firm firma firmy фирм~ компани~ brand marka marki бренд~ inc ltd llc
    gmbh corp corporation holding records^ studio^ studios^ press^ books^
"""
# Words that stand between a namesake noun and the name ("the Sakharov Prize for…", "премия имени…").
_NAMED_AFTER_WORDS = "im imienia imieniem имени імені імя named after of the de del della di du des von van a an is was"
_NAMED_AFTER = frozenset(_NAMED_AFTER_WORDS.split())


def _vocabulary(block: str) -> tuple[frozenset[str], tuple[str, ...], frozenset[str]]:
    words = block.split()
    whole = frozenset(w.rstrip("^") for w in words if not w.endswith("~"))
    capitalised = frozenset(w[:-1] for w in words if w.endswith("^"))
    stems = tuple(w[:-1] for w in words if w.endswith("~"))
    return whole | {w + "s" for w in whole if w.isascii()}, stems, capitalised


_TITLE_WORDS, _TITLE_STEMS, _ = _vocabulary(_TITLES)
_NAMESAKE_WORDS, _NAMESAKE_STEMS, _CAPITALISED_ONLY = _vocabulary(_NAMESAKES)


@lru_cache(maxsize=16_384)
def is_title(word: str) -> bool:
    """True for a title or role ("President", "Pani", "писательница", "Frau", "Dr")."""
    key = word.casefold()
    return key in _TITLE_WORDS or key.startswith(_TITLE_STEMS)


@lru_cache(maxsize=16_384)
def is_namesake_noun(word: str) -> bool:
    """True for a noun of things named after people ("Prize", "Airport", "ulicy", "премии", "Verlag")."""
    key = word.casefold()
    if key in _CAPITALISED_ONLY and word[:1].islower():
        return False
    return key in _NAMESAKE_WORDS or key.startswith(_NAMESAKE_STEMS)


def is_named_after(word: str) -> bool:
    """True for the small words between a namesake noun and a name ("im.", "имени", "of", "the")."""
    return word.casefold() in _NAMED_AFTER


# Past tense of Slavic verbs: feminine -ла/-ła/-la (-лась, -łam), masculine -л/-ł/-l, Ukrainian -в,
# Belarusian -ў. Only lower-case words of four letters or more are read.
_FEMININE_RE = re.compile(r"(?:ла|лась|лася|ła|łam|la|lasi)$")
_MASCULINE_RE = re.compile(r"(?:[аеиоуыэяёіїє]л|лся|[аеиоуіы]в|[аеиоуыэяёі]ў|[aeiouy]ł|łem|[aeiouy]l)$")
def verb_gender(word: str) -> str | None:
    """"f" or "m" when a lower-case word looks like a Slavic past-tense verb of that gender, else None."""
    if len(word) < 4 or not word.islower():
        return None
    if _FEMININE_RE.search(word):
        return "f"
    if _MASCULINE_RE.search(word):
        return "m"
    return None
