from django.contrib.auth.backends import ModelBackend


class PhonePasswordBackend(ModelBackend):
    """Phone + password; frozen or departed users cannot authenticate. Lockout is handled by the login service."""

    def user_can_authenticate(self, user):
        return user.is_active and not user.is_frozen
