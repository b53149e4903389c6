from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "socialplan.api"
    label = "api"
