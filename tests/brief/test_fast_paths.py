"""The speed-ups that must not change an answer, each checked against the plain version it replaced."""

from __future__ import annotations

import random
import re

import blingfire
import numpy as np

from storybrief.brief import cover, features
from storybrief.brief.clean import JUNK_PREFIX, is_caption, is_fragment
from storybrief.brief.columns import story_words
from storybrief.brief.segment import _text_to_sentences
from storybrief.text import CASED_WORD, CRUDE_SUFFIX, FIRST_PERSON, ROUGE_WORD, ignorecase_lower

# Sentences that hit the cues, and the characters re.IGNORECASE matches to an ASCII letter that
# str.lower() does not make that letter (dotless ı, dotted İ, long ſ, the Kelvin sign).
TEXTS = [
    "The mayor said on Tuesday that 12 people were hurt.",
    "Click here to subscribe: http://example.com | Photo: AP",
    "“We are ready,” she told reporters, according to a statement.",
    "CLİCK HERE and ſubscribe to our email list #news [ad] {x} <b>",
    "He tweeted, wrote and added that the report was wrong. @user www.site.org",
    "Reports say the ſaid company\u212aeeps its Copyright ıs fine.",
    "According To the REPORTED figures, 3,000 homes were lost?",
    "No cue here at all (none whatsoever)",
    "I think we should go, my friend, said you.",
    "",
    "'Quoted' opening with digits 42 and ٣ (Arabic-Indic three)",
]


def reference_surface_cues(text: str, tokens: list[str]) -> tuple[float, ...]:
    n = max(len(tokens), 1)
    stripped = text.lstrip()
    return (
        sum(1 for t in tokens[1:] if t[:1].isupper()) / n,
        sum(1 for t in tokens if features._DIGIT.search(t)) / n,
        min(text.count('"'), 4) / 2.0,
        float(stripped[:1] in "\"'"),
        sum(1 for t in tokens if t.lower() in FIRST_PERSON) / n,
        float(bool(features._PRONOUN_START.match(stripped))),
        float(bool(features._ATTRIBUTION.search(text))),
        float("?" in text),
        float("(" in text),
        float(len(features._JUNK.findall(text))),
    )


def shuffled_texts(count: int = 400) -> list[str]:
    """Random mixtures of the sample sentences' words and characters."""
    rng = random.Random(7)
    pieces = " ".join(TEXTS).split() + list("ıİſ\u212a|@#<>[]{}.:/\"'")
    return [" ".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(count)]


def test_surface_cues_equal_the_plain_count():
    for text in TEXTS + shuffled_texts():
        tokens = CASED_WORD.findall(text)
        assert features.surface_cues(text, tokens) == reference_surface_cues(text, tokens), text


def test_the_fold_makes_every_case_blind_match_its_word():
    # Each sample that the regex matches only through a special character still counts.
    assert features.surface_cues("CLİCK", ["CLİCK"])[-1] == 1.0
    assert features.surface_cues("ſays", ["ſays"])[6] == 1.0


def test_blingfire_with_a_reused_buffer_gives_the_same_sentences():
    texts = TEXTS + shuffled_texts(100) + ["x" * 70_000, "é. " * 30_000, "Short. Then longer text follows here."]
    for text in texts + list(reversed(texts)):  # the buffer grows, then is reused for shorter texts
        if text.strip():
            assert _text_to_sentences(text) == blingfire.text_to_sentences(text)


def test_line_tests_answer_as_before():
    for text in TEXTS + shuffled_texts():
        stripped = text.strip()
        words = len(re.findall(r"[A-Za-z]+", stripped))
        plain_fragment = (
            bool(re.match(r"^\s*([\w&' -]{1,25}\s*(/|\||»|›|>|•)\s*){1,}[\w&' -]{1,25}\s*$", stripped))
            or words < 3
            or (len(stripped.split()) <= 6 and not re.search(r"[.!?…][\"'”’)\]]*\s*$", stripped))
        )
        assert is_fragment(text) == plain_fragment
        match, search = JUNK_PREFIX.match(text), JUNK_PREFIX.search(text)
        assert (match and match.span()) == (search and search.span())
    assert is_caption("A man looks on as the fire burns.") and not is_caption("The fire burned all night.")


