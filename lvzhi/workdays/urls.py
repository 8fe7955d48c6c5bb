from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.calendar_page, name="calendar"),
    path("delete/", views.delete_override, name="delete"),
    path("confirm/", views.confirm_year, name="confirm"),
]
