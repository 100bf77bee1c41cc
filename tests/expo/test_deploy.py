"""The production shape: static files collect under DEBUG=0, and docker-compose.yml has its services."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_static_files_collect_for_production(tmp_path):
    # Into a folder of its own: collecting into the checkout's staticfiles/ raced with the other test
    # process, whose WhiteNoise reads that folder when a WSGI handler starts (FileNotFoundError).
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": "collectstatic-only", "STATIC_ROOT": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "expo/site.css" in manifest and "drf_spectacular_sidecar/swagger-ui-dist" in manifest


def test_compose_runs_every_service_from_one_image_with_healthchecks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "proxy", "worker", "beat"}
    assert {services[name]["image"] for name in ("migrate", "web", "worker", "beat")} == {"expo:latest"}
    for name in ("db", "redis", "web", "proxy", "worker"):
        assert "healthcheck" in services[name], name
    assert {"pgdata", "static"} <= set(compose["volumes"])
    assert "celery" in services["worker"]["command"] and "beat" in services["beat"]["command"]


def test_compose_scales_web_and_workers_behind_one_proxy_with_one_migration_and_one_beat():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    # Replicas of web and worker can be added: no fixed host port, no container name, no local state.
    for name in ("web", "worker"):
        assert "ports" not in services[name] and "container_name" not in services[name], name
    assert services["proxy"]["ports"] == ["${PORT:-8000}:80"]
    # Migrations run once, before any web replica, not in every web replica's command.
    assert "migrate" in services["migrate"]["command"][-1] and services["migrate"]["restart"] == "no"
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate" not in " ".join(services["web"]["command"])
    assert services["beat"]["deploy"]["replicas"] == 1
    # nginx serves the collected static files with long cache headers and passes the client's address.
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "immutable" in nginx and "X-Forwarded-For" in nginx and "server web:8000" in nginx
    assert "static:/srv/static:ro" in services["proxy"]["volumes"]
    assert services["web"]["environment"]["PROXY_COUNT"] == "${PROXY_COUNT:-1}"
