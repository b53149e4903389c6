"""Production settings pass Django's deployment checks with no warning."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # The browser tests' conftest allows async-unsafe calls in this process only.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "socialplan.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "piano.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


# What a public site must name in its privacy notice (GDPR art. 13).
PRIVACY = {
    "PRIVACY_CONTROLLER": "Città metropolitana di Torino, corso Inghilterra 7",
    "PRIVACY_CONTACT": "dpo@example.org",
}


def test_check_deploy_is_clean() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRIVACY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_while_the_privacy_notice_names_no_controller() -> None:
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", PRIVACY_CONTROLLER="", PRIVACY_CONTACT="")
    assert result.returncode != 0
    assert "socialplan.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
