from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "socialplan.ecosystem"
    label = "ecosystem"
    verbose_name = _("Ecosystem")

    def ready(self) -> None:
        from socialplan.core.cache import watch_public_content
        from socialplan.territory.models import Comune, Territory

        from .models import Membership, ProfileChange

        # Memberships and changes waiting for review are never on public
        # pages; everything else is (a person only by name). The map and the
        # directory also show the territory, so loading it refreshes them.
        private = (Membership, ProfileChange)
        public = [
            model
            for model in self.get_models()
            if not model.__name__.startswith("Historical") and not issubclass(model, private)
        ]
        watch_public_content([*public, Territory, Comune])
