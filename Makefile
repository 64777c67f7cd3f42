# Two entry points: `make demo` (set up + analyse the bundled sample) and `make test` (set up + run the tests).
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test setup setup-dev bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Core install: jieba, numpy, pandas, scikit-learn, tqdm, opencc. No torch.
setup: $(BIN)/python
	$(BIN)/pip install -q -e .

# Test install: torch's CPU wheel first (pinned, so pip never pulls a CUDA build), then the extras.
setup-dev: $(BIN)/python
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[dev,transformers,parquet]"

demo: setup
	$(BIN)/cxnlp analyze examples/feedback.csv -o feedback_analysis.jsonl
	$(BIN)/python -c "import pandas as pd; d = pd.read_json('feedback_analysis.jsonl', lines=True); \
	print(d[['text', 'sentiment', 'opinion_tags', 'risk']].head(12).to_string(max_colwidth=40))"

test: setup-dev
	$(BIN)/python -m pytest -q

bench: setup-dev
	$(BIN)/pip install -q -e ".[bench]"
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) build dist .pytest_cache feedback_analysis.jsonl
