"""The provider of each network, all behind one interface (advocacy.networks.base.Provider)."""

from advocacy.models import Network
from advocacy.networks.base import Provider, ProviderError
from advocacy.networks.linkedin.provider import LinkedInProvider
from advocacy.networks.sandbox import SandboxProvider
from advocacy.networks.x.provider import XProvider


def get_provider(network: str) -> Provider:
    providers: dict[str, Provider] = {
        Network.SANDBOX: SandboxProvider(),
        Network.LINKEDIN: LinkedInProvider(),
        Network.X: XProvider(),
    }
    try:
        return providers[network]
    except KeyError:
        raise ProviderError(
            f"Publishing to {network} is not available in this installation.", permanent=True
        ) from None
