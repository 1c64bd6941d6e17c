"""Every explanation the page and the text output print, rendered in every form it takes, read by a small grammar.

The generator: each branch of the verdict rule's explanations (:func:`verify.checker.verdicts.compare`, with
every side of the truth a Term can have: exact, estimate, upper bound, lower bound, mixed, finite and
infinite), fed through the sentence builder of :mod:`verify.report.words` (refuted, inconclusive, holds,
outside, control), each in the singular (one instance) and the plural, and the page's claim reasons
(:func:`verify.report.render.claim_view`).  The grammar list (:func:`grammar_problems`): "a" never before a
vowel sound and "an" never before a consonant, no word doubled, every sentence begun with a capital and ended
with its punctuation (so that joined sentences are separated), no "(s)" plurals and no "1 instances", no ASCII
relations (≤ ≥ on the page), no NaN without words.  No tolerance: these are exact string properties.
"""
from __future__ import annotations

import itertools
import math
import re

import pytest

from verify.checker.terms import SIDES, Term, side_phrase
from verify.checker.verdicts import compare
from verify.report import words as W
from verify.report.render import claim_view

#: Words after "a" that begin with a vowel letter but a consonant sound (and the reverse for "an").
_A_BEFORE_VOWEL_LETTER = {"one", "unit", "uniform", "union", "unique", "use", "user", "usual", "european"}
_AN_BEFORE_CONSONANT_LETTER = {"hour", "honest", "l", "m", "n", "s", "x", "f", "h", "r"}
_NOUNS = "instance|sample|atom|search|evaluation|certificate|reading|part|teacher|draw"


def grammar_problems(text: str) -> list[str]:
    """What the small grammar list finds wrong in ``text`` (empty: nothing).

    Examples
    --------
    >>> grammar_problems("The slack is a upper bound. it holds")
    ['"a upper"', 'sentence not capitalised: "it holds"', 'no terminal punctuation']
    """
    problems = []
    for article, word in re.findall(r"\b(a|an|A|An) ([A-Za-z][\w-]*)", text):
        first = word.lower()
        vowel = first[0] in "aeiou"
        if article.lower() == "a" and vowel and not any(first.startswith(w) for w in _A_BEFORE_VOWEL_LETTER):
            problems.append(f'"{article} {word}"')
        if article.lower() == "an" and not vowel and first not in _AN_BEFORE_CONSONANT_LETTER \
                and not first.startswith(("hour", "honest")):
            problems.append(f'"{article} {word}"')
    if re.search(r"\bis (the|a|an) [^,;:.]*? is\b", text):
        problems.append("two verbs in one clause")
    for doubled in re.findall(r"\b(\w+) \1\b", text, flags=re.I):
        if not doubled.isdigit():
            problems.append(f'doubled "{doubled}"')
    for sentence in re.split(r"(?<=[.!?]) +", text.strip()):
        if re.match(r"[a-z]{2,}", sentence):                  # a word, not a symbol (γ, x) beginning it
            problems.append(f'sentence not capitalised: "{sentence[:40]}"')
    if not text.rstrip().endswith((".", "!", "?")):
        problems.append("no terminal punctuation")
    if re.search(r"\.\s*\.|:\.|;\.|,\.", text):
        problems.append("punctuation doubled")
    if "(s)" in text or re.search(rf"\b1 ({_NOUNS})e?s\b", text):
        problems.append("plural wrong")
    if re.search(r"<=|>=|!=", text):
        problems.append("ASCII relation")
    if re.search(r"\bnan\b", text, flags=re.I) and "no margin" not in text:
        problems.append("NaN without words")
    return problems


def _why_texts() -> list[str]:
    """Every explanation compare() writes, over every pair of sides, finite and infinite, each relation."""
    out = set()
    for lhs_side, rhs_side, relation, (lv, rv), se in itertools.product(
            SIDES, SIDES, ("<=", ">=", "=="), ((1.0, 2.0), (2.0, 1.0), (1.0, 1.0 + 1e-3), (1.0, math.inf),
                                               (math.inf, 1.0)), (0.0, 0.3)):
        c = compare("x <= y", Term(lv, 0.0, se, None, lhs_side), Term(rv, 0.0, se, None, rhs_side), relation)
        if c.why:
            out.add(c.why)
    return sorted(out)


WHYS = _why_texts()


def test_the_generator_reaches_every_branch_of_the_explanations():
    # each branch of compare()'s explanations, and every side phrase, finite and infinite, appears
    joined = " | ".join(WHYS)
    for fragment in ("errs towards violation", "not proven", "within its error bar", "no conclusion",
                     "equality cannot be confirmed"):
        assert fragment in joined, fragment
    for side in ("upper-bound", "lower-bound", "mixed"):
        assert side_phrase(side) in joined, side
        assert side_phrase(side, infinite=True) in joined or side == "mixed", side


@pytest.mark.parametrize("why", WHYS)
@pytest.mark.parametrize("part", ["L_cross <= 3μ", "", "γ(φ) = L(φ)"])
def test_every_inconclusive_explanation_reads_as_one_sentence(why, part):
    for margin, error in ((0.5, 0.0), (-1e-3, 0.3), ("nan", "nan"), (math.inf, 0.0)):
        text = W.inconclusive_reason(part, margin, error, why)
        assert grammar_problems(text) == [], text
        assert text.count(". ") == 0, text              # one sentence


