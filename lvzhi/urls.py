from django.urls import include, path, re_path

from lvzhi.api.api import api, not_found_json

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/data-change/", include("lvzhi.datachange.urls")),
    path("accounts/", include("lvzhi.accounts.urls")),
    path("inbox/", include("lvzhi.notify.urls")),
    path("office/calendar/", include("lvzhi.workdays.urls")),
    path("office/data-access/", include("lvzhi.accounts.urls_grants")),
    path("office/audit/", include("lvzhi.audit.urls")),
    path("office/screening/", include("lvzhi.screening.urls")),
    path("office/security/", include("lvzhi.security.urls")),
    path("content/", include("lvzhi.content.urls")),
    path("opinions/", include("lvzhi.opinions.urls")),
    path("proposals/", include("lvzhi.proposals.urls")),
    path("duty/", include("lvzhi.duty.urls")),
    path("feedback/", include("lvzhi.feedback.urls")),
    path("deliberation/", include("lvzhi.deliberation.urls")),
    path("consultation/", include("lvzhi.consultation.urls")),
    path("newmedia/", include("lvzhi.newmedia.urls")),
    path("monitoring/", include("lvzhi.monitoring.urls")),
    path("inspections/", include("lvzhi.inspections.urls")),
    path("sso/", include("lvzhi.inspections.urls_sso")),
    path("site/<slug:site_code>/", include("lvzhi.portal.urls_public")),
    path("portal/", include("lvzhi.portal.urls")),
    path("letters/", include("lvzhi.letters.urls")),
    path("deputies/", include("lvzhi.deputies.urls")),
    path("learning/", include("lvzhi.learning.urls")),
    path("dashboards/", include("lvzhi.dashboards.urls")),
    path("office/onboarding/", include("lvzhi.onboarding.urls")),
    path("office/", include("lvzhi.backoffice.urls")),
    path("api/v1/", api.urls),
    re_path(r"^api/", not_found_json),
    path("", include("lvzhi.web.urls")),
]

handler404 = "lvzhi.web.views.not_found"
handler500 = "lvzhi.web.views.server_error"
