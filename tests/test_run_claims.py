"""The claim checker as a whole: run_claims, its constants cache, its pytest face, its seeds.

* constants are memoized per run and keyed by the law itself: a user's law
  deleted and another created at the same address never share γ or β (a
  regression: the old process-wide cache was keyed by ``id(dist)``);
* :func:`verify.run_claims` is reproducible and its document is strict JSON with
  an entry for every claim;
* the pytest face (``claim_outcomes`` + ``--claims-json``) writes the same
  document as the library for the same claims, profile and seed;
* the pytest plugin costs nothing at start-up and writes nothing unless asked;
* the searches' instances depend only on (claim, search, seed), not on the
  literals of whatever modules happen to be imported.
"""
from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
import weakref

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import seed as hypothesis_seed

import verify
from verify.checker.context import ConstantsCache
from verify.checker.profiles import get_profile
from verify.run import run_claims
from verify.checker.search import run_search
from verify.checker.claim import search_seed
from verify.claims import REGISTRY, get_claim
from verify.laws.builtin import Empirical, Gaussian

pytest_plugins = ["pytester"]


class Laplace:
    """A user's law with only p, k = 1 and sample: i.i.d. Laplace coordinates of the given scale."""

    k = 1

    def __init__(self, p: int, scale: float) -> None:
        self.p, self.scale = p, scale

    def sample(self, n, rng):
        return np.random.default_rng(rng).laplace(scale=self.scale, size=(n, 1, self.p))


# ---------------------------------------------------------------------------
# The constants cache
# ---------------------------------------------------------------------------

def test_a_new_law_at_a_deleted_laws_address_gets_its_own_constants():
    """Regression: the old process-wide cache, keyed by ("object", id(dist)), served the constants of a
    deleted law to a new law that landed at the same address.

    Scaling Z by 10 scales every second moment, hence γ, L and β, by 100.  Both
    checks draw the same seeded Monte Carlo sample (the second is the first
    times 10, exactly), so the ratio is 100 up to rounding; rel 5 % would
    still allow independent samples of 20 000 draws, and is far from the ratio
    1 that the old cache gave.
    """
    first = Laplace(3, 1.0)
    address = id(first)
    a = verify.check_claim("thm22-gradient-bounds", first, n=20_000)
    gamma_a, beta_a = a.details["gamma"], a.details["beta"]
    assert gamma_a > 0 and beta_a > 0
    del first, a
    gc.collect()
    # Many candidates alive at once take many addresses; the allocator hands out the freed one among them.
    candidates = [Laplace(3, 10.0) for _ in range(20_000)]
    landed = next((c for c in candidates if id(c) == address), None)
    del candidates
    if landed is None:
        pytest.skip("no new law landed at the deleted law's address among 20 000 candidates")
    assert id(landed) == address
    b = verify.check_claim("thm22-gradient-bounds", landed, n=20_000)
    assert b.details["gamma"] == pytest.approx(100 * gamma_a, rel=0.05)
    assert b.details["beta"] == pytest.approx(100 * beta_a, rel=0.05)


def test_two_distinct_user_laws_never_share_a_cache_key_even_after_one_is_deleted():
    a = Laplace(3, 1.0)
    watch = weakref.ref(a)
    key_a = ConstantsCache.law_key(a)
    assert key_a == ConstantsCache.law_key(a)                # the same object: the same key
    assert key_a != ConstantsCache.law_key(Laplace(3, 1.0))  # an equal-looking other object: another key
    del a
    gc.collect()
    # The key holds the law: while the key exists its address cannot be taken by another object.
    assert watch() is not None
    for _ in range(20):
        b = Laplace(3, 1.0)
        assert ConstantsCache.law_key(b) != key_a
        assert hash(ConstantsCache.law_key(b)) != hash(key_a)


def test_built_in_and_finite_laws_are_keyed_by_content():
    assert ConstantsCache.law_key(Gaussian(3)) == ConstantsCache.law_key(Gaussian(3))
    assert ConstantsCache.law_key(Gaussian(3)) != ConstantsCache.law_key(Gaussian(4))
    atoms = np.array([[1.0, 0.0], [0.3, 0.7]])
    assert ConstantsCache.law_key(Empirical(atoms)) == ConstantsCache.law_key(Empirical(atoms.copy()))
    assert ConstantsCache.law_key(Empirical(atoms)) != ConstantsCache.law_key(Empirical(atoms + 1e-12))


# ---------------------------------------------------------------------------
# run_claims
# ---------------------------------------------------------------------------

FAST_CLAIMS = ["thm22-angle", "def21-rotinv-equal", "thm34-init", "lemma-a1"]


def _summary(document: dict, ids) -> dict:
    keys = ("verdict", "instances", "outside_hypothesis", "worst_margin", "margin_error", "readings")
    return {cid: {k: document["claims"][cid][k] for k in keys} for cid in ids}


def test_run_claims_is_reproducible_and_lists_every_claim_in_strict_json():
    first = run_claims(profile="quick", claims=FAST_CLAIMS)
    second = run_claims(profile="quick", claims=FAST_CLAIMS)
    doc1, doc2 = first.to_dict(), second.to_dict()
    assert _summary(doc1, FAST_CLAIMS) == _summary(doc2, FAST_CLAIMS)
    assert first.verdicts == second.verdicts
    for cid in FAST_CLAIMS:
        assert [[r.instance for r in o.results] for o in first.outcomes[cid]] == \
               [[r.instance for r in o.results] for o in second.outcomes[cid]]
    text = json.dumps(doc1, allow_nan=False)
    assert json.loads(text)["claims"].keys() == REGISTRY.keys()
    assert doc1["profile"] == "quick" and doc1["seed"] == 0
    assert doc1["summary"]["total"] == 20
    for cid, entry in doc1["claims"].items():
        if cid in FAST_CLAIMS:
            assert entry["instances"] > 0, cid
        else:
            assert (entry["verdict"], entry["instances"]) == ("inconclusive", 0), cid
    # What the specification says of these four (docs/claims.md §4).
    assert first.verdicts["thm22-angle"] == "holds"
    assert first.verdicts["def21-rotinv-equal"] == "refuted"
    assert doc1["claims"]["lemma-a1"]["readings"]["half-open"] == "holds"


