import pytest

from storybrief.brief.clean import (
    clean,
    clean_article,
    detokenise,
    headline_of,
    is_boilerplate,
    is_byline,
    is_caption,
    is_fragment,
    looks_english,
    normalise,
    repeated_lines,
)
from storybrief.types import Article

BODY = [
    "The city council approved a new cycle lane along the harbour road on Thursday.",
    "Work will begin in April and is expected to take six months, officials said.",
    "Shop owners on the road said they feared losing parking spaces for customers.",
]


@pytest.mark.parametrize(
    "line",
    [
        "Show Comments",
        "Load more comments",
        "SHARE THIS ARTICLE",
        "Share",
        "Advertisement",
        "Subscribe to our newsletter for daily updates",
        "Sign up for breaking alerts",
        "Follow us on Twitter",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "Related: Council budget row deepens",
        "You are here",
        "Skip to main content",
        "Click here to read more",
        "© 2024 Harbour Times. All rights reserved.",
        "Our site can also be accessed at the following addresses:",
    ],
)
def test_known_boilerplate_is_junk(line):
    assert is_boilerplate(line) or is_fragment(line)


@pytest.mark.parametrize(
    "line",
    [
        "The mayor (L) and the harbour master (R) inspect the quay on March 3, 2021. (Photo by Jo Lee)",
        "Protesters gather outside the court. Photo: Sam Reyes",
        "Residents look on during the ceremony in the town square",
        "A ferry leaves the port at dawn. (AP Photo/Kim Baker)",
    ],
)
def test_captions(line):
    assert is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        "By Maren Holt",
        "By Jo Lee and Sam Reyes, Harbour Times",
        "Updated 3:42 PM, March 4, 2021",
        "Published 09:15 GMT",
    ],
)
def test_bylines_and_timestamps(line):
    assert is_byline(line)


@pytest.mark.parametrize(
    "line",
    ["News / World / Europe", "Sport | Business | Culture", "Portuguese / Spanish / English", "Top Stories", "Menu"],
)
def test_menus_and_labels_are_fragments(line):
    assert is_fragment(line)


@pytest.mark.parametrize(
    "line", BODY + ['"We are ready," she said.', "By the end of the year, the council said, the lane would be open."]
)
def test_reporting_is_kept(line):
    assert not (is_boilerplate(line) or is_caption(line) or is_byline(line) or is_fragment(line))


def test_clean_article_keeps_title_and_body_drops_junk():
    text = "\n".join(
        [
            "Home / News / Local",
            "Council backs harbour cycle lane",
            "By Maren Holt",
            "",
            BODY[0],
            "Advertisement",
            "WASHINGTON (Reuters) - " + BODY[1],
            BODY[2],
            "Share this article",
            "Show Comments",
            "Show Comments",
            "Top Stories",
        ]
    )
    article = clean_article(Article(text=text))
    assert article.title == "Council backs harbour cycle lane"
    assert article.text.split("\n") == [BODY[0], BODY[1], BODY[2]] or article.text.split("\n")[0] == BODY[0]
    for junk in ("Advertisement", "Share", "Comments", "Maren Holt", "Top Stories", "Home"):
        assert junk not in article.text


def test_dateline_is_stripped_from_the_first_body_line():
    article = clean_article(Article(text="LONDON (Reuters) - " + BODY[0] + "\n" + BODY[1]))
    assert article.text.startswith("The city council approved")


def test_teaser_echoing_the_first_sentence_is_dropped():
    teaser = "The city council approved a new cycle lane along the harbour road"
    article = clean_article(Article(text="\n".join(["Cycle lane approved", teaser, *BODY])))
    assert article.text.count("approved a new cycle lane") == 1


def test_lines_shared_by_several_articles_are_site_furniture():
    furniture = "More from the Harbour Times network"
    articles = [Article(text=f"{furniture}\n{line}\n{BODY[(i + 1) % 3]}") for i, line in enumerate(BODY)]
    assert furniture in repeated_lines(articles)
    assert all(furniture not in a.text for a in clean(articles))


def test_articles_with_nothing_left_are_dropped():
    assert clean([Article(text="Advertisement\nShow Comments"), Article(text="\n".join(BODY))]) == [
        Article(text="\n".join(BODY))
    ]


