from django.urls import path

from . import views

app_name = "wards"

urlpatterns = [
    path("", views.ward_mine, name="mine"),
    path("<int:pk>/", views.ward_detail, name="detail"),
    path("<int:pk>/streets/new/", views.street_new, name="street_new"),
]
