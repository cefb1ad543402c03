from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from dashboards import views_my

from . import views

admin.site.site_header = _("Ward police — administration")
admin.site.site_title = _("Ward police")
admin.site.index_title = _("System administration")

handler400 = "ward_police.views.error_400"
handler403 = "ward_police.views.error_403"
handler404 = "ward_police.views.error_404"
handler500 = "ward_police.views.error_500"

urlpatterns = [
    # Officers land on /my/, leaders on /my/leader/, the chairman and administrators on /dashboard/.
    path("", views_my.landing, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("dashboard/", include("dashboards.urls")),
    path("my/", include("dashboards.urls_my")),
    path("wards/", include("wards.urls")),
    path("documents/", include("documents.urls")),
    path("register/", include("documents.urls_register")),
    path("businesses/", include("businesses.urls_documents")),
    path("businesses/", include("businesses.urls")),
    path("feedback/", include("businesses.urls_feedback")),
    path("p/", include("businesses.urls_public")),
    path("v/", include("documents.urls_verify")),
    path("criteria/", include("criteria.urls")),
    path("violations/", include("violations.urls")),
    path("inspections/", include("inspections.urls")),
    path("", include("inspections.urls_pwa")),
    path("campaigns/", include("campaigns.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
