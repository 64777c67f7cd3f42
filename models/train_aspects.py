"""Train the shipped default aspects model (reproducible: fixed seed, fixed data).

    .venv/bin/python models/train_aspects.py            # writes models/default/aspects/

Training data: the shared zh_restaurant_aste train split (see shared/data/README.md);
dev metrics are measured on its dev split and written into meta.json.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cxnlp.aspects import train_aspects
from cxnlp.aspects.train import DATA_TERMS
from cxnlp.data import data_file

OUT = Path(__file__).resolve().parent / "default" / "aspects"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    extractor = train_aspects(
        data_file("aspects", "zh_restaurant_aste", "train.jsonl"),
        out=args.out,
        seed=args.seed,
        dev=data_file("aspects", "zh_restaurant_aste", "dev.jsonl"),
        data_name="shared/data/aspects/zh_restaurant_aste/train.jsonl (19,485 sentences)",
        data_terms=DATA_TERMS,
    )
    print(extractor.meta_["dev_metrics"])


if __name__ == "__main__":
    main()
