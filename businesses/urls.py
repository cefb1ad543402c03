from django.urls import path

from . import views

app_name = "businesses"

urlpatterns = [
    path("", views.business_list_view, name="list"),
    path("new/", views.business_create_view, name="create"),
    path("export/", views.business_export, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("import/<uuid:pk>/", views.import_preview, name="import_preview"),
    path("access-log/", views.access_log, name="access_log"),
    path("<int:pk>/", views.business_detail, name="detail"),
    path("<int:pk>/edit/", views.business_edit, name="edit"),
    path("<int:pk>/reveal/", views.business_reveal, name="reveal"),
]
