from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("", views.RoundListView.as_view(), name="round_list"),
    path("rounds/add/", views.RoundCreateView.as_view(), name="round_add"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/edit/", views.RoundUpdateView.as_view(), name="round_edit"),
    path("rounds/<int:pk>/open/", views.RoundTransitionView.as_view(step="open"), name="round_open"),
    path("sheets/batch/", views.SheetBatchView.as_view(), name="sheet_batch"),
    path("sheets/<int:pk>/", views.SheetDetailView.as_view(), name="sheet_detail"),
    path("sheets/<int:pk>/submit/", views.SheetTransitionView.as_view(step="submit"), name="sheet_submit"),
    path("sheets/<int:pk>/accept/", views.SheetTransitionView.as_view(step="accept"), name="sheet_accept"),
    path("sheets/<int:pk>/return/", views.SheetTransitionView.as_view(step="return"), name="sheet_return"),
    path("sheets/<int:pk>/publish/", views.SheetTransitionView.as_view(step="publish"), name="sheet_publish"),
    path("sheets/<int:pk>/print.pdf", views.SheetPdfView.as_view(), name="sheet_pdf"),
    path("sheets/<int:pk>/pay/", views.PayTableView.as_view(), name="pay_table"),
    path("sheets/<int:pk>/pay.pdf", views.PayTablePdfView.as_view(), name="pay_pdf"),
    path("sheets/<int:pk>/pay.xlsx", views.PayTableExportView.as_view(), name="pay_export"),
    path("results/<int:pk>/", views.ResultEditView.as_view(), name="result_edit"),
    path("cadres/<int:pk>/", views.CadreEvaluationsView.as_view(), name="cadre_detail"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/<int:pk>/", views.CaseUpdateView.as_view(), name="case_edit"),
]