def test_story_words_number_words_in_order_of_first_use():
    tokens = [ROUGE_WORD.findall(t.lower()) for t in TEXTS]
    words, ids, sentence, lengths = story_words(tokens)
    flat = [w for t in tokens for w in t]
    assert words == list(dict.fromkeys(flat))
    assert [words[i] for i in ids] == flat
    assert ids.dtype == sentence.dtype == lengths.dtype == np.int64
    assert lengths.tolist() == [len(t) for t in tokens] and len(sentence) == len(flat)


def reference_greedy(row_value, concept_value, carries, lengths, needs, words, same):
    """The scan cover._greedy replaced: every row rated in turn, the first strictly better kept."""
    units = []
    taken = np.zeros(len(row_value), dtype=bool)
    covered = carries[taken].any(axis=0)
    left = words - int(lengths[taken].sum())
    while True:
        best, best_rate, best_rest = -1, 0.0, []
        marginal = row_value + carries @ np.where(covered, 0.0, concept_value)
        repeated = same[:, taken].any(axis=1)
        for r in range(len(row_value)):
            if not needs[r] or taken[r]:
                continue
            rest = [m for m in needs[r] if not taken[m]]
            cost = float(lengths[rest].sum())
            if cost > left or repeated[rest].any():
                continue
            if len(rest) == 1:
                gain = marginal[rest[0]]
            else:
                gain = row_value[rest].sum() + concept_value[carries[rest].any(axis=0) & ~covered].sum()
            rate = gain / cost**0.5
            if rate > best_rate:
                best, best_rate, best_rest = r, rate, rest
        if best < 0:
            return units
        units.append(best)
        taken[best_rest] = True
        covered |= carries[best_rest].any(axis=0)
        left -= int(lengths[best_rest].sum())


def test_greedy_cover_chooses_as_the_scan_did():
    rng = np.random.default_rng(3)
    for trial in range(200):
        rows, concepts = int(rng.integers(1, 40)), int(rng.integers(0, 30))
        # Ties on purpose: values from a few levels, so the first of equal rates must win.
        row_value = rng.integers(0, 4, rows).astype(float) * (0.5 if trial % 2 else 1.0)
        concept_value = rng.integers(1, 4, concepts).astype(float)
        carries = (rng.random((rows, concepts)) < 0.15).astype(float)
        lengths = rng.integers(4, 40, rows).astype(float)
        needs = []
        for r in range(rows):
            kind = rng.random()
            if kind < 0.1:
                needs.append([])  # brought along only
            elif kind < 0.3 and r > 0:
                needs.append(sorted({r, int(rng.integers(0, r))}))  # leans on an earlier row
            else:
                needs.append([r])
        same = rng.random((rows, rows)) < 0.05
        same = same | same.T
        np.fill_diagonal(same, False)
        words = int(rng.integers(10, 200))
        args = (row_value, concept_value, carries, lengths, needs, words)
        assert cover._greedy(*args, same=same, power=0.5) == reference_greedy(*args, same)


def reference_normalise(text: str) -> str:
    import html
    import unicodedata

    from storybrief.brief import clean

    if clean._MOJIBAKE.search(text):
        import ftfy

        text = ftfy.fix_encoding(text)
    if "&" in text:
        text = clean._ENTITY.sub(lambda m: html.unescape(m.group()), text)
    text = unicodedata.normalize("NFC", text)
    text = text.translate(clean._QUOTES)
    text = clean._SPACES.sub(" ", text)
    if clean._looks_tokenised(text):
        text = clean.detokenise(text)
    return text


def test_normalise_skips_for_ascii_only_what_changes_nothing():
    from storybrief.brief.clean import normalise

    samples = [
        "Plain ASCII text, nothing to do.",
        "Two  spaces and a\ttab,\t\tthen  more .",
        "AT&amp;T said &#8220;yes&#8221; &rsquo; &nbsp;then",
        "Curly “quotes” and ‘single’ ones\u00a0with a no-break space\u2009and thin\u200b one",
        "didnâ€™t cafÃ© mojibake",
        "e\u0301 combining accent (NFC makes one character)",
        'tokenised " quote " , with spaces ; like Multi-News \' s',
        " \t ",
        "",
    ]
    for text in samples + shuffled_texts(200):
        assert normalise(text) == reference_normalise(text), text


