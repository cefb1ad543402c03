"""/my/: the landing pages of officers and leaders, and the notifications (ward_police/urls.py)."""

from django.urls import path

from . import views_my

app_name = "my"

urlpatterns = [
    path("", views_my.my_day, name="day"),
    path("leader/", views_my.leader_day, name="leader"),
    path("notifications/", views_my.notification_list, name="notifications"),
    path("notifications/count/", views_my.notification_badge, name="notification_badge"),
]
