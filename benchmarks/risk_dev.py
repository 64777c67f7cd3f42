"""Churn risk on the hand-tagged churn dev set (360 reviews): cxnlp versus the naive baseline.

    python benchmarks/risk_dev.py            # from the repository root

Reports accuracy, macro-F1, confusion matrices, high precision / recall and docs/s for
- shipped: models/default/risk, the rules below plus the text model fitted on the developers' tagged
  sample of sentiment-train reviews (models/data/risk_tags.csv; nothing fitted on this file);
- rules: the unfitted cue lexicon + hand-set prior weights, text model off;
- fitted: combiner and text model fitted on this file, scored by stratified, seeded 5-fold cross-validation;
- baseline: TF-IDF sentiment (trained on the sentiment train splits, minus any churn-dev text)
  + a regular expression of the guideline's cue words (cue -> high, negative -> medium, else low);
plus precision / recall tables for `high` at several thresholds, fold 4 alone (the fold not read
while the cue lexicon was written), the text model's 5-fold cross-validation on the tagged sample, and
how a second tagging pass over folds 0-3 agrees with this file's labels.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common import versions, write_results

from cxnlp.data import SENTIMENT_CORPORA, data_file, with_texts
from cxnlp.doc import Document, Sentiment
from cxnlp.pipeline import Pipeline
from cxnlp.risk import RiskScorer
from cxnlp.risk.evaluate import scores
from cxnlp.risk.train import analysed, cross_validate, model_dir_upstream, normalize_levels, predict_levels
from cxnlp.risk.train import load_labelled, text_threshold_table

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "models" / "default"
UNREAD_FOLD = 4
HIGH_THRESHOLDS = (0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9)
TEXT_THRESHOLDS = (None, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)
TAGS = ROOT / "models" / "data" / "risk_tags.csv"
SECOND_PASS = ROOT / "benchmarks" / "data" / "churn_dev_second_pass.csv"
#: Issue 5 (making `high` generalise), recorded by hand: rules + prior on folds 0-3, and `high` recall on
#: "fresh" samples: 105 negative sentiment-train reviews each (35 per corpus, <= 200 characters, churn-dev texts
#: removed), tagged by the guideline (by whoever made the attempts, not the churn-dev tagger) before any prediction
#: on them was looked at. A sample is fresh only for the attempt it was drawn for (before -> after); its misses
#: were then read and fed the next attempt. Folds 0-3 numbers with the upstream stages of commit a57c094.
ATTEMPTS: tuple[dict[str, Any], ...] = (
    {"attempt": "0. lexicon before issue 5", "folds_0_3": (0.911, 0.915), "fresh": "-", "fold4_looks": 0},
    {"attempt": "A. mined n-grams around 退/换/坑/骗/下次/最后/不会/谨慎/肚子 from unlabelled reviews, each pattern "
                "checked against the positive ones (不会再来 was never detected; 最后一次买X, 谁买谁X, 购买需谨慎, "
                "拉了两次肚子, 吃出铁丝, 建议携程剔除 …)",
     "folds_0_3": (0.911, 0.915), "fresh": "H1 16/25 -> 16/25; H2 24/31 -> 24/31", "fold4_looks": 0},
    {"attempt": "B. + H1's misses: 特别 read as the negation 别, 感觉有点假, 申请了赔付, 退机, 保留追究的权利, "
                "谁还敢住, 下次去住X", "folds_0_3": (0.915, 0.930), "fresh": "H2 24/31 -> 24/31", "fold4_looks": 0},
    {"attempt": "C. + H2's misses: rhetorical questions (这不是坑人吗) are assertions, 下次还是去超市买, 好的酒店多得是, "
                "被咬醒, 不会在有下次", "folds_0_3": (0.915, 0.930), "fresh": "H3 24/28 -> 24/28", "fold4_looks": 0},
    {"attempt": "D. + H3's misses: insects eaten (吃出蚊子), appeals to authorities (建议旅游局…), 下次再不X就Y is a "
                "threat", "folds_0_3": (0.915, 0.930), "fresh": "H4 17/25 -> 18/25", "fold4_looks": 0},
    {"attempt": "E. + H4's misses: X需谨慎, 住了两小时就退房, 以后还怎么点, 绝对不住, 早知道…就不买 is regret, "
                "如果再有机会去也不住 is no threat", "folds_0_3": (0.915, 0.930), "fresh": "H5 26/38 -> 26/38",
     "fold4_looks": 0},
    {"attempt": "F. + H5's misses (shipped): 霉变/霉斑, 不是真品, 不会再进这家, 取消该酒店的合作, 电线裸露",
     "folds_0_3": (0.915, 0.930), "fresh": "H6 23/27 -> 23/27",
     "fold4_looks": "1: its final run (rerun once, same numbers, to add the line below the table)"},
    {"attempt": "G. not shipped: char 1-3 TF-IDF logistic regression for high-vs-not, trained on 65k sentiment-train "
                "reviews labelled by the rules of C (fresh samples held out), medium raised to high when P >= t",
     "folds_0_3": "t >= 0.8: unchanged; t = 0.6: F1 0.897", "fresh": "t >= 0.8: H1-H3 unchanged; t = 0.6: +1 in H1 "
     "and H3, +2 false alarms in H2", "fold4_looks": 0},
    {"attempt": "H. shipped: labelled data instead of more cues. 7,865 fresh sentiment-train reviews (2/3 negative, "
                "none from churn dev) tagged by the guideline in 34 language-model annotation passes "
                "(models/data/risk_tags.csv); a logistic model over the sentiment classifier's word + character "
                "n-gram features raises medium to high when P(high) >= t; t = 0.55, the highest of 0.4-0.7 whose "
                "5-fold CV high recall on the tagged sample reaches 0.85 (models/fit_risk.py)",
     "folds_0_3": "see the folds 0-3 table (shipped row)",
     "fresh": "tagged sample, 5-fold CV: 1,268 -> 1,559 of 1,819 (0.697 -> 0.857), macro-F1 0.839 -> 0.843 "
              "(with 5,995 tagged reviews: 0.700 -> 0.858, 0.837 -> 0.840)",
     "fold4_looks": "4: one run over t = 0.45-0.7 with a model on the first 2,010 tagged reviews, after t = 0.5 "
                    "had been fixed on them (t = 0.5: macro-F1 0.820, high R 14/18); this script's runs with that "
                    "model, with the model on 5,995 (macro-F1 0.876, high R 16/18; the same levels in its reruns at "
                    "later commits) and with the shipped one on 7,865"},
    {"attempt": "I. not shipped: H with the combiner fitted on the tagged sample too (weights and cut points, prior "
                "centred on the rules, l2 1.0 and 0.1)",
     "folds_0_3": "-", "fresh": "tagged sample, 5-fold CV: macro-F1 0.839, high R 0.858 (H: 0.840, 0.858); full churn "
     "dev 0.877 / 0.955 (H: 0.889 / 0.955)", "fold4_looks": 0},
)
#: Hand-written customer feedback in seven domains with a level per the guideline (benchmarks/data): the file, how
#: it scored when first run, and what happened since. Rows are never printed (a read set's misses were read
#: from a scratch script while its changes were made).
CX_FEEDBACK: tuple[tuple[str, str, str], ...] = (
    ("cx_feedback_6.csv", "accuracy 0.725, confusion [[10, 10, 1], [0, 11, 0], [0, 0, 8]]",
     "committed before the fourth session of 2026-12-02 changed anything; its misses were read in that session"),
    ("cx_feedback_7.csv", "accuracy 0.85, confusion [[16, 3, 0], [1, 13, 0], [0, 2, 5]]",
     "written in that session before set 6 was read (the code from before the session scores it the same); "
     "held out, unread"),
)
#: The guideline's own example words, as a naive user would write them.
BASELINE_CUES = re.compile(
    "再也不|不会再|以后不|最后一次|拉黑|卸载|取消|退订|换别家|去别家|退货|退款|赔偿|投诉|12315|举报|曝光|找平台"
    "|骗子|假货|欺诈|吃坏肚子|拉肚子|食物中毒|有虫子|头发|过期|发霉|大家别买|千万别来|避雷|不推荐"
)


def baseline(texts: list[str], exclude: set[str], seed: int) -> tuple[list[str], np.ndarray, dict[str, Any]]:
    """Baseline levels, its P(positive) per text (a sentiment model that never saw these texts), info."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    train = pd.concat([pd.read_csv(data_file("sentiment", c, "train.csv"))[["text", "label"]]
                       for c in SENTIMENT_CORPORA], ignore_index=True).dropna()
    train = train[~train["text"].isin(exclude)]
    start = time.perf_counter()
    vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    model = LogisticRegression(max_iter=1000, C=4.0, random_state=seed)
    model.fit(vectorizer.fit_transform(train["text"].astype(str)), train["label"].astype(int))
    fit_s = time.perf_counter() - start
    start = time.perf_counter()
    positive = model.predict_proba(vectorizer.transform(texts))[:, 1]
    levels = ["high" if BASELINE_CUES.search(t) else "medium" if p < 0.5 else "low"
              for t, p in zip(texts, positive, strict=True)]
    speed = len(texts) / (time.perf_counter() - start)
    return levels, positive, {"train_rows": len(train), "fit_s": round(fit_s, 1), "docs_per_s": round(speed, 1)}


