"""Cut spans that carry no news from a sentence before it is scored, so a word budget buys news.

Every rule removes only page furniture or a word whose meaning depended on the article around
the sentence; what is left is the source's own words, in order, so the brief still quotes its
sources and says who said what (attribution — "he said", "according to" — is never cut):

- wire datelines: "WASHINGTON (AP) — ", "Kabul (Reuters) - ", "(CNN) ", lower-cased Multi-News
  "washington ( ap ) —"; an agency in brackets followed by a dash (or "(CNN)" alone) marks where
  the body begins, so whatever precedes it in the sentence (a place, a caption run into the
  body) goes with it;
- a plain dateline without an agency ("NEW ORLEANS — ", "Annapolis, Md. -- "), only in the
  first sentence of an article, a short place name, not an appositive ("Amash — who wept —");
- photo credits and captions run into the body: "(AP Photo/Evan Vucci)", "(Photo: Getty
  Images)", "(Disney-Pixar via AP)", "[Image: ...]", AP's "a caption cut short... (Associated
  Press)", an embedded tweet's "— name (@handle) March 25, 2017"; the credit closes a caption,
  so the body is what follows it (when nothing follows, only the credit goes);
- labels of media players run into a sentence: "Image copyright AFP image caption ",
  "Media playback is unsupported on your device ", "Story highlights "; a web address in
  brackets;
- a wire photo's caption standing as a sentence ("FILE - In this May 5, 2015, file photo, ...",
  "This photo provided by ... shows ..."): the whole sentence goes (the one rule that drops);
- a list marker that opens a sentence: "-- ", "- ", "• ", "* " before the item's first word (wire
  round-ups list their items so: "-- A fourth mine could be approved ..."); a sentence never opens
  on one, so only layout goes;
- a leading connective that dangles once the sentence stands alone: "But ", "And ",
  "However, ", "Meanwhile, ", "Still, " (the next word is capitalised), never inside a quotation.

`RULES` names the rules that run, so a benchmark can measure each one alone.
"""

from __future__ import annotations

import re

from storybrief.text import MIN_WORDS, MONTH, MONTH_STEM

RULES = frozenset({"bullet", "agency", "dateline", "credit", "label", "caption", "connective"})

_DASH = r"(?:—|–|--|-)"
# News agencies and broadcasters that sign a dateline; call signs of US stations (KVUE, WMC-TV).
_AGENCY = (
    r"(?:ap|the associated press|associated press|reuters|afp|upi|cnn|cnnmoney|cn|bloomberg|xinhua|yonhap|dpa|ians|pti"
    r"|efe|ansa|tass|kyodo|cbs(?: ?news|\w*)|nbc(?: ?news)?|abc(?: ?news)?|[kw][a-z]{2,3}(?:-(?:tv|fm|am))?(?:\.com)?"
    r"|cbs\w*\.com|[a-z]+\.com)"
)
# "(AP) — ", "(Reuters) - ", and CNN's "(CNN) " with or without a dash.
AGENCY_DATELINE = re.compile(rf"\(\s*{_AGENCY}\s*\)\s*{_DASH}\s+|\(\s*cnn\s*\)\s+", re.I)
# "NEW ORLEANS — ", "Annapolis, md. -- ", "Sanaa, Yemen - ": one to four words, no digits.
PLAIN_DATELINE = re.compile(rf"^([A-Z][\w.'&]*(?:,?\s+[A-Za-z][\w.'&]*){{0,3}}),?\s+{_DASH}\s+")
_NOT_PLACES = frozenset(
    "file photo image video update updated editor editors note yes no now again finally first but and so well okay ok "
    "today here there this that it he she they we i you watch listen read related exclusive breaking live "
    "opinion analysis "
    "reuters ap afp cnn".split()
)
# An appositive or an aside opens with these, a body never does.
_APPOSITIVE_START = re.compile(
    rf"^(?:who|whom|whose|which|where|and|or|but|not|like|including|{MONTH_STEM})[a-z]*\b\.?|^\d",
    re.I,
)
_PHOTO_WORDS = r"(?:ap |afp |reuters |epa |file |getty )?(?:photos?|images?|pictures?|photograph|video|credit)"
# A photo credit in brackets: "(AP Photo/John Raoux)", "(Photo: KVUE)", "(photo by X/Getty Images)",
# "(Disney-Pixar via AP)", "(Getty Images)"; AP's "... (Associated Press)" after a
# caption cut short; an embedded tweet's signature "(@handle) March 25, 2017".
CREDIT = re.compile(
    rf"\(\s*{_PHOTO_WORDS}\b\s*(?::|by|courtesy|/)[^()]{{0,80}}\)"
    rf"|\(\s*(?:ap |afp |reuters )?photos?\s*\)"
    r"|\([^()]{0,60}(?:\bvia (?:ap|reuters|afp|getty images)|/(?:ap|reuters|afp|getty images|epa)|\bgetty images)\s*\)"
    r"|(?:\.\.\.|…)\s*\(\s*associated press\s*\)"
    rf"|\(\s*@\w{{1,30}}\s*\)\s+(?:on\s+)?{MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d\d"
    r"(?:\s+at\s+\d{1,2}:\s?\d\d\s*[ap]\.?m\.?(?:\s*[a-z]{2,3}\b)?)?",
    re.I,
)
# Connectives that tie a sentence to the one before it in its article. "And"/"But" always do
# ("But for the rain" is an idiom, kept); the rest only with their comma ("Still photos",
# "Yet another", "However much" stay).
CONNECTIVE = re.compile(
    r"^(?:(?:and|but)(?!\s+for\b)(?:\s*,)?|(?:however|meanwhile|still|moreover|furthermore|nevertheless|nonetheless"
    r"|additionally|in addition|also|yet)\s*,|meanwhile(?=\s+[a-z]))\s+",
    re.I,
)
# An image placeholder left inline by a scraper: "[Image: a pier at dawn]"; removed where it stands.
PLACEHOLDER = re.compile(r"\s*\[\s*(?:image|photo|picture|video)s?\s*:[^\]]{0,200}\]", re.I)
_DEPENDENT_START = re.compile(r"^(?:and|or|nor|of|that|which|who|to|than|with|[,;:.)\]-])", re.I)


