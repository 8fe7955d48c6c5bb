from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewmediaConfig(AppConfig):
    name = "lvzhi.newmedia"
    label = "newmedia"
    verbose_name = _("Government websites and new media")

    def ready(self):
        from . import rules, workflows  # noqa: F401  (settings and workflows declared at start-up)
        from .jobs import register_jobs

        register_jobs()
