from django.apps import AppConfig, apps

from . import checks  # noqa: F401  (registers the deployment checks; checks.py imports no models)
from .choices import install


class CoreConfig(AppConfig):
    name = "lvzhi.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        install(apps.get_models(include_auto_created=True))