def test_normalise_quotes_and_multinews_tokenisation():
    assert normalise("“Yes,” he said – it’s done") == '"Yes," he said – it\'s done'
    tokenised = (
        "the book \" the lost symbol, \" broke records , its publisher said . it was oxfam ' s ' most donated "
        "' book, it isn ' t new"
    )
    out = detokenise(tokenised)
    assert (
        '"the lost symbol,"' in out
        and "records, its" in out
        and "said." in out
        and "oxfam's 'most donated' book" in out
        and "isn't new" in out
    )


def test_english_detection():
    assert looks_english(" ".join(BODY))
    assert not looks_english(
        "Der Stadtrat hat am Dienstag beschlossen, die alte Bibliothek zu schließen. Die Bewohner sind enttäuscht und "
        "wollen protestieren, sagen sie."
    )


def test_a_long_paragraph_with_a_credit_inside_is_kept():
    paragraph = " ".join(BODY * 3) + " ( credit: getty images ) " + " ".join(BODY * 2)
    assert clean_article(Article(text=paragraph)).text.startswith(BODY[0])


def test_a_gated_rule_matches_only_lines_that_hold_one_of_its_gates():
    import re

    from storybrief.brief.clean import BOILERPLATE_RULES

    samples = [sentence for mark in test_scraper_placeholders_are_junk.pytestmark for sentence in mark.args[1]]
    samples += ["Share this article on Facebook.", "Click here to subscribe to our newsletter.", "Read all comments"]
    for rule, gates in BOILERPLATE_RULES:
        assert all(gate == gate.lower() for gate in gates), rule  # gates are looked for in the lower-cased line
        for line in samples:
            if gates and re.search(rule, line, re.I):
                assert any(gate in line.lower() for gate in gates), (rule, line)


@pytest.mark.parametrize(
    "sentence",
    [
        "Tweet with a location you can add location information to your tweets, such as your city.",
        "These crawls are part of an effort to archive pages as they are created.",
        "This will appear next to all of your comments this will not appear anywhere on the site.",
        "Later on, the internet archive hopes that references to these archived pages will be kept.",
        "The seed for this crawl was a list of every host the archive knew of.",
        "Rating is available when the video has been rented.",
        "The interactive transcript could not be loaded.",
        "We have sent you a verification email, please click on the link to activate your profile.",
        "Whenever the columnist posts new content, you will get an email.",
        "Dow Jones Reprints: this copy is for your personal, non-commercial use only.",
        "Notice you must log in to continue.",
        "Properties of this collection: it has been several years since the last one.",
        "Already have an account? Thank you for registering with the site.",
        "Upgrade to the latest flash player for improved playback performance.",
    ],
)
def test_scraper_placeholders_are_junk(sentence):
    from storybrief.brief.clean import is_junk_sentence

    assert is_junk_sentence(sentence)


@pytest.mark.parametrize(
    ("sentence", "body"),
    [
        (
            "Updated 6:07 p.m. ET The mayor said the harbour bridge would reopen in March.",
            "The mayor said the harbour bridge would reopen in March.",
        ),
        (
            "Published on Nov 8, 2021 the ferry operator added two evening crossings to its timetable.",
            "The ferry operator added two evening crossings to its timetable.",
        ),
        (
            "Sep. 19, 2021, 11:59 pm GMT / Updated Sep. 20, 2021, 8:05 am GMT Engineers found a second crack in the "
            "span.",
            "Engineers found a second crack in the span.",
        ),
        (
            "Read more The council approved 4.2 million pounds for the repairs on Tuesday.",
            "The council approved 4.2 million pounds for the repairs on Tuesday.",
        ),
        (
            "Advertisement Continue reading the main story Drivers face a detour of about 12 kilometres.",
            "Drivers face a detour of about 12 kilometres.",
        ),
        (
            "Sign up for our free daily briefing >> the bridge closes to traffic at midnight on Friday.",
            "The bridge closes to traffic at midnight on Friday.",
        ),
    ],
)
def test_junk_run_into_a_sentence_is_cut_off_and_the_body_kept_verbatim(sentence, body):
    from storybrief.brief.clean import without_junk_prefix

    assert without_junk_prefix(sentence) == body


@pytest.mark.parametrize(
    "sentence",
    [
        "At 9 p.m., protesters marched down the high street to the bridge.",
        "On May 5 the council met to discuss the closure of the bridge.",
        "Updated figures published on Monday show traffic fell by a third.",
        "First published in 1953, the harbour guide is now in its tenth edition.",
        "On the last day to sign up for the ferry pass, queues stretched round the terminal.",
        "The ferry, published timetables show, runs every 20 minutes at 7 am and 8 am.",
    ],
)
def test_dates_and_times_that_are_news_stay_in_the_sentence(sentence):
    from storybrief.brief.clean import without_junk_prefix

    assert without_junk_prefix(sentence) == sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Related: Harbour bridge to close for six months engineers found cracks in two supports.",
        "Updated 6:07 p.m. ET and more.",
        "Subscribe to our newsletter for the latest local news and offers.",
    ],
)
def test_sentences_of_junk_or_with_no_telling_where_the_body_starts_are_dropped(sentence):
    from storybrief.brief.clean import without_junk_prefix

    assert without_junk_prefix(sentence) is None


