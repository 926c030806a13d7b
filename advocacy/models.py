import secrets
import string
import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.crypto import EncryptedTextField


class Network(models.TextChoices):
    """The social networks the product publishes to (advocacy/networks/ holds each one's
    provider and rules)."""

    SANDBOX = "sandbox", _("Sandbox")
    LINKEDIN = "linkedin", "LinkedIn"
    X = "x", "X"


# Every share gets its own tracked link, appended to the caption when it is posted.
TRACKED_CODE_LENGTH = 8
CODE_ALPHABET = string.ascii_letters + string.digits


def new_tracked_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(TRACKED_CODE_LENGTH))


class Team(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    # Principle 5: two or more motivators per team report what was achieved.
    motivators = models.ManyToManyField(
        "advocacy.User", related_name="motivated_teams", blank=True, verbose_name=_("motivators")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            _("“%(value)s” is not a time zone (use a name like Europe/Amsterdam)."),
            params={"value": value},
            code="bad_time_zone",
        ) from None


class DigestFrequency(models.TextChoices):
    DAILY = "daily", _("daily")
    WEEKLY = "weekly", _("weekly")
    OFF = "off", _("off")


class User(AbstractUser):
    """An employee. Roles: marketing and leadership are groups; motivators are set per team;
    an ambassador is anyone who opted in (`ambassador_since` is set)."""

    teams = models.ManyToManyField(
        Team, related_name="members", blank=True, verbose_name=_("teams")
    )
    interests = models.ManyToManyField(
        "campaigns.Topic", related_name="interested_users", blank=True, verbose_name=_("interests")
    )
    ambassador_since = models.DateTimeField(_("ambassador since"), null=True, blank=True)
    show_on_leaderboard = models.BooleanField(_("show me on the leaderboard"), default=False)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_time_zone]
    )
    queue_paused = models.BooleanField(_("queue paused"), default=False)
    digest_frequency = models.CharField(
        _("new-content email"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    @property
    def is_ambassador(self) -> bool:
        return self.ambassador_since is not None


class Consent(models.Model):
    """Every opt-in and opt-out, with the time and the policy version it was given under."""

    class Action(models.TextChoices):
        OPT_IN = "opt_in", _("opted in")
        OPT_OUT = "opt_out", _("opted out")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=10, choices=Action.choices)
    policy_version = models.ForeignKey(
        "policy.PolicyVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class NetworkAccount(models.Model):
    """An ambassador's own account on a network. Tokens are encrypted at rest."""

    class Status(models.TextChoices):
        CONNECTED = "connected", _("connected")
        EXPIRED = "expired", _("expired")
        REVOKED = "revoked", _("revoked")
        DISCONNECTED = "disconnected", _("disconnected")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="network_accounts")
    network = models.CharField(max_length=16, choices=Network.choices)
    external_id = models.CharField(max_length=255)
    display_name = models.CharField(max_length=255, blank=True)
    access_token = EncryptedTextField(blank=True)
    refresh_token = EncryptedTextField(blank=True)
    token_expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONNECTED)
    # Followers / connections, refreshed when known; copied to each share as potential reach.
    # None: the network does not tell (LinkedIn's sign-in gives no connection count), so the
    # potential reach is "not available", never 0.
    followers_count = models.PositiveIntegerField(null=True, blank=True)
    # When the ambassador was reminded that a token without refresh (LinkedIn, 60 days) is
    # about to expire; cleared when they reconnect.
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)
    connected_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "network"], name="one_account_per_network"),
        ]
        ordering = ["network"]

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.display_name}"

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.CONNECTED and bool(self.access_token)


