"""Public verification of issued documents (#29): included at /v/ by ward_police/urls.py."""

from django.urls import path

from . import views_verify

app_name = "verify"

urlpatterns = [
    path("", views_verify.verify_code_entry, name="code"),
    path("<str:code>/", views_verify.verify_document, name="document"),
]