def wilson(successes: int, n: int, z: float = 1.96) -> list[float]:
    """95% Wilson interval of a proportion."""
    if n == 0:
        return [0.0, 1.0]
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return [round(centre - half, 3), round(centre + half, 3)]


def threshold_table(folds: list[tuple[list[int], RiskScorer]], docs: list[Document],
                    truth: list[str]) -> list[dict[str, Any]]:
    """`high` precision / recall by high_threshold: rules (with and without floors), fitted (out-of-fold)."""
    rows = []
    for model, rule_floors in (("rules", True), ("rules", False), ("fitted", True)):
        parts = folds if model == "fitted" else [(list(range(len(docs))), RiskScorer())]
        for threshold in HIGH_THRESHOLDS:
            predicted = ["low"] * len(docs)
            for test_idx, scorer in parts:
                medium, _ = scorer.model_.default_thresholds()
                tuned = RiskScorer(medium_threshold=min(medium, threshold - 0.01), high_threshold=threshold,
                                   rule_floors=rule_floors, high_needs_cue=rule_floors)  # rules off: the score alone
                tuned.model_ = scorer.model_
                for i, level in zip(test_idx, predict_levels(tuned, [docs[i] for i in test_idx]), strict=True):
                    predicted[i] = level
            s = scores(truth, predicted)
            rows.append({"model": model, "rule_floors": rule_floors, "high_threshold": threshold,
                         "flagged_high": predicted.count("high"), "high_precision": s["high_precision"],
                         "high_recall": s["high_recall"], "macro_f1": s["macro_f1"]})
    return rows


