from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "socialplan.core"
    label = "core"
