"""helpers.environment: the setup cell's report, and its warning for a Keras with a known safe_mode bypass."""

from __future__ import annotations

import pytest

from helpers.environment import keras_warning


@pytest.mark.parametrize("version", ["3.12.4", "3.12.9", "3.14.0", "3.15.1", "3.15.1+cpu", "4.0.0"])
def test_keras_without_a_published_bypass_gets_no_warning(version):
    assert keras_warning(version) is None


@pytest.mark.parametrize("version", ["3.13.0", "3.13.2", "3.13.2rc1"])
def test_keras_with_a_published_bypass_is_named_with_the_fix(version):
    warning = keras_warning(version)
    assert warning.startswith(f"Warning: Keras {version} has a published safe_mode bypass (CVE-2026-1462, fixed in 3.14.0)")
    assert "\n" not in warning and "pip install -U keras" in warning
