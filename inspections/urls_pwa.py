"""Served from the site root: a service worker's scope cannot be wider than its own folder."""

from django.urls import path

from . import pwa

app_name = "pwa"

urlpatterns = [
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
]
