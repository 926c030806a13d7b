"""The motivators' digest: each motivator of a team gets the team's figures for the last
period against the one before, its wins, its learnings (never naming anyone), its top
content and a link to the dashboard, weekly or monthly as they chose, by email (HTML with a
chart image, and plain text) and, when the team set one, to a Slack or Teams webhook.

Each email carries a signed link to change the frequency or unsubscribe without logging in,
and the RFC 8058 one-click headers; the link is the credential, so it names one subscription
and is signed with a salt of its own.
"""

import base64
import io
import logging
from datetime import datetime, timedelta
from email.mime.image import MIMEImage
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from advocacy.models import Team, User
from reports.models import DigestFrequency, DigestSubscription, TeamWebhook, WebhookKind
from reports.selectors.figures import Change
from reports.selectors.team import Dashboard, team_dashboard
from reports.webhooks import WebhookError, slack_payload, teams_payload, webhook_post

logger = logging.getLogger(__name__)

SALT = "reports.digest"
PERIOD_DAYS = {DigestFrequency.WEEKLY: 7, DigestFrequency.MONTHLY: 30}
# A little less than the period, so a beat tick that runs a few minutes early does not push
# the digest back by a whole tick.
DUE_AFTER = {
    DigestFrequency.WEEKLY: timedelta(days=6, hours=12),
    DigestFrequency.MONTHLY: timedelta(days=29, hours=12),
}
WEBHOOK_DUE_AFTER = DUE_AFTER[DigestFrequency.WEEKLY]


# --- One-click links ---------------------------------------------------------------------


def digest_token_make(*, subscription: DigestSubscription) -> str:
    # No expiry: an unsubscribe link in an old email must still work (RFC 8058 asks for it).
    return signing.dumps({"s": subscription.pk}, salt=SALT)


def digest_subscription_from_token(*, token: str) -> DigestSubscription:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        data = None
    pk = data.get("s") if isinstance(data, dict) else None
    found = (
        DigestSubscription.objects.select_related("team", "user").filter(pk=pk).first()
        if isinstance(pk, int)
        else None
    )
    if found is None:
        raise ValidationError(
            _("This link is not valid (it may be incomplete or changed)."), code="link_invalid"
        )
    return found


def digest_subscription_set(*, subscription: DigestSubscription, frequency: str) -> None:
    subscription.frequency = frequency
    subscription.full_clean()
    subscription.save(update_fields=["frequency"])


def team_webhook_set(*, team: Team, kind: str, url: str, enabled: bool) -> TeamWebhook:
    """Set the team's webhook (one per team); the URL is validated against the allowed hosts
    by full_clean."""
    hook = TeamWebhook.objects.filter(team=team).first() or TeamWebhook(team=team)
    if hook.url != url:
        hook.last_error = ""
    hook.kind, hook.url, hook.enabled = kind, url, enabled
    hook.full_clean()
    hook.save()
    return hook


def team_webhook_remove(*, team: Team) -> None:
    TeamWebhook.objects.filter(team=team).delete()


def digest_preferences_url(subscription: DigestSubscription) -> str:
    # Built from SITE_URL: the link is opened from a mail client.
    token = digest_token_make(subscription=subscription)
    return f"{settings.SITE_URL}{reverse('digest-preferences', args=[token])}"


# --- What the digest says ----------------------------------------------------------------


def _number(value: Any) -> str:
    if value is None:
        return str(_("not available"))
    return f"{value:,.0f}" if isinstance(value, int) else f"{value:,.2f}"


def _fact(label: str, change: Change, unit: str = "") -> dict[str, str]:
    value = _number(change.current) + unit
    if change.current is not None:
        value += " " + _("(previous period: %(previous)s%(unit)s%(percent)s)") % {
            "previous": _number(change.previous),
            "unit": unit if change.previous is not None else "",
            "percent": f", {change.percent:+d}%" if change.percent is not None else "",
        }
    return {"label": label, "value": value}


