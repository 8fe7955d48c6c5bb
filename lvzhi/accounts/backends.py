from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class PhonePasswordBackend(ModelBackend):
    """Phone + password; frozen or departed users cannot authenticate. Lockout is handled by the login service."""

    def user_can_authenticate(self, user):
        return user.is_active and not user.is_frozen

    def get_user(self, user_id):
        """The session's user even when frozen or departed, so that AccountPolicyMiddleware ends the session
        explicitly (audited, with the reason) at their next request instead of it silently going stale."""
        try:
            return get_user_model()._default_manager.select_related("unit__body").get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
