"""A real Celery worker on Redis picks up a task and finishes it."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from expo.celery import app
from expo.tasks import email_send
from tests.conftest import redis_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.redis
@pytest.mark.worker
def test_worker_on_redis_sends_an_email(tmp_path):
    url = redis_url()
    mail_dir = tmp_path / "mail"
    env = {**os.environ, "REDIS_URL": url, "EMAIL_URL": f"file://{mail_dir}", "DEBUG": "1"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "expo",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
            "-Q",
            "test-worker",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous = (app.conf.broker_url, app.conf.result_backend)
    app.conf.broker_url = app.conf.result_backend = url
    try:
        result = email_send.apply_async(
            kwargs={"to": ["ana@hospital.mx"], "subject": "Bienvenida", "body": "Hola"}, queue="test-worker"
        )
        assert result.get(timeout=60) == 1
        files = list(mail_dir.glob("*.log"))
        assert len(files) == 1 and "Bienvenida" in files[0].read_text()
    finally:
        app.conf.broker_url, app.conf.result_backend = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
        time.sleep(0)
