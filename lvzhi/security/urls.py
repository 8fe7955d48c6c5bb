from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("incidents/", views.incidents, name="incidents"),
    path("incidents/export.xlsx", views.export, name="export"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident"),
    path("incidents/<int:incident_id>/<slug:step>/", views.incident_step, name="incident_step"),
]
