"""Our boilerplate rules: what page furniture looks like in class names, in wording and in shape.

Every rule here is about the web in general (words that CMS themes use in class names, phrases that
newsrooms use for promos, the shape of a teaser link); none may key on a site's domain or its
particular class names, because the sources are a sample of millions of sites.
"""

from __future__ import annotations

import re

from monitor.clean.textdates import DATE_PARTS, dates_in


def _words(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated block (easier to read and extend)."""
    return frozenset(text.split())


# Class/id words that mark page furniture. Matched as whole tokens of the class and id after
# splitting on "-", "_", spaces and camelCase, so "relatedContent" and "article-related" match
# "related" while "stage" does not match "tag".
NOISE_TOKENS = _words(
    """
    comment comments disqus respond reply replies related recirc recirculation recommended recommendations recommend
    popular trending outbrain taboola promo promos promotion newsletter newsletters subscribe subscription signup
    share sharing sharebar shares social byline author authors caption captions credit credits tags tag topics
    keywords breadcrumb breadcrumbs sponsor sponsored advert advertisement adslot ad ads banner cookie cookies
    consent gdpr paywall login nav navigation navbar menu footer sidebar widget widgets pagination pager rail latest
    teaser teasers dateline timestamp meta bio disclaimer toolbar tools print modal popup overlay gallery slideshow
    carousel pullquote
    """
)
# Two-word class names whose words are harmless apart ("read", "more", "next").
NOISE_BIGRAMS = frozenset(
    [
        ("read", "more"),
        ("more", "stories"),
        ("more", "news"),
        ("more", "articles"),
        ("most", "read"),
        ("most", "viewed"),
        ("see", "also"),
        ("also", "read"),
        ("you", "may"),
        ("more", "from"),
        ("next", "article"),
        ("prev", "next"),
        ("next", "prev"),
        ("next", "post"),
        ("prev", "post"),
        ("post", "navigation"),
        ("post", "nav"),
        ("pull", "quote"),
        ("sr", "only"),
        ("visually", "hidden"),
        ("screen", "reader"),
    ]
)
NOISE_TAGS = frozenset(("figcaption", "figure", "aside", "nav", "footer", "button", "label", "dialog", "menu"))
NOISE_ROLES = frozenset(("navigation", "complementary", "contentinfo", "banner", "dialog", "alert", "search"))
# Class words of the headline area above the body: headline, standfirst ("dek"), kicker.
HEADER_TOKENS = _words(
    """
    header headline headlines dek subhead subheadline subheading subtitle standfirst kicker eyebrow subline
    strapline
    """
)

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
WORD = re.compile(r"\w+")


def class_tokens(attrs: str) -> list[str]:
    """Split class and id values into lower-case words ("relatedStories-box" -> related, stories, box)."""
    return [t for t in _NON_ALNUM.split(_CAMEL.sub(" ", attrs).lower()) if t]


def noise_reason(tag: str, attrs: str, role: str | None) -> str | None:
    """Why an element is page furniture (its tag, role or class word), or None."""
    reasons = noise_reasons(tag, attrs, role)
    return reasons[0] if reasons else None


def noise_reasons(tag: str, attrs: str, role: str | None) -> tuple[str, ...]:
    """Every reason to call an element page furniture: its tag, role, class words and class word pairs."""
    reasons = []
    if tag in NOISE_TAGS:
        reasons.append(tag)
    if role in NOISE_ROLES:
        reasons.append(f"role={role}")
    tokens = class_tokens(attrs)
    reasons.extend(token for token in tokens if token in NOISE_TOKENS)
    reasons.extend("-".join(pair) for pair in zip(tokens, tokens[1:], strict=False) if pair in NOISE_BIGRAMS)
    return tuple(dict.fromkeys(reasons))


def is_header_part(tag: str, attrs: str) -> bool:
    """True for the headline area: <header>, <hgroup>, or a headline/standfirst/kicker class."""
    return tag in ("header", "hgroup") or any(t in HEADER_TOKENS for t in class_tokens(attrs))


# "Read also: <headline>" and friends, in the languages of our users' sources. Followed by a colon,
# dash or bar, so that a sentence starting "More than 100 people..." is not caught.
_LEAD_IN = (
    r"read (?:more|also|next)|related(?: stories| articles| coverage| content| news)?|see also|also(?: read)?|more"
    r"|don'?t miss|recommended|you (?:may|might) also like|most (?:read|popular)|further reading|watch|listen"
    r"|читайте (?:также|еще|ещё)|читать также|смотрите также|по теме|чытайце таксама|глядзіце таксама|па тэме"
    r"|читайте також|дивіться також|czytaj (?:także|też|również)|zobacz (?:też|także)|lesen sie auch|mehr zum thema"
    r"|auch interessant|lire aussi|à lire aussi|voir aussi|lee también|leer más|te puede interesar|leia (?:também|mais)"
    r"|veja também|leggi anche|potrebbe interessarti"
)
READ_ALSO = re.compile(rf"^\W*(?:{_LEAD_IN})\s*[:\-–—|»>]", re.IGNORECASE)
# A whole block that is only a section label ("Related", "Tags:", "Share this", "Latest").
LABEL = re.compile(
    rf"^\W*(?:{_LEAD_IN}|tags?|share(?: this(?: article| story)?)?|comments?|advertisement|advertising|print|e-?mail"
    r"|latest(?: news| stories)?|trending(?: now)?|top stories"
    r"|теги|метки|поделиться|комментарии|реклама|тэгі|падзяліцца"
    r"|schlagworte|anzeige|werbung|publicité|publicidade|publicidad|pubblicità|reklama"
    # summary boxes that repeat the story, and contact boxes under press releases
    r"|key (?:takeaways|points|facts)|at a glance|in brief|the essentials|auf einen blick|das wichtigste in kürze"
    r"|главное|коротко|кратко|галоўнае|коратка|головне|коротко про головне|najważniejsze|w skrócie|en bref"
    r"|(?:media|press) contacts?|pressekontakt|kontakt für medien|контакты для сми|kontakt dla mediów)\W*$",
    re.IGNORECASE,
)
# Short promo and service lines that open a block.
SERVICE_LINE = re.compile(
    r"^\W*(?:follow (?:us|@|him|her|them)\b|click here|get the latest|have a tip|tell us what you think"
    r"|follow\b[^.!?]{0,60}\bon (?:facebook|twitter|x|instagram|telegram|youtube|tiktok|linkedin|vk)\b"
    r"|listen (?:to |back |again )?[^.!?]{0,40}\b(?:live|podcast|episode)\b|join our|download (?:our|the) app"
    r"|thanks for signing up|like us on facebook|skip to (?:main )?content"
    r"|tags?:|filed under|reporting by|editing by|writing by|contributing:|copyright|©|all rights reserved"
    r"|this (?:article|story) (?:was|is) (?:originally )?published|перейти к содержанию|подписывайтесь|падпісвайцеся"
    r"|подпишитесь|присоединяйтесь|падпішыцеся|далучайцеся|підпишіться|приєднуйтесь|zapisz się|dołącz do nas"
    r"|obserwuj nas|folgen sie uns|abonnieren sie"
    # the way back to the list a story came from
    r"|(?:←\s*)?(?:back to (?:the )?(?:list|news|overview|top|all stories)|вернуться к (?:списку|новостям)"
    r"|вярнуцца да (?:спісу|навін)|повернутися до (?:списку|новин)|powrót do (?:listy|wiadomości|aktualności)"
    r"|zurück zur (?:übersicht|liste)))",
    re.IGNORECASE,
)
# Newsletter and paywall prompts, anywhere in a short block.
PROMO = re.compile(
    r"\b(?:sign up|subscribe|register)\b[^.!?]{0,80}\b(?:newsletters?|inbox|e-?mail alerts?)\b"
    r"|\bdelivered (?:straight |directly )?to your inbox\b|\bto continue reading\b|\balready a subscriber\b"
    r"|\bsubscribe (?:now )?(?:to|for) (?:continue|read|unlimited|full access)"
    r"|\bthis (?:article|content) is (?:for|only for|reserved for) subscribers"
    r"|\bwe use cookies\b|\bby (?:continuing to )?(?:use|using|browse|browsing) (?:this|our) (?:site|website)\b"
    r"|\baccept (?:all )?cookies\b|\bcookie (?:policy|settings|preferences)\b"
    # the same prompts in the languages of our users' sources
    r"|\b(?:подпишитесь|падпішыцеся|підпишіться|zapisz się|melden sie sich|abonnieren sie|inscrivez-vous)\b"
    r"[^.!?]{0,40}\b(?:рассылку|рассылка|розсилку|newsletter|newslettera|newsletters?)\b"
    r"|\b(?:мы используем|мы выкарыстоўваем|ми використовуємо|używamy|wir verwenden|nous utilisons)\b"
    r"[^.!?]{0,30}\bcookies?\b",
    re.IGNORECASE,
)
SERVICE_MAX_WORDS = 30
PROMO_MAX_WORDS = 70


def is_service_text(text: str, words: int) -> str | None:
    """Why a block reads as a promo, label or service line ("read-also", "label", ...), or None."""
    if words <= SERVICE_MAX_WORDS:
        if LABEL.match(text):
            return "label"
        if READ_ALSO.match(text):
            return "read-also"
        if SERVICE_LINE.match(text):
            return "service"
    if words <= PROMO_MAX_WORDS and _may_be_promo(text) and PROMO.search(text):
        return "promo"
    return None


# Every PROMO alternative contains one of these: a substring test first spares most blocks the regex.
PROMO_STEMS = (
    "sign up", "subscri", "register", "inbox", "continue reading", "cookie", "by continuing", "by us", "by brows",
    "подпиш", "падпіш", "підпиш", "zapisz", "melden sie", "abonnieren", "inscrivez",
)  # fmt: skip


def _may_be_promo(text: str) -> bool:
    """Cheap test: could PROMO match?"""
    lower = text.lower()
    return any(stem in lower for stem in PROMO_STEMS)


def is_teaser_link(text: str, words: int, link_words: int) -> bool:
    """True for a headline that only links elsewhere: mostly link text and no sentence ending.

    Teaser headlines ("SEAN SPICER ELIMINATED FROM 'DANCING WITH THE STARS'") carry no full stop;
    a sentence of the story that happens to be linked does. A linked URL ("http://amzn.to/...") is
    a citation, not a teaser. A whole paragraph inside one link is a card, whatever it ends with.
    """
    if words < 5 or link_words < 0.7 * words:
        return False
    if words >= 20 and link_words >= 0.95 * words:
        return True
    stripped = text.rstrip()
    return not stripped.endswith(".") and "http" not in stripped and "www." not in stripped


MONTHS = _words(
    """
    jan january feb february mar march apr april may jun june jul july aug august sep sept september oct october nov
    november dec december januar februar märz maerz mai juni juli oktober dezember janvier février fevrier mars
    avril juin juillet août aout septembre octobre novembre décembre decembre enero febrero marzo abril mayo junio
    julio agosto septiembre setiembre octubre noviembre diciembre janeiro fevereiro março marco maio junho julho
    setembro outubro novembro dezembro gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
    января февраля марта апреля мая июня июля августа сентября октября ноября декабря январь февраль март апрель май
    июнь июль август сентябрь октябрь ноябрь декабрь студзеня лютага сакавіка красавіка траўня чэрвеня ліпеня жніўня
    верасня кастрычніка лістапада снежня січня лютого березня квітня травня червня липня серпня вересня жовтня
    листопада грудня stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada
    grudnia
    """
)
DATE_FILLER = _words(
    """
    mon monday tue tues tuesday wed wednesday thu thur thurs thursday fri friday sat saturday sun sunday montag
    dienstag mittwoch donnerstag freitag samstag sonntag lundi mardi mercredi jeudi vendredi samedi dimanche lunes
    martes miércoles jueves viernes sábado domingo segunda terça quarta quinta sexta feira lunedì martedì mercoledì
    giovedì venerdì sabato domenica понедельник вторник среда четверг пятница суббота воскресенье published updated
    posted last modified on at by am pm est edt pst pdt cst cdt cet cest gmt utc bst et pt ct mt msk de às as um em
    le la el il uhr h г года в обновлено опубликовано апублікавана абноўлена оновлено опубліковано stand
    aktualisiert veröffentlicht publié mis à jour publicado actualizado atualizado pubblicato aggiornato today
    yesterday ago hours hour minutes minute min mins days day week weeks сегодня вчера views просмотров просмотры
    прагляды праглядаў переглядів перегляди wyświetleń wyświetlenia aufrufe
    """
)
_DATE_HINT = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}:\d\d\b|\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b")
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th|h)?")
DATELINE_MAX_WORDS = 14


def is_dateline(text: str, words: int) -> bool:
    """True for a block that is only a date or time stamp ("Published 18 November 2019, 08:38")."""
    if words > DATELINE_MAX_WORDS:
        return False
    tokens = WORD.findall(text.lower())
    if not _DATE_HINT.search(text) and not any(t in MONTHS for t in tokens):
        return False
    rest = [t for t in tokens if t not in MONTHS and t not in DATE_FILLER and not _ORDINAL.fullmatch(t)]
    return len(rest) <= 1


NAME_DATE_MAX_WORDS = 10


def is_name_and_date(text: str, words: int) -> bool:
    """True for a short line that is a date and a name ("Дмитрий Рябов 14 мая 2025"): a byline without "By"."""
    if words > NAME_DATE_MAX_WORDS or ends_like_sentence(text) or not dates_in(text):
        return False
    rest = WORD.findall(DATE_PARTS.sub(" ", text))
    return all(w[0].isupper() or w.lower() in DATE_FILLER or w.isdigit() for w in rest)


def normalise(text: str) -> str:
    """Lower-case words joined by single spaces: the key for comparing titles and duplicates."""
    return " ".join(WORD.findall(text.lower()))


def ends_like_sentence(text: str) -> bool:
    """True when the text ends as prose does (full stop, question, exclamation, closing quote)."""
    return text.rstrip().endswith((".", "!", "?", '"', "”", "»", "“", "…", ":"))
