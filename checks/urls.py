from django.urls import path

from . import views

app_name = "checks"

urlpatterns = [
    path("spot-checks/", views.SpotCheckListView.as_view(), name="spotcheck_list"),
    path("spot-checks/draw/", views.SpotCheckDrawView.as_view(), name="spotcheck_add"),
    path("spot-checks/<int:pk>/", views.SpotCheckDetailView.as_view(), name="spotcheck_detail"),
    path("spot-checks/samples/<int:pk>/", views.SampleCheckView.as_view(), name="sample_check"),
    path("reopen/", views.ReopenListView.as_view(), name="reopen_list"),
    path("reopen/<str:kind>/<int:pk>/ask/", views.ReopenAskView.as_view(), name="reopen_add"),
    path("reopen/<int:pk>/", views.ReopenDecideView.as_view(), name="reopen_decide"),
]
