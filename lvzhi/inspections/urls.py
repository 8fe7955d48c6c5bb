from django.urls import path

from . import views, views_more

app_name = "inspections"
urlpatterns = [
    path("", views.home, name="home"),
    path("self/<int:pk>/", views.self_detail, name="self"),
    path("self/<int:pk>/regenerate/", views.self_regenerate, name="self_regenerate"),
    path("self/<int:pk>/step/<slug:name>/", views.self_step, name="self_step"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/step/<slug:name>/", views.round_step, name="round_step"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("fixes/", views.fixes, name="fixes"),
    path("fixes/<int:pk>/", views.fix_detail, name="fix"),
    path("fixes/<int:pk>/step/<slug:name>/", views.fix_step, name="fix_step"),
    path("assessment/", views.assessment, name="assessment"),
    path("results/", views_more.results, name="results"),
    path("accountability/", views_more.accountability, name="accountability"),
    path("security/", views_more.security, name="security"),
    path("security/<int:outlet_id>/", views_more.security_outlet, name="security_outlet"),
    path("archive/<int:outlet_id>/<int:year>.xlsx", views_more.archive, {"fmt": "xlsx"}, name="archive_xlsx"),
    path("archive/<int:outlet_id>/<int:year>.zip", views_more.archive, {"fmt": "zip"}, name="archive_zip"),
    path("public/", views_more.public_rounds, name="public"),
    path("public/rounds/<int:pk>/", views_more.public_round, name="public_round"),
    path("public/assessments/<int:office_id>/<int:year>/", views_more.public_assessment, name="public_assessment"),
]
