from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "lvzhi.letters"
    label = "letters"
    verbose_name = "群众留言"
    default_auto_field = "django.db.models.BigAutoField"