# ---------------------------------------------------------------------------
# The pytest face
# ---------------------------------------------------------------------------

FACE_CLAIMS = ["thm22-angle", "def21-rotinv-equal"]
FACE_SEED = 3

FACE_TEST_FILE = textwrap.dedent(f'''
    from verify.checker.context import ConstantsCache
    from verify.checker.profiles import get_profile
    from verify.checker.search import run_search
    from verify.claims import get_claim


    def test_the_searches_of_two_claims(claim_outcomes):
        profile, seed = get_profile("quick"), {FACE_SEED}
        claim_outcomes.profile, claim_outcomes.seed = profile.name, seed
        cache = ConstantsCache(experiment_profile=profile.experiments, experiment_seed=seed)
        for claim_id in {FACE_CLAIMS!r}:
            claim = get_claim(claim_id)
            for search in claim.searches:
                outcome = claim_outcomes.add(run_search(claim, search, profile=profile, seed=seed, cache=cache))
                assert outcome.met, outcome.describe()
''')


@pytest.mark.slow
def test_the_pytest_face_writes_the_same_verdicts_as_the_library(pytester):
    pytester.makepyfile(test_face=FACE_TEST_FILE)
    out = pytester.path / "deep" / "claims.json"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--claims-json", str(out))
    result.assert_outcomes(passed=1)
    face = json.loads(out.read_text(encoding="utf-8"))
    library = run_claims(profile="quick", seed=FACE_SEED, claims=FACE_CLAIMS).to_dict()
    assert (face["profile"], face["seed"]) == ("quick", FACE_SEED)
    assert list(face["claims"]) == list(REGISTRY)
    assert _summary(face, REGISTRY) == _summary(library, REGISTRY)
    for cid in FACE_CLAIMS:
        assert face["claims"][cid]["instances"] > 0
        assert face["claims"][cid]["worst_instance"] == library["claims"][cid]["worst_instance"]


def test_importing_the_plugin_imports_neither_numpy_nor_scipy():
    code = "import verify.pytest_plugin, sys; print('numpy' in sys.modules, 'scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.split() == ["False", "False"]


def test_the_plugin_without_claims_json_runs_a_trivial_test_and_writes_nothing(pytester, monkeypatch):
    # Plugin autoloading off, so that ``-p verify.pytest_plugin`` is what loads it (with autoloading on,
    # pytest itself refuses a second registration of an entry-point plugin under its module name).
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester.makepyfile(test_trivial="def test_nothing():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest_subprocess("-p", "verify.pytest_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    assert "wrote claim verdicts" not in result.stdout.str()
    assert not list(pytester.path.rglob("*.json"))
    assert not list(pytester.path.rglob("*claims*"))


# ---------------------------------------------------------------------------
# Seeds
# ---------------------------------------------------------------------------

ANGLE = get_claim("thm22-angle")
ANGLE_SEARCH = ANGLE.searches[0]


def test_a_searchs_seed_is_a_fixed_digest_of_claim_search_and_run_seed():
    # SHA-256 of "thm22-angle/angle-is-at-most-the-arcsin-of-the-relative-distance/0", first 8 bytes.
    assert search_seed(ANGLE.id, ANGLE_SEARCH.name, 0) == 14426880515382924596
    seeds = {search_seed(cid, s.name, 0) for cid, claim in REGISTRY.items() for s in claim.searches}
    assert len(seeds) == sum(len(claim.searches) for claim in REGISTRY.values())
    assert search_seed(ANGLE.id, ANGLE_SEARCH.name, 1) != search_seed(ANGLE.id, ANGLE_SEARCH.name, 0)


def test_a_searchs_instances_do_not_depend_on_the_literals_of_imported_modules(tmp_path, monkeypatch):
    """Hypothesis draws, now and then, literals of "local" modules.  A search must not: importing a module
    full of numbers — and an ordinary property test that then draws from the same strategy, which loads
    those numbers into Hypothesis' process-wide memo of constants — must leave its instances unchanged."""
    profile = get_profile("default")

    def instances():
        outcome = run_search(ANGLE, ANGLE_SEARCH, profile=profile)
        return [r.instance for r in outcome.results[: len(outcome.results) - outcome.refined]]   # Hypothesis' own

    before = instances()
    rng = np.random.default_rng(7)
    lines = [f"X{i} = {x!r}\nN{i} = {int(j)}\n" for i, (x, j) in
             enumerate(zip(rng.uniform(-10, 10, 600).tolist(), rng.integers(0, 100, 600)))]
    (tmp_path / "numerous_literals.py").write_text("".join(lines), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "numerous_literals", raising=False)
    __import__("numerous_literals")

    @settings(max_examples=profile.examples(ANGLE_SEARCH.examples), database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @hypothesis_seed(search_seed(ANGLE.id, ANGLE_SEARCH.name, 0))
    @given(ANGLE_SEARCH.instances())
    def an_ordinary_property_test(instance):
        assert isinstance(instance, dict)

    an_ordinary_property_test()
    after = instances()
    assert len(after) == len(before) == profile.examples(ANGLE_SEARCH.examples)
    assert after == before
