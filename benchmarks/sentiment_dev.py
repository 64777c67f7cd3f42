"""Sentiment on the dev splits: shipped model vs TF-IDF+LR baseline vs SnowNLP and cnsenti, speed, OOD set.

    .venv/bin/python benchmarks/sentiment_dev.py            # from the repository root

Writes benchmarks/results/sentiment_dev.json and .md. One core: BLAS threads are pinned to 1.
The baseline is the data README's: TF-IDF character 1-3-grams + logistic regression, trained
per corpus on its train split (scikit-learn defaults otherwise). SnowNLP and cnsenti are the
tools people use today (``pip install -e ".[bench]"``): SnowNLP says positive iff its score > 0.5;
cnsenti (a dictionary count with degree and negation words) iff its positive weight exceeds its
negative weight, so a text with neither (a tie) counts as negative; the tie rate is reported.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import json  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ISSUE_JIEBA_DOCS_PER_S, analysed, bare_jieba, in_turns  # noqa: E402

from cxnlp.data import SENTIMENT_CORPORA, data_file  # noqa: E402
from cxnlp.pipeline import Pipeline  # noqa: E402
from cxnlp.segment import Segmenter  # noqa: E402
from cxnlp.sentiment import SentimentClassifier  # noqa: E402
from cxnlp.sentiment.evaluate import binary_metrics  # noqa: E402
from cxnlp.sentiment.train import library_versions  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "models" / "default" / "sentiment"
RESULTS = ROOT / "benchmarks" / "results"
DATA = ROOT / "benchmarks" / "data"
#: Hand-written sets beyond the corpora: (result key, file, title, rows listed). Each customer-service set was
#: committed before it was first scored; the title says when its misses were read (after which its score is no
#: held-out figure). A set whose misses are still unread lists no rows, so that it stays a held-out check.
HAND_WRITTEN: tuple[tuple[str, str, str, bool], ...] = (
    ("ood", "ood_sentiment.csv", "Out-of-domain hand-written set: electronics, cars, telecom, banking, software", True),
    ("cx_service", "cx_service_sentiment.csv",
     "Customer-service feedback, hand-written set 1: problems handled well or badly; 0.7955 when first scored, "
     "before its errors shaped the resolution rule", True),
    ("cx_service_held_out", "cx_service_sentiment_2.csv",
     "Customer-service feedback, hand-written set 2: committed before the resolution rule saw it, 0.50 without "
     "the rule; read since", True),
    ("cx_service_held_out_2", "cx_service_sentiment_3.csv",
     "Customer-service feedback, hand-written set 3: written after the resolution rule, 0.600 when first scored; "
     "its misses were read on 2026-12-02 (fourth session) while the rules were widened, so its gain is no "
     "held-out figure", True),
    ("cx_everyday", "cx_service_sentiment_4.csv",
     "Customer feedback, hand-written set 4: everyday praise and complaints in seven domains, 0.850 when first "
     "scored; its misses were read while the rules were widened", True),
    ("cx_everyday_held_out", "cx_service_sentiment_5.csv",
     "Customer feedback, hand-written set 5: written after the first rule widening, 0.775 when first scored (12 "
     "of 21 positives, every negative); its misses were read on 2026-12-02 (fourth session)", True),
    ("cx_feedback_6", "cx_feedback_6.csv",
     "Customer feedback, hand-written set 6: 40 sentences in seven domains (with churn-risk levels, see risk_dev), "
     "committed before the fourth session's changes; 0.600 when first scored (6 of 21 positives, 18 of 19 "
     "negatives), 0.650 after that session's first round of rules; its misses were then read", True),
    ("cx_feedback_7", "cx_feedback_7.csv",
     "Customer feedback, hand-written set 7, held out: 40 sentences in seven domains (with churn-risk levels), "
     "written in the fourth session before set 6 was read; 0.850 when first scored (13 of 19 positives, every "
     "negative), the same with the code from before that session and after the set-6 round. Its misses are "
     "unread", False),
)
ATTEMPTS = RESULTS / "sentiment_dev.attempts.json"
COMMAND = "python benchmarks/sentiment_dev.py"
SPEED_REPEATS = 3


def read(corpus: str, split: str) -> pd.DataFrame:
    return pd.read_csv(data_file("sentiment", corpus, f"{split}.csv"), dtype={"text": str}, keep_default_na=False)


def metrics(labels: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    return {k: round(v, 4) for k, v in binary_metrics(labels, predicted.astype(np.int64)).items()}


def expected_calibration_error(scores: np.ndarray, labels: np.ndarray, bins: int = 10) -> float:
    index = np.minimum((scores * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = index == b
        if mask.any():
            total += mask.mean() * abs(scores[mask].mean() - labels[mask].mean())
    return round(float(total), 4)


def baseline(train: pd.DataFrame, dev: pd.DataFrame) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
    model = LogisticRegression(max_iter=1000).fit(vectorizer.fit_transform(train["text"]), train["label"].astype(int))
    return model.predict(vectorizer.transform(dev["text"]))


def timed(predict: Callable[[str], bool], texts: list[str]) -> tuple[np.ndarray, float]:
    """``predict`` (True = positive) of each text, and the docs/s it ran at."""
    started = time.perf_counter()
    predicted = np.array([predict(t) for t in texts])
    return predicted, len(texts) / (time.perf_counter() - started)


def snownlp_predictor() -> Callable[[str], bool]:
    from snownlp import SnowNLP

    return lambda t: SnowNLP(t).sentiments > 0.5 if t.strip() else True


def cnsenti_scorer() -> Callable[[str], float]:
    """cnsenti's positive minus negative weight (it loads its words into jieba's global dictionary,
    which cxnlp's own Segmenter never reads)."""
    from cnsenti import Sentiment

    model = Sentiment()

    def score(text: str) -> float:
        counts = model.sentiment_calculate(text) if text.strip() else {"pos": 0, "neg": 0}
        return float(counts["pos"] - counts["neg"])

    return score


