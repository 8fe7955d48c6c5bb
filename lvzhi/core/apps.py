from django.apps import AppConfig

from . import checks  # noqa: F401  (registers the deployment checks; checks.py imports no models)


class CoreConfig(AppConfig):
    name = "lvzhi.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.apps import apps

        from .choices import install

        install(apps.get_models(include_auto_created=True))
