# Placeholder until its owner writes the real pages.
from django.http import HttpResponse
from django.urls import path

app_name = "workdays"
urlpatterns = [path("", lambda request: HttpResponse(""), name="calendar")]
