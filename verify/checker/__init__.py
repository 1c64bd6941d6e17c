"""The claim checker: the template of a claim, the verdict rule, the searches, and :func:`run_claims`.

Layers, each importing only those above it:

- :mod:`verify.checker.terms`     — one side of a comparison: a value with its errors and side
- :mod:`verify.checker.verdicts`  — the verdict rule, written once (docs/claims.md §7)
- :mod:`verify.checker.result`    — :class:`CheckResult`: one claim on one instance
- :mod:`verify.checker.context`   — what a check knows about its instance; the run's cache
- :mod:`verify.checker.instance`  — reading an instance's keys
- :mod:`verify.checker.findings`  — what a check hands back: :class:`Findings`, or :class:`Outside` raised
- :mod:`verify.checker.controls`  — negative controls, addressing comparisons by their ids
- :mod:`verify.checker.claim`     — the template every module of :mod:`verify.claims` fills in
- :mod:`verify.checker.catalogue` — the claim ids and their controls' names, plain data (the command line's)
- :mod:`verify.checker.profiles`  — the false-alarm budget (the run profiles: :mod:`verify.experiments.profiles`)
- :mod:`verify.checker.search`    — one Hypothesis search, with Hypothesis as a library
- :mod:`verify.checker.refine`    — the adversary's second stage: local refinement of the worst instances
- :mod:`verify.checker.strategies` — Hypothesis strategies of instances
- :mod:`verify.checker.slack`     — the slack of each step of the proof chains
- check bodies several claims share (claims never import each other): :mod:`~verify.checker.gradient_bounds`,
  :mod:`~verify.checker.contraction`, :mod:`~verify.checker.beta_bound`, :mod:`~verify.checker.law_hypotheses`,
  :mod:`~verify.checker.experiment_checks`, :mod:`~verify.checker.initialization`

:func:`verify.run.run_claims` (one layer up, above the catalogue) drives them.
"""
