from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "lvzhi.content"
    label = "content"
    verbose_name = _("Content")

    def ready(self):
        from lvzhi.core.tick import register_tick_job

        from . import defaults  # noqa: F401  (registers the body settings of content)

        register_tick_job("content.publish_due", "lvzhi.content.services.publish_due")
        register_tick_job("content.expire_due", "lvzhi.content.services.expire_due")
