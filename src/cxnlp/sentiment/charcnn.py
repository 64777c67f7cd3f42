"""A small character CNN whose logit is added to the linear model's (an ensemble of unlike models).

Characters are embedded, one convolution of width ``width`` with ReLU runs over the text, the
maximum over positions feeds one linear output. Unlike the bag-of-n-grams linear model it
sees each n-gram in context and keeps only the strongest evidence per filter, so its errors differ.

Training uses torch (imported only in :func:`fit_char_cnn`); inference is plain numpy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Defaults of the ``cnn`` option of :class:`~cxnlp.sentiment.classifier.SentimentClassifier`.
DEFAULT_CNN: dict[str, Any] = {"weight": 0.5, "dim": 48, "filters": 128, "width": 3, "epochs": 4,
                               "max_chars": 160, "min_count": 3, "lr": 2e-3, "dropout": 0.3}


@dataclass
class CharCNN:
    """Fitted arrays: sorted code points (row ``i + 1`` of ``embed``; row 0 is unknown/padding)."""

    codes: np.ndarray  # (V,) uint32, sorted
    embed: np.ndarray  # (V + 1, E) float32
    conv: np.ndarray  # (width * E, F) float32
    conv_bias: np.ndarray  # (F,)
    out: np.ndarray  # (F,)
    out_bias: float
    max_chars: int

    def encode(self, texts: Sequence[str]) -> list[np.ndarray]:
        """Character ids of each text (truncated to ``max_chars``; unknown characters are 0)."""
        ids = []
        for t in texts:
            cp = np.frombuffer(t[: self.max_chars].encode("utf-32-le"), dtype=np.uint32)
            pos = np.minimum(np.searchsorted(self.codes, cp), len(self.codes) - 1)
            ids.append(np.where(self.codes[pos] == cp, pos + 1, 0) if len(cp) else np.zeros(1, dtype=np.int64))
        return ids

    def __post_init__(self) -> None:
        dim = self.embed.shape[1]
        #: Each window position's contribution per character: embed @ conv block, (width, V + 1, F).
        self._proj = np.stack([self.embed @ self.conv[k * dim:(k + 1) * dim]
                               for k in range(self.conv.shape[0] // dim)])

    def logits(self, texts: Sequence[str], batch_size: int = 256) -> np.ndarray:
        """The CNN's logit of each text (batches of similar length; the convolution as table look-ups)."""
        ids = self.encode(texts)
        order = np.argsort([len(x) for x in ids], kind="stable")
        result = np.zeros(len(ids))
        width = len(self._proj)
        for start in range(0, len(ids), batch_size):
            chunk = order[start:start + batch_size]
            lengths = np.array([len(ids[j]) for j in chunk])
            steps = int(lengths.max())
            padded = np.zeros((len(chunk), steps + width - 1), dtype=np.int64)
            for i, j in enumerate(chunk):
                padded[i, width // 2: width // 2 + lengths[i]] = ids[j]
            hidden = self._proj[0][padded[:, :steps]] + self.conv_bias
            for k in range(1, width):
                hidden += self._proj[k][padded[:, k:k + steps]]
            np.maximum(hidden, 0.0, out=hidden)
            hidden[np.arange(steps)[None, :] >= lengths[:, None]] = 0.0
            result[chunk] = hidden.max(axis=1) @ self.out + self.out_bias
        return result

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"cnn_codes": self.codes, "cnn_embed": self.embed, "cnn_conv": self.conv,
                "cnn_conv_bias": self.conv_bias, "cnn_out": self.out,
                "cnn_out_bias": np.array([self.out_bias]), "cnn_max_chars": np.array([self.max_chars])}

    @classmethod
    def from_arrays(cls, arrays: Any) -> CharCNN | None:
        """The CNN stored in ``arrays`` (None when there is none)."""
        if "cnn_codes" not in arrays:
            return None
        return cls(arrays["cnn_codes"].astype(np.uint32), arrays["cnn_embed"].astype(np.float32),
                   arrays["cnn_conv"].astype(np.float32), arrays["cnn_conv_bias"].astype(np.float32),
                   arrays["cnn_out"].astype(np.float32), float(arrays["cnn_out_bias"][0]),
                   int(arrays["cnn_max_chars"][0]))


def fit_char_cnn(texts: Sequence[str], labels: np.ndarray, options: dict[str, Any], seed: int = 0) -> CharCNN:
    """Train a :class:`CharCNN` with torch (Adam, length-bucketed batches of 64, seeded)."""
    import torch

    opts = {**DEFAULT_CNN, **options}
    torch.manual_seed(seed)
    counts = Counter(ch for t in texts for ch in t[: opts["max_chars"]])
    codes = np.array(sorted(ord(c) for c, n in counts.items() if n >= opts["min_count"]), dtype=np.uint32)
    dim, filters, width = int(opts["dim"]), int(opts["filters"]), int(opts["width"])
    shell = CharCNN(codes, np.zeros((len(codes) + 1, dim), np.float32), np.zeros((width * dim, filters), np.float32),
                    np.zeros(filters, np.float32), np.zeros(filters, np.float32), 0.0, int(opts["max_chars"]))
    ids = shell.encode(texts)
    embed = torch.nn.Embedding(len(codes) + 1, dim, padding_idx=0)
    conv = torch.nn.Conv1d(dim, filters, width, padding=width // 2)
    out = torch.nn.Linear(filters, 1)
    drop = torch.nn.Dropout(float(opts["dropout"]))
    params = [*embed.parameters(), *conv.parameters(), *out.parameters()]
    optimizer = torch.optim.Adam(params, lr=float(opts["lr"]))
    y = torch.from_numpy(np.asarray(labels, dtype=np.float32))
    lengths = np.array([len(x) for x in ids])
    rng = np.random.default_rng(seed)
    for _ in range(int(opts["epochs"])):
        order = np.argsort(lengths + rng.uniform(0, 8, len(lengths)), kind="stable")
        chunks = [order[i:i + 64] for i in range(0, len(order), 64)]
        rng.shuffle(chunks)  # type: ignore[arg-type]
        for chunk in chunks:
            batch = np.zeros((len(chunk), int(lengths[chunk].max())), dtype=np.int64)
            for i, j in enumerate(chunk):
                batch[i, : lengths[j]] = ids[j]
            x = torch.from_numpy(batch)
            mask = torch.arange(x.shape[1])[None, :] < torch.from_numpy(lengths[chunk])[:, None]
            hidden = torch.relu(conv(embed(x).transpose(1, 2))).masked_fill(~mask[:, None, :], 0.0)
            logit = out(drop(hidden.max(dim=2).values)).squeeze(1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, y[torch.from_numpy(chunk)])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    kernel = conv.weight.detach().numpy()  # (F, E, width) -> (width * E, F), window k-major
    return CharCNN(codes, embed.weight.detach().numpy().astype(np.float32),
                   np.ascontiguousarray(kernel.transpose(2, 1, 0).reshape(width * dim, filters)),
                   conv.bias.detach().numpy().astype(np.float32), out.weight.detach().numpy().ravel(),
                   float(out.bias.detach().numpy()[0]), int(opts["max_chars"]))
