from django import forms
from django.utils.translation import gettext_lazy as _


class BudgetForm(forms.Form):
    """Marketing's monthly budget for a network that bills per post. Whether the amount is
    allowed (not negative) is the service's rule; this form only parses it."""

    monthly_limit = forms.DecimalField(
        label=_("Monthly budget"),
        max_digits=10,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": "0", "step": "0.01"}),
        error_messages={
            "required": _("Enter the monthly budget, for example 250 or 99.50."),
            "invalid": _("Enter the monthly budget as a number, for example 250 or 99.50."),
            "max_decimal_places": _("Give the budget in cents at most (two decimals)."),
            "max_digits": _("A budget can be at most 99,999,999.99."),
            "max_whole_digits": _("A budget can be at most 99,999,999.99."),
        },
        help_text=_(
            "Posts stop for the rest of the month once it is spent; they wait and go out when "
            "you raise it or the next month starts."
        ),
    )
