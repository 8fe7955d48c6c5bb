from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "lvzhi.feedback"
    label = "feedback"
    verbose_name = "意见反馈"
    default_auto_field = "django.db.models.BigAutoField"
