"""Aspect · opinion · polarity extraction on the shared dev split, and full-pipeline speed.

    .venv/bin/python benchmarks/aspects_dev.py            # from the repository root

Measures, on shared/data/aspects/zh_restaurant_aste/dev.jsonl:
  * the shipped model (models/default/aspects, mode "model": learned model + lexicon fallback),
  * the same model without the lexicon fallback (mode "model_only"),
  * the plain lexicon baseline (mode "lexicon": the lexicon path alone),
with every metric of cxnlp.aspects.evaluate and an error analysis by class; then the speed of
the full default pipeline (segment + sentiment + aspects) in documents/s on one core over the
texts of shared/data/sentiment/online_shopping_10_cats/dev.csv (wall clock and process CPU time),
taking turns every 256 texts with bare jieba.lcut, by whose speed each figure is scaled to the issue's
machine; and the tags of the default pipeline on the hand-written
customer-feedback sets benchmarks/data/cx_aspects_*.csv.
Writes benchmarks/results/aspects_dev.json and benchmarks/results/aspects_dev.md.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import csv  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ISSUE_JIEBA_DOCS_PER_S, analysed, bare_jieba, in_turns, versions, write_results  # noqa: E402

from cxnlp.aspects import AspectExtractor  # noqa: E402
from cxnlp.aspects.evaluate import error_classes, evaluate_aspects, gold_triplets  # noqa: E402
from cxnlp.aspects.train import read_triplet_data  # noqa: E402
from cxnlp.data import data_file  # noqa: E402
from cxnlp.doc import Document  # noqa: E402
from cxnlp.pipeline import PIPELINE_FILE, Pipeline, load, models_frozen  # noqa: E402
from cxnlp.segment import Segmenter  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "default" / "aspects"
TARGET_F1 = 0.46
TARGET_SPEED = 1000.0
REPEATS = 3
#: The full pipeline again with the loaded models frozen out of the garbage collector (models_frozen).
FROZEN = "full pipeline, models frozen out of the garbage collector (as `cxnlp analyze`)"
#: The issue's calibration of its machine: bare jieba.lcut on the same texts.
JIEBA = "jieba.lcut alone (the issue's reference: 5,450 docs/s on its machine)"
#: The stages the issue's speed target names (segment + aspects + sentiment): the full pipeline without risk.
WITHOUT_RISK = "segment + sentiment + aspects (the target's stages: the full pipeline without risk)"
#: Exploratory training runs (train split -> dev), exact triplet F1 of ``TripletModel.predict``
#: alone (no lexicon fallback, no document sentiment; the shipped options score 0.3179 this way).
ATTEMPTS: list[tuple[str, float]] = [
    ("options of the previous default (baseline of this table)", 0.3179),
    ("tagger SGD averaged (average=True)", 0.3143),
    ("tagger loss modified_huber instead of hinge", 0.3135),
    ("epochs 30 instead of 15", 0.3126),
    ("clause model SGD averaged (clause_average=True)", 0.3206),
    ("clause model also on cross-fitted tagger aspects + clause_average", 0.3228),
    ("... and the start model too (crossfit_aspects=True)", 0.3231),
    ("crossfit_aspects + clause_average, clause_alpha 1e-5 (start model not mixed)", 0.3183),
    ("crossfit_aspects + clause_average, clause_alpha 4e-5 (start model not mixed)", 0.3294),
    ("crossfit_aspects + clause_average, clause_alpha 8e-5", 0.3256),
    ("crossfit_aspects + clause_average, clause_alpha 1.6e-4", 0.3231),
    ("crossfit_aspects + clause_average, clause_alpha 4e-5 (tagger alpha 3e-5)", 0.3296),
    ("... tagger alpha 7e-6", 0.323),
    ("... tagger alpha 1e-5", 0.3255),
    ("... tagger alpha 1.5e-5 (shipped)", 0.3319),
    ("... tagger alpha 6e-5", 0.3184),
    ("shipped options + polarity_c 15 (not adopted: +0.0002)", 0.3321),
    ("shipped options + epochs 10", 0.3116),
    ("shipped options, clause model labels clauses cut before mid-clause aspects (食物不用多说了不错的|价格也适中; "
     "cut only after >= 2 non-aspect characters): not adopted", 0.3248),
    ("shipped options, polarity model also trained on 12,000 clauses of the sentiment train splits labelled by the "
     "shipped sentiment model (p >= 0.9 or <= 0.1, agreeing with the review label): not adopted, no gain on the "
     "out-of-domain sentences once the lexicon/vote polarity rules were in", 0.3309),
    ("... the same with 44,000 such clauses: not adopted", 0.3275),
    ("a different model: BiLSTM character tagger (torch; char, jieba-word-position, lexical-class and hashed-word "
     "embeddings; 128 units a direction; 10 epochs) with one tag per character for aspects and for opinions with "
     "their polarity (the transformer backend's scheme), paired by the same rules (overlap F1 0.529)", 0.2753),
    ("... a dilated CNN in its place (4 layers, dilations 1-2-4-1, 128 channels, 10 epochs; overlap F1 0.491)", 0.2384),
    ("hybrid: that BiLSTM's aspects fed to the shipped clause, start, pairing and polarity models (overlap F1 0.577, "
     "aspect F1 0.625): the best exact F1 measured; not shipped, as inference without torch (a numpy LSTM) would cost "
     "the >= 1,000 docs/s pipeline target; the next step to build", 0.3423),
    ("2026-12-02, with the lexicon fallback (mode=model; this row and the next): the shipped options retrained on "
     "today's segmenter and lexicon (baseline of the next row; CX tag sets 1 / 2 sentence accuracy 0.875 / 0.729, "
     "shipped model 0.854 / 0.708)", 0.3165),
    ("... + 2,510 silver sentences: sentiment-train reviews of 6-60 characters whose lexicon-path opinions all agree "
     "with the review's label (1,346 waimai, 266 hotel, 898 shopping), as extra triplets for every model part; CX "
     "sets 1 / 2: 0.771 / 0.688. Not adopted: worse on both the restaurant dev split and customer feedback", 0.3036),
    ("2026-12-02, model alone again: the shipped options retrained on today's lexicon (baseline of the next row)", 0.3321),
    ("... + word-cluster features for the tagger (the covering, previous and next word's cluster: 300 k-means "
     "clusters of 100-dim PPMI + SVD vectors of the 20,987 words seen 5+ times in the 85,463 sentiment and ASTE "
     "train texts). With the fallback 0.3183 vs 0.3154; CX sets 1 / 2: 0.896 / 0.688 vs 0.854 / 0.729. Not "
     "adopted: within noise, for a new model file and feature path", 0.3344),
    ("2026-12-02, fifth session, model alone: the shipped options retrained on today's lexicon (baseline of the "
     "next row; the shipped weights score 0.3334 this way)", 0.3310),
    ("... + start-model features placing each candidate start relative to the modifiers of the clause's first "
     "opinion word (words from the candidate to 很 of 很干净, by the lexicon; 62% of the inexact opinion spans "
     "differ only in their start): the same F1 (1,664 correct either way). Not adopted", 0.3310),
    ("shipped model with the lexicon fallback (mode=model) kept to clauses the clause model is not sure are empty "
     "(P(O) < 0.99 / 0.95 / 0.9): 0.3230 / 0.3260 / 0.3275 instead of 0.3191, but CX tag sets 1-4 lose 0-1 / 1-3 / "
     "3-4 sentences a set (the restaurant model is as sure on customer feedback as on restaurant text). Not adopted; "
     "row at 0.99", 0.3230),
]


def score(extractor: AspectExtractor, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """All metrics plus error classes of one extractor on the dev rows."""
    metrics = evaluate_aspects(rows, extractor)
    segmenter = Segmenter()
    docs = [Document(r["text"]) for r in rows]
    segmenter.process(docs)
    extractor.process(docs)
    pred = [[(o.aspect_span, o.opinion_span, o.polarity) for o in d.opinions] for d in docs]
    metrics["errors"] = error_classes([gold_triplets(r) for r in rows], pred)
    return metrics


def gold_aspect_oracle(extractor: AspectExtractor, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The learned model with the gold aspect spans in place of its tagger (no lexicon fallback):
    how much of the gap is the aspect tagger's."""
    from cxnlp.aspects.evaluate import METRIC_NAMES, triplet_scores

    assert extractor.model_ is not None
    segmenter = Segmenter()
    docs = [Document(r["text"]) for r in rows]
    segmenter.process(docs)
    units = [(d.norm, [(t.start, t.end, d.norm[t.start:t.end]) for t in d.tokens]) for d in docs]
    gold = [gold_triplets(r) for r in rows]
    known = [sorted({a for a, _, _ in g if a is not None}) for g in gold]
    pred = [[(a, o, p) for a, o, p, _ in doc] for doc in extractor.model_.predict(units, aspects=known)]
    scores = triplet_scores(gold, pred)
    out: dict[str, Any] = {name: round(scores[key]["f1"], 4) for key, name in METRIC_NAMES.items()}
    out["errors"] = error_classes(gold, pred)
    return out


