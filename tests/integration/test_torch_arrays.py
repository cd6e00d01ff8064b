"""torch tensors as steps: the array path through array-api-compat, with real torch.

Part of the integration suite (torch and array-api-compat are installed by
`make test-integrations`); importing them here makes the module fail, not
skip, when they are missing.
"""

from __future__ import annotations

import sys
from typing import Any

import array_api_compat  # noqa: F401  # required: tensors go through it
import numpy as np
import pytest
import torch
from tests.test_arrays import EPS32, assert_close, cosine, cosine_values, scalar_values, to_numpy

import lrsched
from lrsched._math import array_namespace, is_array

pytestmark = pytest.mark.integration


class TestTorch:
    """torch tensors, which have no ``__array_namespace__``, go through array-api-compat."""

    def test_tensor(self) -> None:
        """A torch tensor gives a tensor of the same shape, in torch's default dtype."""
        # Typed Any: a tensor has __index__, so mypy picks the scalar overload.
        out: Any = cosine()(torch.arange(0, 120, 10).reshape(3, 4))
        assert isinstance(out, torch.Tensor)
        assert out.shape == (3, 4)
        assert out.dtype == torch.get_default_dtype()
        assert_close(to_numpy(out).reshape(-1), cosine_values(range(0, 120, 10)), rel=8 * EPS32)

    def test_float64_tensor(self) -> None:
        """A float64 tensor keeps float64 and matches to 1e-12."""
        s = 10 >> cosine() + lrsched.constant(lr=0.05)
        out: Any = s(torch.arange(200, dtype=torch.float64))
        assert out.dtype == torch.float64
        assert_close(to_numpy(out), scalar_values(s, range(200)), rel=1e-12)

    def test_without_array_api_compat(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without array-api-compat a tensor raises a TypeError saying what to install."""
        monkeypatch.setitem(sys.modules, "array_api_compat", None)  # import fails
        with pytest.raises(TypeError, match="pip install array-api-compat"):
            cosine()(torch.arange(3))

    def test_detected_without_torch_import(self) -> None:
        """Tensors are recognised by their type's module, not by importing torch."""
        assert is_array(torch.zeros(2))
        assert not is_array(3.0)
        assert not is_array(np.float64(3.0))
        with pytest.raises(TypeError, match="__array_namespace__"):
            array_namespace([1, 2])
