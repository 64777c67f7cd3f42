"""Shared fixtures: the labelled data directory (skip when absent) and a session-wide segmenter."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxnlp.data import data_dir as find_data_dir


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = find_data_dir(required=False)
    if path is None:
        pytest.skip("labelled data not found: set CXNLP_DATA or put shared/data beside the checkout")
    return path


@pytest.fixture(scope="session")
def segmenter():
    from cxnlp.segment import Segmenter

    return Segmenter()
