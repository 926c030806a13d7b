from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

MONEY = {"min_value": Decimal(0), "max_digits": 10, "decimal_places": 4}


class NetworkValueForm(forms.Form):
    """Marketing's rates for one network (the form's prefix is the network)."""

    cpm = forms.DecimalField(label=_("Cost per 1,000 impressions"), **MONEY)  # type: ignore[arg-type]
    cpc = forms.DecimalField(label=_("Cost per click"), **MONEY)  # type: ignore[arg-type]
    cpe = forms.DecimalField(label=_("Cost per engagement"), **MONEY)  # type: ignore[arg-type]
    currency = forms.CharField(label=_("Currency"), max_length=3, min_length=3, initial="EUR")