class Share(models.Model):
    """One ambassador's post of one content item to one of their accounts.

    The row is the source of truth for publishing: a worker claims it with a conditional
    update (scheduled -> publishing) and commits before it calls the network.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        PUBLISHING = "publishing", _("publishing")
        PUBLISHED = "published", _("published")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")
        # The network may or may not have the post (crash or timeout mid-call): never retried
        # blindly, reconciled instead.
        UNKNOWN = "unknown", _("unknown")

    class Problem(models.TextChoices):
        """Why a share failed, is held or waits: grouped in the learnings of the reports and
        used to offer the right action (reconnect, then retry in one go)."""

        RECONNECT = "reconnect", _("expired connection")
        POLICY = "policy", _("policy block")
        DUPLICATE_CAPTION = "duplicate_caption", _("duplicate caption")
        RATE_LIMIT = "rate_limit", _("rate limit")
        BUDGET = "budget", _("X budget reached")
        REFUSED = "refused", _("refused by the network")
        ITEM_GONE = "item_gone", _("content expired or withdrawn")
        NOT_CONFIRMED = "not_confirmed", _("did not appear")
        # The whole network is paused for the app, not for this ambassador: LinkedIn retired
        # the configured API version (426), or X's pay-per-use credits are spent (402). The
        # share waits; nothing is marked failed (see NetworkPause).
        API_VERSION = "api_version", _("network API version retired")
        CREDITS = "credits", _("network credits spent")

    LIVE_STATUSES = (Status.SCHEDULED, Status.PUBLISHING, Status.PUBLISHED, Status.UNKNOWN)

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="shares")
    account = models.ForeignKey(
        NetworkAccount, on_delete=models.SET_NULL, null=True, blank=True, related_name="shares"
    )
    network = models.CharField(max_length=16, choices=Network.choices)
    content_item = models.ForeignKey(
        "campaigns.ContentItem", on_delete=models.PROTECT, related_name="shares"
    )
    text = models.TextField(_("caption"))
    # The ambassador's own photo (principle 4), re-encoded without EXIF when it is attached;
    # posted as an image post instead of the item's link card.
    photo = models.ImageField(_("photo"), upload_to="shares/%Y/%m/", blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.SCHEDULED, db_index=True
    )
    code = models.CharField(max_length=16, unique=True, default=new_tracked_code)
    policy_version = models.ForeignKey(
        "policy.PolicyVersion", on_delete=models.PROTECT, related_name="shares"
    )
    scheduled_at = models.DateTimeField()
    # The moment the ambassador asked for (None: "now"); scheduled_at may differ because of
    # the policy's hours and daily maximum, or a spread launch. schedule_notice says why.
    requested_at = models.DateTimeField(null=True, blank=True)
    schedule_notice = models.TextField(blank=True)
    # Waiting in the ambassador's personal queue (a weekly slot), rather than set for a time.
    in_queue = models.BooleanField(default=False)
    # A held share is not sent until the ambassador edits it (e.g. the policy changed).
    held_reason = models.TextField(blank=True)
    variant = models.ForeignKey(
        "campaigns.CaptionVariant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="shares",
    )
    enqueued_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # The Celery task id of the attempt that claimed the row: a redelivered message carries the
    # same id, which is how a crash mid-post is told apart from a concurrent duplicate.
    claimed_by = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    # When the network's figures for this post are read next: soon after publishing, often in
    # the first two days, daily until day 30, then never (None).
    metrics_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    external_id = models.CharField(max_length=255, blank=True)
    external_url = models.URLField(max_length=500, blank=True)
    error = models.TextField(blank=True)
    problem = models.CharField(max_length=24, choices=Problem.choices, blank=True)
    # What the network bills for this post (X), reserved against the monthly budget before
    # the post is sent and released when it surely was not.
    cost = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)
    # Estimated: followers / connections of the account at share time.
    potential_reach = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "network", "content_item"],
                condition=Q(status__in=["scheduled", "publishing", "published", "unknown"]),
                name="one_live_share_per_item_and_network",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "scheduled_at"], name="share_due_idx"),
            models.Index(fields=["user", "status", "scheduled_at"], name="share_user_time_idx"),
            # Shares handed to the broker and not yet claimed, per network: the dispatcher
            # counts them against the quota's room (a small set whatever is stored).
            models.Index(
                fields=["network"],
                condition=Q(status="scheduled", enqueued_at__isnull=False),
                name="share_in_flight_idx",
            ),
            # A cost held by a share that is not published (reserved while publishing or
            # unknown, or never given back): a campaign's cost reads these few rows, and the
            # published shares' cost from the report rollups, not every share it made.
            models.Index(
                fields=["network"],
                condition=Q(cost__isnull=False) & ~Q(status="published"),
                name="share_cost_held_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"share {self.pk} ({self.network}, {self.status})"


class NetworkPause(models.Model):
    """A network that cannot take posts from this installation for a reason that is the
    app's, not an ambassador's: LinkedIn answered 426 for the configured API version, or X
    answered 402 because the app's credits are spent. While a pause holds, that network's shares
    wait (Share.Problem.API_VERSION / CREDITS) instead of failing; the people who can act are
    told once per pause."""

    class Reason(models.TextChoices):
        API_VERSION = "api_version", _("API version retired")
        CREDITS = "credits", _("credits spent")

    network = models.CharField(max_length=16, choices=Network.choices, unique=True)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    # API_VERSION: the version that was refused; the pause ends once the processes run with
    # another one.
    detail = models.CharField(max_length=255, blank=True)
    message = models.TextField(blank=True)
    started_at = models.DateTimeField()
    # CREDITS: when the shares are tried again by themselves (None: only by hand).
    resume_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_network_display()} paused: {self.get_reason_display()}"


class QuotaCounter(models.Model):
    """A shared request counter for one quota window, used when there is no Redis (the
    embedded default). `key` names the network, the user or the app, and the window."""

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)


class NetworkBudget(models.Model):
    """Marketing's monthly spending cap for a network that bills per post (X)."""

    network = models.CharField(max_length=16, choices=Network.choices, unique=True)
    monthly_limit = models.DecimalField(_("monthly budget"), max_digits=10, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.get_network_display()} {self.monthly_limit}"


