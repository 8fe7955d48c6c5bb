from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("write/", views.write, name="write"),
    path("lookup/", views.lookup, name="lookup"),
    path("answers/", views.knowledge_base, name="kb"),
    path("answers/<int:pk>/", views.knowledge_entry, name="kb_entry"),
    path("answers/similar/", views.suggest, name="suggest"),
    path("sites/", views.sites, name="sites"),
    path("controls/", views.controls, name="controls"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/steps/<slug:name>/", views.step, name="step"),
]
