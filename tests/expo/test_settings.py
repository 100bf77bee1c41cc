"""Settings come from environment variables; a bad value stops start-up naming the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("PORT", "eighty"),
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://x/y"),
        ("REDIS_URL", "http://x"),
        ("EMAIL_URL", "pigeon://coop"),
    ],
)
def test_bad_value_stops_start_up_naming_the_variable(variable, value):
    result = run_check(**{"DEBUG": "1", variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr.splitlines()[-1]


def test_secret_key_required_when_debug_is_off():
    result = run_check(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_start_with_a_secret_key():
    result = run_check(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="expo.example.mx")
    assert result.returncode == 0, result.stderr


def test_smtp_email_url_is_parsed():
    from expo.settings import email_from_url

    os.environ["TEST_EMAIL_URL"] = "smtp://user%40x:p%3Ass@mail.example.mx:587?tls=1"
    try:
        config = email_from_url("TEST_EMAIL_URL", "console:")
    finally:
        del os.environ["TEST_EMAIL_URL"]
    assert config["EMAIL_HOST"] == "mail.example.mx"
    assert config["EMAIL_PORT"] == 587
    assert config["EMAIL_HOST_USER"] == "user@x"
    assert config["EMAIL_HOST_PASSWORD"] == "p:ss"
    assert config["EMAIL_USE_TLS"] is True


def test_the_development_env_file_makes_readme_commands_work_and_never_beats_the_environment(tmp_path):
    """`make run` writes var/dev.env (DEBUG=1): manage.py commands then run as written, without
    SECRET_KEY; a real environment variable always wins, so production stays strict."""
    env_file = tmp_path / "dev.env"
    env_file.write_text("# written by make run\nDEBUG=1\n")
    assert run_check(EXPO_ENV_FILE=str(env_file)).returncode == 0
    strict = run_check(EXPO_ENV_FILE=str(env_file), DEBUG="0")
    assert strict.returncode != 0 and "SECRET_KEY" in strict.stderr
    assert run_check(EXPO_ENV_FILE="none").returncode != 0


def test_the_docker_image_never_gets_the_development_env_file():
    assert "var" in (ROOT / ".dockerignore").read_text().split()


def test_behind_a_transaction_pooler_no_cursor_outlives_its_transaction(monkeypatch):
    from expo.settings import database_from_url

    monkeypatch.setenv("DATABASE_URL", "postgres://expo@pgbouncer:6432/expo")
    direct = database_from_url("DATABASE_URL", "sqlite:///x")
    assert direct["CONN_MAX_AGE"] == 60 and not direct.get("DISABLE_SERVER_SIDE_CURSORS")
    monkeypatch.setenv("DATABASE_POOLED", "1")
    pooled = database_from_url("DATABASE_URL", "sqlite:///x")
    assert pooled["CONN_MAX_AGE"] == 0 and pooled["DISABLE_SERVER_SIDE_CURSORS"] is True
