"""Cite every source that reports each chosen sentence, with the sentence that reports it, and note
where sources differ.

A source is cited for a brief sentence only through a sentence of its own that states the fact
(the *evidence*): the sentence itself in the article it came from, or a sentence of another
article that the support model (`support.SupportJudge`) reads as stating it. A wire copy merged
into another article (`dedupe`) is a *version*: it is cited only when its own text holds the
sentence, word for word or in a paraphrase, never because the version it was merged with does.
Two sources disagree when they report the same fact with other figures, other names in the same
place of the sentence, or other dates: the other source is then listed as a disagreement, with
its sentence, and not cited. Design and figures: docs/design-citations.md.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from storybrief.brief.order import day_of
from storybrief.brief.represent import LARGE_STORY, NEIGHBOUR_FLOOR, Representation, represent
from storybrief.brief.segment import is_unfinished, segment
from storybrief.brief.support import SUPPORT_FLOOR, SupportJudge, coverage
from storybrief.text import MONTH
from storybrief.types import Article, BriefSentence, Sentence, Source

__all__ = ["attribute", "coverage", "differences", "figures", "numbers_of", "refused", "sources_of"]

DISAGREEMENT_SIMILARITY = 0.4  # a sentence this similar with other figures reports the same fact differently
# Names and dates differ far more often between two facts than figures do: the sentences must be
# closer before a differing name or date reads as the same fact told differently.
NAME_DATE_SIMILARITY = 0.5
CANDIDATES_PER_ARTICLE = 2  # an article's most similar sentences the model reads for each claim

_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w])")
_YEAR = re.compile(r"^(19|20)\d\d$")
# A figure as a reader would quote it: an optional qualifier, the number, and the word it counts.
_FIGURE_PHRASE = (r"(?:(?:about|around|some|nearly|almost|at least|more than|over|up to|roughly)\s+)?{number}"
                  r"(?:\s+[A-Za-z][\w-]*)?")
_DATE = re.compile(rf"\b{MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{MONTH}(?![a-z])|\b(?:19|20)\d\d\b", re.I)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?\b")
_NOT_NAMES = {
    "the", "a", "an", "i", "he", "she", "it", "they", "we", "but", "and", "in", "on", "at", "mr", "mrs", "ms", "dr",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "his", "her", "its",
    "their", "this", "that", "there", "these", "those", "when", "after", "before", "while", "if", "as", "of", "for",
}


def figures(text: str) -> set[str]:
    """Numbers stated in a sentence, dates left out (years, and the day of a month: `dates` reads those)."""
    text = _DATE.sub(" ", text)
    return {n.replace(",", "") for n in _NUMBER.findall(text) if not _YEAR.match(n.replace(",", ""))}


def figure_phrase(text: str, number: str) -> str:
    """The number as the sentence states it, with its qualifier and the word after it ("about 180 people")."""
    # Thousands separators as the sentence writes them ("45,000", not "45000"): a comma may stand
    # between any two digits of the number.
    digits = "".join(re.escape(c) + (",?" if c.isdigit() and d.isdigit() else "") for c, d in zip(number, number[1:]))
    pattern = _FIGURE_PHRASE.format(number=rf"(?<![\w.,]){digits + re.escape(number[-1:])}(?![\w]|,\d)")
    match = re.search(pattern, text, re.I)
    return match.group(0) if match else number


def dates(text: str) -> set[str]:
    """Calendar dates a sentence states: a month and day, or a year (weekdays are relative and left out)."""
    out = set()
    for match in _DATE.finditer(text):
        words = re.findall(r"[a-z]+|\d+", match.group(0).lower())
        out.add(" ".join(sorted(w[:3] if w.isalpha() else str(int(w)) for w in words)))
    return out


def names(text: str) -> dict[str, tuple[str, str]]:
    """Capitalised words after the first (people, places, organisations) with the words either side."""
    words = re.findall(r"[\w'-]+", text)
    out = {}
    for k, word in enumerate(words[1:], 1):
        if _NAME.fullmatch(word) and word.lower() not in _NOT_NAMES:
            before = words[k - 1].lower() if not _NAME.fullmatch(words[k - 1]) else ""
            after = words[k + 1].lower() if k + 1 < len(words) and not _NAME.fullmatch(words[k + 1]) else ""
            out[word.lower()] = (before, after)
    return out


def differences(mine: str, theirs: str, similarity: float) -> dict | None:
    """How two reports of one fact differ: other figures, other dates, or another name in the same
    place of the sentence (the same word before or after it). None when they do not."""
    mine_figures, their_figures = figures(mine), figures(theirs)
    if mine_figures and their_figures and not mine_figures & their_figures:
        return {
            "kind": "figures",
            "values": [[figure_phrase(mine, n) for n in sorted(mine_figures)],
                       [figure_phrase(theirs, n) for n in sorted(their_figures)]],
        }
    if similarity < NAME_DATE_SIMILARITY:
        return None
    mine_dates, their_dates = dates(mine), dates(theirs)
    if mine_dates and their_dates and not mine_dates & their_dates:
        return {"kind": "dates", "values": [sorted(mine_dates), sorted(their_dates)]}
    mine_names, their_names = names(mine), names(theirs)
    only_mine = {n: c for n, c in mine_names.items() if n not in their_names and n not in theirs.lower()}
    only_theirs = {n: c for n, c in their_names.items() if n not in mine_names and n not in mine.lower()}
    for name, (before, after) in only_mine.items():
        for other, (other_before, other_after) in only_theirs.items():
            if (before and before == other_before) or (after and after == other_after):
                return {"kind": "names", "values": [[name], [other]]}
    return None


def refused(mine: str, theirs: str, similarity: float) -> bool:
    """Whether a sentence the support model reads as stating `mine` still may not be its evidence:
    the two differ (`differences`: then it is a disagreement), or `theirs` puts another figure where
    `mine` has one ("killed 12 and injured 200" for "killed 14 and injured 200": same words, another
    fact; a reader checking the citation would find the wrong number)."""
    if differences(mine, theirs, similarity) is not None:
        return True
    mine_figures, their_figures = figures(mine), figures(theirs)
    return bool(mine_figures - their_figures and their_figures - mine_figures)


def sources_of(originals: list[Article]) -> tuple[list[Source], dict[str, int]]:
    """One numbered source per original input article; ids start at 1 in input order."""
    sources, number = [], {}
    for n, article in enumerate(originals, 1):
        sources.append(Source(id=n, title=article.title, path=article.path, words=article.words, name=article.source,
                              article_id=article.id))
        number[article.id] = n
    return sources, number


def numbers_of(article: Article, originals: list[Article]) -> list[int]:
    """The source numbers of an article and of the copies merged into it."""
    number = {a.id: n for n, a in enumerate(originals, 1)}
    return [number[i] for i in [article.id, *article.copies] if i in number]


def _normalised(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


class _Versions:
    """The sentences of each wire copy merged into another article, segmented as the copy stands."""

    def __init__(self, originals: list[Article], judge: SupportJudge):
        self.by_id = {a.id: a for a in originals}
        self.judge = judge
        self._sentences: dict[str, list[Sentence]] = {}

    def sentences(self, article_id: str) -> list[Sentence]:
        if article_id not in self._sentences:
            article = self.by_id.get(article_id)
            self._sentences[article_id] = segment([article]) if article is not None else []
        return self._sentences[article_id]

    def find(self, text: str, article_id: str) -> tuple[Sentence | None, dict | None]:
        """The copy's own sentence that states `text` (None if none does), or else how the copy's
        closest sentence differs from it (a disagreement between versions)."""
        own = self.sentences(article_id)
        if not own:
            return None, None
        wanted = _normalised(text)
        for sentence in own:
            if _normalised(sentence.text) == wanted:
                return sentence, None
        # No word-for-word match: read the copy's sentences against the claim on a representation
        # of the claim and the copy alone (the copy is not part of the story's representation).
        claim = Sentence(text, 0, 0)
        others = [Sentence(s.text, 1, s.index) for s in own]
        local = represent([claim, *others])
        judge = SupportJudge([claim, *others], local, self.judge.model, self.judge.reader)
        cosines = local.cosines([0], list(range(1, len(others) + 1)))[0]
        probabilities, supported = judge.decide(0, list(range(1, len(others) + 1)), list(cosines))
        best = int(np.argmax(probabilities + supported))
        if supported[best] and not refused(text, own[best].text, float(cosines[best])):
            return own[best], None
        similar = max(range(len(own)), key=lambda k: cosines[k])
        if cosines[similar] >= DISAGREEMENT_SIMILARITY:
            difference = differences(text, own[similar].text, float(cosines[similar]))
            if difference is not None:
                return None, {**difference, "evidence": own[similar]}
        return None, None


def attribute(
    order: list[int],
    sentences: list[Sentence],
    articles: list[Article],
    originals: list[Article],
    representation: Representation,
    judge: SupportJudge | None = None,
    semantic: bool = False,
) -> tuple[list[BriefSentence], list[Source], list[dict]]:
    sources, number = sources_of(originals)
    judge = judge or SupportJudge(sentences, representation, semantic=semantic)
    versions = _Versions(originals, judge)
    published = {number[a.id]: a.published for a in originals if a.published}
    cited: list[BriefSentence] = []
    disagreements: list[dict] = []
    per_article = Counter(s.article for s in sentences)  # segment numbers each article's sentences from 0
    # A huge story reads only the neighbours its bounded graph would keep (docs/design-scale.md).
    floor = NEIGHBOUR_FLOOR if len(sentences) > LARGE_STORY else SUPPORT_FLOOR
    for k, i in enumerate(order):
        sentence = sentences[i]
        origin = number[articles[sentence.article].id]
        evidence: dict[int, dict] = {origin: _evidence(origin, sentence)}
        differing: dict[int, tuple[Sentence, dict]] = {}  # source -> its differing sentence, how it differs

        # The claim's own article first: its versions are read below like every credited article's.
        credited: list[tuple[int, Sentence]] = [(sentence.article, sentence)]
        columns, similarities = _neighbours(representation, i, floor)
        best: dict[int, list[tuple[float, int]]] = {}
        for j, similarity in zip(columns.tolist(), similarities.tolist()):
            best.setdefault(sentences[j].article, []).append((similarity, j))
        candidates, cosines = [], []
        for article, pairs in best.items():
            if article == sentence.article:
                continue
            for similarity, j in sorted(pairs, reverse=True)[:CANDIDATES_PER_ARTICLE]:
                candidates.append(j)
                cosines.append(similarity)
        probabilities, supported = judge.decide(i, candidates, cosines)
        by_article: dict[int, list[tuple[bool, float, float, int]]] = {}
        for j, similarity, probability, yes in zip(candidates, cosines, probabilities.tolist(), supported.tolist()):
            by_article.setdefault(sentences[j].article, []).append((yes, probability, similarity, j))
        for article, read in by_article.items():
            read.sort(reverse=True)
            supporting = [j for yes, _, s, j in read if yes and not refused(sentence.text, sentences[j].text, s)]
            if supporting:
                credited.append((article, sentences[supporting[0]]))
                continue
            # The article reports the fact (it is read as support, or it is close), but differently.
            for yes, _, s, j in sorted(read, key=lambda r: -r[2]):
                if not yes and s < DISAGREEMENT_SIMILARITY:
                    continue
                difference = differences(sentence.text, sentences[j].text, s)
                if difference is not None:
                    differing.setdefault(number[articles[article].id], (sentences[j], difference))
                    break
        for article, evidence_sentence in credited:
            kept = number[articles[article].id]
            evidence.setdefault(kept, _evidence(kept, evidence_sentence))
            for copy in articles[article].copies:
                if copy not in number or number[copy] in evidence:
                    continue
                found, difference = versions.find(evidence_sentence.text, copy)
                if found is not None:
                    evidence[number[copy]] = _evidence(number[copy], found)
                elif difference is not None:
                    differing.setdefault(number[copy], (difference.pop("evidence"), difference))
        for source, (other, difference) in sorted(differing.items()):
            if source not in evidence:  # a source that also states the fact as the brief does is cited
                disagreements.append(_disagreement(k, sentence, origin, source, other, difference, published))
        ids = sorted(evidence)
        cited.append(BriefSentence(
            text=sentence.text,
            sources=ids,
            support=len(ids),
            origin={"article": origin, "index": sentence.index},
            cut=sentence.index == per_article[sentence.article] - 1 and is_unfinished(sentence.text),
            evidence={n: evidence[n] for n in ids},
        ))
    days = [day_of(articles[sentences[i].article]) for i in order]
    if len(set(days) - {None}) > 1:  # the brief tells events of different days: each sentence says its day
        for brief_sentence, day in zip(cited, days):
            brief_sentence.date = day.isoformat() if day else ""
    return cited, sources, disagreements


def _disagreement(
    k: int, sentence: Sentence, origin: int, source: int, other: Sentence, difference: dict, published: dict[int, str]
) -> dict:
    """A disagreement as the brief lists it: which sentence, which source says what, and where."""
    record = {
        "sentence": k, "source": source, "text": other.text, "kind": difference["kind"],
        "values": difference["values"], "evidence": _evidence(source, other), "claim_source": origin,
    }
    if difference["kind"] == "figures":
        record["figures"] = [sorted(figures(sentence.text)), sorted(figures(other.text))]
    dated = {str(s): published[s] for s in (origin, source) if s in published}
    if dated:
        record["published"] = dated
    return record


def _neighbours(representation: Representation, i: int, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Sentences of other articles at least `floor` similar to sentence i: from the dense copy for
    a small story (one row product), else from the graph or one sparse product."""
    if representation.dense is None:
        return representation.neighbours_of(i, floor=floor)
    cosines = representation.dense @ representation.dense[i]
    keep = np.flatnonzero((cosines >= floor) & (representation.articles != representation.articles[i]))
    return keep, cosines[keep]


def _evidence(source: int, sentence: Sentence) -> dict:
    return {"article": source, "index": sentence.index, "text": sentence.text}
