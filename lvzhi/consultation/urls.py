from django.urls import path

from . import views

app_name = "consultation"
urlpatterns = [
    path("", views.meetings, name="meetings"),
    path("new/", views.new_meeting, name="new"),
    path("apply/", views.apply, name="apply"),
    path("office/", views.office, name="office"),
    path("<int:pk>/", views.meeting, name="meeting"),
    path("<int:pk>/step/<slug:name>/", views.meeting_step, name="step"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
]
