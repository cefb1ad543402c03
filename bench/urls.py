from django.urls import path

from ward_police.urls import handler403, handler404, handler500  # noqa: F401
from ward_police.urls import urlpatterns as project_urlpatterns

from . import views

urlpatterns = [
    path("bench/bare/", views.bare_table, name="bench_bare"),
    *project_urlpatterns,
]