def tool_metrics(labels: np.ndarray, texts: list[str], snownlp: Callable[[str], bool],
                 cnsenti: Callable[[str], float]) -> dict[str, Any]:
    """Accuracy, macro-F1 and docs/s of SnowNLP and cnsenti (with its tie rate) on ``texts``."""
    snow_pred, snow_speed = timed(snownlp, texts)
    margins, cn_speed = timed(cnsenti, texts)
    return {"snownlp": {**metrics(labels, snow_pred), "docs_per_s": round(snow_speed)},
            "cnsenti": {**metrics(labels, margins > 0), "tie_rate": round(float(np.mean(margins == 0)), 4),
                        "docs_per_s": round(cn_speed)}}


def speed(stage: SentimentClassifier, texts: list[str]) -> dict[str, float]:
    """Docs/s of segmentation alone and of segmentation + sentiment, taking turns with bare jieba.lcut
    every 256 texts (``in_turns``, SPEED_REPEATS rounds, best round), and the latter relative to jieba."""
    segmenter = Segmenter()
    measured = in_turns({"jieba": bare_jieba(), "segment": analysed(Pipeline([segmenter])),
                         "segment + sentiment": analysed(Pipeline([segmenter, stage]))}, texts, rounds=SPEED_REPEATS)
    return {"jieba_lcut_docs_per_s": round(measured["jieba"]["docs_per_s"]),
            "segment_only_docs_per_s": round(measured["segment"]["docs_per_s"]),
            "segment_plus_sentiment_docs_per_s": round(measured["segment + sentiment"]["docs_per_s"]),
            "segment_plus_sentiment_per_jieba": measured["segment + sentiment"]["per_first"]}


def hand_written_set(path: Path, nlp: Pipeline, snownlp: Any, cnsenti: Any, listed: bool = True) -> dict[str, Any]:
    """Accuracy (positive iff score >= 0.5) on a ``text,label,domain`` file, overall, by domain and for the tools;
    its rows only when ``listed``."""
    frame = pd.read_csv(path)
    scores = np.array([d.sentiment.score for d in nlp.pipe(frame["text"].tolist())])
    frame["score"] = scores.round(3)
    frame["correct"] = (scores >= 0.5) == (frame["label"] == 1)
    tools = tool_metrics(frame["label"].to_numpy(), frame["text"].tolist(), snownlp, cnsenti)
    return {"n": len(frame), "accuracy": round(float(frame["correct"].mean()), 4),
            "by_label": {int(k): round(float(v), 4) for k, v in frame.groupby("label")["correct"].mean().items()},
            "by_domain": {k: round(float(v), 4) for k, v in frame.groupby("domain")["correct"].mean().items()},
            **{tool: m["accuracy"] for tool, m in tools.items()},
            "rows": frame[["text", "label", "domain", "score", "correct"]].to_dict("records") if listed else []}


