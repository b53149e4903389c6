"""Laptop and demo settings: SQLite, DEBUG, console email.

Used by `make run`. Never use in production: see socialplan.settings.production.
"""

import os

from .base import *  # noqa: F403

DEBUG = os.environ.get("DEBUG", "1") == "1"
# A development-only key; production refuses to start without SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-not-for-production"