def text_table(shipped: RiskScorer, docs: list[Document], truth: list[str]) -> list[dict[str, Any]]:
    """The shipped stage on the whole file at each text-model threshold (None: text model off)."""
    rows = []
    for threshold in TEXT_THRESHOLDS:
        tuned = RiskScorer(text_threshold=threshold)
        tuned.model_, tuned.text_model_ = shipped.model_, shipped.text_model_
        predicted = predict_levels(tuned, docs)
        rows.append({"text_threshold": threshold, "flagged_high": predicted.count("high"), **scores(truth, predicted)})
    return rows


def tagged_sample_cv(upstream: Pipeline, seed: int) -> dict[str, Any]:
    """The text model's 5-fold cross-validation on the tagged sample (rule + prior combiner throughout)."""
    tags = with_texts(pd.read_csv(TAGS))
    texts, levels = load_labelled(tags)
    docs = analysed(texts, upstream)
    return {"n": len(docs), "levels": {lv: levels.count(lv) for lv in ("low", "medium", "high")},
            "by_corpus": tags["corpus"].value_counts().to_dict(),
            "table": text_threshold_table(docs, levels, TEXT_THRESHOLDS, seed=seed)}


def second_pass_agreement(truth: list[str]) -> dict[str, Any]:
    """A second, independent tagging pass over folds 0-3 (minus the 30 reviews shown to its annotators as
    examples) against this file's labels: how well the tagged sample's annotators follow the same guideline."""
    from sklearn.metrics import cohen_kappa_score

    second = pd.read_csv(SECOND_PASS)
    reference = [truth[i] for i in second["dev_row"]]
    ours = normalize_levels(list(second["label"]))
    return {"n": len(ours), "agreement": round(float(np.mean([a == b for a, b in zip(reference, ours, strict=True)])), 3),
            "kappa": round(float(cohen_kappa_score(reference, ours)), 3),
            "second_pass_as_prediction": scores(reference, ours)}


