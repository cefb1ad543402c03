from django.contrib.auth.backends import ModelBackend

from .models import User


class WardModelBackend(ModelBackend):
    """Django's model backend, fetching the user's ward with the user: every page shows the ward
    and scopes by it, so this saves a query on every request."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("ward").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
