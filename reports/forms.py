from decimal import Decimal
from typing import TypedDict

from django import forms
from django.utils.translation import gettext_lazy as _


class MoneyBounds(TypedDict):
    min_value: Decimal
    max_digits: int
    decimal_places: int


MONEY: MoneyBounds = {"min_value": Decimal(0), "max_digits": 10, "decimal_places": 4}


class NetworkValueForm(forms.Form):
    """Marketing's rates for one network (the form's prefix is the network)."""

    cpm = forms.DecimalField(label=_("Cost per 1,000 impressions"), **MONEY)
    cpc = forms.DecimalField(label=_("Cost per click"), **MONEY)
    cpe = forms.DecimalField(label=_("Cost per engagement"), **MONEY)
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, initial="EUR")


class PointsForm(forms.Form):
    per_share = forms.IntegerField(label=_("Points per share"), min_value=0, max_value=10_000)
    per_click = forms.IntegerField(label=_("Points per click"), min_value=0, max_value=10_000)
    per_engagement = forms.IntegerField(
        label=_("Points per engagement"), min_value=0, max_value=10_000
    )
