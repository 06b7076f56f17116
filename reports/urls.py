from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.ReportListView.as_view(), name="report_list"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    # Before <slug:code>/: "exports" is not a report.
    path("exports/<uuid:pk>/", views.ExportView.as_view(), name="export_detail"),
    path("exports/<uuid:pk>/download/", views.ExportDownloadView.as_view(), name="export_download"),
    path("<slug:code>/", views.ReportRunView.as_view(), name="report_run"),
]