#: Hand-written customer feedback with the tags expected (see :func:`cx_tags`): each set with how it
#: scored the first time, before any change was made with its errors in view, its story, and whether its
#: misses have been read (those of an unread set are not listed, so that it stays a held-out check).
CX_SETS: list[tuple[str, dict[str, float], str, bool]] = [
    ("cx_aspects_1.csv", {"sentence_accuracy": 0.6458, "tag_recall": 0.7973, "tag_precision": 0.9138},
     "written and committed before it was scored (65b6953); its misses were then read while the lexicon was "
     "widened, so this run's score is no held-out figure. Its expected lists are unchanged: a few scored misses "
     "are right tags they left out (包装送人面子, 审批材料交了三次) or a right tag under another key word (营业厅排队 "
     "for 负:小时)", True),
    ("cx_aspects_2.csv", {"sentence_accuracy": 0.5208, "tag_recall": 0.68, "tag_precision": 0.8431},
     "written after those lexicon changes and committed before it was scored (e0599bf): the same score with and "
     "without them, so they did not carry over to new text; the misses are a long tail of words the lexicon "
     "lacked (弱, 烦, 疼, 线头, 不一致, 看不懂) and readings the restaurant model gets wrong (垃圾 as an insult in "
     "帮忙把垃圾带下去了, 存款利率低 as praise). Those words were then added (and 垃圾 of 把垃圾, 垃圾桶 made no "
     "opinion), so this run's score is no held-out figure either", True),
    ("cx_aspects_3.csv", {"sentence_accuracy": 0.7083, "tag_recall": 0.8133, "tag_precision": 0.9231},
     "written after the set-1 and set-2 changes and committed before it was scored (6bf81fa); without those "
     "changes (the code of 4e2e70f) it scores 0.6875 / 0.7867 / 0.9038, so they carry over a little (one "
     "sentence, two tags of 75). Its misses were read on 2026-12-02 (fourth session) while the lexicon was "
     "widened, so this run's score is no held-out figure", True),
    ("cx_aspects_4.csv", {"sentence_accuracy": 0.75, "tag_recall": 0.8243, "tag_precision": 0.9322},
     "written and committed (af3b35b) before the fourth session of 2026-12-02 changed anything; the same score "
     "after that session's set-3 lexicon words and 154 mined opinion words, so they did not carry over to it. Its "
     "misses were then read and the lexicon widened, so this run's score is no held-out figure", True),
    ("cx_aspects_5.csv", {"sentence_accuracy": 0.7708, "tag_recall": 0.8571, "tag_precision": 0.8868},
     "written and committed (4bd5d20) in the fourth session, before set 4 was read; the code from before that "
     "session (af3b35b) scores it the same, and so did the code after the set-4 round: none of the session's "
     "changes carried over to it. Its misses have not been read: a held-out check for the next changes", False),
]
POLARITY_MARKS = {"正": "positive", "负": "negative", "中": "neutral"}