def chart_png(*, d: Dashboard) -> bytes:
    """Clicks per day of the period as a PNG bar chart. Many email clients refuse SVG and none
    runs JavaScript, so the dashboard's SVG cannot be sent; Pillow (already a dependency,
    wheels on PyPI for every platform) draws a plain chart instead of rasterising the SVG with
    cairosvg, which needs the system's Cairo library."""
    width, height, left, bottom, top = 600, 220, 40, 30, 28
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default()
    values = [row["totals"].clicks for row in d.days]
    peak = max([*values, 1])
    plot_h = height - top - bottom
    slot = (width - left - 10) / max(len(values), 1)
    draw.text((left, 6), _("Clicks per day"), fill="#1d2430", font=font)
    draw.line((left, top + plot_h, width - 10, top + plot_h), fill="#d9dee7")
    draw.text((4, top), _number(peak), fill="#5b6575", font=font)
    for index, (row, value) in enumerate(zip(d.days, values, strict=True)):
        x0 = left + index * slot + slot * 0.15
        x1 = left + (index + 1) * slot - slot * 0.15
        y0 = top + plot_h - plot_h * value / peak
        if value:
            draw.rectangle((x0, y0, x1, top + plot_h), fill="#0a66c2")
        if len(values) <= 10 or index in (0, len(values) - 1):
            draw.text(
                (x0, top + plot_h + 6), row["day"].strftime("%d %b"), fill="#5b6575", font=font
            )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def team_digest_build(*, team: Team, days: int) -> dict[str, Any]:
    """The team's part of the digest, the same for every recipient (and the webhook)."""
    d = team_dashboard(team=team, days=days)
    currency = f" {d.currency}" if d.currency else ""
    facts = [
        _fact(_("Shares"), d.changes["shares"]),
        _fact(_("Clicks (measured)"), d.changes["clicks"]),
        _fact(_("Engagements (measured)"), d.changes["engagements"]),
        _fact(_("Potential reach (estimated)"), d.changes["potential_reach"]),
        _fact(_("Earned media value (estimated)"), d.changes["emv"], currency),
        {
            "label": _("Active ambassadors"),
            "value": _("%(active)d of %(opted_in)d opted in")
            % {"active": d.funnel.active, "opted_in": d.funnel.opted_in},
        },
    ]
    wins = [str(win.text) for win in d.wins]
    # Learnings are grouped by cause by the selector: counts and advice, never a person.
    learnings = [
        f"{learning.label} ({learning.count}): {learning.how_to_avoid}" for learning in d.learnings
    ]
    top = [
        _("%(title)s: %(clicks)s clicks, %(shares)s shares")
        % {
            "title": row["content_item__title"],
            "clicks": _number(row["totals"].clicks),
            "shares": _number(row["totals"].shares),
        }
        for row in d.top_items
    ]
    return {
        "team": team,
        "d": d,
        "days": days,
        "subject": _("%(team)s: what the team achieved in the last %(days)d days")
        % {"team": team.name, "days": days},
        "facts": facts,
        "wins": wins,
        "learnings": learnings,
        "top": top,
        "sections": [(_("Wins"), wins), (_("Learnings"), learnings), (_("Top content"), top)],
        "dashboard_url": settings.SITE_URL
        + reverse("team-detail", args=[team.pk])
        + f"?days={days}",
    }


# --- Sending -----------------------------------------------------------------------------


def _claim(model: Any, pk: int, previous: datetime | None, now: datetime) -> bool:
    """Claim this period with a conditional update: of two beat ticks (or workers) looking at
    the same row at once, only one sends."""
    return bool(model.objects.filter(pk=pk, last_sent_at=previous).update(last_sent_at=now))


class _RelatedEmail(EmailMultiAlternatives):
    # multipart/related around the alternatives and the image: the HTML part refers to the
    # image by its Content-ID, and clients show it in place rather than as an attachment.
    mixed_subtype = "related"


