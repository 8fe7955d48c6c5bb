from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("", views.events, name="events"),
    path("export.xlsx", views.export, name="export"),
    path("<int:event_id>/", views.event_detail, name="event"),
]
