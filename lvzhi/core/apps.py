from django.apps import AppConfig

from . import checks  # noqa: F401  (registers the deployment checks; checks.py imports no models)


class CoreConfig(AppConfig):
    name = "lvzhi.core"
    label = "core"
    verbose_name = "Core"
