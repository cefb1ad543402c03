from django.urls import path

from documents.views import document_request_view

from . import decision_views, views
from .documents import VIOLATION_RECORD

app_name = "violations"

urlpatterns = [
    path("", views.violation_list, name="list"),
    path("new/", views.violation_create, name="create"),
    path("repeat/", views.repeat_violators, name="repeat"),
    path("<int:pk>/", views.violation_detail, name="detail"),
    path("<int:pk>/pdf/", document_request_view(VIOLATION_RECORD), name="pdf"),
    path("<int:pk>/edit/", views.violation_edit, name="edit"),
    path("<int:pk>/sign/", views.violation_sign, name="sign"),
    path("<int:pk>/transfer/", views.violation_transfer, name="transfer"),
    path("<int:pk>/remedied/", views.violation_remedied, name="remedied"),
    path("<int:pk>/amend/", views.violation_amend, name="amend"),
    path("<int:pk>/delete/", views.violation_delete, name="delete"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence-add"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_image, name="evidence"),
    path("<int:pk>/extend-deadline/", decision_views.violation_extend_deadline, name="extend-deadline"),
    path("<int:pk>/decision/", decision_views.decision_detail, name="decision"),
    path("<int:pk>/decision/new/", decision_views.decision_create, name="decision-create"),
    path("<int:pk>/decision/sign/", decision_views.decision_sign, name="decision-sign"),
    path("<int:pk>/decision/serve/", decision_views.decision_serve, name="decision-serve"),
    path("<int:pk>/decision/pay/", decision_views.decision_pay, name="decision-pay"),
    path("<int:pk>/decision/enforce/", decision_views.decision_enforce, name="decision-enforce"),
    path("<int:pk>/decision/appeal/", decision_views.decision_appeal, name="decision-appeal"),
    path("<int:pk>/decision/delete/", decision_views.decision_delete, name="decision-delete"),
    path("<int:pk>/decision/pdf/", decision_views.decision_pdf, name="decision-pdf"),
]
