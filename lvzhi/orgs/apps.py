from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "lvzhi.orgs"
    label = "orgs"
    verbose_name = _("Organisations")

    def ready(self):
        from . import checks  # noqa: F401  (registers the settings-bounds check)
