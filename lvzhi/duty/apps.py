from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutyConfig(AppConfig):
    name = "lvzhi.duty"
    label = "duty"
    verbose_name = _("Duty records")

    def ready(self):
        from . import rules, workflows  # noqa: F401  (settings and workflows declared at start-up)
        from .jobs import register_jobs

        register_jobs()
