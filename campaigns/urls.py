from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="create"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/progress/", views.campaign_progress, name="progress"),
    path("<int:pk>/offline-pages/", views.campaign_offline_pages, name="offline_pages"),
    path("<int:pk>/targets/", views.campaign_targets, name="targets"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("<int:pk>/targets/assign/", views.campaign_assign, name="assign"),
    path("<int:pk>/targets/remove/", views.campaign_targets_remove, name="targets_remove"),
    path("<int:pk>/forces/", views.campaign_force, name="force"),
    path("<int:pk>/forces/remove/", views.campaign_force_remove, name="force_remove"),
    path("<int:pk>/start/", views.campaign_start, name="start"),
    path("<int:pk>/close/", views.campaign_close, name="close"),
    path("<int:pk>/report/", views.campaign_report, name="report"),
    path("<int:pk>/posters/", views.campaign_posters, name="posters"),
]
