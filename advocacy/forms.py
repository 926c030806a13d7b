"""Forms of the ambassador pages: they only parse input; the services decide."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from .models import NetworkAccount
from .networks import Network

# Live guidance: re-check after a short pause in typing, and at once when the network changes.
CAPTION_CHECK_TRIGGER = "input changed delay:250ms, change"


class CaptionForm(forms.Form):
    """The caption editor: which of my accounts, and my own words."""

    network = forms.ChoiceField(label=_("Network"))
    text = forms.CharField(
        label=_("Your caption"),
        strip=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Make it your own: a personal note works best."),
    )

    def __init__(
        self,
        *args: Any,
        accounts: Iterable[NetworkAccount] = (),
        guidance_only: bool = False,
        check_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        network = self.fields["network"]
        if guidance_only:
            # Guidance is only advice: it can be asked for any network, connected or not, and
            # for an empty caption (which gets "write a caption" rather than an error).
            network.choices = Network.choices  # type: ignore[attr-defined]
            self.fields["text"].required = False
        else:
            network.choices = [  # type: ignore[attr-defined]
                (account.network, f"{account.get_network_display()} ({account.display_name})")
                for account in accounts
            ]
        if check_url:
            for name in ("network", "text"):
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": check_url,
                        "hx-trigger": CAPTION_CHECK_TRIGGER,
                        "hx-target": "#caption-check",
                        "hx-swap": "outerHTML",
                        "hx-include": "closest form",
                        "aria-controls": "caption-check",
                    }
                )


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one,
    otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(NON_FIELD_ERRORS, error)