def _words(text: str) -> int:
    return len(text.split())


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _is_body(rest: str) -> bool:
    """What follows a cut reads as a sentence of its own."""
    return _words(rest) >= MIN_WORDS and not _DEPENDENT_START.match(rest)


def _after(sentence: str, match: re.Match) -> str | None:
    rest = sentence[match.end() :].lstrip(" -—–:;,")
    return rest if _is_body(rest) else None


# Before a dateline in the same sentence comes its place and date, or page furniture run into the
# body: a caption cut short ("..."), a credit in brackets, CNN's "Story highlights".
_FURNITURE_BEFORE = re.compile(r"\.\.\.|…|\)|\bhighlights\b|\bcaption\b|:", re.I)
MAX_PLACE_WORDS = 8


def without_agency_dateline(sentence: str) -> str:
    """What follows the last "(AP) — " in the sentence, when that reads as a sentence."""
    if "(" not in sentence:
        return sentence
    last = None
    for match in AGENCY_DATELINE.finditer(sentence):
        before = sentence[: match.start()]
        if _words(before) > MAX_PLACE_WORDS and not _FURNITURE_BEFORE.search(before):
            continue  # "He said the vote (AP) — was close": not a dateline
        if _after(sentence, match) is not None:
            last = match
    return _capitalised(_after(sentence, last)) if last else sentence


def without_plain_dateline(sentence: str) -> str:
    """ "NEW ORLEANS — The..." → "The...", for the first sentence of an article only (see module doc)."""
    match = PLAIN_DATELINE.match(sentence)
    if not match:
        return sentence
    place = match.group(1)
    if place.split()[0].lower().strip(".,") in _NOT_PLACES or any(c.isdigit() for c in place):
        return sentence
    rest = sentence[match.end() :]
    if _APPOSITIVE_START.match(rest) or not _is_body(rest):
        return sentence
    # "Amash — who broke down in tears — became known...": a second dash soon after closes an aside.
    if re.search(rf"\s{_DASH}\s", " ".join(rest.split()[:12])):
        return sentence
    return _capitalised(rest)


def without_credits(sentence: str) -> str:
    """The body after the last photo credit run into it; a credit with nothing after it is dropped."""
    if "[" in sentence:
        sentence = PLACEHOLDER.sub("", sentence)
    if "(" not in sentence:
        return sentence
    lower = sentence.lower()
    if not any(
        w in lower
        for w in ("photo", "image", "picture", "video", "credit", "via ", "/", "getty", "associated press", "(@")
    ):
        return sentence
    matches = list(CREDIT.finditer(sentence))
    if not matches:
        return sentence
    for match in reversed(matches):
        rest = _after(sentence, match)
        if rest is not None:
            return _capitalised(rest)
    # Nothing reads as a body after any credit: keep the text, lose the credits.
    text = CREDIT.sub(" ", sentence)
    text = re.sub(r"\s+([.,;:!?])", r"\1", " ".join(text.split()))
    return text if _words(text) >= MIN_WORDS else sentence