def hand_written_lines(title: str, r: dict[str, Any]) -> list[str]:
    """The markdown section of one :func:`hand_written_set` result."""
    return ["", f"## {title} ({r['n']} sentences)", "",
            f"Accuracy **{r['accuracy']:.4f}** (positives {r['by_label'][1]:.3f}, negatives {r['by_label'][0]:.3f}); "
            "by domain: " + ", ".join(f"{k} {v:.3f}" for k, v in r["by_domain"].items())
            + f". SnowNLP {r['snownlp']:.4f}, cnsenti {r['cnsenti']:.4f} on the same sentences.",
            *(["", "| text | label | domain | score | correct |", "|---|---|---|---|---|"] if r["rows"] else
              ["", "Rows not listed: a held-out set."]),
            *(f"| {row['text']} | {row['label']} | {row['domain']} | {row['score']} | "
              f"{'yes' if row['correct'] else '**no**'} |" for row in r["rows"])]


def main() -> int:
    stage = SentimentClassifier.from_dir(MODEL)
    nlp = Pipeline([Segmenter(), stage])
    snownlp, cnsenti = snownlp_predictor(), cnsenti_scorer()
    corpora: dict[str, Any] = {}
    for corpus in SENTIMENT_CORPORA:
        train, dev = read(corpus, "train"), read(corpus, "dev")
        labels = dev["label"].astype(int).to_numpy()
        docs = list(nlp.pipe(dev["text"].tolist()))
        scores = np.array([d.sentiment.score for d in docs])
        neutral = np.mean([d.sentiment.label == "neutral" for d in docs])
        correct = int(np.sum((scores >= 0.5) == labels))
        corpora[corpus] = {
            "n": len(dev),
            "shipped": {**metrics(labels, scores >= 0.5), "correct": correct,
                        "meets_target": correct / len(dev) >= TARGETS[corpus],
                        "ece": expected_calibration_error(scores, labels), "neutral_rate": round(float(neutral), 4)},
            "tfidf_char13_lr": metrics(labels, baseline(train, dev)),
            **tool_metrics(labels, dev["text"].tolist(), snownlp, cnsenti),
        }
        print(corpus, json.dumps(corpora[corpus]), flush=True)
    shopping = read("online_shopping_10_cats", "dev")["text"].tolist()
    result = {
        "task": "sentiment", "command": COMMAND, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} cores (1 used), {platform.system()}",
        "versions": {**library_versions(), "snownlp": _version("snownlp"), "cnsenti": _version("cnsenti")},
        "model": str(MODEL.relative_to(ROOT)), "model_seed": stage.meta().get("seed"),
        "neutral_band": list(stage.rule.neutral_band),
        "corpora": corpora,
        "beats_baseline_everywhere": all(
            c["shipped"]["accuracy"] > c["tfidf_char13_lr"]["accuracy"] for c in corpora.values()),
        "speed_shopping_dev": {"n": len(shopping), **speed(stage, shopping)},
        **{key: hand_written_set(DATA / name, nlp, snownlp, cnsenti, listed)
           for key, name, _, listed in HAND_WRITTEN},
        "attempts": json.loads(ATTEMPTS.read_text(encoding="utf-8")) if ATTEMPTS.is_file() else None,
        "exploratory": [{"run": n, "waimai_10k": w, "hotel_htl_all": h, "online_shopping_10_cats": s}
                        for n, w, h, s in EXPLORATORY],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "sentiment_dev.json").write_text(json.dumps(result, ensure_ascii=False, indent=2, default=_plain) + "\n",
                                                encoding="utf-8")
    (RESULTS / "sentiment_dev.md").write_text(markdown(result), encoding="utf-8")
    print(json.dumps({k: result[k] for k in ("beats_baseline_everywhere", "speed_shopping_dev")}), result["ood"]["accuracy"])
    return 0