def team_digest_email(
    *, subscription: DigestSubscription, digest: dict[str, Any]
) -> EmailMultiAlternatives:
    preferences_url = digest_preferences_url(subscription)
    cid = make_msgid(idstring="chart", domain="digest.invalid")
    context = digest | {
        "user": subscription.user,
        "preferences_url": preferences_url,
        "frequency": subscription.get_frequency_display(),
        "chart_cid": cid[1:-1],
    }
    message = _RelatedEmail(
        subject=digest["subject"],
        body=render_to_string("email/team_digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[subscription.user.email],
        headers={
            # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" to this URL.
            "List-Unsubscribe": f"<{preferences_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("email/team_digest.html", context), "text/html")
    image = MIMEImage(chart_png(d=digest["d"]), "png")
    image.add_header("Content-ID", cid)
    image.add_header("Content-Disposition", "inline", filename="chart.png")
    message.attach(image)
    return message


def team_digest_send(
    *,
    subscription: DigestSubscription,
    now: datetime | None = None,
    digest: dict[str, Any] | None = None,
) -> bool:
    """Send one motivator's digest if this period's is not sent yet; True when sent."""
    now = now or timezone.now()
    if subscription.frequency == DigestFrequency.OFF or not subscription.user.email:
        return False
    previous = subscription.last_sent_at
    if not _claim(DigestSubscription, subscription.pk, previous, now):
        return False
    subscription.last_sent_at = now
    days = PERIOD_DAYS[DigestFrequency(subscription.frequency)]
    digest = digest or team_digest_build(team=subscription.team, days=days)
    try:
        team_digest_email(subscription=subscription, digest=digest).send()
    except Exception:
        # Not sent: give the period back so the next tick tries again.
        DigestSubscription.objects.filter(pk=subscription.pk, last_sent_at=now).update(
            last_sent_at=previous
        )
        subscription.last_sent_at = previous
        raise
    return True


def team_digest_subscription(*, team: Team, user: User) -> DigestSubscription | None:
    """A motivator's subscription to their team's digest (made on first need, as the beat
    would); None for anyone who is not a motivator of the team."""
    if not team.motivators.filter(pk=user.pk).exists():
        return None
    return DigestSubscription.objects.get_or_create(team=team, user=user)[0]


def _digest_days(subscription: DigestSubscription) -> int:
    # Unsubscribed, a motivator who asks for the digest gets the weekly one.
    return PERIOD_DAYS.get(DigestFrequency(subscription.frequency), 7)


def team_digest_preview(*, subscription: DigestSubscription) -> str:
    """The digest's HTML as the email shows it, with its chart inline (a data: URL), for a
    page to show in a sandboxed frame."""
    digest = team_digest_build(team=subscription.team, days=_digest_days(subscription))
    message = team_digest_email(subscription=subscription, digest=digest)
    # Its links open in a tab of their own (the frame is sandboxed, and our pages refuse to be
    # framed).
    html = str(message.alternatives[0][0]).replace("<head>", '<head><base target="_blank">', 1)
    for attachment in message.attachments:
        if isinstance(attachment, MIMEImage):
            cid = str(attachment["Content-ID"]).strip("<>")
            payload = attachment.get_payload(decode=True)
            assert isinstance(payload, bytes)
            data = base64.b64encode(payload).decode()
            html = html.replace(f"cid:{cid}", f"data:image/png;base64,{data}")
    return html


def team_digest_send_copy(*, subscription: DigestSubscription) -> None:
    """The digest now, to the motivator's own address (to read or forward before a team
    meeting). It does not count as the period's digest: the schedule stays as it is."""
    if not subscription.user.email:
        raise ValidationError(
            _("Your account has no email address to send the digest to."), code="no_email"
        )
    digest = team_digest_build(team=subscription.team, days=_digest_days(subscription))
    team_digest_email(subscription=subscription, digest=digest).send()


def team_webhook_send(*, webhook: TeamWebhook, now: datetime | None = None) -> bool:
    """Post the weekly digest to the team's webhook; a failure is recorded on the row and
    logged (a permanent one disables it), never raised."""
    now = now or timezone.now()
    if not webhook.enabled or not _claim(TeamWebhook, webhook.pk, webhook.last_sent_at, now):
        return False
    digest = team_digest_build(team=webhook.team, days=PERIOD_DAYS[DigestFrequency.WEEKLY])
    payload = slack_payload(digest) if webhook.kind == WebhookKind.SLACK else teams_payload(digest)
    try:
        webhook_post(url=webhook.url, payload=payload)
    except WebhookError as error:
        logger.warning("team %s digest webhook failed: %s", webhook.team_id, error)
        TeamWebhook.objects.filter(pk=webhook.pk).update(
            last_error=str(error)[:500], enabled=not error.permanent
        )
        return False
    TeamWebhook.objects.filter(pk=webhook.pk).update(last_error="")
    return True


def _subscriptions_ensure() -> None:
    """Every motivator gets the weekly digest until they change it: make the missing rows."""
    pairs = Team.motivators.through.objects.values_list("team_id", "user_id")
    DigestSubscription.objects.bulk_create(
        [DigestSubscription(team_id=team_id, user_id=user_id) for team_id, user_id in pairs],
        ignore_conflicts=True,
    )


def _due(now: datetime) -> Q:
    due = Q()
    for frequency, after in DUE_AFTER.items():
        due |= Q(frequency=frequency) & (
            Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - after)
        )
    return due


def team_digests_send_due(*, now: datetime | None = None) -> int:
    """Beat body: every due digest of a current motivator, then every due webhook. One failure
    (a refused address, a webhook down) is logged and does not stop the others. Returns how
    many emails were sent."""
    now = now or timezone.now()
    _subscriptions_ensure()
    due = (
        DigestSubscription.objects.filter(_due(now))
        # Only while they are the team's motivator: one who stepped down gets nothing.
        .filter(user__motivated_teams=F("team"), user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "team")
        .order_by("team_id", "pk")
    )
    built: dict[tuple[int, int], dict[str, Any]] = {}
    sent = 0
    for subscription in due:
        days = PERIOD_DAYS[DigestFrequency(subscription.frequency)]
        try:
            key = (subscription.team_id, days)
            if key not in built:
                built[key] = team_digest_build(team=subscription.team, days=days)
            sent += team_digest_send(subscription=subscription, now=now, digest=built[key])
        except Exception:
            logger.exception("could not send the team digest of subscription %s", subscription.pk)
    webhooks = TeamWebhook.objects.filter(enabled=True).filter(
        Q(last_sent_at__isnull=True) | Q(last_sent_at__lte=now - WEBHOOK_DUE_AFTER)
    )
    for webhook in webhooks.select_related("team"):
        try:
            team_webhook_send(webhook=webhook, now=now)
        except Exception:
            logger.exception("could not post the digest of team %s", webhook.team_id)
    return sent
