from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lvzhi.core.tick import register_tick_job


class WorkdaysConfig(AppConfig):
    name = "lvzhi.workdays"
    label = "workdays"
    verbose_name = _("Working days")

    def ready(self):
        register_tick_job("workdays.next_year_reminder", "lvzhi.workdays.services.remind_unconfirmed_next_year")
