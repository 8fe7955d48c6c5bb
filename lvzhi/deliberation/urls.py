from django.urls import path

from . import views

app_name = "deliberation"
urlpatterns = [
    path("", views.topics, name="topics"),
    path("manage/", views.manage, name="manage"),
    path("topics/new/", views.new_topic, name="new"),
    path("topics/<int:pk>/", views.topic, name="topic"),
    path("topics/<int:pk>/edit/", views.edit_topic, name="edit"),
    path("topics/<int:pk>/step/<slug:name>/", views.topic_step, name="topic_step"),
    path("topics/<int:pk>/work/", views.work, name="work"),
    path("topics/<int:pk>/participation/", views.participation, name="participation"),
    path("topics/<int:pk>/report/", views.report, name="report"),
    path("posts/<int:pk>/<slug:name>/", views.post_action, name="post_action"),
    path("followups/<int:pk>/step/<slug:name>/", views.followup_step, name="followup_step"),
    path("requests/<int:pk>/take/", views.take_request, name="take_request"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]
