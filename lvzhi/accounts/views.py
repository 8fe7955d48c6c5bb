# Replaced by the accounts work: login, logout, password change, profile.
from django.contrib.auth import views as auth_views
from django.http import HttpResponse

login_view = auth_views.LoginView.as_view(template_name="accounts/login.html")
logout_view = auth_views.LogoutView.as_view()


def password_change(request):
    return HttpResponse("")


def profile(request):
    return HttpResponse("")
