from django.urls import path

from . import views

app_name = "notify"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read-all/", views.read_all, name="read_all"),
    path("badge/", views.badge, name="badge"),
    path("<int:message_id>/", views.open_message, name="open"),
    path("<int:message_id>/follow/", views.follow, name="follow"),
]
