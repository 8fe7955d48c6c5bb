from django.urls import path

from . import views

app_name = "screening"
urlpatterns = [
    path("", views.lists, name="lists"),
    path("new/", views.list_new, name="list_new"),
    path("check/", views.check, name="check"),
    path("import-defaults/", views.import_defaults, name="import_defaults"),
    path("<int:list_id>/", views.list_detail, name="list"),
    path("<int:list_id>/terms/", views.term_add, name="term_add"),
    path("<int:list_id>/import/", views.term_import, name="term_import"),
    path("<int:list_id>/terms/<int:term_id>/retire/", views.term_retire, name="term_retire"),
    path("<int:list_id>/retire/", views.list_retire, name="list_retire"),
    path("<int:list_id>/restore/", views.list_restore, name="list_restore"),
]
