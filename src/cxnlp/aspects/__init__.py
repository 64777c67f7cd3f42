"""Aspect · opinion · polarity extraction: the ``aspects`` stage, training, metrics, summaries.

    >>> from cxnlp.aspects import AspectExtractor, train_aspects, evaluate_aspects, summarize
"""

from .evaluate import evaluate_aspects, triplet_scores
from .extractor import AspectExtractor, load_default_extractor
from .lexicon import Lexicon
from .summarize import summarize
from .taxonomy import CategoryMapper
from .train import read_triplet_data, train_aspects

__all__ = ["AspectExtractor", "train_aspects", "evaluate_aspects", "triplet_scores", "summarize",
           "CategoryMapper", "Lexicon", "load_default_extractor", "read_triplet_data"]
