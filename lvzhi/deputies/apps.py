from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "lvzhi.deputies"
    label = "deputies"
    verbose_name = "代表履职公开"
    default_auto_field = "django.db.models.BigAutoField"
