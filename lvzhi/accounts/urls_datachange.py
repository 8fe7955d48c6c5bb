# Placeholder until its owner writes the real pages.
from django.http import HttpResponse
from django.urls import path

app_name = "datachange"
urlpatterns = [path("", lambda request: HttpResponse(""), name="queue")]
