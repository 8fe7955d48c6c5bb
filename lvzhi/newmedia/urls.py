from django.urls import path

from . import views

app_name = "newmedia"
urlpatterns = [
    path("", views.matrix, name="matrix"),
    path("register/", views.register, name="register"),
    path("outlets/<int:pk>/", views.outlet, name="outlet"),
    path("outlets/<int:pk>/propose/", views.propose, name="propose"),
    path("outlets/<int:pk>/step/<slug:name>/", views.outlet_step, name="outlet_step"),
    path("filings/<int:pk>/", views.filing, name="filing"),
    path("filings/<int:pk>/step/<slug:name>/", views.filing_step, name="filing_step"),
    path("filings/<int:pk>/form.xlsx", views.filing_form, {"fmt": "xlsx"}, name="filing_xlsx"),
    path("filings/<int:pk>/form.json", views.filing_form, {"fmt": "json"}, name="filing_json"),
    path("rejections/<int:pk>/", views.rejection, name="rejection"),
    path("queue/", views.queue, name="queue"),
    path("cleanup/", views.cleanup, name="cleanup"),
    path("accountability/", views.accountability, name="accountability"),
    path("notices/", views.notices, name="notices"),
]
