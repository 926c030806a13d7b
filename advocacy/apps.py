from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = _("Advocacy")

    def ready(self) -> None:
        # Registers the system checks of the network setup (the LinkedIn API version).
        from advocacy.networks.linkedin import checks  # noqa: F401
