from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "lvzhi.learning"
    label = "learning"
    verbose_name = "委员学习"
    default_auto_field = "django.db.models.BigAutoField"
