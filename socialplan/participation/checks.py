"""`manage.py check --deploy`: what a public site must say before participants sign up."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def privacy_controller_named(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """The privacy notice must name the controller and a contact (GDPR art. 13(1)(a)); without them it speaks of
    "the plan office" in general terms, which is enough for a demo and not for a public site."""
    missing = [name for name in ("PRIVACY_CONTROLLER", "PRIVACY_CONTACT") if not getattr(settings, name, "")]
    if not missing:
        return []
    return [
        Warning(
            f"{' and '.join(missing)} not set: the privacy notice does not name the controller or where participants "
            "exercise their rights.",
            hint="Set them in the environment (see the README's configuration table) and raise PRIVACY_NOTICE_VERSION.",
            id="socialplan.W001",
        )
    ]
