from django.urls import path

from . import views

app_name = "members"

MONTH = "months/<str:code>/<str:month>/"

urlpatterns = [
    path("months/", views.MonthOverviewView.as_view(), name="monthlyreview_list"),
    path(MONTH, views.MonthGridView.as_view(), name="monthlyreview_grid"),
    path(MONTH + "submit/", views.MonthSubmitView.as_view(), name="monthlyreview_submit"),
    path(MONTH + "accept/", views.MonthAcceptView.as_view(), name="monthlyreview_accept"),
    path(MONTH + "return/", views.MonthReturnView.as_view(), name="monthlyreview_return"),
    path("signals/", views.SignalsView.as_view(), name="signals"),
    path("rules/", views.RuleSetListView.as_view(), name="ruleset_list"),
    path("rules/<int:pk>/", views.RuleSetDetailView.as_view(), name="ruleset_detail"),
    path("totals/", views.YearTotalsView.as_view(), name="member_totals"),
    path("warnings/", views.WarningListView.as_view(), name="warning_list"),
    path("warnings/add/", views.WarningCreateView.as_view(), name="warning_add"),
    path("dispositions/add/", views.DispositionCreateView.as_view(), name="disposition_add"),
]
