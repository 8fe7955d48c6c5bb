from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliberationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lvzhi.deliberation"
    label = "deliberation"
    verbose_name = _("Online deliberation")

    def ready(self):
        from . import rules, workflows  # noqa: F401  (body settings and the state machines are declared at import)