def ablation(docs: list[Document], truth: list[str]) -> dict[str, dict[str, Any]]:
    """Rules + prior with fewer upstream results: what sentiment and opinions add."""
    out = {}
    for name, keep_sentiment, keep_opinions in (("tokens only", False, False), ("+ opinions", False, True),
                                                 ("+ sentiment", True, False), ("+ both", True, True)):
        copies = [replace(d, sentiment=d.sentiment if keep_sentiment else None,
                          opinions=d.opinions if keep_opinions else [], risk=None) for d in docs]
        out[name] = scores(truth, predict_levels(RiskScorer(), copies))
    return out


def sentiment_dev_rates(nlp: Pipeline) -> dict[str, dict[str, float]]:
    """Share of each level among positive and negative reviews of the sentiment dev splits (no risk labels:
    a sanity check that positive reviews are rarely flagged and negative ones rarely pass as low)."""
    out = {}
    for corpus in SENTIMENT_CORPORA:
        frame = pd.read_csv(data_file("sentiment", corpus, "dev.csv")).dropna(subset=["text"])
        levels = [d.risk.level if d.risk else "error" for d in nlp.pipe(frame["text"].astype(str), batch_size=256)]
        for polarity, label in (("positive", 1), ("negative", 0)):
            chosen = [lv for lv, y in zip(levels, frame["label"], strict=True) if int(y) == label]
            out[f"{corpus} {polarity} (n={len(chosen)})"] = {lv: round(chosen.count(lv) / max(len(chosen), 1), 3)
                                                             for lv in ("low", "medium", "high")}
    return out


def cx_feedback_scores(nlp: Pipeline, name: str) -> dict[str, Any]:
    """Scores of the full pipeline on a hand-written customer-feedback file (no rows)."""
    frame = pd.read_csv(ROOT / "benchmarks" / "data" / name)
    levels = [d.risk.level if d.risk else "error" for d in nlp.pipe(frame["text"].astype(str).tolist())]
    return {"n": len(frame), **scores(normalize_levels(list(frame["risk"])), levels)}


def speed(nlp: Pipeline, texts: list[str], repeats: int = 3) -> float:
    nlp(texts[0])  # load lazily built resources (jieba dictionary) outside the timing
    start = time.perf_counter()
    for _ in range(repeats):
        list(nlp.pipe(texts, batch_size=256))
    return round(repeats * len(texts) / (time.perf_counter() - start), 1)


