from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "lvzhi.inspections"
    label = "inspections"
    verbose_name = _("Inspections and assessment")

    def ready(self):
        from . import rules, workflows  # noqa: F401  (settings and workflows declared at start-up)
        from .jobs import register_jobs  # runs before the app registry is ready

        register_jobs()