def cx_tags(nlp: Pipeline, path: Path) -> dict[str, Any]:
    """Tags of the full pipeline on hand-written customer feedback. Each expected tag is a polarity
    mark and a key word (``负:慢``); it is found when an opinion has that polarity and the key word in
    its phrase or opinion text. An opinion is right when it matches an expected tag; a sentence is
    right when every expected tag is found and every opinion is right."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    found = expected = right = predicted = whole = 0
    table = []
    for row, doc in zip(rows, nlp.pipe([r["text"] for r in rows]), strict=True):
        wanted = [(POLARITY_MARKS[mark], key) for mark, key in (item.split(":") for item in row["expected"].split("|"))]
        opinions = doc.opinions or []

        def matches(o: Any, polarity: str, key: str) -> bool:
            return o.polarity == polarity and (key in o.phrase or key in o.opinion)

        hits = sum(any(matches(o, p, k) for o in opinions) for p, k in wanted)
        good = sum(any(matches(o, p, k) for p, k in wanted) for o in opinions)
        found, expected, right, predicted = found + hits, expected + len(wanted), right + good, predicted + len(opinions)
        ok = hits == len(wanted) and good == len(opinions)
        whole += ok
        table.append({"domain": row["domain"], "text": row["text"], "expected": row["expected"],
                      "tags": doc.tags, "correct": ok})
    return {"file": str(path.relative_to(ROOT)), "n": len(rows), "sentence_accuracy": round(whole / len(rows), 4),
            "tag_recall": round(found / expected, 4), "tag_precision": round(right / predicted, 4) if predicted else 0.0,
            "expected_tags": expected, "predicted_tags": predicted, "rows": table}


def default_pipeline() -> tuple[Pipeline, str]:
    """cxnlp.load() when it lists segment, aspects and sentiment; else the same stages composed here."""
    saved = json.loads((ROOT / "models" / "default" / PIPELINE_FILE).read_text(encoding="utf-8"))
    names = {s["factory"] for s in saved.get("stages", [])}
    if {"segment", "aspects", "sentiment"} <= names:
        return load(), "cxnlp.load() (models/default/pipeline.json)"
    stages: list[Any] = [Segmenter()]
    described = ["Segmenter()"]
    sentiment_dir = ROOT / "models" / "default" / "sentiment"
    if (sentiment_dir / "config.json").is_file():
        from cxnlp.sentiment import SentimentClassifier

        stages.append(SentimentClassifier.from_dir(sentiment_dir))
        described.append("SentimentClassifier.from_dir('models/default/sentiment')")
    stages.append(AspectExtractor.from_dir(MODEL))
    described.append("AspectExtractor.from_dir('models/default/aspects')")
    return Pipeline(stages), f"Pipeline([{', '.join(described)}])"


def speeds(nlp: Pipeline, texts: list[str]) -> dict[str, dict[str, float]]:
    """Each pipeline and bare jieba.lcut, taking turns block by block (``in_turns``), REPEATS rounds;
    the frozen pipeline takes its turns with jieba inside ``models_frozen`` (the freezing is process-wide)."""
    jieba = bare_jieba()
    runs = {JIEBA: jieba, "full pipeline": analysed(nlp), "segment only": analysed(Pipeline([Segmenter()]))}
    if "risk" in nlp:
        runs[WITHOUT_RISK] = analysed(Pipeline([(n, s) for n, s in nlp.stages if n != "risk"], max_chars=nlp.max_chars))
    measured = in_turns(runs, texts, rounds=REPEATS)
    with models_frozen(nlp):  # as `cxnlp analyze` runs
        measured[FROZEN] = in_turns({JIEBA: jieba, FROZEN: analysed(nlp)}, texts, rounds=REPEATS)[FROZEN]
    return measured


def main() -> dict[str, Any]:
    rows = read_triplet_data(data_file("aspects", "zh_restaurant_aste", "dev.jsonl"))
    shipped = AspectExtractor.from_dir(MODEL)
    results = {"shipped model (mode=model)": score(shipped, rows)}
    model_only = AspectExtractor.from_dir(MODEL)
    model_only.mode = "model_only"
    results["model without lexicon fallback (mode=model_only)"] = score(model_only, rows)
    results["lexicon baseline (mode=lexicon)"] = score(AspectExtractor(mode="lexicon"), rows)
    oracle = gold_aspect_oracle(shipped, rows)

    with open(data_file("sentiment", "online_shopping_10_cats", "dev.csv"), encoding="utf-8", newline="") as f:
        texts = [r["text"] for r in csv.DictReader(f)]
    nlp, described = default_pipeline()
    measured = speeds(nlp, texts)
    cx = []
    for name, first, note, read in CX_SETS:
        scored = cx_tags(nlp, ROOT / "benchmarks" / "data" / name)
        if read:  # only the sentences still wrong; an unread set's stay out of the results files
            scored["rows"] = [r for r in scored["rows"] if not r["correct"]]
        else:
            del scored["rows"]
        cx.append({**scored, "first": first, "note": note, "read": read})
    meta = json.loads((MODEL / "meta.json").read_text(encoding="utf-8"))
    data = {
        "benchmark": "aspects_dev",
        "data": "shared/data/aspects/zh_restaurant_aste/dev.jsonl",
        "n": len(rows),
        "seed": meta.get("seed"),
        "model_meta": meta,
        "results": results,
        "oracle_gold_aspects": oracle,
        "cx_tags": cx,
        "target_triplet_f1": TARGET_F1,
        "speed": {"pipeline": described, "stages": nlp.stage_names,
                  "texts": f"shared/data/sentiment/online_shopping_10_cats/dev.csv ({len(texts)} texts, "
                           f"{sum(map(len, texts)):,} characters)",
                  "one_core": "single process, BLAS threads pinned to 1", **measured,
                  "target_docs_per_s": TARGET_SPEED},
        "versions": versions("numpy", "scikit-learn", "jieba", "opencc"),
    }
    write_results("aspects_dev", data, to_markdown(data))
    print(to_markdown(data))
    return data


def to_markdown(data: dict[str, Any]) -> str:
    keys = ("triplet_f1", "triplet_f1_overlap", "pair_f1", "aspect_f1", "opinion_f1", "docs_per_s")
    lines = ["# Aspect · opinion · polarity extraction (dev)", "",
             f"Data: `{data['data']}` ({data['n']:,} sentences). Target exact triplet F1 >= {data['target_triplet_f1']} "
             "(published RoBERTa-base figure). Metric definitions: `cxnlp.aspects.evaluate`; `docs_per_s` "
             "includes segmentation.", "",
             "| system | " + " | ".join(keys) + " |", "|---|" + "---|" * len(keys)]
    for name, r in data["results"].items():
        lines.append(f"| {name} | " + " | ".join(str(r[k]) for k in keys) + " |")
    lines += ["", "## Errors of each system by class", "",
              "Each gold triplet counts once: correct, or the first class that explains the miss "
              "(see `cxnlp.aspects.evaluate.error_classes`); `spurious` counts predictions whose opinion "
              "span overlaps no gold opinion.", ""]
    classes = list(next(iter(data["results"].values()))["errors"])
    lines += ["| system | " + " | ".join(classes) + " |", "|---|" + "---|" * len(classes)]
    for name, r in data["results"].items():
        lines.append(f"| {name} | " + " | ".join(str(r["errors"][c]) for c in classes) + " |")
    o = data["oracle_gold_aspects"]
    r = list(data["results"].values())
    fallback_cost = r[1]["triplet_f1"] - r[0]["triplet_f1"]
    lines += ["", "## Where the gap is", "",
              "Diagnostic, not a system: the shipped model with the gold aspect spans given in place of its "
              f"aspect tagger (model only) reaches exact triplet F1 {o['triplet_f1']} (overlap "
              f"{o['triplet_f1_overlap']}, pair {o['pair_f1']}, opinion {o['opinion_f1']}); errors "
              + ", ".join(f"{k} {v}" for k, v in o["errors"].items()) + ". "
              "So the aspect tagger accounts for nearly all of the distance to the 0.46 target (gold "
              "aspects also reveal which clauses the annotators considered opinions, since only aspects "
              "with an opinion are annotated): which nouns get marked depends on whether an opinion about "
              "them follows, beyond what a linear window model sees. Next come opinion-span boundaries: "
              "the loose spans start at the clause start, right after the aspect, or after fillers "
              "(也/就/都是) without a consistent rule, and sometimes run over several clauses. Polarity, "
              "pairing and implicit-aspect errors are each small. The lexicon fallback (opinions in clauses "
              f"the model leaves empty, needed for other domains) costs {fallback_cost:.3f} exact F1 here because "
              "the restaurant annotators left many complaint-like clauses unannotated."]
    lines += ["", "## Customer feedback in six domains: tags on hand-written sets", "",
              "Full default pipeline on delivery, hotel, e-commerce, telecom, software and banking feedback. Each "
              "expected tag is a polarity and a key word of the phrase (`负:慢`); an opinion is right when it matches "
              "one, a sentence when all its expected tags are found and all its opinions are right (`cx_tags` in "
              "this script). The first score of a set, taken before anything was changed with its errors in view, "
              "is its held-out figure.", "",
              "| set | sentences | first score: sentence acc. / tag recall / tag precision | this run | history |",
              "|---|---|---|---|---|"]
    for cx in data["cx_tags"]:
        first = cx["first"]
        lines.append(f"| `{cx['file']}` | {cx['n']} | {first['sentence_accuracy']} / {first['tag_recall']} / "
                     f"{first['tag_precision']} | {cx['sentence_accuracy']} / {cx['tag_recall']} / "
                     f"{cx['tag_precision']} | {cx['note']} |")
    lines += ["", "Sentences wrong in this run (sets whose misses have been read):", "",
              "| set | domain | text | expected | tags |", "|---|---|---|---|---|"]
    lines += [f"| {cx['file'].rsplit('/', 1)[-1]} | {r['domain']} | {r['text']} | {r['expected'].replace('|', ' / ')} | "
              f"{'<br>'.join(r['tags'])} |" for cx in data["cx_tags"] if cx["read"] for r in cx["rows"] if not r["correct"]]
    s = data["speed"]
    lines += ["", "## Speed", "", f"Pipeline: `{s['pipeline']}` (stages {s['stages']}), {s['one_core']}.",
              f"Texts: {s['texts']}. Target >= {s['target_docs_per_s']:,.0f} docs/s.", "",
              f"The runs take turns every 256 texts ({REPEATS} rounds after a warm-up; `in_turns` in "
              "`benchmarks/common.py`), because this VM's speed drifts within minutes. docs/s are the best round's; "
              "the speed relative to bare jieba.lcut is the median over rounds of the ratio within a round, and "
              f"scaled by jieba.lcut's speed on the issue's machine ({ISSUE_JIEBA_DOCS_PER_S:,.0f} docs/s) it "
              "gives the figure that machine would show (a calibration, not a measurement there).", "",
              "| pipeline | docs/s (wall) | docs/s (CPU) | speed / jieba.lcut's | scaled to the issue's machine |",
              "|---|---|---|---|---|"]
    for name in (JIEBA, "full pipeline", "segment only", FROZEN, WITHOUT_RISK):
        if name in s:
            row = s[name]
            relative = row.get("per_first")
            scaled = f"{relative * ISSUE_JIEBA_DOCS_PER_S:,.0f}" if relative else "-"
            lines.append(f"| {name} | {row['docs_per_s']:,} | {row['docs_per_cpu_s']:,} | {relative or '-'} | {scaled} |")
    lines += ["", "## Attempts", "", "Exploratory runs, exact triplet F1 of the learned model alone on dev "
              "(`TripletModel(...).fit(train).predict(dev)`, no lexicon fallback):", "",
              "| training change | dev triplet_f1 |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in ATTEMPTS]
    meta = data["model_meta"]
    lines += ["", "## Model", "", f"Training data: {meta.get('training_data')} — {meta.get('data_terms')}",
              f"Seed {meta.get('seed')}, options {meta.get('options')}, trained {meta.get('trained_at')} "
              f"in {meta.get('train_seconds')} s; versions {data['versions']}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
