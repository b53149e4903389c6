"""Settings for the test suite: the dev settings with fast hashing.

DATABASE_URL selects PostgreSQL exactly as in production.
"""

from .dev import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True
# Pages are rendered on every request in tests (query budgets measure the
# real work); the page cache has its own tests with a local-memory cache.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    # Real counters, in the test database (rolled back with each test).
    "ratelimit": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "socialplan_cache"},
}
