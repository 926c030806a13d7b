"""The form of a person's own settings (on the My networks page): it only parses input; the
services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from advocacy.models import DigestFrequency
from advocacy.people.settings import time_zone_names


class SettingsForm(forms.Form):
    """What a person sets for themselves."""

    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=lambda: [(name, name) for name in time_zone_names()],
        help_text=_(
            "Times you pick are read in this zone and shown in it. Shares already scheduled "
            "keep their moment."
        ),
    )
    digest_frequency = forms.ChoiceField(
        label=_("Email me new content picked for me"),
        choices=DigestFrequency.choices,
    )
    show_on_leaderboard = forms.BooleanField(
        label=_("Show me on the leaderboard"),
        required=False,
        help_text=_(
            "On: your name, shares, clicks, engagements and points appear on the leaderboard "
            "of your team's dashboard and of the company report (motivators, marketing and "
            "leadership see them). Off, you are simply not listed; your figures still count "
            "in the team's totals, without your name."
        ),
    )