class BudgetSpend(models.Model):
    """What a network's posts cost in one calendar month (UTC). Reserved with a conditional
    update, so concurrent workers can never take it past the budget."""

    network = models.CharField(max_length=16, choices=Network.choices)
    month = models.DateField()  # the first day of the month
    spent = models.DecimalField(max_digits=12, decimal_places=4, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "month"], name="one_spend_per_month"),
        ]


class QueueSlot(models.Model):
    """A weekly moment at which the ambassador's queue posts, in their own time zone."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="queue_slots")
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=[
            (i, day)
            for i, day in enumerate(
                [
                    _("Monday"),
                    _("Tuesday"),
                    _("Wednesday"),
                    _("Thursday"),
                    _("Friday"),
                    _("Saturday"),
                    _("Sunday"),
                ]
            )
        ],
    )
    time = models.TimeField(_("time"))

    class Meta:
        ordering = ["weekday", "time"]
        constraints = [
            models.UniqueConstraint(fields=["user", "weekday", "time"], name="one_slot_per_moment"),
        ]


class AutoShareConsent(models.Model):
    """Consent to share new items of a topic without approving each one. Expires after a
    year; recorded with its date like every other consent."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auto_share_consents")
    topic = models.ForeignKey("campaigns.Topic", on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=16, choices=Network.choices)
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]


class OneClickUse(models.Model):
    """A one-click link (digest email) that was used: each works once."""

    nonce = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(auto_now_add=True)


class MetricSnapshot(models.Model):
    """Engagement a network reported for a post at one moment. None = not available."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="metric_snapshots")
    taken_at = models.DateTimeField()
    impressions = models.PositiveIntegerField(null=True, blank=True)
    reactions = models.PositiveIntegerField(null=True, blank=True)
    comments = models.PositiveIntegerField(null=True, blank=True)
    reposts = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-taken_at"]
        indexes = [models.Index(fields=["share", "-taken_at"], name="snapshot_latest_idx")]


class Click(models.Model):
    """One request to a tracked link. No IP address and no user agent are stored: only
    whether it was a bot and a visitor hash salted per day (unique-visitor estimate)."""

    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="clicks")
    # The moment of the click, passed in by the flush (not the moment it was stored).
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    is_bot = models.BooleanField(default=False)
    agent = models.CharField(max_length=40, blank=True)  # bot family, or "browser"
    visitor_hash = models.CharField(max_length=32, blank=True)
    # Random per click (uuid4 hex); unique, so a batch flushed twice is stored once.
    event_id = models.CharField(max_length=32, unique=True, null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["share", "is_bot"], name="click_share_idx")]


class VisitorSalt(models.Model):
    """A random salt per day; deleted after the day so visitor hashes cannot be reversed."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)


class SandboxPost(models.Model):
    """A post on the built-in sandbox network (for demos and practice)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    account = models.ForeignKey(
        NetworkAccount, on_delete=models.SET_NULL, null=True, related_name="sandbox_posts"
    )
    author_name = models.CharField(max_length=255)
    text = models.TextField()
    # The sandbox accepts a client reference, so a share whose outcome is unknown can be
    # looked up exactly (the real networks offer nothing like it).
    client_ref = models.CharField(max_length=64, blank=True, db_index=True)
    audience = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
