"""helpers.environment: the setup cell's report, and its warning for a Keras with a known safe_mode bypass."""

from __future__ import annotations

import pytest

from helpers.environment import keras_advisories, keras_warning


@pytest.mark.parametrize(
    "version",
    [
        "3.12.1",
        "3.12.4",
        "3.13.2",
        "3.14.0",
        "3.15.1",
        "3.15.1+cpu",
        "3.16.0.dev2026081403",
        "4.0.0",
    ],
)
def test_keras_without_a_published_bypass_gets_no_warning(version):
    assert keras_warning(version) is None


@pytest.mark.parametrize(
    ("version", "advisories"),
    [
        (
            "3.7.0",
            "CVE-2025-1550; CVE-2025-8747; CVE-2025-9906; CVE-2025-9905, .h5 files; "
            "CVE-2025-12058; CVE-2026-1462",
        ),
        (  # Colab in early 2026
            "3.10.0",
            "CVE-2025-8747; CVE-2025-9906; CVE-2025-9905, .h5 files; CVE-2025-12058; CVE-2026-1462",
        ),
        ("3.11.3", "CVE-2025-12058; CVE-2026-1462"),
        ("3.12.0", "CVE-2026-1462"),
        ("3.13.1", "CVE-2026-1462"),
        ("3.13.2rc1", "CVE-2026-1462"),  # a release candidate of the fix comes before the fix
        ("3.12.0rc1", "CVE-2025-12058; CVE-2026-1462"),  # not 3.12.1: the digits after rc are not
        ("3.12.1rc1", "CVE-2026-1462"),
        ("2.15.0", "Keras 2 has no safe_mode: a Lambda layer's code always runs"),
    ],
)
def test_keras_with_a_published_bypass_is_named(version, advisories):
    warning = keras_warning(version)
    assert warning.startswith(
        f"Warning: Keras {version} has published safe_mode bypasses ({advisories}):"
    )
    assert "\n" not in warning and "pip install -U keras" in warning


def test_a_version_that_cannot_be_read_is_not_taken_as_fixed():
    assert "CVE-2026-1462" in keras_advisories("unknown")
    assert "CVE-2025-1550" in keras_advisories("")
