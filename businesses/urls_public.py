"""Public pages behind the QR posters (no login): included at /p/ by ward_police/urls.py."""

from django.urls import path

from . import views_public

app_name = "public"

urlpatterns = [
    path("", views_public.public_code_entry, name="code"),
    path("<slug:token>/", views_public.public_business_page, name="business"),
    path("<slug:token>/sent/", views_public.public_feedback_sent, name="feedback_sent"),
]
