from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class PolicyVersion(models.Model):
    """One version of the fair-use policy: the Markdown page and its structured rules.

    Marketing edits a draft; publishing gives it the next number and makes it current. Only
    the hard rules block a share; the page itself explains (principle 2).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        PUBLISHED = "published", _("published")

    number = models.PositiveIntegerField(_("version"), null=True, blank=True, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(_("title"), max_length=200, default=_("Fair-use social media policy"))
    body = models.TextField(_("page (Markdown)"))
    blocked_terms = models.JSONField(_("blocked terms"), default=list, blank=True)
    required_disclosure = models.CharField(
        _("required disclosure text or hashtag"),
        max_length=100,
        blank=True,
        help_text=_("Every caption must contain it, e.g. #employee or “I work here”."),
    )
    allowed_domains = models.JSONField(
        _("allowed link domains"),
        default=list,
        blank=True,
        help_text=_(
            "Links in captions and content must point to these domains (and their "
            "subdomains). Empty allows every domain."
        ),
    )
    max_shares_per_day = models.PositiveSmallIntegerField(
        _("maximum shares per day"), null=True, blank=True
    )
    sharing_hours_start = models.TimeField(_("sharing hours from"), null=True, blank=True)
    sharing_hours_end = models.TimeField(_("sharing hours until"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number", "-created_at"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")

    def __str__(self) -> str:
        if self.number:
            return f"{self.title} (v{self.number})"
        return f"{self.title} ({_('draft')})"

    def clean(self) -> None:
        if (self.sharing_hours_start is None) != (self.sharing_hours_end is None):
            raise ValidationError(
                _("Give both ends of the sharing hours, or leave both empty for any time.")
            )
        if self.sharing_hours_start and self.sharing_hours_start == self.sharing_hours_end:
            raise ValidationError(_("The sharing hours must not start and end at the same time."))


class Acknowledgement(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="acknowledgements"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "version"], name="acknowledge_once"),
        ]
        ordering = ["-created_at"]
