"""Strip web junk from article text: share prompts, ads, menus, captions, bylines, promos.

Rules are general rather than tuned to any one site: known boilerplate phrases, short lines that
carry no sentence, lines repeated within an article or across articles, photo credits and
datelines. Each rule is a small predicate so tests can exercise it alone.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from itertools import chain, islice

from storybrief.text import MIN_WORDS, MONTH, SENTENCE_END
from storybrief.types import Article

# Phrases that mark a whole line or sentence as page furniture rather than reporting, each with
# its gates: lower-case substrings one of which a line must hold for the rule to be tried.
# Speed, not behaviour: Python's regex engine tries every alternative at every position of a
# line (a 1,000-article story spent most of its time here). A phrase rule can only match where
# its literal words occur, so it runs only on lines holding one of them; rules anchored at the
# start of the line are cheap and have no gates (always tried).
BOILERPLATE_RULES: list[tuple[str, tuple[str, ...]]] = [
    ("\\b(show|hide|view|load|post|add|read) (all |more |the )?comments?\\b", ("comment",)),
    ("\\bshare (this|on|via)\\b", ("share this", "share on", "share via")),
    ("^\\s*share\\s*$", ()),
    ("\\b(tweet|pin) (this|it)\\b", ("tweet this", "tweet it", "pin this", "pin it")),
    ("\\bsubscribe (to|now|today|for)\\b", ("subscribe to", "subscribe now", "subscribe today", "subscribe for")),
    (
        "^\\s*sign up\\b|\\bsign up (for|to) (our|my|the|a) (free )?([\\w-]+ "
        "){0,3}(newsletters?|emails?|briefings?|alerts?|updates)\\b",
        ("sign up",),
    ),
    ("\\bnewsletters?\\b.*\\b(sign|subscribe|inbox)\\b", ("newsletter",)),
    ("^\\s*advertisement\\s*$", ()),
    ("^\\s*(sponsored|promoted)( content| stories| links)?\\s*$", ()),
    ("\\bstory continues below\\b", ("story continues below",)),
    ("\\bcookies?\\b.*\\b(use|accept|policy|consent)\\b", ("cookie",)),
    ("\\bprivacy policy\\b", ("privacy policy",)),
    ("\\bterms of (use|service)\\b", ("terms of use", "terms of service")),
    ("\\ball rights reserved\\b", ("all rights reserved",)),
    ("^\\s*(©|\\(c\\)|copyright)\\b", ()),
    ("\\bfollow (us|me) on\\b", ("follow us on", "follow me on")),
    ("\\b(click|tap) here\\b", ("click here", "tap here")),
    ("^\\s*(read|see) (more|also|next)\\b", ()),
    ("^\\s*(related|more|recommended)( stories| coverage| articles| reading)?\\s*:", ()),
    ("^\\s*you are here\\b", ()),
    ("^\\s*(skip to|jump to|back to top|go to) ", ()),
    ("\\bcan also be accessed at\\b", ("can also be accessed at",)),
    ("\\bbreaking news (emails|alerts)\\b", ("breaking news",)),
    ("\\bthe news and stories that matter\\b", ("the news and stories that matter",)),
    ("\\bdelivered (weekday|every) mornings?\\b", ("delivered weekday", "delivered every")),
    ("\\b(download|get) (our|the) app\\b", ("our app", "the app")),
    ("\\bwatch (live|now)\\b", ("watch live", "watch now")),
    ("\\bthis (article|story) (was|has been) (updated|corrected)\\b", ("this article", "this story")),
    ("\\bemail (this|to a friend)\\b", ("email this", "email to a friend")),
    ("\\bprint this (article|page)\\b", ("print this",)),
    ("^\\s*(log ?in|sign ?in|register)\\s*$", ()),
    ("\\bjavascript\\b.*\\b(enable|disabled|required)\\b", ("javascript",)),
    ("\\byour browser\\b.*\\b(support|update)\\b", ("your browser",)),
    ("\\bplease (enable|disable|turn off) (your )?ad ?block", ("please enable", "please disable", "please turn off")),
    ("\\bwe (may )?earn (a )?commission\\b", ("earn a commission", "earn commission")),
    # Placeholders scrapers store instead of an article: web-archive crawl notices, social prompts.
    ("\\bcrawls? (are|is) part of an effort to archive\\b", ("part of an effort to archive",)),
    ("\\bdonating their crawl data to the internet archive\\b", ("crawl data",)),
    ("\\bcollections of frequently-updated web ?crawl data\\b", ("crawl data",)),
    ("\\btweet with a location\\b", ("tweet with a location",)),
    ("\\badd location information to your tweets\\b", ("location information",)),
    ("\\bthis will appear next to all of your comments\\b", ("next to all of your comments",)),
    ("\\bthese files are currently not publicly accessible\\b", ("not publicly accessible",)),
    # More placeholder pages, listed from the texts copied across Multi-News *train* clusters:
    # more archive notices, video-player and login walls, reprint and notification prompts.
    ("\\bthe internet archive hopes\\b", ("archive hopes",)),
    ("\\bno more 404\\b", ("no more 404",)),
    ("\\bthe seed for (this crawl|wide\\d+)\\b", ("the seed for",)),
    ("\\bthis crawl was run\\b", ("crawl was run",)),
    ("\\bcrawl (of outlinks|performed by)\\b", ("crawl of outlinks", "crawl performed by")),
    ("\\barchive-it\\b", ("archive-it",)),
    ("\\bend of term (web archive|project)\\b", ("end of term",)),
    ("\\binteractive transcript could not be loaded\\b", ("interactive transcript",)),
    ("\\brating is available when the video has been rented\\b", ("video has been rented",)),
    ("\\bthis feature is not available right now\\b", ("not available right now",)),
    ("\\bwatch queue\\b", ("watch queue",)),
    ("\\badd this (tweet|video) to your website\\b", ("to your website",)),
    ("\\bwe have sent you a verification email\\b", ("verification email",)),
    ("\\bget email notifications on\\b", ("email notifications",)),
    ("\\byour notification has been saved\\b", ("notification has been saved",)),
    ("\\bdow jones reprints\\b", ("dow jones reprints",)),
    ("\\bthis copy is for your personal,? non-commercial use\\b", ("non-commercial use",)),
    ("\\byou must log in to continue\\b", ("log in to continue",)),
    ("\\bsign in using (you|your) (account|\\w+ profile)\\b", ("sign in using",)),
    ("\\bthe page you requested (was|could) not\\b", ("page you requested",)),
    ("\\bverification (email|message)\\b", ("verification",)),
    ("\\bclick on the link to activate\\b", ("link to activate",)),
    ("\\bposts new content\\b", ("posts new content",)),
    ("\\bproblem saving your notification\\b", ("saving your notification",)),
    ("\\bcheck your spam\\b", ("check your spam",)),
    ("\\bproperties of this collection\\b", ("properties of this collection",)),
    ("\\bweb captures\\b", ("web captures",)),
    ("\\bweb archiving was performed\\b", ("web archiving",)),
    ("\\bthank you for registering\\b", ("thank you for registering",)),
    ("\\bwhy are we asking this\\b", ("why are we asking this",)),
    ("\\balready have an account\\b", ("already have an account",)),
    ("\\bupgrade to the latest flash player\\b", ("flash player",)),
    ("\\bthe location you searched for was not found\\b", ("location you searched",)),
    ("\\bchat with us in facebook messenger\\b", ("facebook messenger",)),
    ("\\byou can only react up to\\b", ("only react up to",)),
    ("\\bplease enable cookies\\b", ("please enable cookies",)),
]
BOILERPLATE = re.compile("|".join(f"(?:{rule})" for rule, _ in BOILERPLATE_RULES), re.I)
_ALWAYS = re.compile("|".join(f"(?:{rule})" for rule, gates in BOILERPLATE_RULES if not gates), re.I)
# The ungated rules are anchored at the start of the line (no re.M): trying them only there, with
# `match`, gives the same answer as `search`, which would try (and fail) at every position.
_ALWAYS_TRY = (
    _ALWAYS.match if all(rule.startswith("^") for rule, gates in BOILERPLATE_RULES if not gates) else _ALWAYS.search
)
_GATED = [(gate, re.compile(rule, re.I)) for rule, gates in BOILERPLATE_RULES for gate in gates]

# Photo captions and credits: a credit in brackets, a position marker, or an agency slash-credit.
CAPTION = re.compile(
    r"\((photo|photos|image|picture|video|file photo)s?( by| credit)?\b[^)]*\)"
    r"|\b(photo|image|picture) (by|credit|courtesy)\b|\b(photo|photograph|image|caption|credit)s?\s*:\s*[A-Z]"
    r"|\((l|r|c|left|right|center|centre|top|bottom|front|back)\)"
    r"|\b(getty images|ap photo|afp photo|reuters/|epa/|shutterstock)\b"
    r"|\blooks? on (during|as|after|at)\b",
    re.I,
)
_CAPTION_WORDS = (
    "photo",
    "image",
    "picture",
    "(video",
    "caption",
    "credit",
    "getty images",
    "reuters/",
    "epa/",
    "shutterstock",
    "look",
    "(l)",
    "(r)",
    "(c)",
    "(left)",
    "(right)",
    "(center)",
    "(centre)",
    "(top)",
    "(bottom)",
    "(front)",
    "(back)",
)
BYLINE = re.compile(
    r"^\s*(by|written by|reporting by|editing by|posted by)\s+[A-Z][\w.'-]+(\s+[\w.'-]+){0,6}\s*[,|]?", re.I
)
TIMESTAMP = re.compile(
    r"^\s*(published|updated|posted|last updated|first published)\b[^.]{0,60}\d"
    r"|^\s*\w{3}\.? \d{1,2}, \d{4},? \d{1,2}: ?\d{2}\s*(am|pm)",
    re.I,
)
# "WASHINGTON (Reuters) - " or "LONDON, Jan 5 (AP) —" opening the body.
DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(,\s*\w{3,9}\.? \d{1,2})?\s*(\([A-Za-z .]{2,20}\))?\s*[-—–]{1,2}\s+")
PARAGRAPH_WORDS = 60
TITLE_LINES = 4  # the headline is looked for among the first substantive lines
_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # as clean_article splits lines
_WORD = re.compile(r"[A-Za-z]+")
# Lines joined by menu separators: "News / Russia", "Asia & AmericasEurope & Russia".
MENU = re.compile(r"^\s*([\w&' -]{1,25}\s*(/|\||»|›|>|•)\s*){1,}[\w&' -]{1,25}\s*$")


def normalise(text: str) -> str:
    """Repair mojibake and HTML entities, Unicode NFC, straight quotes, single spaces; detokenise
    Multi-News-style punctuation."""
    # ASCII text (an O(1) test) holds no mojibake, no curly quote and no odd blank: those steps
    # are skipped for it, with the same result (an entity may decode to any character: tested after).
    if not text.isascii() and _MOJIBAKE.search(text):
        import ftfy  # only for text that shows the marks of it: most text never needs it

        text = ftfy.fix_encoding(text)
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group()), text)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
        text = text.translate(_QUOTES)
        text = _SPACES.sub(" ", text)
    elif "  " in text or "\t" in text:  # in ASCII the only blanks _SPACES joins: runs of spaces, tabs
        text = _SPACES.sub(" ", text)
    if _looks_tokenised(text):
        text = detokenise(text)
    return text


# Runs of spaces and odd blanks become one space; a lone plain space (nearly all of them) is not
# even matched, which makes this several times faster than `[ \t...]+` and gives the same text.
_SPACES = re.compile(r"[\t\u00a0\u2009\u200b][ \t\u00a0\u2009\u200b]*| [ \t\u00a0\u2009\u200b]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'", "´": "'"})


# UTF-8 read as Windows-1252: a lead byte shown as Â, Ã, â, ... followed by a continuation byte
# (0x80-0xBF) shown as its cp1252 character, as in "cafÃ©" or "didnâ€™t". ftfy decides what to undo.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00c5\u00ce\u00cf\u00d0\u00d1\u00e2\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
    "\u0192\u02c6\u02dc\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2020\u2021\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
# Character references left in text taken from a web page: "AT&amp;T", "&#8217;", "&quot;".
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def _looks_tokenised(text: str) -> bool:
    # Real prose almost never puts a space before a comma; Multi-News always does.
    return " , " in text or " ; " in text or text.count(" ' ") + text.count(' " ') >= 2


def detokenise(text: str) -> str:
    """Undo space-separated punctuation as in Multi-News: `" the lost symbol, "` → `"the lost symbol,"`."""
    text = re.sub(r"(\w) ' (s|t|re|ve|ll|d|m)\b", r"\1'\2", text)
    text = _pair_quotes(text)
    text = re.sub(r"(?<![\w])'\s+([^'\n]{1,80}?)\s+'(?![\w])", r"'\1'", text)
    text = re.sub(r"\s+([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$])\s+", r"\1", text)
    return text


_MARK = re.compile(r'\s*"\s*')


def _pair_quotes(text: str) -> str:
    """Tokenised double quotes joined to the words they enclose, line by line. A mark glued to the
    word after it opens a quotation; a spaced mark (` " `) closes the quotation open, else opens
    one. (Pairing marks in turn, as a regular expression does, goes wrong from the first stray
    mark on: closing marks open and opening marks close for the rest of the article.)"""
    out = []
    for line in text.split("\n"):
        inside = False
        built = ""
        last = 0
        for match in _MARK.finditer(line):
            built += line[last : match.start()]
            glued = line[match.end() - 1] == '"' and match.end() < len(line) and line[match.end()].isalnum()
            if glued or not inside:
                built += (" " if built and not built.endswith((" ", "(", "[")) else "") + '"'
                inside = True
            else:
                built += '"' + (" " if match.end() < len(line) else "")
                inside = False
            last = match.end()
        out.append(built + line[last:])
    return "\n".join(out)


@lru_cache(maxsize=8192)
def is_boilerplate(line: str) -> bool:
    """Same answer as `BOILERPLATE.search(line)`, found faster (see BOILERPLATE_RULES' gates).
    Cached: `segment` asks again about the sentences that were whole lines in `clean` (one a line
    in full-length articles)."""
    if _ALWAYS_TRY(line):
        return True
    lower = line.lower()
    for gate, rule in _GATED:
        if gate in lower and rule.search(line):
            return True
    return False


def is_caption(line: str) -> bool:
    # Every caption rule needs one of these words or bracketed markers; most lines have none, and
    # a plain substring test is far cheaper than the case-blind regex (speed only, same answer).
    lower = line.lower()
    for word in _CAPTION_WORDS:  # a plain loop: a generator's per-item cost is most of this test
        if word in lower:
            return bool(CAPTION.search(line))
    return False


def is_byline(line: str) -> bool:
    stripped = line.strip()
    if TIMESTAMP.search(stripped):
        return True
    return bool(BYLINE.match(stripped)) and len(stripped.split()) <= 12 and not SENTENCE_END.search(stripped[-1:] + " ")


def is_fragment(line: str) -> bool:
    """A short line that is not a sentence: a menu, a section name, a label, a promo."""
    stripped = line.strip()
    if MENU.match(stripped):
        return True
    if len(list(islice(_WORD.finditer(stripped), 3))) < 3:  # fewer than 3 words (read no further)
        return True
    return len(stripped.split()) <= 6 and not SENTENCE_END.search(stripped)


def is_junk(line: str) -> bool:
    """The line-level rule used on every line of every article."""
    return is_boilerplate(line) or is_caption(line) or is_byline(line) or is_fragment(line)


def is_junk_sentence(sentence: str) -> bool:
    """The sentence-level rule, for junk run into the body text (Multi-News has no line breaks)."""
    return is_boilerplate(sentence) or bool(STAMP_PREFIX.match(sentence))


_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?"
_ZONE = r"(?:et|est|edt|ct|cst|cdt|mt|pt|pst|pdt|gmt|bst|cet|utc|eastern|central|pacific)\b\.?"
_DATE = (
    rf"(?:{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+(?:19|20)\d\d\b)?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH}(?:,?\s+(?:19|20)\d\d\b)?"
    r"|\d{1,2}/\d{1,2}/\d{2,4}\b|(?:19|20)\d\d-\d\d-\d\d\b)"
)
_TIME = rf"(?:\d{{1,2}}(?::\s?\d\d)?\s*[ap]\.?\s?m\b\.?(?:\s*{_ZONE})?|\d{{1,2}}:\s?\d\d\b(?:\s*{_ZONE})?)"
_STAMP_WORD = r"(?:(?:first |last )?(?:published|updated|posted)(?:\s+(?:on|date|at))?\s*:?)"
# A run of "Published/Updated" words, dates, times and weekdays at the start of a sentence, with
# the commas, bars and slashes between them; it must hold a date or a time. "at" and "on" are
# taken only before a date or a time, so "Updated 2:00 p.m. At least 12 people..." keeps "At least".
_STAMP_PART = rf"(?:{_STAMP_WORD}|{_DATE}|{_TIME}|{_WEEKDAY}|(?:at|on)(?=\s+(?:\d|{MONTH}|{_WEEKDAY})))"
# Only a stamp: a "Published/Updated" word before a date or time, a date with a clock time, or a
# clock time with its zone ("5:50 pm PT --"). "On May 5 the council met" and "At 9 p.m.,
# protesters marched" are news, so the run never opens on "at" or "on".
_STAMP_OPENING = (
    rf"(?:{_STAMP_WORD}\s*(?:{_DATE}|{_TIME}|{_WEEKDAY})|{_DATE}[\s,]*(?:at\s+)?{_TIME}"
    rf"|\d{{1,2}}(?::\s?\d\d)?\s*[ap]\.?\s?m\b\.?\s*{_ZONE})"
)
STAMP_PREFIX = re.compile(
    rf"^\s*(?!(?:at|on)\b)(?=(?:{_STAMP_PART}[\s,/|•-]*)*?{_STAMP_OPENING})(?:{_STAMP_PART}[\s,/|•-]*)+", re.I
)
_SEPARATORS = re.compile(r"^[\s/|>»•:.,;·–—-]+")
# Page furniture that ends where the body begins (see without_junk_prefix).
JUNK_PREFIX = re.compile(
    r"^\s*(?:read more\b(?!\s*:)|story continues below\b|advertisement\b|continue reading(?: the main story| below)?\b"
    r"|the news and stories that matter, delivered weekday mornings\b"
    r"|(?:sign up|subscribe)\b[^>»|•.]{0,80}(?:>>|»|\||•))"
    r"|^.{0,80}?\bemail this\b",
    re.I,
)
_DEPENDENT_START = re.compile(r"^(?:and|or|nor|of|that|which)\b", re.I)


def without_junk_prefix(sentence: str) -> str | None:
    """The sentence, what follows a junk prefix in it, or None when it is junk through and through.

    Multi-News (and text pasted without line breaks) runs page furniture into the first sentence
    of the body: "Updated 6:07 p.m. ET Mitt Romney says...", "Read more The proposal is...".
    Dropping such a sentence loses the article's lead; keeping its tail, verbatim, loses nothing.
    Only prefixes known to end where the body starts are cut (a time stamp, "read more", "story
    continues below", "email this", a sign-up prompt closed by >> or |); after "Related:" or
    "See also" comes a headline run into the body, with no telling where it ends, so such a
    sentence is still dropped. The tail is kept only when it reads as a sentence of its own
    (MIN_WORDS words or more, not opening on a conjunction) with no junk left in it.
    """
    for _ in range(3):  # a prefix may stack: "Story continues below. Advertisement. Updated 5:50 pm ..."
        # JUNK_PREFIX's branches are all anchored at the start: `match` finds what `search` would.
        prefix = STAMP_PREFIX.match(sentence) or JUNK_PREFIX.match(sentence)
        if not prefix:
            return None if is_junk_sentence(sentence) else sentence
        rest = _SEPARATORS.sub("", sentence[prefix.end() :])
        if len(rest.split()) < MIN_WORDS or _DEPENDENT_START.match(rest):
            return None
        sentence = rest[:1].upper() + rest[1:]
    return None if is_junk_sentence(sentence) else sentence


_ENGLISH_MARKERS = frozenset(
    "the of and to in is was that for on with as said by at from it he his has have are be".split()
)


def looks_english(text: str) -> bool:
    """English prose has a fifth or more of its words among a few dozen function words."""
    words = _WORD.findall(text[:5000].lower())  # ~900 words tell English from another language
    return len(words) < 20 or sum(w in _ENGLISH_MARKERS for w in words) / len(words) >= 0.12


def headline_of(text: str) -> str:
    """The title `clean_article` separates from an untitled article, read from its first lines
    only: the first substantive line when it reads like a headline, else ""."""
    return _title_of(_first_lines(text, TITLE_LINES + 1))[0]


def _first_lines(text: str, count: int) -> list[str]:
    """The first `count` non-empty lines as `clean_article` splits and normalises them."""
    lines: list[str] = []
    start = 0
    for match in chain(_LINE_BREAK.finditer(text), [None]):
        line = normalise(text[start : match.start() if match else len(text)]).strip()
        if line:
            lines.append(line)
            if len(lines) == count:
                break
        if match:
            start = match.end()
    return lines


def _title_of(lines: list[str]) -> tuple[str, int]:
    """The headline: the first substantive line when it reads like one (short, no full stop)."""
    for n, line in enumerate(lines[:TITLE_LINES]):
        stripped = line.strip()
        if not stripped or is_boilerplate(stripped) or MENU.match(stripped):
            continue
        words = len(stripped.split())
        if 3 <= words <= 20 and not SENTENCE_END.search(stripped) and n + 1 < len(lines):
            return stripped, n
        break
    return "", -1


def _is_standfirst_echo(line: str, following: list[str]) -> bool:
    """A teaser line repeated, punctuated, as the first sentence of the body below it."""
    if not following or SENTENCE_END.search(line):
        return False
    head = _first_words(line, 8)
    return len(head) >= 5 and _first_words(following[0], 8) == head


def _first_words(text: str, count: int) -> list[str]:
    """`_WORD.findall(text.lower())[:count]` without reading a long line to its end."""
    return [match.group() for match in islice(_WORD.finditer(text.lower()), count)]


def clean_article(article: Article, repeated: frozenset[str] = frozenset()) -> Article:
    """The article with junk lines gone, its title separated and whitespace normalised."""
    lines = [normalise(line).strip() for line in article.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    title, title_at = _title_of(lines)
    counts = Counter(lines)
    kept = []
    for n, line in enumerate(lines):
        if n == title_at:
            continue
        if counts[line] > 1 and len(line.split()) <= 12:  # "Advertisement", "Show Comments" twice
            continue
        if line in repeated or _is_standfirst_echo(line, lines[n + 1 : n + 2]):
            continue
        # A long line is a paragraph (a whole Multi-News article is one line): its junk is
        # removed sentence by sentence later, never by throwing the paragraph away.
        if len(line.split()) <= PARAGRAPH_WORDS and is_junk(line):
            continue
        kept.append(DATELINE.sub("", line, count=1) if not kept else line)
    # A trailing line without closing punctuation is usually a cut-off caption or teaser.
    while kept and not SENTENCE_END.search(kept[-1]) and len(kept[-1].split()) < 25:
        kept.pop()
    return replace(article, text="\n".join(kept), title=article.title or title)


def repeated_lines(articles: list[Article], min_articles: int = 3) -> frozenset[str]:
    """Short lines that occur in several articles: site furniture shared by a feed's pages.

    Long lines are left alone: a shared long line is a wire copy, which dedupe handles.
    """
    if len(articles) < min_articles:
        return frozenset()
    seen: Counter[str] = Counter()
    for article in articles:
        seen.update({line.strip() for line in article.text.split("\n") if 0 < len(line.split()) <= 12})
    return frozenset(line for line, n in seen.items() if n >= min_articles)


def clean(articles: list[Article]) -> list[Article]:
    """Every article cleaned; articles left with no text are dropped."""
    repeated = repeated_lines(articles)
    cleaned = [clean_article(a, repeated) for a in articles]
    return [a for a in cleaned if a.text.strip()]
