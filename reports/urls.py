from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("<slug:code>/", views.ReportRunView.as_view(), name="report_run"),
]
