"""Nothing reaches the network: loading and running the default pipeline with sockets disabled."""

from __future__ import annotations

import subprocess
import sys

NO_NETWORK = """
import socket

def refuse(*args, **kwargs):
    raise OSError("network access attempted")

socket.socket.connect = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

import cxnlp
nlp = cxnlp.load()
docs = list(nlp.pipe(["快递很快，客服态度很好", "送餐太慢了，再也不点了", None]))
print(len(docs), docs[1].risk.level)
"""


def test_default_pipeline_runs_with_the_network_disabled() -> None:
    result = subprocess.run([sys.executable, "-c", NO_NETWORK], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "3"
