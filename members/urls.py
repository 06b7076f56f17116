from django.urls import path

from . import views

app_name = "members"

MONTH = "months/<str:code>/<str:month>/"

urlpatterns = [
    path("months/", views.MonthOverviewView.as_view(), name="monthlyreview_list"),
    path("months/batch/", views.MonthBatchView.as_view(), name="monthlyreview_batch"),
    path(MONTH, views.MonthGridView.as_view(), name="monthlyreview_grid"),
    path(MONTH + "template.xlsx", views.MonthTemplateView.as_view(), name="monthlyreview_template"),
    path(MONTH + "import/", views.MonthImportView.as_view(), name="monthlyreview_import"),
    path(MONTH + "notice/", views.MonthNoticeView.as_view(), name="monthlyreview_notice"),
    path(MONTH + "minutes/", views.MonthMinutesView.as_view(), name="monthlyreview_minutes"),
    path(MONTH + "submit/", views.MonthTransitionView.as_view(step="submit"), name="monthlyreview_submit"),
    path(MONTH + "accept/", views.MonthTransitionView.as_view(step="accept"), name="monthlyreview_accept"),
    path(MONTH + "return/", views.MonthTransitionView.as_view(step="return"), name="monthlyreview_return"),
    path("roster/import/", views.RosterImportView.as_view(), name="partymember_import"),
    path("signals/", views.SignalsView.as_view(), name="signals"),
    path("rules/", views.RuleSetListView.as_view(), name="ruleset_list"),
    path("rules/template/", views.BasicRequirementListView.as_view(), name="basicrequirement_list"),
    path("rules/add/", views.RuleSetAdoptView.as_view(), name="ruleset_add"),
    path("policy/", views.CountyPolicyView.as_view(), name="countypolicy_edit"),
    path("rules/<int:pk>/revise/", views.RuleSetReviseView.as_view(), name="ruleset_revise"),
    path("rules/<int:pk>/", views.RuleSetDetailView.as_view(), name="ruleset_detail"),
    path("totals/", views.YearTotalsView.as_view(), name="member_totals"),
    path("warnings/", views.WarningListView.as_view(), name="warning_list"),
    path("warnings/add/", views.WarningCreateView.as_view(), name="warning_add"),
    path("warnings/<int:pk>/edit/", views.WarningUpdateView.as_view(), name="warning_edit"),
    path("dispositions/<int:pk>/edit/", views.DispositionUpdateView.as_view(), name="disposition_edit"),
    path("dispositions/add/", views.DispositionCreateView.as_view(), name="disposition_add"),
    path("objections/<int:pk>/", views.ObjectionAnswerView.as_view(), name="objection_answer"),
    # Public, no login: a village-month's notice by its signed token (the QR code's address) and its objection form.
    path("notice/<str:token>/", views.PublicNoticeView.as_view(), name="public_notice"),
    path("notice/<str:token>/objection/", views.PublicObjectionView.as_view(), name="public_objection"),
]
