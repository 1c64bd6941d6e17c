"""The cost of the adversary's local refinement (verify.checker.refine) against the search it follows.

Baseline: the Hypothesis search of thm22-gradient-bounds on finite laws in p = 2 (30 instances, the
default profile) with its refinement switched off.  Measured: the same search with its refinement
(2 worst instances, 2 boundary starts, 3 law families; 80 checks per start or 10·(d + 1)).  Also
reported: the total ratio (the refinement checks ~20× as many instances as the search draws) and how
many starts lowered their margin.  Target: one refinement check costs at most 1.5× one search check
(the optimizer's bookkeeping is small next to a check; Hypothesis' own per-draw cost is in the baseline).
"""
from __future__ import annotations

from dataclasses import replace

from verify.checker.context import ConstantsCache
from verify.experiments.profiles import get_profile
from verify.checker.search import run_search
from verify.claims import get_claim

TARGET = 1.5
CLAIM = get_claim("thm22-gradient-bounds")
SEARCH = CLAIM.search("bounds-hold-on-finite-laws-in-p2")
PLAIN = replace(SEARCH, refine=None)


def run(search):
    return run_search(CLAIM, search, profile=get_profile("default"), cache=ConstantsCache())


def test_refinement_costs_a_few_times_the_search_it_follows(benchmark, fastest, record):
    outcome = benchmark.pedantic(run, args=(SEARCH,), rounds=2, iterations=1, warmup_rounds=1)
    assert outcome.met and outcome.refined > 0
    t_plain, t_refined = fastest(lambda: run(PLAIN), lambda: run(SEARCH), rounds=3)
    plain = run(PLAIN)
    starts = outcome.refinement["starts"]
    per_search_check = t_plain / len(plain.results)
    per_refinement_check = (t_refined - t_plain) / outcome.refined
    record("refinement, thm22-gradient-bounds finite p=2", search_s=t_plain, refined_s=t_refined,
           total_ratio=t_refined / t_plain, search_checks=len(plain.results), refined_checks=outcome.refined,
           per_check_ratio=per_refinement_check / per_search_check,
           starts_lowered=sum(1 for s in starts if s["margin_after"] < s["margin_before"]), starts=len(starts),
           target=TARGET)
    assert per_refinement_check / per_search_check <= TARGET
