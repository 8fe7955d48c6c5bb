from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lvzhi.core.crypto import EncryptedCharField
from lvzhi.core.masking import mask_id_card, mask_phone

phone_validator = RegexValidator(r"^1[3-9]\d{9}$", _("Enter an 11-digit mainland mobile number."))


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, phone, password=None, **fields):
        """Low-level creation for migrations and tests; the application uses accounts.services.create_user."""
        user = self.model(phone=phone, **fields)
        user.set_password(password)
        user.save()
        return user


class User(AbstractBaseUser):
    """A real-name user. The username is the mobile number (S0-22)."""

    phone = models.CharField(_("mobile number"), max_length=11, unique=True, validators=[phone_validator])
    real_name = models.CharField(_("real name"), max_length=50)
    id_card = EncryptedCharField(_("ID-card number"), blank=True, default="")
    email = models.EmailField(_("e-mail"), blank=True)
    unit = models.ForeignKey(
        "orgs.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="users", null=True
    )
    title = models.CharField(_("post"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True, help_text=_("Unticked when the user leaves."))
    is_frozen = models.BooleanField(_("frozen"), default=False)
    frozen_reason = models.CharField(_("reason for freezing"), max_length=200, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    date_joined = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "phone"
    REQUIRED_FIELDS = ["real_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["unit", "is_active"]), models.Index(fields=["real_name"])]

    def __str__(self):
        return self.real_name or self.phone

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_id_card(self):
        return mask_id_card(self.id_card)

    def get_full_name(self):
        return self.real_name

    def get_short_name(self):
        return self.real_name
