"""Strip web junk from article text: share prompts, ads, menus, captions, bylines, promos.

Rules are general rather than tuned to any one site: known boilerplate phrases, short lines that
carry no sentence, lines repeated within an article or across articles, photo credits and
datelines. Each rule is a small predicate so tests can exercise it alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace

from storybrief.types import Article

# Phrases that mark a whole line or sentence as page furniture rather than reporting.
_BOILERPLATE = [
    r"\b(show|hide|view|load|post|add|read) (all |more |the )?comments?\b",
    r"\bshare (this|on|via)\b", r"^\s*share\s*$", r"\b(tweet|pin) (this|it)\b",
    r"\bsubscribe (to|now|today|for)\b", r"\bsign up (for|to)\b", r"\bnewsletters?\b.*\b(sign|subscribe|inbox)\b",
    r"^\s*advertisement\s*$", r"^\s*(sponsored|promoted)( content| stories| links)?\s*$", r"\bstory continues below\b",
    r"\bcookies?\b.*\b(use|accept|policy|consent)\b", r"\bprivacy policy\b", r"\bterms of (use|service)\b",
    r"\ball rights reserved\b", r"^\s*(©|\(c\)|copyright)\b", r"\bfollow (us|me) on\b",
    r"\b(click|tap) here\b", r"^\s*(read|see) (more|also|next)\b", r"^\s*(related|more|recommended)( stories| coverage| articles| reading)?\s*:",
    r"^\s*you are here\b", r"^\s*(skip to|jump to|back to top|go to) ", r"\bcan also be accessed at\b",
    r"\bbreaking news (emails|alerts)\b", r"\bthe news and stories that matter\b", r"\bdelivered (weekday|every) mornings?\b",
    r"\b(download|get) (our|the) app\b", r"\bwatch (live|now)\b", r"\bthis (article|story) (was|has been) (updated|corrected)\b",
    r"\bemail (this|to a friend)\b", r"\bprint this (article|page)\b", r"^\s*(log ?in|sign ?in|register)\s*$",
    r"\bjavascript\b.*\b(enable|disabled|required)\b", r"\byour browser\b.*\b(support|update)\b",
    r"\bplease (enable|disable|turn off) (your )?ad ?block", r"\bwe (may )?earn (a )?commission\b",
]
BOILERPLATE = re.compile("|".join(f"(?:{p})" for p in _BOILERPLATE), re.I)

# Photo captions and credits: a credit in brackets, a position marker, or an agency slash-credit.
CAPTION = re.compile(
    r"\((photo|photos|image|picture|video|file photo)s?( by| credit)?\b[^)]*\)"
    r"|\b(photo|image|picture) (by|credit|courtesy)\b|\b(photo|photograph|image|caption|credit)s?\s*:\s*[A-Z]"
    r"|\((l|r|c|left|right|center|centre|top|bottom|front|back)\)"
    r"|\b(getty images|ap photo|afp photo|reuters/|epa/|shutterstock)\b"
    r"|\blooks? on (during|as|after|at)\b",
    re.I,
)
BYLINE = re.compile(r"^\s*(by|written by|reporting by|editing by|posted by)\s+[A-Z][\w.'-]+(\s+[\w.'-]+){0,6}\s*[,|]?", re.I)
TIMESTAMP = re.compile(
    r"^\s*(published|updated|posted|last updated|first published)\b[^.]{0,60}\d"
    r"|^\s*\w{3}\.? \d{1,2}, \d{4},? \d{1,2}: ?\d{2}\s*(am|pm)",
    re.I,
)
# "WASHINGTON (Reuters) - " or "LONDON, Jan 5 (AP) —" opening the body.
DATELINE = re.compile(r"^[A-Z][A-Z .,'-]{2,40}(,\s*\w{3,9}\.? \d{1,2})?\s*(\([A-Za-z .]{2,20}\))?\s*[-—–]{1,2}\s+")
PARAGRAPH_WORDS = 60
SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$")
_WORD = re.compile(r"[A-Za-z]+")
# Lines joined by menu separators: "News / Russia", "Asia & AmericasEurope & Russia".
MENU = re.compile(r"^\s*([\w&' -]{1,25}\s*(/|\||»|›|>|•)\s*){1,}[\w&' -]{1,25}\s*$")


def normalise(text: str) -> str:
    """Unicode NFC, straight quotes, single spaces; detokenise Multi-News-style punctuation."""
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_QUOTES)
    text = re.sub(r"[ \t\u00a0\u2009\u200b]+", " ", text)
    if _looks_tokenised(text):
        text = detokenise(text)
    return text


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "‘": "'", "’": "'", "‚": "'", "‛": "'", "´": "'"})


def _looks_tokenised(text: str) -> bool:
    # Real prose almost never puts a space before a comma; Multi-News always does.
    return " , " in text or " ; " in text or text.count(" ' ") + text.count(' " ') >= 2


def detokenise(text: str) -> str:
    """Undo space-separated punctuation as in Multi-News: `" the lost symbol, "` → `"the lost symbol,"`."""
    text = re.sub(r"(\w) ' (s|t|re|ve|ll|d|m)\b", r"\1'\2", text)
    text = re.sub(r'"\s+([^"\n]*?)\s+"', r'"\1"', text)
    text = re.sub(r"(?<![\w])'\s+([^'\n]{1,80}?)\s+'(?![\w])", r"'\1'", text)
    text = re.sub(r"\s+([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$])\s+", r"\1", text)
    return text


def is_boilerplate(line: str) -> bool:
    return bool(BOILERPLATE.search(line))


def is_caption(line: str) -> bool:
    return bool(CAPTION.search(line))


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
    words = _WORD.findall(stripped)
    if len(words) < 3:
        return True
    return len(stripped.split()) <= 6 and not SENTENCE_END.search(stripped)


def is_junk(line: str) -> bool:
    """The line-level rule used on every line of every article."""
    return is_boilerplate(line) or is_caption(line) or is_byline(line) or is_fragment(line)


def is_junk_sentence(sentence: str) -> bool:
    """The sentence-level rule, for junk run into the body text (Multi-News has no line breaks)."""
    return is_boilerplate(sentence) or bool(TIMESTAMP.search(sentence))


_ENGLISH_MARKERS = frozenset("the of and to in is was that for on with as said by at from it he his has have are be".split())


def looks_english(text: str) -> bool:
    """English prose has a fifth or more of its words among a few dozen function words."""
    words = _WORD.findall(text.lower()[:20000])
    return len(words) < 20 or sum(w in _ENGLISH_MARKERS for w in words) / len(words) >= 0.12


def _title_of(lines: list[str]) -> tuple[str, int]:
    """The headline: the first substantive line when it reads like one (short, no full stop)."""
    for n, line in enumerate(lines[:4]):
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
    head = _WORD.findall(line.lower())[:8]
    return len(head) >= 5 and _WORD.findall(following[0].lower())[:8] == head


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
        if line in repeated or _is_standfirst_echo(line, lines[n + 1:n + 2]):
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
