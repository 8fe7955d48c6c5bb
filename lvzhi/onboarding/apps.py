from django.apps import AppConfig

from lvzhi.core.tick import register_tick_job


class OnboardingConfig(AppConfig):
    name = "lvzhi.onboarding"
    label = "onboarding"
    verbose_name = "机构入驻"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        register_tick_job("onboarding.purge_uploads", "lvzhi.onboarding.services.purge_uploads")