def md_scores(name: str, s: dict[str, Any]) -> str:
    return (f"| {name} | {s['accuracy']:.3f} | {s['macro_f1']:.3f} | {s['high_precision']:.3f} | "
            f"{s['high_recall']:.3f} | {s['confusion']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--l2", type=float, default=1.0)
    args = parser.parse_args()

    frame = pd.read_csv(data_file("churn", "dev.csv"))
    texts = [str(t) for t in frame["text"]]
    truth = normalize_levels(list(frame["label"]))
    upstream = model_dir_upstream(MODEL_DIR)
    docs = analysed(texts, upstream)

    shipped_scorer = RiskScorer.from_dir(MODEL_DIR / "risk")
    shipped_pred = predict_levels(shipped_scorer, docs)
    rules_pred = predict_levels(RiskScorer(), docs)
    folds = cross_validate(docs, truth, seed=args.seed, l2=args.l2)
    fitted_pred = ["low"] * len(docs)
    fold_of = np.zeros(len(docs), dtype=int)
    for k, (test_idx, scorer) in enumerate(folds):
        fold_of[test_idx] = k
        for i, level in zip(test_idx, predict_levels(scorer, [docs[i] for i in test_idx]), strict=True):
            fitted_pred[i] = level
    unread = [i for i in range(len(docs)) if fold_of[i] == UNREAD_FOLD]
    unread_high = [i for i in unread if truth[i] == "high"]
    unread_recall_ci = {name: wilson(sum(pred[i] == "high" for i in unread_high), len(unread_high))
                        for name, pred in (("shipped", shipped_pred), ("rules", rules_pred))}

    read = [i for i in range(len(docs)) if fold_of[i] != UNREAD_FOLD]

    def scores_on(rows: list[int], predicted: list[str]) -> dict[str, Any]:
        return scores([truth[i] for i in rows], [predicted[i] for i in rows])

    base_pred, base_positive, base_info = baseline(texts, set(texts), args.seed)
    unseen = [replace(d, sentiment=Sentiment("positive" if p >= 0.5 else "negative", float(p)), risk=None)
              for d, p in zip(docs, base_positive, strict=True)]
    shipped = Pipeline([*upstream.stages, ("risk", shipped_scorer)])
    risk_stage = shipped.get_stage("risk")
    pre = analysed(texts, upstream)
    start = time.perf_counter()
    for _ in range(3):
        risk_stage.process(pre)
    risk_speed = round(3 * len(pre) / (time.perf_counter() - start), 1)

    results: dict[str, Any] = {
        "data": "churn/dev.csv", "n": len(docs), "seed": args.seed, "l2": args.l2,
        "upstream_stages": upstream.stage_names,
        "upstream_errors": sum(d.error is not None for d in docs),
        "shipped_risk_meta_fitted": bool(shipped.get_stage("risk").meta().get("fitted")),
        "shipped": scores(truth, shipped_pred),
        "rules": scores(truth, rules_pred),
        "fitted_5fold_cv": scores(truth, fitted_pred),
        "baseline_tfidf_regex": {**scores(truth, base_pred), **base_info},
        "unread_fold": {"fold": UNREAD_FOLD, "n": len(unread),
                        "shipped": scores_on(unread, shipped_pred),
                        "rules": scores_on(unread, rules_pred),
                        "fitted_5fold_cv": scores_on(unread, fitted_pred),
                        "baseline_tfidf_regex": scores_on(unread, base_pred),
                        "high_recall_95ci": unread_recall_ci},
        "read_folds": {"n": len(read), "shipped": scores_on(read, shipped_pred), "rules": scores_on(read, rules_pred),
                       "fitted_5fold_cv": scores_on(read, fitted_pred)},
        "text_threshold_table": text_table(shipped_scorer, docs, truth),
        "tagged_sample": tagged_sample_cv(upstream, args.seed),
        "second_pass_agreement": second_pass_agreement(truth),
        "attempts": list(ATTEMPTS),
        "rules_by_inputs": ablation(docs, truth),
        "rules_with_unseen_sentiment": scores(truth, predict_levels(RiskScorer(), unseen)),
        "high_threshold_table": threshold_table(folds, docs, truth),
        "default_thresholds": {"rules": RiskScorer().thresholds, "text": shipped_scorer.text_threshold},
        "rules_vs_fitted_disagreements": sum(a != b for a, b in zip(rules_pred, fitted_pred, strict=True)),
        "docs_per_s": {"full_pipeline": speed(shipped, texts), "risk_stage_only": risk_speed},
        "sentiment_dev_level_shares": sentiment_dev_rates(shipped),
        "cx_feedback": {name: cx_feedback_scores(shipped, name) for name, _, _ in CX_FEEDBACK},
        "versions": versions("numpy", "scipy", "scikit-learn", "jieba", "torch"),
    }
    r = results
    lines = [
        "# Churn risk on churn/dev.csv (360 hand-tagged reviews)", "",
        f"Upstream stages: {', '.join(r['upstream_stages'])}. Seed {args.seed}; folds: StratifiedKFold(5, shuffle=True, "
        f"random_state={args.seed}). Shipped risk stage fitted on this file: {r['shipped_risk_meta_fitted']}. "
        f"Documents an upstream stage failed on (scored low): {r['upstream_errors']}.", "",
        "| model | accuracy | macro-F1 | high P | high R | confusion (rows true low/medium/high) |",
        "|---|---|---|---|---|---|",
        md_scores("**cxnlp shipped**: rules + prior + text model (nothing fitted on this file)", r["shipped"]),
        md_scores("cxnlp rules + prior, text model off", r["rules"]),
        md_scores("cxnlp combiner and text model fitted on this file, 5-fold CV", r["fitted_5fold_cv"]),
        md_scores("baseline: TF-IDF sentiment + cue regex", r["baseline_tfidf_regex"]), "",
        f"Rules and the fitted combiner disagree on {r['rules_vs_fitted_disagreements']} documents.", "",
        f"## Fold {UNREAD_FOLD} only (n={len(unread)}): not read while writing the cue lexicon", "",
        "| model | accuracy | macro-F1 | high P | high R | confusion |", "|---|---|---|---|---|---|",
        md_scores("**shipped**", r["unread_fold"]["shipped"]),
        md_scores("rules + prior, text model off", r["unread_fold"]["rules"]),
        md_scores("fitted, out-of-fold", r["unread_fold"]["fitted_5fold_cv"]),
        md_scores("baseline", r["unread_fold"]["baseline_tfidf_regex"]), "",
        f"High recall on this fold, 95% Wilson intervals ({len(unread_high)} high reviews): shipped "
        f"{r['unread_fold']['high_recall_95ci']['shipped']}, rules {r['unread_fold']['high_recall_95ci']['rules']}.", "",
        f"## Folds 0-3 only (n={len(read)}): read while writing the cue lexicon", "",
        "| model | accuracy | macro-F1 | high P | high R | confusion |", "|---|---|---|---|---|---|",
        md_scores("shipped", r["read_folds"]["shipped"]),
        md_scores("rules + prior, text model off", r["read_folds"]["rules"]),
        md_scores("fitted, out-of-fold", r["read_folds"]["fitted_5fold_cv"]), "",
        "## Attempts at making `high` generalise (issue 5)", "",
        "Chosen by folds 0-3 and by fresh hand-tagged samples of unlabelled reviews (see ATTEMPTS in this script), "
        "not by fold 4, whose texts, reasons and per-item predictions were never printed.", "",
        "| attempt | folds 0-3 (macro-F1, high R) | fresh samples: `high` recall before -> after | fold-4 looks |",
        "|---|---|---|---|",
        *(f"| {a['attempt']} | {a['folds_0_3']} | {a['fresh']} | {a['fold4_looks']} |" for a in ATTEMPTS), "",
        "In A-F each fresh sample gained at most one `high` (pooled over H1-H6: 130 -> 131 of 174): the fixes are "
        "real but the misses are a long tail of phrasings, so the lexicon alone is unlikely to reach high recall 0.85 "
        "on unseen text; the pooled recall of the lexicon before issue 5 on these samples was 0.75, and on the 7,865 "
        "reviews of H it is 0.70. The final lexicon on the samples once they had been read: H1 23/25, H2 30/31, "
        "H3 26/28, H4 24/25, H5 34/38. H learns the tail from labelled data instead.", "",
        f"Final, this run, fold {UNREAD_FOLD}: shipped macro-F1 {r['unread_fold']['shipped']['macro_f1']:.3f}, high "
        f"recall {r['unread_fold']['shipped']['high_recall']:.3f}; rules alone "
        f"{r['unread_fold']['rules']['macro_f1']:.3f} and {r['unread_fold']['rules']['high_recall']:.3f}; "
        "before issue 5: 0.823 and 0.611.", "",
        "## The text model on the tagged sample (5-fold cross-validation)", "",
        f"{r['tagged_sample']['n']} reviews of the sentiment train splits ({r['tagged_sample']['by_corpus']}; levels "
        f"{r['tagged_sample']['levels']}), none in churn dev, each tagged by the guideline in one of 34 language-model "
        "annotation passes of 200-250 reviews (`models/data/risk_tags.csv`: corpus, MD5 of the text, level, reason; "
        "the texts are read from `$CXNLP_DATA`; how they were made: `models/data/README.md`). The cue lexicon was never tuned on them, so the first row is an "
        "unbiased estimate of the rules on unseen text. Text model fitted on four folds, scored on the fifth; the "
        "combiner is the rule + prior one throughout. The shipped threshold is the highest whose recall reaches 0.85.",
        "",
        "| text_threshold | accuracy | macro-F1 | high P | high R | confusion |", "|---|---|---|---|---|---|",
        *(md_scores("off" if t["text_threshold"] is None else str(t["text_threshold"]), t)
          for t in r["tagged_sample"]["table"]), "",
        "## The shipped stage by text-model threshold (full dev set)", "",
        "The text model never saw this file; the lexicon was written reading folds 0-3 (see the caveats).", "",
        "| text_threshold | flagged high | accuracy | macro-F1 | high P | high R | confusion |",
        "|---|---|---|---|---|---|---|",
        *(f"| {'off' if t['text_threshold'] is None else t['text_threshold']} | {t['flagged_high']} | "
          f"{t['accuracy']:.3f} | {t['macro_f1']:.3f} | {t['high_precision']:.3f} | {t['high_recall']:.3f} | "
          f"{t['confusion']} |" for t in r["text_threshold_table"]), "",
        "## Do the tagged sample's annotators follow the guideline as this file's tagger does?", "",
        f"A second pass over {r['second_pass_agreement']['n']} reviews of folds 0-3 (the 30 shown to the annotators "
        "as worked examples left out), tagged blind by two passes of the same annotation process as the tagged sample "
        "(`benchmarks/data/churn_dev_second_pass.csv`): agreement with this file "
        f"{r['second_pass_agreement']['agreement']:.3f}, Cohen's kappa {r['second_pass_agreement']['kappa']:.3f}. "
        "Read as predictions of this file's labels:", "",
        "| | accuracy | macro-F1 | high P | high R | confusion |", "|---|---|---|---|---|---|",
        md_scores("second pass", r["second_pass_agreement"]["second_pass_as_prediction"]), "",
        "The second pass never lowers a `high` and calls a few `medium` reviews `high`: the tagged sample, if "
        "anything, holds slightly more `high` than this file's tagger would give.", "",
        "## Rules + prior by upstream results (full dev set)", "",
        "| inputs | accuracy | macro-F1 | high P | high R | confusion |", "|---|---|---|---|---|---|",
        *(md_scores(name, s) for name, s in r["rules_by_inputs"].items()),
        md_scores("+ both, sentiment from the baseline's TF-IDF model (never saw these texts)",
                  r["rules_with_unseen_sentiment"]), "",
        "## `high` at several thresholds", "",
        f"Default thresholds of the rules (medium, high): {tuple(round(t, 3) for t in r['default_thresholds']['rules'])}. "
        "With rule floors and ceiling (shipped behaviour) an explicit cue is high whatever the threshold, and a "
        "document without one stops just below the default high cut point, so only a threshold below it flags such "
        "documents high; without them the score alone decides (`rule_floors=False, high_needs_cue=False`). "
        "Rules: nothing fitted, full set; "
        "fitted: out-of-fold. Text model off in this table (see the table above for its threshold). Lower "
        "thresholds trade precision for recall "
        "(`RiskScorer(high_threshold=...)`, or edit models/default/risk/config.json).", "",
        "| model | rule floors and ceiling | high_threshold | flagged high | high P | high R | macro-F1 |",
        "|---|---|---|---|---|---|---|",
        *(f"| {t['model']} | {t['rule_floors']} | {t['high_threshold']} | {t['flagged_high']} | "
          f"{t['high_precision']:.3f} | {t['high_recall']:.3f} | {t['macro_f1']:.3f} |"
          for t in r["high_threshold_table"]), "",
        "## Hand-written customer feedback (`benchmarks/data/cx_feedback_*.csv`)", "",
        "40 sentences a set in seven domains (delivery, hotel, e-commerce, telecom, software, banking, electronics), "
        "each with a level by the guideline; shipped pipeline, rows not printed. Positive feedback the sentiment "
        "stage misreads comes out medium.", "",
        "| set | accuracy | macro-F1 | high P | high R | confusion | when first scored | history |",
        "|---|---|---|---|---|---|---|---|",
        *(f"| {name} | {r['cx_feedback'][name]['accuracy']:.3f} | {r['cx_feedback'][name]['macro_f1']:.3f} | "
          f"{r['cx_feedback'][name]['high_precision']:.3f} | {r['cx_feedback'][name]['high_recall']:.3f} | "
          f"{r['cx_feedback'][name]['confusion']} | {first} | {history} |" for name, first, history in CX_FEEDBACK),
        "",
        "## Levels given to the sentiment dev splits (no risk labels)", "",
        "Positive reviews should rarely be high and negative ones rarely low. The positive hotel and shopping "
        "reviews flagged high were read during development to remove false alarms.", "",
        "| reviews | low | medium | high |", "|---|---|---|---|",
        *(f"| {k} | {v['low']:.3f} | {v['medium']:.3f} | {v['high']:.3f} |"
          for k, v in r["sentiment_dev_level_shares"].items()), "",
        f"Speed: full pipeline {r['docs_per_s']['full_pipeline']} docs/s, risk stage alone "
        f"{r['docs_per_s']['risk_stage_only']} docs/s; baseline prediction {base_info['docs_per_s']} docs/s.", "",
        "Caveats: the cue lexicon and the prior weights were written while reading the texts and reasons of folds 0-3, "
        f"so the full-set numbers of the cxnlp rows are optimistic; fold {UNREAD_FOLD}'s texts were never read and it is "
        "the less biased estimate (72 reviews, 18 of them high, so about ±0.1), though its aggregate scores were "
        "printed by each run of this script during development (see the fold-4 looks above). The tagged sample is the "
        "largest unbiased check of the whole stage, but its labels come from the project's own annotation passes "
        "(single-tagged, agreement with this file above), not from this file's tagger. The lexicon was also checked against "
        "unlabelled sentiment-corpus reviews (cues missed in negative ones, false alarms in positive ones). Most "
        "churn-dev texts are in the sentiment train splits: the baseline's TF-IDF "
        "model excludes them, but the sentiment stage, trained on those splits, has seen them (with pos/neg labels); "
        "the row with the baseline's never-seen sentiment shows how much that flatters the full-pipeline numbers.",
    ]
    write_results("risk_dev", results, "\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
