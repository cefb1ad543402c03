from django.urls import path

from documents.views import document_request_view

from . import views
from .documents import COMMITMENT_DOCUMENT, INSPECTION_REPORT

app_name = "inspections"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("new/", views.inspection_new, name="new"),
    path("outbox/", views.inspection_outbox, name="outbox"),
    path("sync/", views.inspection_sync, name="sync"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/pdf/", document_request_view(INSPECTION_REPORT), name="pdf"),
    path("<int:pk>/commitment/pdf/", document_request_view(COMMITMENT_DOCUMENT), name="commitment_pdf"),
    path("<int:pk>/signature/", views.signature_file, name="signature"),
    path("<int:pk>/commitment/kept/", views.commitment_fulfil, name="commitment_kept"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("photos/<int:pk>/thumb/", views.photo_file, {"size": "thumb"}, name="photo_thumb"),
]
