from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from socialplan.api.api import api
from socialplan.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("account/", include("allauth.urls")),
    path("area-personale/monitoraggio/", include("socialplan.monitoring.urls")),
    path("area-personale/opportunita/", include("socialplan.matching.urls")),
    path("area-personale/", include("socialplan.ecosystem.urls")),
    path("committenti/area/", include("socialplan.buyers.urls")),
    path("opportunita/cruscotto/", include("socialplan.opportunities.dashboard_urls")),
    path("opportunita/", include("socialplan.opportunities.urls")),
    path("opportunita/", include("socialplan.matching.urls_public")),
    path("partecipa/proposte/", include("socialplan.proposals.urls")),
    path("partecipa/attivita/", include("socialplan.engagement.urls")),
    path("partecipa/consultazioni/", include("socialplan.consultations.urls")),
    path("partecipa/opinioni/", include("socialplan.opinions.urls")),
    path("partecipa/", include("socialplan.participation.urls")),
    path("", include("socialplan.portal.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
