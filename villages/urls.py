from django.urls import path

from . import views

app_name = "villages"

urlpatterns = [
    path("villages/", views.VillageListView.as_view(), name="village_list"),
    path("villages/import/", views.OrganisationImportView.as_view(), name="organisation_import"),
    path("villages/<str:code>/", views.VillageDetailView.as_view(), name="village_detail"),
    path("villages/<str:code>/posts/add/", views.CadrePostCreateView.as_view(), name="cadrepost_add"),
    path("posts/<int:pk>/edit/", views.CadrePostUpdateView.as_view(), name="cadrepost_edit"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/import/", views.PersonImportView.as_view(), name="person_import"),
    path("posts/import/", views.CadrePostImportView.as_view(), name="cadrepost_import"),
    path("people/add/", views.PersonCreateView.as_view(), name="person_add"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/reveal/", views.PersonRevealView.as_view(), name="person_reveal"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_edit"),
]
