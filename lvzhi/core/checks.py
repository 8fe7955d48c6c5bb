"""`lvzhi check --deploy` refuses development keys."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def development_keys(app_configs, **kwargs):
    errors = []
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        errors.append(checks.Error("SECRET_KEY is the development key.", id="lvzhi.E001"))
    if settings.LVZHI_FIELD_KEY == settings.DEV_FIELD_KEY:
        errors.append(checks.Error("LVZHI_FIELD_KEY is the development key.", id="lvzhi.E002"))
    if settings.LVZHI_AUDIT_KEY == settings.DEV_AUDIT_KEY:
        errors.append(checks.Error("LVZHI_AUDIT_KEY is the development key.", id="lvzhi.E003"))
    if settings.LVZHI_SMS_BACKEND == "console":
        errors.append(checks.Warning("SMS goes to the console: set LVZHI_SMS_BACKEND.", id="lvzhi.W001"))
    return errors
