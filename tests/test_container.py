"""The container recipe, proven without a Docker engine.

hadolint lints the Dockerfile; then the Dockerfile itself is replayed on this machine:
every WORKDIR, COPY, ENV and RUN of the build stage, then the runtime stage's COPYs,
ENV and CMD, with the image's absolute paths mapped into a scratch folder. A fresh
virtual environment gets the package, the catalogs are compiled by the recipe's own
commands, and the production server is started by the recipe's CMD and answers real requests,
including the HEALTHCHECK command.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .conftest import ROOT, SERVED, example_code, served_text
from .server import free_port, get

BIN = Path(sys.executable).parent


def test_hadolint_passes():
    result = subprocess.run([str(BIN / "hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_kubernetes_manifests_validate():
    manifests = sorted(str(p) for p in (ROOT / "deploy").glob("*.yaml"))
    assert len(manifests) == 4
    result = subprocess.run(
        [str(BIN / "kubernetes-validate"), "--strict", *manifests], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    kinds = re.findall(r"passed for resource (\w+)/", result.stdout + result.stderr)
    assert sorted(kinds) == ["deployment", "horizontalpodautoscaler", "poddisruptionbudget", "service"]


@dataclass
class Stage:
    name: str
    instructions: list[tuple[str, str]] = field(default_factory=list)


def parse_dockerfile(text: str) -> list[Stage]:
    joined = re.sub(r"\\\n", " ", text)
    stages: list[Stage] = []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "FROM":
            parts = rest.split()
            stages.append(
                Stage(parts[2] if len(parts) == 3 and parts[1].upper() == "AS" else str(len(stages)))
            )
        else:
            stages[-1].instructions.append((keyword, rest.strip()))
    return stages


class Replay:
    """Runs Dockerfile instructions with the image's root mapped to ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {"PATH": f"{BIN.parent}/bin:{os.environ['PATH']}"}
        self.workdir = root

    def host(self, path: str) -> Path:
        return self.root / path.lstrip("/")

    def map_paths(self, command: str) -> str:
        return re.sub(
            r"(?<![\w./])/(opt|src|srv|tmp/errmsg-metrics)\b", lambda m: str(self.host(m.group(0))), command
        )

    def run(self, stage: Stage, stages: dict[str, Replay]) -> dict[str, str]:
        result: dict[str, str] = {}
        for keyword, rest in stage.instructions:
            if keyword == "WORKDIR":
                self.workdir = self.host(rest)
                self.workdir.mkdir(parents=True, exist_ok=True)
            elif keyword == "ENV":
                for key, value in re.findall(r"(\w+)=(\S+)", rest):
                    self.env[key] = self.map_paths(value.replace("$PATH", self.env["PATH"]))
            elif keyword == "COPY":
                *sources, dest = shlex.split(rest)
                source_root = ROOT
                if sources[0].startswith("--from="):
                    source_root = stages[sources.pop(0).split("=", 1)[1]].root
                target = self.host(dest) if dest.startswith("/") else self.workdir / dest
                # The build context is filtered as .dockerignore says; stages are copied whole.
                ignore = (
                    shutil.ignore_patterns("__pycache__", "*.mo", "en_XA", "ar_XB")
                    if source_root == ROOT
                    else None
                )
                for source in sources:
                    origin = source_root / source.lstrip("/")
                    if origin.is_dir():
                        shutil.copytree(origin, target, dirs_exist_ok=True, symlinks=True, ignore=ignore)
                    else:
                        destination = target / origin.name if dest.endswith("/") else target
                        destination.parent.mkdir(parents=True, exist_ok=True)
                        shutil.copy2(origin, destination)
            elif keyword == "RUN":
                if rest.startswith("useradd"):
                    continue  # creating a system user is the image's business, not this machine's
                command = self.map_paths(rest)
                done = subprocess.run(
                    command, shell=True, cwd=self.workdir, env=self.env, capture_output=True, text=True
                )
                assert done.returncode == 0, f"RUN {rest}\n{done.stdout}\n{done.stderr}"
            else:
                result[keyword] = rest
        return result


def test_the_dockerfile_recipe_builds_and_serves(tmp_path):
    stages = parse_dockerfile((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    assert [s.name for s in stages] == ["build", "1"]
    build = Replay(tmp_path / "build")
    build.run(stages[0], {})
    compiled = sorted(
        p.parent.parent.name for p in build.host("/src/locales").glob("*/LC_MESSAGES/messages.mo")
    )
    assert compiled == SERVED
    assert (build.host("/opt/errmsg") / "bin" / "granian").exists()

    runtime = Replay(tmp_path / "runtime")
    meta = runtime.run(stages[1], {"build": build})
    assert meta["USER"] == "10001:10001" and meta["EXPOSE"] == "8000"
    # The build venv's scripts point at the build folder's interpreter, as in the image.
    runtime.env["PATH"] = f"{build.host('/opt/errmsg')}/bin:{os.environ['PATH']}"
    code = example_code("meaning", locales=["zh_Hant"], where=lambda e: not e.params_in("meaning"))
    port = free_port()
    runtime.env.update({"PORT": str(port), "HOST": "127.0.0.1", "WEB_CONCURRENCY": "2"})
    command = [runtime.map_paths(part) for part in json.loads(meta["CMD"])]
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=runtime.workdir, env=runtime.env, stdout=out, stderr=out)
    try:
        assert server.poll() is None or server.wait() == 0, log.read_text()
        try:
            status, headers, body = get(port, f"/errors/{code}", {"Accept-Language": "zh-TW"})
        except ConnectionRefusedError:
            raise AssertionError(log.read_text()) from None
        assert status == 200 and headers["content-language"] == "zh-Hant"
        assert served_text("zh_Hant", f"{code}.meaning").encode() in body
        status, _, body = get(port, "/readyz", {})
        assert status == 200 and json.loads(body)["locales"] == len(SERVED)
        healthcheck = json.loads(meta["HEALTHCHECK"].split("CMD", 1)[1])
        assert subprocess.run(healthcheck, env=runtime.env, timeout=10).returncode == 0
    finally:
        server.terminate()
        assert server.wait(timeout=40) == 0, log.read_text()  # SIGTERM is a clean, drained stop
