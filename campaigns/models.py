from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from advocacy.models import Network
from campaigns.validators import HttpURLField


class Topic(models.Model):
    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name


class Campaign(models.Model):
    class Goal(models.TextChoices):
        SHARES = "shares", _("shares")
        CLICKS = "clicks", _("clicks")
        REACH = "reach", _("potential reach")

    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    audience = models.ManyToManyField(
        "advocacy.Team",
        blank=True,
        related_name="campaigns",
        verbose_name=_("audience teams"),
        help_text=_("Leave empty for everyone."),
    )
    goal_metric = models.CharField(
        _("goal"), max_length=10, choices=Goal.choices, default=Goal.SHARES
    )
    goal_target = models.PositiveIntegerField(_("goal target"), default=100)
    spread_minutes = models.PositiveIntegerField(
        _("spread launches over (minutes)"),
        default=120,
        help_text=_(
            "Shares of one item set for the same moment go out spread over this "
            "window, so the company's posts do not all appear in the same minute."
        ),
    )
    utm_campaign = models.SlugField(
        _("UTM campaign name"),
        max_length=100,
        help_text=_("Sent as utm_campaign on every tracked click."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A campaign cannot end before it starts.")})


class ContentItem(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        PUBLISHED = "published", _("published")
        ARCHIVED = "archived", _("archived")

    title = models.CharField(_("title"), max_length=200)
    url = HttpURLField(_("link"), max_length=2000)
    description = models.TextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="content/%Y/%m/", blank=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="items", verbose_name=_("topics")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("campaign"),
    )
    caption_linkedin = models.TextField(_("suggested LinkedIn caption"), blank=True)
    caption_x = models.TextField(_("suggested X caption"), blank=True)
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    audience = models.ManyToManyField(
        "advocacy.Team",
        blank=True,
        related_name="content_items",
        verbose_name=_("audience teams"),
        help_text=_("Leave empty for everyone."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["status", "-published_at"], name="content_feed_idx")]
        verbose_name = _("content item")
        verbose_name_plural = _("content items")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.available_from
            and self.available_until
            and self.available_until <= self.available_from
        ):
            raise ValidationError(
                {"available_until": _("The item must stay available after it becomes available.")}
            )

    def suggested_caption(self, network: str) -> str:
        if network == "linkedin":
            return self.caption_linkedin or self.caption_x
        return self.caption_x or self.caption_linkedin

    def is_available(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and (self.available_from is None or self.available_from <= at)
            and (self.available_until is None or at < self.available_until)
        )


class CaptionVariant(models.Model):
    """One of several suggested captions per network: each ambassador is offered one that
    colleagues have not used yet, so the posts do not look coordinated."""

    item = models.ForeignKey(ContentItem, on_delete=models.CASCADE, related_name="variants")
    network = models.CharField(_("network"), max_length=16, choices=Network.choices)
    text = models.TextField(_("caption"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "network", "pk"]
        verbose_name = _("caption variant")
        verbose_name_plural = _("caption variants")

    def __str__(self) -> str:
        return self.text[:60]


class Suggestion(models.Model):
    """Content any employee sends in, also one who never shares (principle 1)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("declined")

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="suggestions"
    )
    title = models.CharField(_("title"), max_length=200)
    url = HttpURLField(_("link"), max_length=2000)
    note = models.TextField(_("why it is worth sharing"), blank=True)
    caption = models.TextField(_("suggested caption"), blank=True)
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("topic")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(_("note to the sender"), blank=True)
    content_item = models.OneToOneField(
        ContentItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="suggestion"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")

    def __str__(self) -> str:
        return self.title
