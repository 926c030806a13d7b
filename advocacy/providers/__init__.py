"""One module per network behind one interface (see base.Provider)."""

from advocacy.providers.base import (
    LinkCard,
    Media,
    PostMetrics,
    Provider,
    ProviderError,
    PublishedPost,
)

__all__ = [
    "LinkCard",
    "Media",
    "PostMetrics",
    "Provider",
    "ProviderError",
    "PublishedPost",
    "get_provider",
]


def get_provider(network: str) -> Provider:
    from advocacy.networks import Network
    from advocacy.providers.linkedin import LinkedInProvider
    from advocacy.providers.sandbox import SandboxProvider
    from advocacy.providers.x import XProvider

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
