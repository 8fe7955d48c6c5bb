from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

from .sources import register


class InspectionsConfig(AppConfig):
    name = "lvzhi.inspections"
    label = "inspections"
    verbose_name = _("Inspections and assessment")

    def ready(self):
        from . import rules, workflows  # noqa: F401  (settings and workflows declared at start-up)
        from .jobs import register_jobs  # runs before the app registry is ready

        register_jobs()
        if apps.is_installed("lvzhi.monitoring"):
            # the monitor's findings (crawler, update checks, on-duty) count in the self-inspection and assessment
            register("lvzhi.monitoring.selectors.assessment_facts")
