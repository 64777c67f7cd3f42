"""Packaging: a light import, and a built wheel that loads the default pipeline offline."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_is_light() -> None:
    code = ("import sys, cxnlp; heavy = [m for m in ('jieba', 'pandas', 'sklearn', 'torch', 'transformers') "
            "if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_cli_version() -> None:
    result = subprocess.run([sys.executable, "-m", "cxnlp", "--version"], capture_output=True, text=True, check=True)
    import cxnlp

    assert result.stdout.strip() == f"cxnlp {cxnlp.__version__}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    return next(out.glob("cxnlp-*.whl"))


def test_wheel_installs_and_loads_default_pipeline(wheel: Path, tmp_path: Path) -> None:
    """A fresh venv gets the wheel alone; dependencies come from this environment's site-packages."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"], "PYTHONNOUSERSITE": "1",
           "HF_HUB_OFFLINE": "1"}
    code = "import cxnlp; nlp = cxnlp.load(); doc = nlp('快递很快，客服态度很好'); print(cxnlp.__file__, nlp.stage_names, doc.ok)"
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    location, _, rest = result.stdout.strip().partition(" ")
    assert location.startswith(str(env_dir)), location  # the wheel's copy, not the checkout
    assert "'segment'" in rest and rest.endswith("True")