def test_coverage_on_the_sparse_rows_equals_the_row_copies():
    from storybrief.brief.pipeline import prepare
    from storybrief.brief.represent import represent
    from storybrief.brief.support import coverage

    story = [
        "The council approved the new budget on Monday after a long debate. Taxes will rise by 2 percent.",
        "After a long debate the council approved a budget on Monday. The mayor said taxes rise 2 percent.",
        "Residents protested outside the hall. The budget funds schools, roads and the new library.",
    ]
    sentences = prepare(story).sentences
    representation = represent(sentences)
    representation.__dict__["dense"] = None  # the sparse path, as for a story too big for a dense copy
    n = len(sentences)
    assert n >= 4
    for i in range(n):
        for j in range(n):
            mine, theirs = representation.vectors[i], representation.vectors[j]
            expected = float(np.square(mine.data[np.isin(mine.indices, theirs.indices)]).sum())
            assert coverage(representation, i, j) == expected


def test_counts_by_index_equal_the_sorted_ones():
    from storybrief.brief.columns import distinct, distinct_numbers, occurrence_counts

    rng = np.random.default_rng(3)
    cases = [rng.integers(0, high, size) for high, size in [(5, 40), (4250, 430), (10**7, 300), (70000, 2)]]
    cases += [np.array([], dtype=np.int64), np.array([-1, 3, -1, 3, 3]), rng.integers(0, 9, (4, 5))]
    cases.append(rng.integers(0, 60000, 430).astype(np.int32))
    for keys in cases:
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        expected = counts[inverse.ravel()]
        got = occurrence_counts(keys)
        assert got.dtype == expected.dtype and np.array_equal(got, expected)
        for got, expected in [(distinct(keys), np.unique(keys)), (distinct_numbers(keys), inverse.ravel())]:
            assert got.dtype == expected.dtype and np.array_equal(got, expected)


def test_claim_core_skips_the_closing_regex_only_where_it_cannot_match():
    from storybrief.brief import support

    # Every character re.IGNORECASE takes for a letter of the words, the fold must make that letter.
    letters = sorted(set("".join(support._CLOSING_WORDS).replace(" ", "")))
    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    found = set(re.findall(f"[{''.join(letters)}]", everything, re.I))
    assert found > set(letters) and "\u017f" in found  # the search reaches the special characters
    for char in found:
        for letter in letters:
            if re.fullmatch(letter, char, re.I):
                assert ignorecase_lower(char) == letter, (hex(ord(char)), letter)
    samples = TEXTS + shuffled_texts() + [
        "Five people died, officials ſaid.", "It was wrong, the agency announced today.",
        "The deal closes, ACCORDING TO sources", "Nothing to see here.", "He said so, it REPORTS",
    ]
    for text in samples:
        plain = support._CLOSING_ATTRIBUTION.sub(".", support._ASIDE.sub(" ", text))
        assert support.claim_core(text) == plain, text
        if support._CLOSING_ATTRIBUTION.search(text):
            assert support.may_close_with_attribution(text), text


def test_select_concepts_equal_the_plain_ones():
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from storybrief.brief import select

    plain_suffix = re.compile(r"(?<=\w{3})(?:ing|ed|es|(?<!s)s)\b")
    samples = TEXTS + shuffled_texts() + ["the of and", "Running is the thing; classes passed, ess seeds ssss"]
    for text in samples:
        tokens = ROUGE_WORD.findall(plain_suffix.sub("", text.lower()))
        expected = {w for w in tokens if w not in ENGLISH_STOP_WORDS}
        expected.update(
            f"{a} {b}" for a, b in zip(tokens, tokens[1:]) if a not in ENGLISH_STOP_WORDS or b not in ENGLISH_STOP_WORDS
        )
        assert CRUDE_SUFFIX.sub("", text.lower()) == plain_suffix.sub("", text.lower())
        assert select.concepts(text) == expected, text
