"""Counted arrays where challenge code puts them: type annotations, NumPy's own
converters, JSON and pickle."""

from __future__ import annotations

import json
import pickle
import typing
from typing import Any, List, Optional  # noqa: UP035  (the old spellings are the test)

import numpy as np
import numpy.typing as npt
import pytest

import flopscope as flops
import flopscope.numpy as fnp

X = np.arange(12.0).reshape(3, 4)


def test_the_counted_array_type_works_in_runtime_type_expressions():
    assert List[fnp.ndarray].__args__ == (fnp.ndarray,)  # noqa: UP006
    assert Optional[fnp.ndarray].__args__ == (fnp.ndarray, type(None))  # noqa: UP045
    assert (fnp.ndarray | None).__args__ == (fnp.ndarray, type(None))
    assert list[fnp.ndarray].__args__ == (fnp.ndarray,)
    alias = fnp.ndarray[Any, np.dtype[np.float64]]
    assert typing.get_origin(alias) is fnp.ndarray

    def predict(xs: List[fnp.ndarray]) -> npt.NDArray[np.float64]:  # noqa: UP006
        return fnp.stack(xs)

    assert typing.get_type_hints(predict)["xs"] == List[fnp.ndarray]  # noqa: UP006
    assert isinstance(fnp.ones(2), fnp.ndarray) and isinstance(fnp.ones(2), np.ndarray)


def test_counted_arrays_pass_through_numpys_converters_unchanged():
    x = fnp.asarray(X)
    stacked = np.stack([x, x])
    assert type(stacked) is fnp.ndarray
    np.testing.assert_array_equal(stacked, np.stack([X, X]))
    as32 = np.asarray(x, dtype=np.float32)
    assert as32.dtype == np.float32
    np.testing.assert_array_equal(as32, X.astype(np.float32))
    np.testing.assert_array_equal(np.asarray(x), X)
    np.testing.assert_array_equal(np.array(x), X)


def test_tolist_gives_json_ready_python_values():
    x = fnp.asarray(X)
    text = json.dumps({"x": x.tolist(), "total": float(fnp.sum(x))})
    assert json.loads(text) == {"x": X.tolist(), "total": 66.0}
    assert all(type(v) is float for row in x.tolist() for v in row)


@pytest.mark.parametrize("protocol", range(2, pickle.HIGHEST_PROTOCOL + 1))
def test_pickle_round_trips_arrays_and_scalars_unchanged(protocol):
    x = fnp.asarray(X)
    s = fnp.sum(x)
    y, t = pickle.loads(pickle.dumps((x, s), protocol=protocol))
    assert type(y) is fnp.ndarray and type(t) is type(s)
    np.testing.assert_array_equal(y, X)
    assert t == 66.0
    with flops.BudgetContext(100) as budget:
        y + 1.0  # a restored array is still counted
    assert budget.flops_used == 12
