"""Forms of the policy pages: they only parse input; the services decide."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from policy.models import PolicyVersion


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class PolicyAcknowledgeForm(forms.Form):
    # The version the person read: if a new one was published meanwhile, they read that first.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    opt_in = forms.BooleanField(
        label=_("and I want to take part as an ambassador"),
        required=False,
        help_text=_("Voluntary: you can opt out at any time, and suggest content either way."),
    )

    def __init__(self, *args: Any, with_opt_in: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_opt_in:
            del self.fields["opt_in"]


class PolicyDraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Page (Markdown)"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Explain, with examples. Raw HTML is shown as text, not rendered."),
    )
    blocked_terms = forms.CharField(
        label=_("Blocked terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. A caption containing one of them cannot be posted."),
    )
    required_disclosure = forms.CharField(
        label=_("Required disclosure text or hashtag"),
        max_length=100,
        required=False,
        help_text=_("Every caption must contain it, e.g. #employee. Leave empty for none."),
    )
    allowed_domains = forms.CharField(
        label=_("Allowed link domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. example.com (subdomains included). Empty allows all."),
    )
    max_shares_per_day = forms.IntegerField(
        label=_("Maximum shares per day"),
        required=False,
        min_value=1,
        max_value=1000,
        help_text=_("Per ambassador. Leave empty for no maximum."),
    )
    sharing_hours_start = forms.TimeField(
        label=_("Sharing hours from"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )
    sharing_hours_end = forms.TimeField(
        label=_("Sharing hours until"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
        help_text=_("Leave both empty to allow sharing at any time."),
    )

    @staticmethod
    def initial_from(version: PolicyVersion) -> dict[str, Any]:
        return {
            "title": version.title,
            "body": version.body,
            "blocked_terms": "\n".join(version.blocked_terms),
            "required_disclosure": version.required_disclosure,
            "allowed_domains": "\n".join(version.allowed_domains),
            "max_shares_per_day": version.max_shares_per_day,
            "sharing_hours_start": version.sharing_hours_start,
            "sharing_hours_end": version.sharing_hours_end,
        }

    def clean_blocked_terms(self) -> list[str]:
        return _lines(self.cleaned_data["blocked_terms"])

    def clean_allowed_domains(self) -> list[str]:
        return _lines(self.cleaned_data["allowed_domains"])


class PolicyPublishForm(forms.Form):
    # The draft the person looked at: if a colleague published it meanwhile and started a new
    # draft, that new draft is not published unseen.
    draft = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
