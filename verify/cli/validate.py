"""Validation: everything a subcommand needs, checked before its work starts.

Each ``validate_<subcommand>(args)`` takes the parsed arguments and returns the
plan its ``run_<subcommand>`` executes (a :class:`~types.SimpleNamespace`), or
raises :class:`~verify.validation.InvalidArgument` naming the argument as typed:
files are read, a user's law is imported and sampled once, ``--out`` is probed
for writing, sizes are compared with the documented ranges and this machine's
memory (:mod:`verify.cli.limits`).
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from ..validation import InvalidArgument, check_output_directory
from .limits import CHECK_N, ESTIMATE_P_MAX, K_MAX, OUTPUT_BYTES, check_patch_size

__all__ = [
    "DIST_FLAGS",
    "distribution_from",
    "validate_certify",
    "validate_check",
    "validate_claims",
    "validate_estimate",
    "validate_experiment",
    "validate_init_prob",
    "validate_report",
    "validate_summary",
]

#: The options of a distribution (``--dist``): attribute name and type.
DIST_FLAGS = (("sigma", float), ("sigma_patch", float), ("k", int), ("images", str),
              ("filter_size", int), ("stride", int), ("data", str), ("rank", int))


def _typed(args: Any, name: str) -> bool:
    return getattr(args, name, None) is not None


def distribution_from(args: Any) -> Any:
    """The law of ``--dist`` and its options (files read, a user's law imported and sampled once)."""
    from ..laws.names import BUILTIN_NAMES, DISTRIBUTION_OPTIONS

    options = {name: getattr(args, name) for name, _ in DIST_FLAGS if _typed(args, name)}
    name = args.dist
    if name in DISTRIBUTION_OPTIONS:
        allowed = DISTRIBUTION_OPTIONS[name]
        for option in options:
            if option not in allowed:
                takes = ", ".join("--" + o.replace("_", "-") for o in allowed) or "no options besides --p"
                raise InvalidArgument("--" + option.replace("_", "-"),
                                      f"distribution {name!r} does not take it (it takes {takes})")
        if name not in ("empirical", "image-patches"):
            if args.p is None:
                raise InvalidArgument("--p", f"distribution {name!r} needs the dimension: --p P, "
                                             f"2 <= P <= {ESTIMATE_P_MAX}")
            check_patch_size(args.p, "--p")
        if "k" in options and not (1 <= options["k"] <= K_MAX):
            raise InvalidArgument("--k", f"must lie in 1 <= k <= {K_MAX} (the documented range), got {options['k']}")
    elif not all(name.partition(":")[::2]):   # neither a built-in nor module:callable, both parts named
        raise InvalidArgument("--dist", f"unknown distribution {name!r}; choose from {', '.join(BUILTIN_NAMES)}, "
                                        "or module:callable (your own law)")
    elif args.p is not None:
        check_patch_size(args.p, "--p")
    from ..laws.distributions import make_distribution  # the numerics: only once the names have passed

    dist = make_distribution(name, args.p, **options)
    if args.p is None:   # p came from the data, the images or the user's law
        argument = {"empirical": "--data", "image-patches": "--filter-size"}.get(name, "--dist")
        check_patch_size(int(dist.p), argument)
    return dist


def validate_estimate(args: Any) -> SimpleNamespace:
    """``estimate``: the law (built and sampled once), angles, quantities, method, n and seed."""
    dist = distribution_from(args)
    from ..laws.distributions import check_method   # from the law's attributes, before the estimators load
    import numpy as np

    check_method(dist, args.method)
    return SimpleNamespace(dist=dist, quantities=args.quantity, phis=np.asarray(args.phi, dtype=float),
                           method=args.method, n=args.n, seed=args.seed, name=args.dist)


def validate_init_prob(args: Any) -> SimpleNamespace:
    """``init-prob``: p, α, n and seed were checked by the parser."""
    return SimpleNamespace(p=args.p, alpha=args.alpha, n=args.n, seed=args.seed)


def validate_summary(args: Any) -> SimpleNamespace:
    """``summary``: n and seed were checked by the parser."""
    return SimpleNamespace(n=args.n, seed=args.seed)


def validate_claims(args: Any) -> SimpleNamespace:
    """``claims``: nothing to check."""
    return SimpleNamespace()


def _distribution_options_given(args: Any) -> list[str]:
    return ["--" + name.replace("_", "-") for name in ("p", *(n for n, _ in DIST_FLAGS)) if _typed(args, name)]


def validate_check(args: Any) -> SimpleNamespace:
    """``check``: the claim id, the control (with ``--control``), and the law when one is given (its options need ``--dist``)."""
    from ..checker.catalogue import CONTROL_NAMES

    if args.claim_id not in CONTROL_NAMES:
        raise InvalidArgument("ID", f"unknown claim id {args.claim_id!r}; choose from {', '.join(CONTROL_NAMES)}")
    control = getattr(args, "control", None)
    profile = getattr(args, "profile", None)
    if control is not None:
        names = CONTROL_NAMES[args.claim_id]
        if control not in names:
            raise InvalidArgument("--control", f"unknown control {control!r} of {args.claim_id}; choose from "
                                               f"{', '.join(names) or 'none (this claim has no controls)'}")
        if args.dist is not None or _distribution_options_given(args):
            given = "--dist" if args.dist is not None else _distribution_options_given(args)[0]
            raise InvalidArgument(given, "does not apply with --control: a control runs on the instances of its "
                                         "search (give --dist without --control to check the claim on a law)")
        if args.n is not None:
            raise InvalidArgument("--n", "does not apply with --control: the control's search sets its own sizes "
                                         "(--profile chooses how hard it looks)")
        return SimpleNamespace(claim_id=args.claim_id, control=control, profile=profile or "default",
                               seed=args.seed)
    if profile is not None:
        raise InvalidArgument("--profile", "applies only with --control NAME (how hard a control's search looks)")
    dist = None
    if args.dist is not None:
        dist = distribution_from(args)
    else:
        given = _distribution_options_given(args)
        if given:
            raise InvalidArgument(given[0], "is an option of a distribution: give --dist NAME with it "
                                            "(`verify check --help` lists the distributions)")
    return SimpleNamespace(claim_id=args.claim_id, control=None, dist=dist,
                           n=CHECK_N if args.n is None else args.n, seed=args.seed)


def validate_experiment(args: Any) -> SimpleNamespace:
    """``experiment``: the name, --out writable, --mnist readable and taken by this experiment."""
    from ..experiments.names import EXPERIMENT_NAMES, MNIST_EXPERIMENTS

    if args.name not in EXPERIMENT_NAMES:
        raise InvalidArgument("NAME", f"unknown experiment {args.name!r}; choose from {', '.join(EXPERIMENT_NAMES)}")
    out = None if args.out is None else check_output_directory(args.out, "--out", OUTPUT_BYTES["experiment"])
    if args.mnist is not None:
        if args.name not in MNIST_EXPERIMENTS:
            raise InvalidArgument("--mnist", f"experiment {args.name} uses no images; --mnist is taken by "
                                             f"{', '.join(MNIST_EXPERIMENTS)}")
        from ..laws.images import mnist_images

        try:
            mnist_images(args.mnist, limit=1)
        except InvalidArgument as err:
            raise err.renamed("--mnist") from err.__cause__
    return SimpleNamespace(name=args.name, profile=args.profile, seed=args.seed, out=out, mnist=args.mnist)


def validate_report(args: Any) -> SimpleNamespace:
    """``report``: the profile and seed (parser), and --out writable."""
    return SimpleNamespace(out=check_output_directory(args.out, "--out", OUTPUT_BYTES["report"]),
                           profile=args.profile, seed=args.seed,
                           open=args.open)


def validate_certify(args: Any) -> SimpleNamespace:
    """``certify``: the ids among the certified claims, ``--budget`` ≥ 1, and python-flint importable."""
    from ..certify import CLAIM_IDS
    from ..certify.arb import have_flint

    for cid in args.claims:
        if cid not in CLAIM_IDS:
            raise InvalidArgument("ID", f"no certificate for claim id {cid!r}; choose from {', '.join(CLAIM_IDS)}")
    if args.budget is not None and args.budget < 1:
        raise InvalidArgument("--budget", f"must be >= 1 (boxes per subdivision), got {args.budget}")
    if not have_flint():
        raise InvalidArgument("python-flint", 'is not installed; certified verdicts need it: '
                                              'pip install "convfilter-verify[certify]"')
    return SimpleNamespace(claims=list(args.claims) or None, domain="reduced" if args.reduced else "full",
                           budget=args.budget)
