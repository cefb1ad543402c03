from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("verify/", views.otp_verify, name="otp_verify"),
    path("security/", views.security, name="security"),
    path("security/authenticator/", views.otp_setup, name="otp_setup"),
    path("security/backup-codes/", views.otp_backup_codes, name="otp_backup_codes"),
    path("security/disable/", views.otp_disable, name="otp_disable"),
]
