"""Caption variants: marketing writes several captions per network, and each ambassador is
offered one that colleagues have not used yet, so the company's posts do not read as a chorus.

Writes (`variant_*`) and the one read the editor needs (`variant_offer`) live together: the
offer is only meaningful next to the rules that create the variants."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from advocacy.models import Network, Share, User
from advocacy.networks.rules import NETWORK_RULES
from campaigns.models import CaptionVariant, ContentItem


def variant_check_text(network: str, text: str) -> None:
    if network not in Network.values:
        return  # full_clean reports the unknown network with the field's own message
    rules = NETWORK_RULES[network]
    length = rules.caption_length(text)
    if length > rules.max_length:
        raise ValidationError(
            {
                "text": ValidationError(
                    _(
                        "%(network)s allows %(max)d characters; with the link this caption has "
                        "%(length)d. Shorten it by %(over)d."
                    )
                    % {
                        "network": Network(network).label,
                        "max": rules.max_length,
                        "length": length,
                        "over": length - rules.max_length,
                    },
                    code="too_long",
                )
            }
        )


def _save(variant: CaptionVariant) -> CaptionVariant:
    variant.full_clean()
    variant_check_text(variant.network, variant.text)
    variant.save()
    return variant


def variant_create(*, item: ContentItem, network: str, text: str) -> CaptionVariant:
    return _save(CaptionVariant(item=item, network=network, text=text.strip()))


def variant_update(*, variant: CaptionVariant, text: str) -> CaptionVariant:
    variant.text = text.strip()
    return _save(variant)


@transaction.atomic
def variant_delete(*, variant: CaptionVariant) -> None:
    # Shares made with it keep their own text; they only lose the link (SET_NULL).
    variant.delete()


def _tie_break(user: User, item: ContentItem, variant: CaptionVariant) -> str:
    """A per-person order among equally used variants: reproducible (the editor offers the
    same one on reload) yet different from person to person, so two colleagues opening the
    editor at the same moment tend to get different variants."""
    return hashlib.sha256(f"{item.pk}:{user.pk}:{variant.pk}".encode()).hexdigest()


def variant_offer(*, user: User, item: ContentItem, network: str) -> CaptionVariant | None:
    """The variant of this item and network that colleagues used least (unused ones first),
    or None when marketing wrote no variant for the network."""
    used_by_colleagues = Q(shares__status__in=Share.LIVE_STATUSES) & ~Q(shares__user=user)
    variants = list(
        CaptionVariant.objects.filter(item=item, network=network).annotate(
            uses=Count("shares", filter=used_by_colleagues)
        )
    )
    if not variants:
        return None
    return min(
        variants,
        key=lambda variant: (variant.uses, _tie_break(user, item, variant)),
    )


def suggested_caption_for(
    *, user: User, item: ContentItem, network: str
) -> tuple[str, CaptionVariant | None]:
    """The caption the editor (or a one-click link) starts from: an offered variant, else the
    item's suggested caption for the network."""
    variant = variant_offer(user=user, item=item, network=network)
    if variant is not None:
        return variant.text, variant
    return item.suggested_caption(network), None
