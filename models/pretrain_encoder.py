"""Pretrain an encoder on the corpora's unlabelled train text, then fine-tune it for sentiment (issue 3).

    .venv/bin/python models/pretrain_encoder.py --out /tmp/encoder            # GPU-sized (not yet run on a GPU)
    .venv/bin/python models/pretrain_encoder.py --out /tmp/encoder --smoke    # ~20 s on a CPU: checks the path

No checkpoint can be downloaded here, so this is the way to a pretrained encoder: masked-language
modelling (:func:`cxnlp.pretrain.pretrain_encoder`) on the texts of the train splits only (the three
sentiment corpora and the ASTE restaurant sentences, labels unused; never dev or test text), then
``train_sentiment(backend="transformer")`` from the result on the sentiment train splits, scored on
each dev split. Writes ``<out>/encoder`` (the pretrained checkpoint), ``<out>/sentiment`` (the
fine-tuned stage) and ``<out>/report.json`` (settings, the encoder's held-out masked-token scores, dev
accuracy per corpus, dev logits for ensembling with the shipped model). Not shipped: the shipped
pipeline must run at >= 2,000 documents/s on one CPU core, which no transformer does.

On a lent GPU machine (torch and transformers there, no network, ``../shared`` not carried): copy the
train splits it reads into a git-ignored ``shared/data/`` in the checkout and set ``CXNLP_DATA`` to it;
carry opencc as a wheel and jieba (an sdist only, pure Python) as its installed package directory
without ``lac_small/``, ``analyse/`` and ``posseg/`` (cxnlp uses none; 37 MB -> about 8 MB, as the
carried paths and the checkout share a 64 MiB limit);
then ``PYTHONPATH=src python3 models/pretrain_encoder.py --out $OUT/run --device cuda``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cxnlp.data import SENTIMENT_CORPORA, data_file
from cxnlp.io import atomic_write_text
from cxnlp.pretrain import pretrain_encoder
from cxnlp.sentiment import train_sentiment

#: Encoder and schedule for one GPU: the train texts are 85,463 texts, 4.67 M characters, 96,553 pieces of at
#: most 126 characters, so 10 epochs are about 3,800 steps of 256 pieces (a 25 M-parameter encoder).
FULL = {"encoder": {"hidden_size": 512, "num_layers": 6, "num_heads": 8, "max_length": 128, "epochs": 10.0,
                    "batch_size": 256, "lr": 5e-4},
        "fine_tune": {"epochs": 2.0, "lr": 5e-5, "train_batch_size": 64, "batch_size": 256, "max_length": 128},
        "rows": None}
#: A CPU check of the whole path: a tiny encoder, a few steps, 2,000 rows of each corpus.
SMOKE = {"encoder": {"hidden_size": 64, "num_layers": 2, "num_heads": 2, "max_length": 64, "max_steps": 30,
                     "batch_size": 32, "lr": 1e-3},
         "fine_tune": {"max_steps": 20, "lr": 1e-4, "train_batch_size": 32, "batch_size": 64, "max_length": 64},
         "rows": 2000}


def split(corpus: str, name: str, rows: int | None) -> pd.DataFrame:
    frame = pd.read_csv(data_file("sentiment", corpus, f"{name}.csv"), dtype={"text": str}, keep_default_na=False)
    return frame.head(rows) if rows else frame


def unlabelled_texts(rows: int | None) -> list[str]:
    """Train-split texts only: the three sentiment corpora and the ASTE restaurant sentences."""
    texts = [t for corpus in SENTIMENT_CORPORA for t in split(corpus, "train", rows)["text"]]
    aste = pd.read_json(data_file("aspects", "zh_restaurant_aste", "train.jsonl"), lines=True, dtype={"text": str})
    return texts + aste["text"].head(rows).tolist() if rows else texts + aste["text"].tolist()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--smoke", action="store_true", help="tiny settings: check the path on a CPU")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    plan: dict[str, Any] = SMOKE if args.smoke else FULL
    report: dict[str, Any] = {"plan": plan, "smoke": args.smoke, "seed": args.seed}
    started = time.perf_counter()
    report["encoder"] = pretrain_encoder(unlabelled_texts(plan["rows"]), args.out / "encoder", seed=args.seed,
                                         device=args.device, **plan["encoder"])
    train = pd.concat([split(c, "train", plan["rows"]) for c in SENTIMENT_CORPORA])
    stage = train_sentiment(train, backend="transformer", base_model=args.out / "encoder", out=args.out / "sentiment",
                            seed=args.seed, device=args.device, **plan["fine_tune"])
    report["dev"] = {}
    for corpus in SENTIMENT_CORPORA:
        dev = split(corpus, "dev", plan["rows"])
        logits = stage.logits(dev["text"].tolist())  # type: ignore[attr-defined]
        accuracy = round(float(np.mean((logits >= 0) == (dev["label"] == 1))), 4)
        report["dev"][corpus] = {"n": len(dev), "accuracy": accuracy, "logits": np.round(logits, 4).tolist()}
        print(f"{corpus}: dev accuracy {accuracy}", flush=True)
    report["seconds"] = round(time.perf_counter() - started, 1)
    atomic_write_text(args.out / "report.json", json.dumps(report, ensure_ascii=False) + "\n")
    held_out = {k: v for k, v in report["encoder"].items() if k.startswith("held_out")}
    print(f"{report['seconds']} s; encoder held out: {held_out}; report: {args.out / 'report.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
