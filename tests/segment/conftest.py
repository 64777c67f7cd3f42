"""Fixtures of the segment tests: a segmenter without the CX dictionary, shared by the session."""

from __future__ import annotations

import pytest

from cxnlp.segment import Segmenter


@pytest.fixture(scope="session")
def plain_segmenter() -> Segmenter:
    return Segmenter(use_cx_dict=False)
