from django.urls import path

from . import views

app_name = "opinions"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("queue/", views.queue, name="queue"),
    path("queue/export.xlsx", views.queue_export, name="queue_export"),
    path("statistics/", views.stats, name="stats"),
    path("statistics/export.xlsx", views.stats_export, name="stats_export"),
    path("digests/", views.digests, name="digests"),
    path("digests/<int:pk>.xlsx", views.digest_xlsx, name="digest_xlsx"),
    path("topics/", views.topics, name="topics"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.discard, name="discard"),
    path("<int:pk>/step/<slug:name>/", views.step, name="step"),
    path("<int:pk>/photos/<int:aid>/", views.attachment, name="attachment"),
    path("<int:pk>/photos/<int:aid>/remove/", views.remove_attachment, name="remove_attachment"),
]
