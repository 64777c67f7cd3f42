"""Segmentation: normalisation, words with character offsets, clauses."""

from .normalize import Normalizer
from .tokenizer import Segmenter, split_clauses

__all__ = ["Segmenter", "Normalizer", "split_clauses"]
