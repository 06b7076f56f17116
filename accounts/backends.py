"""The portal's login backend: Django's ModelBackend, reading each request's user with its org units."""
from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend

from .models import User

# What every page reads of its user: the unit its header and footer name (core.context_processors) and its user
# menu (User.org_unit), and a region account's region (core.scope).
ORG_UNIT = ("region", "county", "township", "village")


class PortalBackend(ModelBackend):
    """As ModelBackend, but the user of each request comes with its region, county, township and village in the same
    query, so a page naming them (a township account's county in the footer) adds none."""

    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related(*ORG_UNIT).get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)
