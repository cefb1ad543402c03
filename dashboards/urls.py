from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("city/", views.city, name="city"),
    path("pdf/", views.pdf, name="pdf"),
    path("report/issue/", views.issue_report, name="issue_report"),
    path("commitments/overdue/", views.overdue_commitments, name="overdue_commitments"),
]
