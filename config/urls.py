from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import LoginView, LogoutView
from core.health import healthz
from core.views import RecordHistoryView
from villages.views import HomeView

admin.site.site_header = _("Qiangji administration")
admin.site.site_title = _("Qiangji")
admin.site.index_title = _("Records and accounts")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", RecordHistoryView.as_view(), name="record_history"),
    path("account/", include("accounts.urls")),
    path("", include("villages.urls")),
    path("members/", include("members.urls")),
    path("evaluations/", include("evaluations.urls")),
    path("pledges/", include("pledges.urls")),
    path("assemblies/", include("assemblies.urls")),
    path("checks/", include("checks.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]
