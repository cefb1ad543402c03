from django.urls import path

from documents.views import document_request_view

from . import views
from .documents import ASSESSMENT_REPORT

app_name = "criteria"

urlpatterns = [
    path("assessments/", views.assessment_list, name="assessments"),
    path("assessments/new/", views.assessment_new, name="assessment_new"),
    path("assessments/<int:pk>/", views.assessment_detail_view, name="assessment_detail"),
    path("assessments/<int:pk>/pdf/", document_request_view(ASSESSMENT_REPORT), name="assessment_pdf"),
    path("assessments/<int:pk>/refresh/", views.assessment_refresh, name="assessment_refresh"),
    path("assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("assessments/<int:pk>/approve/", views.assessment_approve, name="assessment_approve"),
    path("assessments/<int:pk>/return/", views.assessment_return, name="assessment_return"),
    path("assessments/<int:pk>/scores/<int:score_pk>/", views.score_edit, name="score_edit"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
]
