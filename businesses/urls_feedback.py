"""The ward's inbox of citizens' feedback (included at /feedback/ by ward_police/urls.py)."""

from django.urls import path

from . import views_feedback

app_name = "feedback"

urlpatterns = [
    path("", views_feedback.feedback_list_view, name="list"),
    path("<int:pk>/", views_feedback.feedback_detail, name="detail"),
    path("<int:pk>/update/", views_feedback.feedback_update_view, name="update"),
    path("<int:pk>/photo/", views_feedback.feedback_photo, name="photo"),
]
