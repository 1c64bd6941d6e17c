"""The experiments of §4 (Figures 3–5) and Appendix B, re-run with error bars (docs/claims.md §4, claims 18–20).

One function per figure, each returning an
:class:`~verify.experiments.common.ExperimentResult`, all registered in
:data:`verify.experiments.registry.EXPERIMENTS` (run one by name with
:func:`~verify.experiments.registry.run_experiment`):

=========  =====================  ==========================================================
name       claim                  what runs
=========  =====================  ==========================================================
``fig3a``  ``sec4-smoothness``    SGD, one neuron, angular mixture over σ; rate per σ
``fig3b``  ``sec4-closeness``     SGD, k patches scattered by σ_patch²; rate per σ_patch²
``fig3c``  ``sec4-real-data``     SGD on digit patches, random Gaussian filters, by init
``fig3d``  ``sec4-real-data``     the same with Gabor filters
``fig4``   ``sec4-real-data``     true vs learned filters (arrays to draw)
``fig5``   ``sec4-real-data``     relative loss along α·w + (1−α)·w*
=========  =====================  ==========================================================

Figs. 3a–b (convergence rate against smoothness and patch closeness) are in
:mod:`verify.experiments.rates`, Figs. 3c–d, 4 and 5 (real image patches) in
:mod:`verify.experiments.real_data`; :mod:`verify.experiments.common` holds what both share: the
result record, the settings by profile, the seed streams and the interval
summaries.  The experiments' names, and which of them read images (``--mnist``), are plain
data in :mod:`verify.experiments.names`, so that the command line lists and
checks them without importing the experiments: this package's ``__init__``
imports nothing.

An experiment reports numbers, not verdicts: its ``finding`` states what was
measured, and the §4 claims are judged once, by the claim checks
(:mod:`verify.claims`, holds / refuted / inconclusive), from its ``series``.

Every function takes ``profile`` (``"quick"``, ``"default"``, ``"thorough"``:
iterations and seeds; quick ≲ 90 s and default ≲ 4 min for all six on two
cores), ``seed`` (every random stream is derived from it with
:class:`numpy.random.SeedSequence`), and keyword overrides of any of its
settings (``fig3a(iterations=50, seeds=2)``); an unknown setting is an
:class:`~verify.validation.InvalidArgument`.

Statistics
----------
* Per setting, the mean over the seeds with a two-sided Student-t interval on
  n − 1 degrees of freedom (``level``, 95 %).
* **Neighbouring differences** (:func:`neighbour_differences`): for each pair
  of neighbouring settings, a Welch t-interval for the difference of the
  means at the Bonferroni-corrected level 1 − (1 − level)/m (m pairs), so that
  all m intervals hold together with probability ≥ level.  For Figs. 3c–d the
  groups are paired (one teacher and one minibatch seed per seed, shared by
  every α), so the interval is the t-interval of the paired differences.  The
  finding counts the intervals above 0, below 0 and containing 0.
* **Near-zero relative loss** (Figs. 3c–d, 5): ln(relative loss) ≤
  ``near_zero`` = :data:`NEAR_ZERO` = ln(10⁻³) ≈ −6.91, i.e. a mean squared
  error below 0.1 % of the squared mean label (our threshold: the paper gives
  none; its Fig. 5 sits between −16 and −9).
"""