def test_segment_keeps_the_lead_that_a_time_stamp_was_run_into():
    from storybrief.brief.segment import segment

    text = (
        "Updated 6:07 p.m. ET The harbour bridge in Marlow will close for six months, the council said. "
        "Engineers found cracks in two of its steel supports."
    )
    sentences = [s.text for s in segment([Article(text=text, id="a")])]
    assert sentences[0] == "The harbour bridge in Marlow will close for six months, the council said."
    assert len(sentences) == 2


@pytest.mark.parametrize(
    "sentence",
    [
        "The senator said the seed for the deal was planted at a dinner in March.",
        "The archive hopes to open a new reading room next year.",
        "Police said the video was recorded on a phone and later posted online.",
        "The term ended with the court striking down the law.",
    ],
)
def test_news_sentences_near_placeholder_wording_are_kept(sentence):
    from storybrief.brief.clean import is_junk_sentence

    assert not is_junk_sentence(sentence)


def test_mojibake_from_utf8_read_as_windows_1252_is_repaired():
    assert normalise("The mayor didnâ€™t rule out a cafÃ© tax.") == "The mayor didn't rule out a café tax."


def test_text_that_only_looks_foreign_is_left_alone():
    for text in (
        "The naïve plan for the café — and the résumé.",
        "Ñandú sightings rose.",
        "Ã la carte menus are back.",
    ):
        assert normalise(text) == text


def test_html_character_references_in_plain_text_are_decoded():
    assert normalise("AT&amp;T said &quot;no&quot; &#8212; twice &#x41;.") == 'AT&T said "no" — twice A.'
    assert normalise("Tom & Jerry; R&D & more") == "Tom & Jerry; R&D & more"


def test_a_decoded_reference_stays_text_for_the_renderers_to_escape():
    article = Article(
        text="\n".join(BODY + ["Critics called it &lt;b&gt;reckless&lt;/b&gt; spending on a road few people use."])
    )
    assert "<b>reckless</b>" in clean([article])[0].text  # text, not markup: render and the web page escape it


@pytest.mark.parametrize(
    "raw, clean_text",
    [
        # Tokenised quotes: a mark glued to the next word opens, a spaced one closes the quotation open.
        (
            'kenny said. "the greek government will deal, " said kenny. "we pay our way. " irish bonds fell , he said '
            ".",
            'kenny said. "the greek government will deal," said kenny. "we pay our way." irish bonds fell, he said.',
        ),
        ('he said " we will win " and left , officials said .', 'he said "we will win" and left, officials said.'),
        (
            'described as "too severe. " "we are not looking , " kenny said .',
            'described as "too severe." "we are not looking," kenny said.',
        ),
    ],
)
def test_tokenised_quotation_marks_are_paired_by_the_word_they_are_glued_to(raw, clean_text):
    assert detokenise(raw) == clean_text


def test_a_first_line_that_reads_as_a_headline():
    assert (
        headline_of("Harbour bridge shut for six weeks\n\nThe bridge closed on Monday.")
        == "Harbour bridge shut for six weeks"
    )
    assert headline_of("The bridge closed on Monday.\nMore text.") == ""
    assert headline_of("One line only") == ""


@pytest.mark.parametrize(
    "text",
    [
        "Home / News / Local\n\n\nHarbour bridge shut for six weeks\n\nBy A Reporter\n\nThe bridge closed on Monday.",
        "Home / News\r\n\r\nAdvertisement\r\n\r\nFerry \u201cextra\u201d crossings start today\r\n"
        "The ferry added crossings.",
        "\n\n  \n\nShare\n\nMenu\n\nSubscribe\n\nA title that comes too late\nBody text here.",
        "Bridge shut\rafter crack\rThe bridge closed.",
        "Caf\u00c3\u00a9 owners protest new rules\n\nOwners of cafes protested on Monday.",
        "",
    ],
)
def test_headline_of_is_the_title_clean_article_separates(text):
    assert headline_of(text) == clean_article(Article(text=text)).title
