"""Calibration: measured per-operation weights (seed 004).

A weight scales an operation's analytical FLOPs into what a budget charges
(``analytical * flop_multiplier * weight``). This package measures them:

* :mod:`.cases` - for every counted registry row, how to call it at a given size on a
  given input distribution, and its category (pointwise, reductions, linalg, ...);
* :mod:`.runner` - ``python -m benchmarks.runner`` / ``flopscope calibrate``: measures
  every case (each category in its own subprocess), in ``perf`` mode where the
  ``instructions`` hardware counter works and in ``timing`` mode elsewhere, and writes
  ``weights.json`` (the weights and the measurements behind them) and the packaged
  table's slim derivative;
* :mod:`.report` - the self-contained HTML report of a run.

The weight of a row is ``max(alpha - overhead, 0)``: ``alpha`` the median cost per
analytical FLOP relative to ``np.add`` (timing) or the median retired instructions per
analytical FLOP (perf), ``overhead`` the category's ufunc dispatch cost per FLOP measured
from ``np.abs`` (none for BLAS-backed rows). Free rows weigh 0.0 and are not measured.

``weights.json`` (``meta.schema_version`` 1)::

    {"weights": {"add": 1.0, "exp": 11.5, ...},
     "meta": {"schema_version": 1, "mode": "timing", "dtype": "float64", "date": ...,
              "machine": ..., "cpu": ..., "python": ..., "numpy": ..., "blas": ...,
              "repeats": 5, "quick": false, "rounding": ..., "pinned": {name: measured},
              "overhead": {category: per-FLOP overhead},
              "ops": {name: {"category": ..., "blas": bool, "alpha": median,
                             "spread": [25th, 75th percentile], "weight_measured": ...,
                             "samples": [{"size": n, "distribution": d, "seconds": s,
                                          "flops": f, "alpha": a}, ...]}}}}
"""
