from django.urls import path

from . import user_export, views, views_leaders

app_name = "backoffice"
urlpatterns = [
    path("", views.index, name="index"),
    path("users/", views.users, name="users"),
    path("users/export/", user_export.users_export, name="users_export"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:user_id>/", views.user_detail, name="user"),
    path("users/<int:user_id>/edit/", views.user_edit, name="user_edit"),
    path("users/<int:user_id>/profile/", views.user_profile, name="user_profile"),
    path("users/<int:user_id>/roles/", views.user_roles, name="user_roles"),
    path("users/<int:user_id>/roles/<int:assignment_id>/revoke/", views.user_revoke, name="user_revoke"),
    path("users/<int:user_id>/freeze/", views.user_freeze, name="user_freeze"),
    path("users/<int:user_id>/unfreeze/", views.user_unfreeze, name="user_unfreeze"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:user_id>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("units/", views.units, name="units"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit"),
    path("units/<int:unit_id>/new/", views.unit_new, name="unit_new"),
    path("units/<int:unit_id>/rename/", views.unit_rename, name="unit_rename"),
    path("units/<int:unit_id>/leaders/<str:duty>/", views_leaders.unit_leader, name="unit_leader"),
    path("units/<int:unit_id>/deactivate/", views.unit_active, {"active": False}, name="unit_deactivate"),
    path("units/<int:unit_id>/reactivate/", views.unit_active, {"active": True}, name="unit_reactivate"),
    path("settings/", views.settings_index, name="settings"),
    path("staffing/", views.staffing, name="staffing"),
    path("settings/<int:body_id>/", views.settings_body, name="settings_body"),
]