# Labels of a page's media players run into the first sentence (BBC pages in Multi-News): "Image
# copyright Getty Images image caption ...", "Media playback is unsupported on your device media
# caption ...", CNN's "Story highlights ...". The label goes; the caption after it has no end
# marker, so it stays with the body.
_CREDITS = (
    r"(?:getty images|afp|epa|reuters|ap|pa|pa media|press association|istock|thinkstock|spl|science photo library|bbc"
    r"|twitter|facebook|instagram|youtube|nasa|alamy|rex features|rex|shutterstock|other|various|handout"
    r"|afp/getty images)"
)
LABEL = re.compile(
    r"^(?:image copyright\s+(?:[^\s]+\s+){0,6}?image caption|image copyright\s+" + _CREDITS + r"(?![\w/])"
    r"|media playback is (?:unsupported|not supported) on your device(?:\s+media caption)?"
    r"|(?:image|media) caption|story highlights)\s+",
    re.I,
)
# A web address in brackets, as AP prints its sources: "The Times reports (http://lat.ms/2x) that".
URL_IN_BRACKETS = re.compile(r"\s*\(\s*(?:https?://|www\.)[^()\s]*\s*\)", re.I)


def without_labels(sentence: str) -> str:
    if "(" in sentence and ("http" in sentence or "www." in sentence):
        sentence = URL_IN_BRACKETS.sub("", sentence)
    for _ in range(2):  # "Image copyright AFP image caption ..." after "Media playback ..."
        match = LABEL.match(sentence)
        if not match:
            break
        rest = sentence[match.end() :]
        if not _is_body(rest):
            break
        sentence = _capitalised(rest)
    return sentence


# A wire photo's caption as a sentence of its own: "FILE - In this May 5, 2015, file photo, the
# mayor speaks...", "This photo provided by the sheriff's office shows...". It describes a
# picture the brief does not show, often years old; dropped.
# A list item's marker: dashes, a bullet or an asterisk, then the item's first word (a capital, a
# digit or a quotation mark), so "-5 degrees" and "*NSYNC" stay.
LIST_MARKER = re.compile(r"^(?:--+|[-–—•·▪●◦*])\s+(?=[\"“‘'A-Z0-9])")


def without_list_marker(sentence: str) -> str:
    match = LIST_MARKER.match(sentence)
    return sentence[match.end():] if match and _is_body(sentence[match.end():]) else sentence


PHOTO_CAPTION = re.compile(
    r"^(?:file\b\s*(?:photo\b)?\s*(?:[-—–:]|--)|file photo\b"
    r"|(?:in )?this [^,.]{0,60}?\b(?:photo|image|photograph)\b(?:,| (?:shows|provided|released|taken|made|from)\b))",
    re.I,
)


def is_photo_caption(sentence: str) -> bool:
    return bool(PHOTO_CAPTION.match(sentence))


def without_connective(sentence: str) -> str:
    match = CONNECTIVE.match(sentence)
    if not match:
        return sentence
    rest = sentence[match.end() :]
    return _capitalised(rest) if _is_body(rest) else sentence


def trim(sentence: str, first: bool = False, quoted: bool = False, rules: frozenset[str] | None = None) -> str | None:
    """The sentence without the spans above.

    `first`: it is the first sentence of its article (where a plain dateline can stand).
    `quoted`: it opens inside a quotation begun in an earlier sentence, so its words are the
    speaker's and no connective is cut (nor is one cut from a sentence that opens on a quote).
    """
    rules = RULES if rules is None else rules
    text = without_list_marker(sentence) if "bullet" in rules else sentence
    if "credit" in rules:
        text = without_credits(text)
        first = first or text != sentence  # a credit closed a caption: the body starts here
    if "agency" in rules:
        text = without_agency_dateline(text)
    if "label" in rules:  # after the dateline rule, which reads "Story highlights" as furniture before it
        text = without_labels(text)
    if "dateline" in rules and first:
        text = without_plain_dateline(text)
    if "caption" in rules and is_photo_caption(text):
        return None
    if "connective" in rules and not quoted:
        text = without_connective(text)
    return text
