from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "lvzhi.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self):
        from lvzhi.core import cache

        from .selectors import unread_key

        cache.register_request_keys(lambda user: [unread_key(user.pk)])
