"""POST endpoints that ask for a business's documents (included by ward_police/urls.py)."""

from django.urls import path

from documents.views import document_request_view

from .documents import BUSINESS_HISTORY

app_name = "business_documents"

urlpatterns = [
    path("<int:pk>/history.pdf", document_request_view(BUSINESS_HISTORY), name="history_pdf"),
]
