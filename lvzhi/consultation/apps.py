from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "lvzhi.consultation"
    label = "consultation"
    verbose_name = _("Remote consultation")

    def ready(self):
        from . import rules, workflows  # noqa: F401  (the body setting and the workflow declared at start-up)
