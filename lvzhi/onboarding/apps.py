from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "lvzhi.onboarding"
    label = "onboarding"
    verbose_name = "机构入驻"
    default_auto_field = "django.db.models.BigAutoField"
