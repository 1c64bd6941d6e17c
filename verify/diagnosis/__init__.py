"""``verify diagnose``: the paper's assumptions and predictions on the user's own data (docs/diagnose.md).

Do my image patches satisfy the assumptions of Du, Lee & Tian (ICLR 2018), what
step size and rate does the theory give me, and does SGD on my data do what it
predicts?  :func:`diagnose` reads the data chunk by chunk (memory flat in the
number of images), computes γ(φ), L(φ), L_{−w*}, β, L_cross, ρ, μ and γ_avg
(docs/claims.md §2–§3, Theorem 3.3) as map-reduce sums over chunks, in-process
or on a Dask cluster, judges each assumption of Theorems 2.2, 3.1, 3.2 and 3.3
with the claim checker's verdict rule (docs/claims.md §7), predicts the step,
the rate and the success probability of random initialisation, and runs SGD on
the data at a step that works (``eta``, or the largest of a halving search), beside the
theory's step when it gives one.

Examples
--------
>>> from verify.laws.images import digits_images
>>> from verify.diagnosis.core import diagnose
>>> r = diagnose(digits_images()[:200], filter_size=3, stride=2, teacher="gabor", sgd_steps=20, runs=2)
>>> r.constants["gamma"][0].kind, sorted(r.to_dict())[:3], r.verdicts["thm31.ball"]
('exact', ['assumptions', 'constants', 'measured'], 'holds')
>>> r.prediction["applies"]["overall"], r.prediction["eta_max"]    # γ(φ0) ≤ 6·L_cross: no step
(False, None)

Modules: :mod:`.sources` (reading), :mod:`.sums` (the map), :mod:`.execute` (the reduce, Dask),
:mod:`.constants` (estimates), :mod:`.assumptions` (verdicts, by id), :mod:`.predictions` (η, T,
initialisation), :mod:`.headline` (does each theorem apply, and why), :mod:`.sgd_runs` (what SGD does),
:mod:`.result`, :mod:`.html` (the page).  The direction search and the chunk
moments are the engine's, :mod:`verify.estimators.chunked`; the command line is :mod:`verify.cli.diagnose`.
"""
