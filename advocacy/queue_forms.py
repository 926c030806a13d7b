"""Forms of the queue, auto-sharing and one-click pages: they only parse input; the services
in advocacy.services.queue and .autoshare decide."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from campaigns.models import CaptionVariant, ContentItem, Topic

from .models import NetworkAccount, QueueSlot
from .networks import Network

WEEKDAYS = QueueSlot._meta.get_field("weekday").choices
# Live guidance: re-check after a short pause in typing and at once when the network changes;
# the caption also asks once when the page loads (it starts as the offered one).
CAPTION_CHECK_TRIGGERS = {
    "network": "change",
    "text": "input changed delay:250ms, change, load",
}


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError on the form: on its field when the form has one, else
    above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(NON_FIELD_ERRORS, error)


# --- Weekly slots ------------------------------------------------------------------------------


class SlotForm(forms.Form):
    """One weekly slot: a weekday and a wall time in the ambassador's own zone. A row left
    empty is ignored; a row ticked "remove" is dropped."""

    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", "---------"), *WEEKDAYS],  # type: ignore[misc]
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"aria-label": _("Day")}),
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "aria-label": _("Time")}, format="%H:%M"),
    )
    remove = forms.BooleanField(
        label=_("Remove"),
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-label": _("Remove this slot")}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_day = cleaned.get("weekday") is not None
        has_time = cleaned.get("time") is not None
        if has_day != has_time and not cleaned.get("remove") and not self.errors:
            raise ValidationError(_("Give both a day and a time."), code="incomplete_slot")
        return cleaned

    def slot(self) -> tuple[int, dt.time] | None:
        data = self.cleaned_data
        if data.get("remove") or data.get("weekday") is None or data.get("time") is None:
            return None
        return data["weekday"], data["time"]


class BaseSlotFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def slots(self) -> list[tuple[int, dt.time]]:
        """The rows that name a slot, in the order given (duplicates kept: the service
        explains them)."""
        return [slot for form in self.forms if (slot := form.slot()) is not None]  # type: ignore[attr-defined]


SlotFormSet = forms.formset_factory(
    SlotForm, formset=BaseSlotFormSet, extra=2, max_num=100, absolute_max=100
)


# --- Adding to the queue -----------------------------------------------------------------------


def _account_choices(accounts: Iterable[NetworkAccount]) -> list[tuple[str, str]]:
    return [
        (account.network, f"{account.get_network_display()} ({account.display_name})")
        for account in accounts
    ]


class QueueAddForm(forms.Form):
    """Add an item to my queue: which of my accounts, my words, and the caption variant the
    text started from (so colleagues are offered another one)."""

    network = forms.ChoiceField(label=_("Network"))
    text = forms.CharField(
        label=_("Your caption"),
        strip=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Make it your own: a personal note works best."),
    )
    variant = forms.ModelChoiceField(
        queryset=CaptionVariant.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args: Any,
        item: ContentItem,
        accounts: Iterable[NetworkAccount],
        check_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = _account_choices(accounts)  # type: ignore[attr-defined]
        self.fields["variant"].queryset = CaptionVariant.objects.filter(item=item)  # type: ignore[attr-defined]
        if check_url:
            for name, trigger in CAPTION_CHECK_TRIGGERS.items():
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": check_url,
                        "hx-trigger": trigger,
                        "hx-target": "#caption-check",
                        "hx-swap": "outerHTML",
                        "hx-include": "closest form",
                        "aria-controls": "caption-check",
                    }
                )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        variant = cleaned.get("variant")
        # A variant written for another network is not the one this caption started from.
        if variant is not None and variant.network != cleaned.get("network"):
            cleaned["variant"] = None
        return cleaned


class SuggestionAddForm(forms.Form):
    """ "Add" on an empty slot: the suggested item, for one of my networks, in that slot."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    network = forms.ChoiceField(choices=Network.choices, widget=forms.HiddenInput)
    # The slot moment as the page wrote it (ISO 8601 in UTC), so aware once parsed.
    slot = forms.DateTimeField(widget=forms.HiddenInput)


# --- Reordering --------------------------------------------------------------------------------


class IdListField(forms.CharField):
    """Share ids as the page writes them: "12,10,11"."""

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return []
        try:
            return [int(part) for part in text.split(",")]
        except ValueError:
            raise ValidationError(_("Reload the page and try again."), code="bad_order") from None


class ReorderForm(forms.Form):
    """The whole queue in its new order, and the order the page showed (so a change made in
    another tab is not overwritten)."""

    order = IdListField(required=False)
    expected = IdListField(required=False)


# --- Auto-sharing ------------------------------------------------------------------------------


class AutoShareForm(forms.Form):
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), label=_("Topic"))
    network = forms.ChoiceField(label=_("Network"))

    def __init__(self, *args: Any, accounts: Iterable[NetworkAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = _account_choices(accounts)  # type: ignore[attr-defined]