@pytest.mark.parametrize("instances", [1, 2, 30, None])
@pytest.mark.parametrize("margin, error", [(0.0328, 0.0061), (0.5, 0.0), (2.0, 1e-15)])
def test_holds_reasons_in_the_singular_and_the_plural(instances, margin, error):
    text = W.holds_reason(margin, error, instances)
    assert grammar_problems(text) == [], text
    if instances == 1:
        assert "the one instance" in text
    elif instances:
        assert f"{instances} instances" in text


@pytest.mark.parametrize("part", ["x <= 1", "", "per-sample split ⟨∇ℓ, w−w*⟩ = term1 + term2"])
@pytest.mark.parametrize("margin, error", [(-0.5, 4.7e-15), (-0.07, 0.03), (-math.inf, 0.0), ("nan", "nan")])
def test_refuted_reasons_name_the_part_and_the_excess_over_the_error_bar(part, margin, error):
    text = W.refuted_reason(part, margin, error)
    assert grammar_problems(text) == [], text
    if isinstance(margin, float) and math.isfinite(margin):
        assert f"beyond its error bar {W.format_number(error, 2)}" in text
        assert W.symbols(part) in text


@pytest.mark.parametrize("verdict", ["refuted", "inconclusive", "holds"])
@pytest.mark.parametrize("instances", [1, 4])
@pytest.mark.parametrize("margin", [-1.0, 0.2, "nan"])
def test_control_reasons_in_the_singular_and_the_plural(verdict, instances, margin):
    text = W.control_reason({"verdict": verdict, "part": "x >= 0", "margin": margin, "margin_error": 1e-14,
                             "instances": instances})
    assert grammar_problems(text) == [], text
    assert (f"{instances} instance{'s' if instances > 1 else ''} searched" in text), text


@pytest.mark.parametrize("note", ["", "Theorem 3.3 assumes unit-norm patches", "Z_avg = 0 for some draw"])
def test_outside_reasons(note):
    assert grammar_problems(W.outside_reason(note)) == []


@pytest.mark.parametrize("verdict", ["holds", "refuted", "inconclusive", "not checked"])
@pytest.mark.parametrize("instances", [1, 30])
def test_the_pages_claim_reasons(verdict, instances):
    entry = {"verdict": verdict, "instances": instances, "worst_margin": -0.5 if verdict == "refuted" else 0.01,
             "margin_error": 0.001, "notes": [],
             "counterexample": {"part": "x <= 1", "margin": -0.5, "margin_error": 1e-3, "instance": {"p": 3}}
             if verdict == "refuted" else None}
    text = claim_view("c", entry)["reason"]
    assert grammar_problems(text) == [], text


def test_sentences_are_joined_with_their_terminal_punctuation():
    joined = W.join_sentences("the margin is within its error bar", "more samples would decide it",
                         "ends with a point.", "")
    assert joined == ("The margin is within its error bar. More samples would decide it. Ends with a point.")
    assert grammar_problems(joined) == []


def test_the_grammar_list_catches_what_it_is_for():
    # the checks have teeth: each catches the fault it names
    assert grammar_problems("The slack is a upper-bound of the truth.") == ['"a upper-bound"']
    assert grammar_problems("An sum of terms.") == ['"An sum"']
    assert grammar_problems("Held on every one of the 1 instances tried.") == ["plural wrong"]
    assert grammar_problems("It holds the the same.") == ['doubled "the"']
    assert grammar_problems("It holds. it fails.") == ['sentence not capitalised: "it fails."']
    assert grammar_problems("margin NaN ± NaN.")[-1] == "NaN without words"
    assert grammar_problems("It needs x >= 1.") == ["ASCII relation"]
    assert grammar_problems("X is the margin is within its error bar.") == ["two verbs in one clause"]
    assert grammar_problems("A one-sided bound, an upper bound, a uniform law.") == []


@pytest.mark.parametrize("count, noun, expected", [(1, "instance", "1 instance"), (2, "instance", "2 instances"),
                                                   (1, "search", "1 search"), (3, "search", "3 searches")])
def test_count_of_puts_the_noun_in_its_number(count, noun, expected):
    assert W.count_of(count, noun, "searches" if noun == "search" else None) == expected


@pytest.mark.parametrize("on_plane", [1, 2])
def test_lemma_a1s_note_on_the_double_counted_samples_in_the_singular_and_the_plural(on_plane):
    import numpy as np

    from verify.claims import check_claim
    from verify.laws.builtin import Empirical

    # w* = e1, w = e2: a sample (0, 1) lies on w*⊥ with w·Z > 0; `on_plane` of them, and one off the plane
    atoms = np.array([[0.0, 1.0]] * on_plane + [[1.0, 1.0]])
    result = check_claim("lemma-a1", Empirical(atoms), w_star=[1.0, 0.0], w=[0.0, 1.0])
    note = result.note + "."
    assert grammar_problems(note[0].upper() + note[1:]) == [], note
    assert note.startswith("1 sample lies" if on_plane == 1 else f"{on_plane} samples lie"), note
    assert result.instance["atoms_that_matter"]["indices"] == list(range(on_plane))
