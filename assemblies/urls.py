from django.urls import path

from . import views

app_name = "assemblies"

urlpatterns = [
    path("", views.VillageListView.as_view(), name="village_list"),
    path("villages/<str:code>/", views.VillageDetailView.as_view(), name="village_detail"),
    path("villages/<str:code>/households/add/", views.HouseholdCreateView.as_view(), name="household_add"),
    path("villages/<str:code>/points/add/", views.DiscussionPointCreateView.as_view(), name="discussionpoint_add"),
    path("villages/<str:code>/pilot/", views.SpeakerPilotView.as_view(), name="speakerpilot_edit"),
    path("villages/<str:code>/meetings/add/", views.MeetingCreateView.as_view(), name="meeting_add"),
    path("households/<int:pk>/", views.HouseholdDetailView.as_view(), name="household_detail"),
    path("households/<int:pk>/edit/", views.HouseholdUpdateView.as_view(), name="household_edit"),
    path("households/<int:pk>/representative/", views.RepresentativeChangeView.as_view(),
         name="household_representative"),
    path("households/import/", views.HouseholdImportView.as_view(), name="household_import"),
    path("points/<int:pk>/edit/", views.DiscussionPointUpdateView.as_view(), name="discussionpoint_edit"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.MeetingUpdateView.as_view(), name="meeting_edit"),
    path("meetings/<int:pk>/matters/add/", views.MatterCreateView.as_view(), name="matter_add"),
    path("matters/", views.MatterListView.as_view(), name="matter_list"),
    path("matters/<int:pk>/", views.MatterDetailView.as_view(), name="matter_detail"),
    path("matters/<int:pk>/edit/", views.MatterUpdateView.as_view(), name="matter_edit"),
    path("matters/<int:pk>/follow-ups/add/", views.FollowUpCreateView.as_view(), name="followup_add"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/add/", views.InspectionCreateView.as_view(), name="inspection_add"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/<int:pk>/edit/", views.InspectionUpdateView.as_view(), name="inspection_edit"),
    path("good-practice/", views.ModelVillageListView.as_view(), name="modelvillage_list"),
    path("good-practice/add/", views.ModelVillageCreateView.as_view(), name="modelvillage_add"),
    path("good-practice/<int:pk>/remove/", views.ModelVillageRemoveView.as_view(), name="modelvillage_remove"),
    path("filings/", views.FilingListView.as_view(), name="filing_list"),
    path("filings/batch/", views.FilingBatchView.as_view(), name="filing_batch"),
    path("filings/add/", views.FilingCreateView.as_view(), name="filing_add"),
    path("filings/<int:pk>/", views.FilingDetailView.as_view(), name="filing_detail"),
    path("filings/<int:pk>/compile/", views.FilingTransitionView.as_view(step="compile"), name="filing_compile"),
    path("filings/<int:pk>/submit/", views.FilingTransitionView.as_view(step="submit"), name="filing_submit"),
    path("filings/<int:pk>/acknowledge/", views.FilingTransitionView.as_view(step="acknowledge"),
         name="filing_acknowledge"),
    path("filings/<int:pk>/return/", views.FilingTransitionView.as_view(step="return"), name="filing_return"),
]
