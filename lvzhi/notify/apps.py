from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lvzhi.core import cache


class NotifyConfig(AppConfig):
    name = "lvzhi.notify"
    label = "notify"
    verbose_name = _("Notifications")

    def ready(self):
        # the selectors import models: apps.py is imported before the app registry is ready
        from .selectors import unread_key

        cache.register_request_keys(lambda user: [unread_key(user.pk)])
