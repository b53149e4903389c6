"""Session authentication for the API's writes: the login of the web pages.

ninja's `django_auth` checks the CSRF token before it looks at the user, so
an anonymous client that sends no token is told "403 CSRF check Failed"
instead of "401: log in". An anonymous request carries no session that a
forged request could ride on, so this subclass skips the check only for it:
a logged-in user still needs the token exactly as with `django_auth`, and an
anonymous one gets the 401 that tells it what to do.
"""

from django.http import HttpRequest
from ninja.security import SessionAuth as NinjaSessionAuth


class SessionAuth(NinjaSessionAuth):
    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)


session_auth = SessionAuth()
