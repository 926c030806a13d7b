"""Daily rollups that every report reads (never the raw Share, Click and MetricSnapshot rows),
and marketing's value per network for earned media value.

Six grains, all rebuilt together from the raw rows by `rollups_rebuild`
(reports.services.rollups), and refreshed by the beat for the shares marked in `ShareChange`
since the last refresh (`rollups_refresh`, reports.services.refresh):

- `DailyRollup`: per day, ambassador, content item and network (a share's milestones, my
  impact). About one row per share per day it was published, clicked or measured.
- `TeamDailyRollup`: per day, team, item and network (a team's top content, a campaign per
  team), and `ItemDailyRollup`: per day, item and network for everyone (top content of the
  organisation, campaigns).
- `NetworkDailyRollup`: per day, network and campaign, per team and for everyone (totals,
  trends, networks, teams, campaign progress), and `AmbassadorDailyRollup`: per day and ambassador (who was active, who
  shared for the first time, points).
- `TeamDayRollup`: per day and team, everything together (the organisation's teams).

And one that is not per day: `AmbassadorPeriodRollup`, each ambassador's sums over the
periods a report offers, ending today (the leaderboard, who was active).

Teams are not derived at query time: at 10,000 ambassadors and 1,000,000 shares a month,
joining the per-ambassador rows to the membership table for every dashboard reads hundreds
of thousands of rows, far over the 300 ms budget (bench/reports.py measured it). The coarse
grains keep what a report reads proportional to the days and teams it shows, not to the
shares made. A person counts for the teams they are in when the day is rebuilt (days are
rebuilt for about two days, so history keeps the teams people were in at the time).

A day is a local calendar day in settings.TIME_ZONE. Engagement columns hold what a network
*added* that day (the difference between the day's last snapshot and the one before), so a
sum over days is the latest total and a trend can be drawn. NULL means no network reported
the figure ("not available"), never 0; `reported` says whether any network reported
anything for the row, so a sum of zeros and a sum of nothing stay apart.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from advocacy.models import Network
from reports.webhooks import webhook_url_check

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class Figures(models.Model):
    day = models.DateField()
    shares = models.PositiveIntegerField(default=0)  # published that day
    # Estimated: the followers of the shares whose network gives an audience, summed. A
    # network that gives none (LinkedIn) adds nothing here, and not to `reach_shares` either:
    # the sum covers `reach_shares` of the `shares`, and none of them means "not available".
    potential_reach = models.PositiveBigIntegerField(default=0)
    reach_shares = models.PositiveIntegerField(default=0)
    human_clicks = models.PositiveIntegerField(default=0)  # measured
    bot_clicks = models.PositiveIntegerField(default=0)  # measured, shown apart
    # Estimated: distinct visitor hashes per share and day (the salt rotates daily), summed.
    unique_visitors = models.PositiveIntegerField(default=0)
    # What the network billed for the shares published that day (Share.cost, X), and how many
    # of them had a cost: the campaign's cost reads these instead of every share it made.
    charged = models.DecimalField(max_digits=14, decimal_places=4, default=Decimal(0))
    # No CHECK (>= 0): adding one would make PostgreSQL read every rollup row to validate it.
    charged_shares = models.IntegerField(default=0)
    # Signed: a network's count can go down (a reaction withdrawn).
    impressions = models.BigIntegerField(null=True, blank=True)
    reactions = models.BigIntegerField(null=True, blank=True)
    comments = models.BigIntegerField(null=True, blank=True)
    reposts = models.BigIntegerField(null=True, blank=True)
    reported = models.BooleanField(default=False)

    class Meta:
        abstract = True


# The figure columns of every rollup: the counted ones (summed), then what the networks
# reported (None when none did), then whether any did.
METRICS = ("impressions", "reactions", "comments", "reposts")
SUMMED = (
    "shares",
    "potential_reach",
    "reach_shares",
    "human_clicks",
    "bot_clicks",
    "unique_visitors",
    "charged",
    "charged_shares",
)
FIGURES = (*SUMMED, *METRICS, "reported")


class RollupFigures(Figures):
    content_item = models.ForeignKey(
        "campaigns.ContentItem", on_delete=models.CASCADE, related_name="+"
    )
    # Copied from the item when the day is rebuilt: campaign reports filter on it directly.
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    network = models.CharField(max_length=16, choices=Network.choices)

    class Meta:
        abstract = True


class DailyRollup(RollupFigures):
    user = models.ForeignKey("advocacy.User", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "user", "content_item", "network"], name="one_rollup_per_share_day"
            )
        ]
        indexes = [models.Index(fields=["user", "day"], name="rollup_user_day_idx")]


class TeamDailyRollup(RollupFigures):
    team = models.ForeignKey("advocacy.Team", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "team", "content_item", "network"], name="one_rollup_per_team_day"
            )
        ]
        indexes = [models.Index(fields=["team", "day"], name="rollup_team_day_idx")]


class ItemDailyRollup(RollupFigures):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "content_item", "network"], name="one_rollup_per_item_day"
            )
        ]
        indexes = [
            models.Index(fields=["day"], name="rollup_item_day_idx"),
            models.Index(fields=["campaign", "day"], name="rollup_campaign_day_idx"),
        ]


class NetworkDailyRollup(Figures):
    """Per day, network and campaign, for one team or (team NULL) for everyone once. Totals,
    trends and the networks of the team dashboard, the organisation report and a campaign
    report read a few rows a day here, whatever the number of items shared
    (bench/reports.py). Campaign NULL: items in no campaign."""

    team = models.ForeignKey(
        "advocacy.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    network = models.CharField(max_length=16, choices=Network.choices)

    class Meta:
        # No unique constraint: team and campaign may be NULL, and a rebuild replaces whole
        # days under the RollupRun lock.
        indexes = [
            models.Index(fields=["team", "day"], name="rollup_network_team_day_idx"),
            models.Index(fields=["campaign", "day"], name="rollup_network_campaign_idx"),
        ]


class TeamDayRollup(Figures):
    """Per day and team, all items, campaigns and networks together: the organisation
    report's figures per team read a row per team and day, not one per team, campaign,
    network and day (126,000 rows for 30 days at 10,000 ambassadors, bench/reports.py)."""

    team = models.ForeignKey("advocacy.Team", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "team"], name="one_rollup_per_team_and_day")
        ]


class AmbassadorDailyRollup(Figures):
    """Per day and ambassador, all items and networks together: who was active in a period,
    who shared for the first time, and the points of the leaderboard, without grouping the
    per-item rows of every ambassador."""

    user = models.ForeignKey("advocacy.User", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "user"], name="one_rollup_per_ambassador_day")
        ]
        indexes = [
            models.Index(fields=["user", "day"], name="rollup_ambassador_day_idx"),
            # "Active this period" asks, per person, whether they shared in a range of days:
            # one seek in this partial index each, instead of a distinct count over every
            # ambassador-day of the period.
            models.Index(
                fields=["user", "day"],
                name="rollup_ambassador_shared_idx",
                condition=Q(shares__gt=0),
            ),
        ]


# The periods a report offers (days ending today).
PERIODS = (7, 30, 90)


class AmbassadorPeriodRollup(models.Model):
    """Per ambassador, for each offered period ending on `until`: what the leaderboard ranks
    and who was active. Rebuilt whole, for the periods ending today, after every rebuild of
    the daily rows: the organisation's leaderboard otherwise groups one row per person and
    day of the period (bench/reports.py: most of the organisation report at 10,000 people).
    A period ending on another day is read from the daily rows."""

    user = models.ForeignKey("advocacy.User", on_delete=models.CASCADE, related_name="+")
    days = models.PositiveSmallIntegerField()
    until = models.DateField()
    shares = models.PositiveIntegerField(default=0)
    human_clicks = models.PositiveIntegerField(default=0)
    # Reactions, comments and reposts the networks reported (none reported counts 0: points).
    engagements = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["days", "until", "user"], name="one_rollup_per_ambassador_period"
            )
        ]


class RollupRun(models.Model):
    """One row, locked while a rebuild or a refresh runs: two of them (beat and the click
    flush) take turns instead of inserting the same rows twice."""

    name = models.CharField(max_length=32, unique=True)
    built_at = models.DateTimeField(null=True, blank=True)
    built_since = models.DateField(null=True, blank=True)
    built_until = models.DateField(null=True, blank=True)
    # The day the AmbassadorPeriodRollup rows end on (the local day of the last rebuild).
    periods_until = models.DateField(null=True, blank=True)


class ShareChange(models.Model):
    """A share whose raw rows changed on a local day (a click stored, a snapshot taken, the
    share published): the beat's refresh recounts only these shares' rollup rows of that day
    instead of the whole of yesterday and today (107 s at 10,000 ambassadors,
    bench/reports.py). Written in the transaction that writes the raw rows, so a worker that
    dies loses neither; deleted in the transaction of the refresh that recounted it, so a
    refresh that fails leaves it for the next one. Duplicates are allowed (no constraint: the
    click flush only inserts); a share id, not a foreign key, so the hot path checks
    nothing."""

    share_id = models.BigIntegerField()
    day = models.DateField()


def money(label: "StrOrPromise") -> "models.DecimalField[Decimal, Decimal]":
    return models.DecimalField(
        label,
        max_digits=10,
        decimal_places=4,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )


class NetworkValue(models.Model):
    """What marketing would pay for the same result as paid media, per network: the basis of
    earned media value (an estimate, always labelled as one)."""

    network = models.CharField(_("network"), max_length=16, choices=Network.choices, unique=True)
    cpm = money(_("cost per 1,000 impressions"))
    cpc = money(_("cost per click"))
    cpe = money(_("cost per engagement"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network"]
        verbose_name = _("network value")
        verbose_name_plural = _("network values")

    def __str__(self) -> str:
        return self.get_network_display()


class PointsRule(models.Model):
    """Points per share, click and engagement, set by marketing (one row). Points show on the
    leaderboard, which lists only people who chose to appear on it."""

    per_share = models.PositiveIntegerField(_("points per share"), default=10)
    per_click = models.PositiveIntegerField(_("points per click"), default=1)
    per_engagement = models.PositiveIntegerField(_("points per engagement"), default=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("points rule")
        verbose_name_plural = _("points rule")

    def __str__(self) -> str:
        return str(_("Points"))


class DigestFrequency(models.TextChoices):
    WEEKLY = "weekly", _("weekly")
    MONTHLY = "monthly", _("monthly")
    OFF = "off", _("off")


class DigestSubscription(models.Model):
    """How often a motivator gets their team's digest. A motivator without a row gets it
    weekly (the row is made on the first send); `last_sent_at` is claimed with a conditional
    update so two beat ticks never send the same period twice."""

    user = models.ForeignKey(
        "advocacy.User", on_delete=models.CASCADE, related_name="digest_subscriptions"
    )
    team = models.ForeignKey(
        "advocacy.Team", on_delete=models.CASCADE, related_name="digest_subscriptions"
    )
    frequency = models.CharField(
        _("frequency"),
        max_length=8,
        choices=DigestFrequency.choices,
        default=DigestFrequency.WEEKLY,
    )
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "team"], name="digest_subscription_unique")
        ]
        verbose_name = _("team digest subscription")
        verbose_name_plural = _("team digest subscriptions")

    def __str__(self) -> str:
        return f"{self.user} · {self.team} ({self.frequency})"


class WebhookKind(models.TextChoices):
    SLACK = "slack", _("Slack")
    TEAMS = "teams", _("Microsoft Teams")


def validate_webhook_url(value: str) -> None:
    # The check lives with the code that makes the request (reports.webhooks).
    webhook_url_check(url=value)


class TeamWebhook(models.Model):
    """A team's Slack or Teams incoming webhook that gets the weekly digest too. The URL is an
    outbound request made by the server, so only allow-listed hosts are accepted."""

    team = models.OneToOneField(
        "advocacy.Team", on_delete=models.CASCADE, related_name="digest_webhook"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=WebhookKind.choices)
    url = models.URLField(
        _("incoming webhook URL"), max_length=500, validators=[validate_webhook_url]
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("team digest webhook")
        verbose_name_plural = _("team digest webhooks")

    def __str__(self) -> str:
        return f"{self.team} · {self.get_kind_display()}"
