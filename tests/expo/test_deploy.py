"""The production shape: static files collect under DEBUG=0, and docker-compose.yml has its services."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_static_files_collect_for_production():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "collectstatic-only"}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    manifest = (ROOT / "staticfiles" / "staticfiles.json").read_text()
    assert "expo/site.css" in manifest and "drf_spectacular_sidecar/swagger-ui-dist" in manifest


def test_compose_runs_every_service_from_one_image_with_healthchecks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "web", "worker", "beat"}
    assert {services[name]["image"] for name in ("web", "worker", "beat")} == {"expo:latest"}
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "pgdata" in compose["volumes"]
    assert "celery" in services["worker"]["command"] and "beat" in services["beat"]["command"]
