from django.urls import path

from . import views

app_name = "pledges"

urlpatterns = [
    path("", views.PledgeListView.as_view(), name="pledge_list"),
    path("adoption/", views.AdoptionOverviewView.as_view(), name="pledge_adoption"),
    path("villages/<str:code>/add/", views.PledgeCreateView.as_view(), name="pledge_add"),
    path("<int:pk>/", views.PledgeDetailView.as_view(), name="pledge_detail"),
    path("<int:pk>/adopt/", views.PledgeAdoptView.as_view(), name="pledge_adopt"),
    path("<int:pk>/copy/", views.PledgeCopyView.as_view(), name="pledge_copy"),
    path("<int:pk>/items/add/", views.PledgeItemCreateView.as_view(), name="pledgeitem_add"),
    path("items/<int:pk>/edit/", views.PledgeItemUpdateView.as_view(), name="pledgeitem_edit"),
    path("reviews/", views.ReviewListView.as_view(), name="review_list"),
    path("reviews/batch/", views.ReviewBatchView.as_view(), name="review_batch"),
    path("reviews/<str:code>/<str:quarter>/", views.ReviewDetailView.as_view(), name="review_detail"),
    path("reviews/<str:code>/<str:quarter>/submit/", views.ReviewTransitionView.as_view(step="submit"),
         name="review_submit"),
    path("reviews/<str:code>/<str:quarter>/accept/", views.ReviewTransitionView.as_view(step="accept"),
         name="review_accept"),
    path("reviews/<str:code>/<str:quarter>/return/", views.ReviewTransitionView.as_view(step="return"),
         name="review_return"),
    path("reviews/<str:code>/<str:quarter>/rectifications/add/", views.RectificationOpenView.as_view(),
         name="rectification_add"),
    path("rectifications/", views.RectificationListView.as_view(), name="rectification_list"),
    path("rectifications/<int:pk>/edit/", views.RectificationUpdateView.as_view(), name="rectification_edit"),
    path("cadres/", views.CadreListView.as_view(), name="cadre_list"),
    path("cadres/<int:pk>/archive/", views.ArchiveDetailView.as_view(), name="archive_detail"),
    path("cadres/<int:pk>/archive.pdf", views.ArchivePdfView.as_view(), name="archive_pdf"),
    path("cadres/<int:pk>/archive/add/", views.ArchiveEntryCreateView.as_view(), name="archiveentry_add"),
    path("archive/<int:pk>/withdraw/", views.ArchiveEntryWithdrawView.as_view(), name="archiveentry_withdraw"),
    path("archive/<int:pk>/file/", views.ArchiveEntryFileView.as_view(), name="archiveentry_file"),
]
