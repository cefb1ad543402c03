"""POST endpoints that ask for a business's documents (included by ward_police/urls.py)."""

from django.urls import path

from documents.views import document_request_view

from . import views, views_posters
from .documents import BUSINESS_HISTORY

app_name = "business_documents"

urlpatterns = [
    path("<int:pk>/history.pdf", document_request_view(BUSINESS_HISTORY), name="history_pdf"),
    path("<int:pk>/history-full.pdf", views.business_history_full_pdf, name="history_full_pdf"),
    path("<int:pk>/poster/", views_posters.poster_request, name="poster"),
    path("<int:pk>/poster.png", views_posters.poster_png, name="poster_png"),
    path("<int:pk>/public-code/withdraw/", views_posters.withdraw_code, name="withdraw_code"),
    path("posters/", views_posters.posters_page, name="posters"),
    path("posters/street/<int:pk>/", views_posters.street_posters_request, name="street_posters"),
    path("posters/group/<int:pk>/", views_posters.group_posters_request, name="group_posters"),
]
