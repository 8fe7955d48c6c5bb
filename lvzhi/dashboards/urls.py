from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.index, name="index"),
    path("deadlines/", views.deadline_view, name="deadlines"),
    path("deadlines/cases/", views.deadline_cases, name="cases"),
    path("flows/", views.flow_view, name="flows"),
    path("duty/", views.duty_view, name="duty"),
    path("screen/", views.screen, name="screen"),
]
