"""The DfE validators' own virtual environment: built on first use, rebuilt when its requirements change.

``ensure_venv(path)`` returns the environment's Python. The environment is built beside its final
place and renamed into it once complete, with the hash of ``dfe_requirements.txt`` written inside,
so a half-built or stale environment is never used; a lock file keeps two processes from building
at once. Packages come from the package index pip is configured with (pip's own config and
``PIP_*`` variables), every one pinned, installed with ``--no-deps``.
"""

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "dfe_requirements.txt"
RUNNER = HERE / "runner.py"
MARKER = "cscw-requirements.sha256"
BUILD_TIMEOUT = 900  # seconds for venv + pip install

# What a child process may inherit: paths, locale, proxies and pip's configuration. Never the
# warehouse's settings (the pseudonym key) or anything else of this process.
PASSED_ON = (
    "PATH",
    "HOME",
    "LANG",
    "LC_ALL",
    "TMPDIR",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
)


class DfeEnvironmentError(RuntimeError):
    """The validators' environment could not be built (no package index, a pin that does not install)."""


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in PASSED_ON or k.startswith("PIP_")}
    env.update(
        {"DO_NOT_TRACK": "1", "PYTHONDONTWRITEBYTECODE": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    )
    env.setdefault("LANG", "C.UTF-8")
    return env


def requirements_hash() -> str:
    return hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()


def venv_python(venv: Path) -> Path:
    return Path(venv) / "bin" / "python"


def is_current(venv: Path) -> bool:
    marker = Path(venv) / MARKER
    return (
        venv_python(venv).exists()
        and marker.exists()
        and marker.read_text().strip() == requirements_hash()
    )


def ensure_venv(venv: Path, log=print, timeout: int = BUILD_TIMEOUT) -> Path:
    """The environment's Python, building (or rebuilding) the environment first if needed."""
    venv = Path(venv)
    if is_current(venv):
        return venv_python(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / f".{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if is_current(venv):  # built by another process meanwhile
            return venv_python(venv)
        building = venv.with_name(venv.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        log(
            f"building the DfE validators' environment in {venv} (requirements {requirements_hash()[:12]})"
        )
        steps = [
            # the warehouse's own interpreter (Python 3.11, which the pinned pandas 1.5 has wheels for)
            [sys.executable, "-m", "venv", str(building)],
            [
                str(venv_python(building)),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--no-input",
                "-r",
                str(REQUIREMENTS),
            ],
        ]
        for step in steps:
            try:
                done = subprocess.run(
                    step,
                    check=False,
                    env=child_env(),
                    capture_output=True,
                    text=True,
                    timeout=timeout,
                )
            except subprocess.TimeoutExpired as exc:
                shutil.rmtree(building, ignore_errors=True)
                raise DfeEnvironmentError(
                    f"building the validators' environment took over {timeout}s"
                ) from exc
            if done.returncode != 0:
                shutil.rmtree(building, ignore_errors=True)
                tail = " ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
                raise DfeEnvironmentError(
                    f"could not build the validators' environment ({step[2]}): {tail[-800:]}"
                )
        (building / MARKER).write_text(requirements_hash() + "\n")
        shutil.rmtree(venv, ignore_errors=True)
        building.rename(venv)
    return venv_python(venv)
