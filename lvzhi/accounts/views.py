"""Login, logout, password change and reset, the administrators' second factor, the profile page."""

import base64
import time

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as django_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from lvzhi.core.errors import ApplicationError

from . import auth_services, tokens
from .errors import AccountLocked
from .forms import ForgotForm, LoginForm, OtpForm, PasswordChangeForm, ResetForm
from .permissions import is_administrator, may_see_identity
from .selectors import active_roles, live_tokens, member_profiles

BACKEND = "lvzhi.accounts.backends.PhonePasswordBackend"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    form = LoginForm(request.POST or None)
    notice = ""
    if request.GET.get("idle"):
        notice = _("You were logged out because you were inactive for too long. Please log in again.")
    elif request.GET.get("frozen"):
        notice = _("This account is frozen; please contact the information office.")
    if request.method == "POST" and form.is_valid():
        try:
            user = auth_services.login_with_password(
                phone=form.cleaned_data["phone"], password=form.cleaned_data["password"], channel="web"
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            django_login(request, user, backend=BACKEND)
            request.session["last_seen"] = time.time()
            messages.success(request, _("Welcome, %(name)s.") % {"name": user.real_name})
            return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/login.html", {"form": form, "notice": notice, "next": _next_url(request)})


@require_POST
def logout_view(request):
    auth_services.logout_user(request, reason="user")
    messages.info(request, _("You have logged out."))
    response = redirect(settings.LOGIN_URL)
    # The phone app keeps pages and offline drafts on the device: logout removes them (and app.js does too, for
    # browsers that ignore this header).
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@sensitive_post_parameters("current_password", "new_password1", "new_password2")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    user = request.user
    form = PasswordChangeForm(request.POST or None)
    forced = auth_services.password_change_required(user)
    if request.method == "POST" and form.is_valid():
        try:
            auth_services.change_own_password(
                user=user,
                current_password=form.cleaned_data["current_password"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ApplicationError as exc:
            field = "current_password" if exc.code == "wrong_password" else "new_password1"
            form.add_error(field, exc.message)
        else:
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


@never_cache
@require_http_methods(["GET", "POST"])
def password_forgot(request):
    form = ForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            auth_services.request_reset_code(phone=phone)
        except ApplicationError as exc:
            form.add_error("phone", exc.message)
        else:
            request.session["reset_phone"] = phone
            messages.info(
                request,
                _("If this number belongs to an account, a verification code has been sent to it by SMS."),
            )
            return redirect("accounts:password_reset")
    return render(request, "accounts/password_forgot.html", {"form": form})


@sensitive_post_parameters("code", "new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    form = ResetForm(request.POST or None, initial={"phone": request.session.get("reset_phone", "")})
    if request.method == "POST" and form.is_valid():
        try:
            auth_services.reset_password_with_code(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["new_password1"],
            )
        except ApplicationError as exc:
            form.add_error("new_password1" if exc.code == "weak_password" else "code", exc.message)
        else:
            request.session.pop("reset_phone", None)
            messages.success(request, _("Your password has been reset. Please log in with the new password."))
            return redirect(settings.LOGIN_URL)
    return render(request, "accounts/password_reset.html", {"form": form})


def _otp_locked(request, exc):
    auth_services.logout_user(request, reason="locked")
    messages.error(request, exc.message)
    return redirect(settings.LOGIN_URL)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_enrol(request):
    user = request.user
    if not is_administrator(user) or user.is_verified():
        return redirect(settings.LOGIN_REDIRECT_URL)
    if auth_services.confirmed_totp_device(user):
        return redirect("accounts:otp_verify")
    device = auth_services.start_totp_enrolment(user=user)
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = auth_services.confirm_totp_enrolment(user=user, token=form.cleaned_data["token"])
        except AccountLocked as exc:
            return _otp_locked(request, exc)
        except ApplicationError as exc:
            form.add_error("token", exc.message)
        else:
            django_otp.login(request, device)
            messages.success(request, _("The authenticator app is set up."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
        "secret": base64.b32encode(device.bin_key).decode("ascii"),
    }
    return render(request, "accounts/otp_enrol.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    if not is_administrator(user) or user.is_verified():
        return redirect(settings.LOGIN_REDIRECT_URL)
    if not auth_services.confirmed_totp_device(user):
        return redirect("accounts:otp_enrol")
    form = OtpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = auth_services.verify_totp(user=user, token=form.cleaned_data["token"])
        except AccountLocked as exc:
            return _otp_locked(request, exc)
        except ApplicationError as exc:
            form.add_error("token", exc.message)
        else:
            django_otp.login(request, device)
            return redirect(_next_url(request) or settings.LOGIN_REDIRECT_URL)
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def profile(request):
    user = request.user
    may_reveal = bool(user.id_card) and may_see_identity(user, user)
    reveal = may_reveal and request.GET.get("show") == "id"
    context = {
        "subject": user,
        "id_card": user.id_card if reveal else user.masked_id_card,
        "may_reveal": may_reveal and not reveal,
        "roles": active_roles(user),
        "profiles": list(member_profiles(user)),
        "tokens": list(live_tokens(user)),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def token_revoke(request, token_id: int):
    token = tokens.access_token(request.user, token_id)
    tokens.revoke_token(actor=request.user, token=token)
    messages.success(request, _("The device has been logged out."))
    return redirect("accounts:profile")
