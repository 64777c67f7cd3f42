"""Small CNNs whose logits are added to the linear model's (an ensemble of unlike models).

:class:`ConvNet` is the shared network: ids are embedded (plus, optionally, a small flag
embedding per position), one convolution of width ``width`` with ReLU runs over the sequence,
the maximum over positions feeds one linear output. Unlike the bag-of-n-grams linear model it
sees each n-gram in context and keeps only the strongest evidence per filter, so its errors differ.
:class:`CharCNN` runs it over characters; :mod:`cxnlp.sentiment.wordcnn` over words.

Training uses torch (imported only in :func:`fit_conv_net`); inference is plain numpy.
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
NET_ARRAYS = ("embed", "conv", "conv_bias", "out", "out_bias")
#: Sequences per numpy step at inference: small steps of similar length pad little and stay in cache
#: (on 256 shopping reviews, steps of 32 run about twice as fast as one step of 256).
INFERENCE_STEP = 32


@dataclass
class ConvNet:
    """Fitted arrays of the network; id 0 is unknown/padding, ``flag_embed`` is optional."""

    embed: np.ndarray  # (V + 1, E) float32
    conv: np.ndarray  # (width * E, F) float32, window position k-major
    conv_bias: np.ndarray  # (F,)
    out: np.ndarray  # (F,)
    out_bias: float
    flag_embed: np.ndarray | None = None  # (n_flags + 1, E), row f + 1 added for flag f; row 0 (padding) zero

    def __post_init__(self) -> None:
        dim = self.embed.shape[1]
        blocks = [self.conv[k * dim:(k + 1) * dim] for k in range(self.conv.shape[0] // dim)]
        #: Each window position's contribution per id: embedding @ conv block, (width, V + 1, F).
        self._proj = np.stack([self.embed @ block for block in blocks])
        #: The flags' contribution per window of flags (row ``sum_k flag_k * n ** (width - 1 - k)``), (n ** width, F).
        self._flag_windows: np.ndarray | None = None
        if self.flag_embed is not None:
            n = len(self.flag_embed)
            digits = np.indices((n,) * len(blocks)).reshape(len(blocks), -1)
            self._flag_windows = sum(self.flag_embed[digits[k]] @ block for k, block in enumerate(blocks))

    def logits(self, ids: Sequence[np.ndarray], flags: Sequence[np.ndarray] | None = None,
               batch_size: int = INFERENCE_STEP) -> np.ndarray:
        """The logit of each id sequence (batches of similar length; the convolution as table look-ups)."""
        order = np.argsort([len(x) for x in ids], kind="stable")
        result = np.zeros(len(ids))
        width = len(self._proj)
        for start in range(0, len(ids), batch_size):
            chunk = order[start:start + batch_size]
            lengths = np.array([len(ids[j]) for j in chunk])
            steps = int(lengths.max())
            padded = np.zeros((len(chunk), steps + width - 1), dtype=np.int64)
            padded_flags = np.zeros_like(padded)
            for i, j in enumerate(chunk):
                padded[i, width // 2: width // 2 + lengths[i]] = ids[j]
                if flags is not None:
                    padded_flags[i, width // 2: width // 2 + lengths[i]] = flags[j] + 1
            hidden = self._proj[0][padded[:, :steps]] + self.conv_bias
            for k in range(1, width):
                hidden += self._proj[k][padded[:, k:k + steps]]
            if self._flag_windows is not None and flags is not None:
                window = padded_flags[:, :steps].copy()
                for k in range(1, width):
                    window = window * len(self.flag_embed) + padded_flags[:, k:k + steps]  # type: ignore[arg-type]
                hidden += self._flag_windows[window]
            np.maximum(hidden, 0.0, out=hidden)
            hidden[np.arange(steps)[None, :] >= lengths[:, None]] = 0.0
            result[chunk] = hidden.max(axis=1) @ self.out + self.out_bias
        return result

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        arrays = {prefix + name: np.atleast_1d(getattr(self, name)) for name in NET_ARRAYS}
        if self.flag_embed is not None:
            arrays[prefix + "flag_embed"] = self.flag_embed
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Any, prefix: str) -> ConvNet:
        embed, conv, conv_bias, out = (arrays[prefix + name].astype(np.float32) for name in NET_ARRAYS[:4])
        flag_embed = arrays[prefix + "flag_embed"].astype(np.float32) if prefix + "flag_embed" in arrays else None
        return cls(embed, conv, conv_bias, out, float(arrays[prefix + "out_bias"][0]), flag_embed)


def fit_conv_net(ids: Sequence[np.ndarray], labels: np.ndarray, n_ids: int, options: dict[str, Any], seed: int,
                 flags: Sequence[np.ndarray] | None = None, n_flags: int = 0,
                 init_embed: np.ndarray | None = None) -> ConvNet:
    """Train a :class:`ConvNet` with torch (Adam, length-bucketed batches of 64, seeded).

    ``ids`` are sequences over ``1..n_ids`` (0: unknown); ``flags`` (values below ``n_flags``)
    get an embedding of their own, added to the ids', initialised at zero; ``init_embed``
    (``(n_ids + 1, dim)``) initialises the id embedding (pretrained vectors).
    """
    import torch

    torch.manual_seed(seed)
    dim, filters, width = int(options["dim"]), int(options["filters"]), int(options["width"])
    embed = torch.nn.Embedding(n_ids + 1, dim, padding_idx=0)
    if init_embed is not None:
        with torch.no_grad():
            embed.weight.copy_(torch.from_numpy(np.asarray(init_embed, dtype=np.float32)))
    conv = torch.nn.Conv1d(dim, filters, width, padding=width // 2)
    out = torch.nn.Linear(filters, 1)
    modules = [embed, conv, out]
    flag_embed = None  # created only with flags: it draws from the random stream
    if flags is not None:
        flag_embed = torch.nn.Embedding(n_flags + 1, dim, padding_idx=0)
        torch.nn.init.zeros_(flag_embed.weight)
        modules.append(flag_embed)
    drop = torch.nn.Dropout(float(options["dropout"]))
    optimizer = torch.optim.Adam([p for m in modules for p in m.parameters()], lr=float(options["lr"]))
    y = torch.from_numpy(np.asarray(labels, dtype=np.float32))
    lengths = np.array([len(x) for x in ids])
    rng = np.random.default_rng(seed)
    for _ in range(int(options["epochs"])):
        order = np.argsort(lengths + rng.uniform(0, 8, len(lengths)), kind="stable")
        chunks = [order[i:i + 64] for i in range(0, len(order), 64)]
        rng.shuffle(chunks)  # type: ignore[arg-type]
        for chunk in chunks:
            batch = np.zeros((len(chunk), int(lengths[chunk].max())), dtype=np.int64)
            batch_flags = np.zeros_like(batch)
            for i, j in enumerate(chunk):
                batch[i, : lengths[j]] = ids[j]
                if flags is not None:
                    batch_flags[i, : lengths[j]] = flags[j] + 1
            x = embed(torch.from_numpy(batch))
            if flag_embed is not None:
                x = x + flag_embed(torch.from_numpy(batch_flags))
            mask = torch.arange(batch.shape[1])[None, :] < torch.from_numpy(lengths[chunk])[:, None]
            hidden = torch.relu(conv(x.transpose(1, 2)))[:, :, : batch.shape[1]].masked_fill(~mask[:, None, :], 0.0)
            logit = out(drop(hidden.max(dim=2).values)).squeeze(1)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logit, y[torch.from_numpy(chunk)])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    kernel = conv.weight.detach().numpy()  # (F, E, width) -> (width * E, F), window k-major
    return ConvNet(embed.weight.detach().numpy().astype(np.float32),
                   np.ascontiguousarray(kernel.transpose(2, 1, 0).reshape(width * dim, filters)),
                   conv.bias.detach().numpy().astype(np.float32), out.weight.detach().numpy().ravel(),
                   float(out.bias.detach().numpy()[0]),
                   flag_embed.weight.detach().numpy().astype(np.float32) if flag_embed is not None else None)


def encode_chars(texts: Sequence[str], codes: np.ndarray, max_chars: int) -> list[np.ndarray]:
    """Character ids of each text: ``i + 1`` for ``codes[i]`` (sorted), 0 unknown; truncated to ``max_chars``.

    An empty text is one unknown id. All texts are looked up in one search, then split.
    """
    if not texts:
        return []
    cut = [t[:max_chars] for t in texts]
    cp = np.frombuffer("".join(cut).encode("utf-32-le"), dtype=np.uint32)
    pos = np.minimum(np.searchsorted(codes, cp), len(codes) - 1)
    ids = np.where(codes[pos] == cp, pos + 1, 0).astype(np.int64)
    pieces = np.split(ids, np.cumsum([len(t) for t in cut])[:-1])
    return [piece if len(piece) else np.zeros(1, dtype=np.int64) for piece in pieces]


@dataclass
class CharCNN:
    """A :class:`ConvNet` over characters: sorted code points (id ``i + 1`` is ``codes[i]``)."""

    codes: np.ndarray  # (V,) uint32, sorted
    net: ConvNet
    max_chars: int

    def encode(self, texts: Sequence[str]) -> list[np.ndarray]:
        return encode_chars(texts, self.codes, self.max_chars)

    def logits(self, texts: Sequence[str], batch_size: int = INFERENCE_STEP) -> np.ndarray:
        """The CNN's logit of each text."""
        return self.net.logits(self.encode(texts), batch_size=batch_size)

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"cnn_codes": self.codes, "cnn_max_chars": np.array([self.max_chars]), **self.net.to_arrays("cnn_")}

    @classmethod
    def from_arrays(cls, arrays: Any) -> CharCNN | None:
        """The CNN stored in ``arrays`` (None when there is none)."""
        if "cnn_codes" not in arrays:
            return None
        return cls(arrays["cnn_codes"].astype(np.uint32), ConvNet.from_arrays(arrays, "cnn_"),
                   int(arrays["cnn_max_chars"][0]))


def fit_char_cnn(texts: Sequence[str], labels: np.ndarray, options: dict[str, Any], seed: int = 0) -> CharCNN:
    """Train a :class:`CharCNN` on the characters seen at least ``min_count`` times."""
    opts = {**DEFAULT_CNN, **options}
    counts = Counter(ch for t in texts for ch in t[: opts["max_chars"]])
    codes = np.array(sorted(ord(c) for c, n in counts.items() if n >= opts["min_count"]), dtype=np.uint32)
    net = fit_conv_net(encode_chars(texts, codes, int(opts["max_chars"])), labels, len(codes), opts, seed)
    return CharCNN(codes, net, int(opts["max_chars"]))
