from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataChangeConfig(AppConfig):
    name = "lvzhi.datachange"
    label = "datachange"
    verbose_name = _("Personal-data change requests")
