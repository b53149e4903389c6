from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlignmentConfig(AppConfig):
    name = "socialplan.alignment"
    label = "alignment"
    verbose_name = _("Alignment")

    def ready(self) -> None:
        from socialplan.core.cache import watch_public_content
        from socialplan.plan.services import plan_content_loaded

        from .content import load_alignments_with_plan

        # The coverage matrix is a cached public page: any change to a framework, an item or a link shows at once.
        watch_public_content(model for model in self.get_models() if not model.__name__.startswith("Historical"))
        # `load_plan <name>` announces the plan's content; its alignments of the same name follow in its transaction.
        plan_content_loaded.connect(load_alignments_with_plan, dispatch_uid="alignment-load-alignments")