def _plain(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else str(value)


def _version(name: str) -> str:
    import importlib.metadata as md

    try:
        return md.version(name)
    except md.PackageNotFoundError:
        return "not installed"


#: Exploratory dev runs made with throw-away scripts while building the model (not re-run by
#: models/train_sentiment.py): (what, waimai, hotel, shopping). Pooled training, uncalibrated.
EXPLORATORY: list[tuple[str, float, float, float]] = [
    ("negation + contrast features, C=32 (TF-IDF LR only)", 0.9009, 0.9040, 0.9405),
    ("domain adaptation using the true corpus at dev time (oracle) instead of the domain classifier, "
     "TF-IDF LR, C=4", 0.9099, 0.9079, 0.9412),
    ("the same with the domain classifier's probabilities", 0.9099, 0.9118, 0.9413),
    ("shipped config, domain-specific block scaled x2 (weaker L2 on domain weights)", 0.9063, 0.9144, 0.9448),
    ("shipped config, domain-specific block scaled x0.5 (stronger L2 on domain weights)", 0.9045, 0.9170, 0.9451),
    ("shipped config with C=2", 0.9090, 0.9170, 0.9451),
    ("shipped config with min_df=1 (2.0M features)", 0.9027, 0.9196, 0.9448),
    ("per-corpus threshold on the previous shipped (linear) score (best of 0.40-0.60 on dev per corpus: 0.40 / 0.55 / 0.55; "
     "needs the corpus at inference, not shipped)", 0.9072, 0.9261, 0.9462),
    ("MLP alone: 32 ReLU units over the shipped TF-IDF features (torch, 1 epoch, feature dropout 0.1)",
     0.9117, 0.9027, 0.9432),
    ("previous shipped (linear) model + 0.25 x that MLP's logit", 0.9063, 0.9170, 0.9465),
    ("previous shipped (linear) model + 1.0 x mean logit of 4 such MLPs (seeds 0-3)", 0.9072, 0.9118, 0.9461),
    ("char CNN alone: 48-dim char embeddings, 128 width-3 filters, max-pool (torch, 4 epochs, seed 0)",
     0.8973, 0.9053, 0.9250),
    ("previous shipped (linear) model + 0.5 x that CNN's logit (seed 0 / seed 2 / seed 3: mean of the three runs)",
     0.9102, 0.9200, 0.9434),
    ("previous shipped (linear) model + 0.25 x char CNN logit, 5 epochs (seed 2 / seed 3: mean of the two runs)",
     0.9068, 0.9255, 0.9452),
    ("previous shipped (linear) model + 0.5 x larger char CNN (64-dim, 256 filters, 3 epochs)", 0.9099, 0.9235, 0.9451),
    ("now shipped: calibrated linear model + 0.25 x char CNN (5 epochs, seed 0) trained inside "
     "SentimentClassifier on normalised text (`python models/train_sentiment.py`)", 0.9072, 0.9248, 0.9450),
    ("word CNN alone (issue 3): Segmenter words, 100-dim PPMI + SVD word vectors pretrained on the train texts + "
     "ASTE train texts (85k docs, 30k words), negation-flag embedding, 128 width-3 filters, 4 epochs, seed 0",
     0.9018, 0.8898, 0.9302),
    ("shipped model + 0.35 x that word CNN's logit (weight chosen on a held-out tenth of the train splits: "
     "best mean held-out accuracy 0.9340 vs 0.9330 without; held-out log loss rises with any weight)",
     0.9135, 0.9248, 0.9459),
    ("word CNN alone, 2 epochs", 0.9063, 0.8936, 0.9334),
    ("shipped model + 0.05 x the 2-epoch word CNN (held-out choice)", 0.9081, 0.9222, 0.9454),
    ("word CNN alone, random initialisation instead of the pretrained vectors (ablation)", 0.8919, 0.8859, 0.9269),
    ("shipped model + random-init word CNN: the held-out tenth chooses weight 0 (= shipped; "
     "at 0.5: 0.9099 / 0.9183 / 0.9434)", 0.9072, 0.9248, 0.9450),
    ("shipped configuration retrained today (`python models/train_sentiment.py --out DIR`): the segmenter has "
     "changed since the shipped weights were trained", 0.9054, 0.9235, 0.9453),
    ("word CNN ensemble in SentimentClassifier(word_cnn=...) (`python models/train_sentiment.py --word-cnn --out DIR`, "
     "10.9 MB model): the same configuration retrained + 0.5 x word CNN, weight chosen on the held-out tenth "
     "(mean held-out accuracy 0.9372 vs 0.9330 at 0); not shipped: hotel falls 0.0039 below the shipped model, "
     "OOD set 0.9412 vs 0.9559; ~2,100 vs ~2,500 docs/s measured side by side", 0.9153, 0.9209, 0.9472),
    ("its word CNN alone", 0.9000, 0.8703, 0.9261),
    ("the same word CNN ensemble trained again by the same script and seed, with torch on 2 threads (the held-out "
     "tenth again chose weight 0.5; OOD set 0.9559): the gain over the shipped model is within run-to-run "
     "variation, so it stays unshipped", 0.9144, 0.9144, 0.9467),
    ("shipped model + 0.5 x its word CNN", 0.9162, 0.9170, 0.9464),
    ("self-training: the shipped model labels the ASTE restaurant train texts, the confident ones (p >= 0.9 or "
     "<= 0.1: 10,461 of 19,485, 80% positive) join the waimai train corpus, shipped configuration retrained; "
     "not shipped: hotel falls 0.0026", 0.9108, 0.9222, 0.9459),
    ("2026-12-01 (throw-away scripts, shipped linear + char CNN logits on dev cached; each line adds the named "
     "member to them): char CNN retrained alone reproduces the shipped one exactly", 0.9072, 0.9248, 0.9450),
    ("long texts (21% of hotel dev texts exceed the char CNN's 160 characters): char CNN on the first third + "
     "last two thirds of 160 characters instead of the first 160, in place of the shipped char CNN", 0.9099, 0.9157, 0.9443),
    ("char CNN over the first 400 characters, in place of the shipped char CNN", 0.9081, 0.9170, 0.9442),
    ("shipped model + 0.25 x word CNN (first 100 words, seed 0)", 0.9135, 0.9261, 0.9478),
    ("shipped model + 0.25 x word CNN on the first third + last two thirds of 100 words", 0.9126, 0.9183, 0.9481),
    ("shipped model + 0.25 x word CNN over the first 250 words", 0.9135, 0.9196, 0.9472),
    ("shipped model + 0.25 x word CNN, mean over seeds 0-3 of the single-seed results (waimai 0.9135 / 0.9135 / "
     "0.9108 / 0.9090, hotel 0.9261 / 0.9196 / 0.9274 / 0.9170)", 0.9117, 0.9225, 0.9474),
    ("shipped model + 0.25 x mean logit of those four word CNNs (seed bagging; at 0.35: 0.9144 / 0.9209 / 0.9478)",
     0.9126, 0.9261, 0.9486),
    ("shipped model + 0.25 x word CNN trained with corpus-balanced loss weights ((N / N_corpus) ** 0.5)",
     0.9126, 0.9209, 0.9484),
    ("shipped model + 0.25 x mean logit of four word CNNs trained with torch on 1 thread (teachers)",
     0.9117, 0.9235, 0.9488),
    ("shipped model + 0.25 x one word CNN distilled from them (targets 0.5 x label + 0.5 x teachers' probability; "
     "one model's inference cost). Across all these, waimai peaks at 0.9144 (1,015 of 1,110; the target needs "
     "1,016): most of its ~96 errors are positive-labelled texts that read as complaints (慢,一次比一次慢,再也不定了), "
     "so no combination is shipped", 0.9099, 0.9248, 0.9483),
    ("2026-12-01 evening: the shipped configuration retrained on the current segmenter (`python "
     "models/train_sentiment.py`; the segmenter and its dictionary changed after the previous weights were "
     "trained): better on all three dev splits (+3 / +1 / +7 documents), OOD set 0.9412 (64 of 68; one sentence "
     "moves from 0.511 to 0.481). Now shipped; the rows above that say 'shipped model' mean the previous weights",
     0.9099, 0.9261, 0.9461),
    ("the same + the ASTE restaurant train sentences whose gold triplets are all positive (12,364) or all "
     "negative (2,417) as labelled text of a fourth domain: not adopted", 0.9108, 0.9235, 0.9451),
    ("the same ASTE sentences in the waimai domain instead: not adopted", 0.9108, 0.9222, 0.9446),
    ("shipped configuration with CX topic nouns (客服, 售后, 退货, 退款, 快递, 物流, 配送, 骑手, 扣费, 账单, 话费, 系统, 前台, "
     "商家 …) masked in training and inference, so that naming a service is no evidence of a complaint: OOD set 0.956; "
     "of 7 hand-written positive CX texts the shipped model scores negative, 2 turn positive (客服系统的快捷回复太好用了 "
     "0.17 -> 0.55); not adopted yet (hotel -3 documents, no dev gain)", 0.9099, 0.9222, 0.9461),
    ("2026-12-02: the word CNN ensemble retrained on the current segmenter (`python models/train_sentiment.py "
     "--word-cnn --out DIR`, 489 s): the held-out tenth of the train splits chose weight 0.7 (mean held-out accuracy "
     "0.9380 vs 0.9355 at 0); OOD set 0.9412; not adopted (hotel falls below its target)", 0.9108, 0.9157, 0.9464),
    ("the same model with the word CNN's weight swept on dev instead (0.1 / 0.25 / 0.4 / 1.0: waimai 1,013 / 1,014 / "
     "1,012 / 1,010 correct, hotel 711 / 711 / 711 / 705): waimai never reaches the 1,016 its target needs; "
     "row at 0.25", 0.9135, 0.9222, 0.9489),
    ("linear model only (LINEAR, uncalibrated, no CNN) retrained today, the baseline of the next row: OOD set 0.9412, "
     "customer-service set 0.7727", 0.9072, 0.9196, 0.9451),
    ("the same + features of the words of the last clause (where feedback often gives its verdict: 很负责, 点赞): "
     "OOD set 0.9412, customer-service set 0.7727; not adopted", 0.9063, 0.9183, 0.9446),
    ("shipped model with the resolution rule widened after reading the errors of customer-service sets 1 and 2 (改好, "
     "重开, 取出来, 给我换了, 给我退了, 退了差价, 赔了, 补偿; 直接 / 免费 / 全部 / 按价 as promptness; 二话不说 no negation): "
     "customer-service sets 0.886 / 0.725 / 0.725 (shipped rule 0.886 / 0.700 / 0.600), no negative fired; covers 28 "
     "review train texts, 20 labelled positive (shipped rule 25 / 19). Not adopted: one shopping dev text more wrong, "
     "and the words were chosen just after set 3 was written, so set 3 is no fair test of them", 0.9108, 0.9261, 0.9459),
    ("2026-12-02, fifth session (labelled customer feedback as training data, the step the rule rounds pointed to): "
     "the shipped configuration retrained on today's segmenter, the baseline of the next two rows (hand-written sets "
     "scored as in this file, score >= 0.5 after the rules: held-out feedback set 7 0.825, OOD set 0.956)",
     0.9090, 0.9248, 0.9448),
    ("the same + the 244 sentences of the six read hand-written customer-feedback sets (cx_service_sentiment 1-5, "
     "cx_feedback_6) as a fourth domain: held-out set 7 0.825 -> 0.950 (12 -> 17 of 19 positives, every negative), "
     "but OOD set 0.956 -> 0.941 with two clear complaints turned positive (同步经常出错，文件都丢了 0.47 -> 0.52, "
     "新版本bug太多，还不如以前的版本好用 0.35 -> 0.501): the small set teaches the model to discount problem words "
     "in service text rather than to read a fix. Not adopted", 0.9081, 0.9235, 0.9448),
    ("the same with those 244 sentences repeated 5 times: set 7 0.925, OOD set 0.926 (同步经常出错，文件都丢了 0.47 -> "
     "0.63). Not adopted. Set 7's aggregate score was read for these three models only (no rows)", 0.9099, 0.9261, 0.9462),
]

TARGETS = {"waimai_10k": 0.915, "hotel_htl_all": 0.92, "online_shopping_10_cats": 0.945}


def markdown(r: dict[str, Any]) -> str:
    lines = [
        "# Sentiment: dev-split results", "",
        f"Command: `{r['command']}` (from the repository root) · {r['date']} · {r['machine']}", "",
        f"Versions: {', '.join(f'{k} {v}' for k, v in r['versions'].items())} · model `{r['model']}` (seed {r['model_seed']})",
        "", "## Accuracy / macro-F1 on dev (binary: positive iff score >= 0.5)", "",
        "| corpus | n | shipped acc | correct | shipped F1 | target | met | TF-IDF char1-3 + LR acc | F1 | ECE | neutral rate |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for corpus, c in r["corpora"].items():
        s, b = c["shipped"], c["tfidf_char13_lr"]
        lines.append(f"| {corpus} | {c['n']} | **{s['accuracy']:.4f}** | {s['correct']} | {s['macro_f1']:.4f} | "
                     f"{TARGETS[corpus]} | {'yes' if s['meets_target'] else '**no**'} | {b['accuracy']:.4f} | "
                     f"{b['macro_f1']:.4f} | {s['ece']} | {s['neutral_rate']} |")
    lines += ["", "Met: correct / n >= target, unrounded.", "",
              "Tools people use today, same dev texts (SnowNLP: positive iff score > 0.5; cnsenti: iff its positive "
              "weight exceeds its negative weight, a tie counting as negative):", "",
              "| corpus | SnowNLP acc | F1 | docs/s | cnsenti acc | F1 | ties | docs/s |", "|---|---|---|---|---|---|---|---|"]
    for corpus, c in r["corpora"].items():
        n, k = c["snownlp"], c["cnsenti"]
        lines.append(f"| {corpus} | {n['accuracy']:.4f} | {n['macro_f1']:.4f} | {n['docs_per_s']} | "
                     f"{k['accuracy']:.4f} | {k['macro_f1']:.4f} | {k['tie_rate']} | {k['docs_per_s']} |")
    sp = r["speed_shopping_dev"]
    lines += [
        "", f"Shipped model beats the baseline on every corpus: **{r['beats_baseline_everywhere']}**. "
        f"Neutral rate: share labelled neutral by the band {r['neutral_band']} or the no-opinion rule (not used for accuracy).",
        "", f"## Speed (shopping dev texts, one core, warm; each run takes turns with the others every 256 texts, best of {SPEED_REPEATS} rounds)", "",
        f"- segmentation only: {sp['segment_only_docs_per_s']} docs/s",
        f"- segmentation + sentiment: **{sp['segment_plus_sentiment_docs_per_s']} docs/s** ({sp['n']} docs)",
    ]
    if sp.get("segment_plus_sentiment_per_jieba"):  # the VM's speed varies by the hour: the aspects issue's calibration
        relative = sp["segment_plus_sentiment_per_jieba"]
        lines += [f"- bare jieba.lcut on the same texts: {sp['jieba_lcut_docs_per_s']} docs/s; segmentation + sentiment "
                  f"ran at {relative} times its speed (median over rounds of the ratio within a round), so at about "
                  f"{relative * ISSUE_JIEBA_DOCS_PER_S:,.0f} docs/s on the machine the issues were measured on "
                  f"(jieba.lcut {ISSUE_JIEBA_DOCS_PER_S:,} docs/s there; a calibration, not a measurement)"]
    for key, name, title, _ in HAND_WRITTEN:
        lines += hand_written_lines(f"{title} (`benchmarks/data/{name}`)", r[key])
    attempts = r.get("attempts")
    if attempts:
        lines += ["", f"## Attempts (dev accuracy; `{attempts['command']}`, seed {attempts['seed']}, {attempts['date']})", "",
                  "All pooled over the three train splits, uncalibrated, linear only; the shipped model adds Platt "
                  "calibration (which does not change accuracy at 0.5 much) and a char CNN (see the exploratory runs).",
                  "",
                  "| attempt | waimai | hotel | shopping | mean | vocab | train s |", "|---|---|---|---|---|---|---|"]
        for a in attempts["attempts"]:
            d = a["dev"]
            lines.append(f"| {a['attempt']} | {d['waimai_10k']['accuracy']:.4f} | {d['hotel_htl_all']['accuracy']:.4f} | "
                         f"{d['online_shopping_10_cats']['accuracy']:.4f} | {d['mean_accuracy']:.4f} | "
                         f"{a['vocab_size']:,} | {a['train_seconds']} |")
    lines += ["", "Exploratory runs (throw-away scripts, not re-run by the training script; same data and seed):", "",
              "| run | waimai | hotel | shopping | mean |", "|---|---|---|---|---|"]
    lines += [f"| {name} | {w:.4f} | {h:.4f} | {s:.4f} | {(w + h + s) / 3:.4f} |" for name, w, h, s in EXPLORATORY]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
