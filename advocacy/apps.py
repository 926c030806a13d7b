from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = _("Advocacy")

    def ready(self) -> None:
        # Registers the system checks of the network setup (the LinkedIn API version): importing
        # the module registers them. Django's convention is to do it here, in ready(), which
        # runs once for the app after every app is loaded, not at the top of this module.
        from advocacy.networks.linkedin import checks  # noqa: F401, PLC0415
