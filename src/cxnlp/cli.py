"""Command line: ``cxnlp analyze | train | evaluate | pretrain``.

    cxnlp analyze examples/feedback.csv -o out.jsonl
    cxnlp train sentiment --data my_labelled.csv --out my_model
    cxnlp train aspects --data triplets.jsonl --out my_aspects --backend transformer --base-model ./bert-dir
    cxnlp evaluate sentiment --data my_labelled.csv --model my_model --json scores.json
    cxnlp pretrain --data unlabelled.csv --out ./bert-dir --max-steps 20000
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .about import __version__
from .errors import CxnlpError
from .io import FORMATS, atomic_write_text
from .stage import BACKENDS

TASKS = ("sentiment", "aspects", "risk")
#: task -> "module:function" for training and evaluation, imported only when used.
TRAINERS = {
    "sentiment": "cxnlp.sentiment.train:train_sentiment",
    "aspects": "cxnlp.aspects.train:train_aspects",
    "risk": "cxnlp.risk.train:train_risk",
}
EVALUATORS = {
    "sentiment": "cxnlp.sentiment.evaluate:evaluate_sentiment",
    "aspects": "cxnlp.aspects.evaluate:evaluate_aspects",
    "risk": "cxnlp.risk.evaluate:evaluate_risk",
}
#: Rows read, analysed and written at a time: memory stays flat however long the file.
CHUNK_ROWS = 5000


def _function(target: str) -> Callable[..., Any]:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cxnlp",
        description="Opinion mining for Chinese customer feedback: tags, sentiment and churn risk, offline.",
    )
    parser.add_argument("--version", action="version", version=f"cxnlp {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    analyze = commands.add_parser("analyze", help="analyse a file of feedback (csv, jsonl, parquet, txt or -)")
    analyze.add_argument("input", help="input file, or - for stdin (one text a line unless --format is given)")
    analyze.add_argument("-o", "--output", default="-", help="output file (default: JSON lines on stdout)")
    analyze.add_argument("--text-column", default="text", help="column holding the text (default: text)")
    analyze.add_argument("--format", choices=FORMATS, help="input format (default: from the file suffix)")
    analyze.add_argument("--output-format", choices=("csv", "jsonl", "parquet"),
                         help="output format (default: from the output suffix, else jsonl)")
    analyze.add_argument("--model", help="pipeline directory (default: the shipped model)")
    analyze.add_argument("--user-dict", help="extra words for segmentation: a file, one `word [freq]` a line")
    analyze.add_argument("--batch-size", type=int, default=256, help="documents per batch (default: 256)")
    analyze.add_argument("--n-process", type=int, default=1, help="worker processes (default: 1)")
    analyze.add_argument("--prefix", default="", help="prefix for result columns, if the input already has them")
    analyze.add_argument("--quiet", action="store_true", help="no progress bar")

    train = commands.add_parser("train", help="train a stage on your own labelled data")
    train.add_argument("task", choices=TASKS)
    train.add_argument("--data", required=True, help="labelled csv / jsonl file")
    train.add_argument("--out", required=True, help="directory to write the model to")
    train.add_argument("--text-column", default="text")
    train.add_argument("--label-column", default="label")
    train.add_argument("--backend", choices=BACKENDS, default="linear",
                       help="sentiment and aspects: linear (CPU default) or transformer (needs cxnlp[transformers])")
    train.add_argument("--base-model", help="transformer backend: local checkpoint directory (or a hub name)")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--high-without-cue", action="store_true",
                       help="risk: let the fitted score alone reach high (by default a text needs an explicit "
                            "high-risk cue, such as 退款 or 投诉, to be high)")

    evaluate = commands.add_parser("evaluate", help="score a model on a labelled file")
    evaluate.add_argument("task", choices=TASKS)
    evaluate.add_argument("--data", required=True, help="labelled csv / jsonl file")
    evaluate.add_argument("--model", help="model directory (default: the shipped model)")
    evaluate.add_argument("--text-column", default="text")
    evaluate.add_argument("--label-column", default="label")
    evaluate.add_argument("--json", dest="json_out", help="write the scores to this JSON file")

    pretrain = commands.add_parser(
        "pretrain", help="pretrain a small BERT encoder on unlabelled text (masked-language modelling, offline)")
    pretrain.add_argument("--data", required=True, help="csv / jsonl / parquet file of unlabelled texts")
    pretrain.add_argument("--out", required=True, help="directory to write the checkpoint to")
    pretrain.add_argument("--text-column", default="text")
    pretrain.add_argument("--hidden-size", type=int, default=256)
    pretrain.add_argument("--layers", type=int, default=4)
    pretrain.add_argument("--heads", type=int, default=4)
    pretrain.add_argument("--max-length", type=int, default=128, help="tokens a piece of text may have")
    pretrain.add_argument("--epochs", type=float, default=1.0)
    pretrain.add_argument("--max-steps", type=int, help="optimiser steps (overrides --epochs)")
    pretrain.add_argument("--batch-size", type=int, default=64)
    pretrain.add_argument("--lr", type=float, default=5e-4)
    pretrain.add_argument("--device", default="auto", help="auto (CUDA when available), cpu, cuda ...")
    pretrain.add_argument("--seed", type=int, default=0)
    return parser


def run_analyze(args: argparse.Namespace) -> None:
    from .frame import RECORD_COLUMNS, analyze_chunks
    from .io import TableWriter, iter_table
    from .pipeline import load, models_frozen

    nlp = load(args.model)
    if args.user_dict:
        nlp.get_stage("segment").add_words(Path(args.user_dict))  # type: ignore[attr-defined]
    chunks = iter_table(args.input, args.format, text_col=args.text_column, chunksize=CHUNK_ROWS)
    frames = analyze_chunks(chunks, args.text_column, nlp, args.batch_size, args.n_process, args.prefix,
                            total=-1 if args.quiet else None, where=repr(args.input))
    errors = 0
    records = [args.prefix + column for column in RECORD_COLUMNS]
    with models_frozen(nlp), TableWriter(args.output, args.output_format, json_columns=records) as writer:  # ours
        for frame in frames:
            writer.write(frame)
            errors += int(frame[args.prefix + "error"].notna().sum())
    if args.output != "-":
        print(f"cxnlp: analysed {writer.rows} rows ({errors} with an error) -> {args.output}", file=sys.stderr)


def run_train(args: argparse.Namespace) -> None:
    kwargs: dict[str, Any] = {"text_col": args.text_column, "label_col": args.label_column,
                              "out": args.out, "seed": args.seed}
    if args.task == "aspects":  # triplet JSONL has no text/label columns
        kwargs = {"out": args.out, "seed": args.seed}
    if args.task in ("sentiment", "aspects"):
        kwargs.update(backend=args.backend, base_model=args.base_model)
    elif args.backend != "linear" or args.base_model:
        print(f"cxnlp: --backend/--base-model apply to sentiment and aspects only; ignored for {args.task}",
              file=sys.stderr)
    if args.task == "risk":
        kwargs["high_needs_cue"] = not args.high_without_cue
    elif args.high_without_cue:
        print(f"cxnlp: --high-without-cue applies to risk only; ignored for {args.task}", file=sys.stderr)
    _function(TRAINERS[args.task])(args.data, **kwargs)
    print(f"cxnlp: {args.task} model written to {args.out}", file=sys.stderr)


def run_evaluate(args: argparse.Namespace) -> None:
    kwargs: dict[str, Any] = {"model": args.model}
    if args.task != "aspects":
        kwargs.update(text_col=args.text_column, label_col=args.label_column)
    scores = _function(EVALUATORS[args.task])(args.data, **kwargs)
    text = json.dumps(scores, ensure_ascii=False, indent=2) + "\n"
    if args.json_out:
        atomic_write_text(Path(args.json_out), text)
    sys.stdout.write(text)


def run_pretrain(args: argparse.Namespace) -> None:
    from .pretrain import pretrain_encoder

    meta = pretrain_encoder(args.data, args.out, text_col=args.text_column, hidden_size=args.hidden_size,
                            num_layers=args.layers, num_heads=args.heads, max_length=args.max_length,
                            epochs=args.epochs, max_steps=args.max_steps, lr=args.lr, batch_size=args.batch_size,
                            seed=args.seed, device=args.device)
    print(f"cxnlp: encoder written to {args.out} ({meta['steps']} steps, held-out masked-token accuracy "
          f"{meta['held_out_accuracy']})", file=sys.stderr)


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "analyze": run_analyze,
    "train": run_train,
    "evaluate": run_evaluate,
    "pretrain": run_pretrain,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        COMMANDS[args.command](args)
    except CxnlpError as e:
        print(f"cxnlp: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `cxnlp analyze ... | head`
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
