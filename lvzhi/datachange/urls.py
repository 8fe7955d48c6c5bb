from django.urls import path

from . import views

app_name = "datachange"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/reject/", views.reject, name="reject"),
]
