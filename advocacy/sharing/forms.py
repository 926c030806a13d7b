"""Forms of the ambassador pages (caption editor, scheduling, queue, auto-sharing):
they only parse input; the services decide."""

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from advocacy.models import Network, NetworkAccount, QueueSlot
from advocacy.networks.rules import CAPTION_INPUT_MAX
from campaigns.models import CaptionVariant, ContentItem, Topic

# Live guidance: re-check after a short pause in typing, and at once when the network changes.
CAPTION_CHECK_TRIGGER = "input changed delay:250ms, change"
# The queue's caption also asks once when the page loads (it starts as the offered one).
CAPTION_CHECK_TRIGGERS = {
    "network": "change",
    "text": "input changed delay:250ms, change, load",
}
WEEKDAYS = QueueSlot._meta.get_field("weekday").choices or []


def caption_field() -> forms.CharField:
    return forms.CharField(
        label=_("Your caption"),
        strip=False,
        max_length=CAPTION_INPUT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Make it your own: a personal note works best."),
    )


def photo_field() -> forms.FileField:
    """The ambassador's own photo. A plain file field: advocacy/sharing/photos.py decides
    what is a usable picture (and says why not), Django's ImageField would only half-check."""
    return forms.FileField(
        label=_("Your own photo (optional)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_(
            "JPEG or PNG, up to 5 MB. It is posted as a picture post instead of the link's "
            "card. Location, camera and other hidden data are removed before it is stored."
        ),
    )


class CaptionForm(forms.Form):
    """The caption editor: which of my accounts, my own words and, if I like, my own photo."""

    network = forms.ChoiceField(label=_("Network"))
    text = caption_field()
    photo = photo_field()

    def __init__(
        self,
        *args: Any,
        accounts: Iterable[NetworkAccount] = (),
        guidance_only: bool = False,
        check_url: str = "",
        photo_check_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if photo_check_url:
            # The photo is checked (and previewed as it will be posted) as soon as it is chosen.
            self.fields["photo"].widget.attrs.update(
                {
                    "hx-post": photo_check_url,
                    "hx-trigger": "change",
                    "hx-encoding": "multipart/form-data",
                    "hx-include": "closest form",
                    "hx-target": "#photo-check",
                    "hx-swap": "outerHTML",
                    "aria-controls": "photo-check",
                }
            )
        network = cast(forms.ChoiceField, self.fields["network"])
        if guidance_only:
            # Guidance is only advice: it can be asked for any network, connected or not, and
            # for an empty caption (which gets "write a caption" rather than an error).
            network.choices = Network.choices
            self.fields["text"].required = False
        else:
            network.choices = [
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


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one,
    otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(NON_FIELD_ERRORS, error)


# --- Times in the ambassador's own zone ---------------------------------------------------------

LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time as typed, without a zone. Django would read it in the server's zone
    (and refuse DST gaps and overlaps there); the view reads it in the person's own zone with
    scheduling.local_to_utc, which explains a skipped or repeated hour."""

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        try:
            result = parse_datetime(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if result is None:
            result = super(forms.DateTimeField, self).to_python(value)
        return result


def _utc_offset(moment: datetime) -> str:
    offset = moment.utcoffset()
    assert offset is not None  # an aware moment
    minutes = int(offset.total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    return f"{'+' if minutes >= 0 else '-'}{hours:02d}:{rest:02d}"


def fold_choices(local: datetime, time_zone: str) -> list[tuple[int, str]]:
    """For a wall time that happens twice (the clocks go back), the two moments to choose
    from, each with its UTC offset; [] for any other time."""
    if local.tzinfo is not None:
        return []
    zone = zoneinfo.ZoneInfo(time_zone)
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    in_gap = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local
    if in_gap or first.utcoffset() == second.utcoffset():
        return []
    labels = (
        gettext("The first %(time)s (%(name)s, UTC%(offset)s), before the clocks go back"),
        gettext("The second %(time)s (%(name)s, UTC%(offset)s), after the clocks go back"),
    )
    return [
        (
            fold,
            label
            % {
                "time": moment.strftime("%H:%M"),
                "name": moment.tzname(),
                "offset": _utc_offset(moment),
            },
        )
        for fold, (label, moment) in enumerate(zip(labels, (first, second), strict=True))
    ]


class ScheduleForm(forms.Form):
    """When a share goes out: a date and time in the ambassador's own zone, and, for a time
    that happens twice on the night the clocks go back, which of the two."""

    when = LocalDateTimeField(
        label=_("When"),
        input_formats=[LOCAL_INPUT_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT_FORMAT),
    )
    fold = forms.TypedChoiceField(
        label=_("That time happens twice: which one?"),
        choices=[(0, _("the first")), (1, _("the second"))],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, time_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone
        self.fields["when"].help_text = gettext(
            "In your time zone, %(zone)s (change it under My networks)."
        ) % {"zone": time_zone}

    def offer_fold(self, choices: list[tuple[int, str]]) -> None:
        """Show the choice between the two moments of a repeated hour."""
        fold = cast(forms.TypedChoiceField, self.fields["fold"])
        fold.choices = choices
        fold.widget = forms.RadioSelect(choices=choices)


class ShareEditForm(ScheduleForm):
    """A scheduled share: its text, its photo and its time, until it starts publishing."""

    text = caption_field()
    photo = photo_field()
    remove_photo = forms.BooleanField(label=_("Remove the photo"), required=False)
    field_order = ["text", "photo", "remove_photo", "when", "fold"]

    def __init__(self, *args: Any, has_photo: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if has_photo:
            self.fields["photo"].label = _("Replace the photo (optional)")
        else:
            del self.fields["remove_photo"]


# --- Weekly slots -------------------------------------------------------------------------------


class SlotForm(forms.Form):
    """One weekly slot: a weekday and a wall time in the ambassador's own zone. A row left
    empty is ignored; a row ticked "remove" is dropped."""

    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", "---------"), *WEEKDAYS],
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


class BaseSlotFormSet(forms.BaseFormSet[SlotForm]):
    def slots(self) -> list[tuple[int, dt.time]]:
        """The rows that name a slot, in the order given (duplicates kept: the service
        explains them)."""
        return [slot for form in self.forms if (slot := form.slot()) is not None]


SlotFormSet = forms.formset_factory(
    SlotForm, formset=BaseSlotFormSet, extra=2, max_num=100, absolute_max=100
)


# --- Adding to the queue ------------------------------------------------------------------------


def _account_choices(accounts: Iterable[NetworkAccount]) -> list[tuple[str, str]]:
    return [
        (account.network, f"{account.get_network_display()} ({account.display_name})")
        for account in accounts
    ]


class QueueAddForm(forms.Form):
    """Add an item to my queue: which of my accounts, my words, and the caption variant the
    text started from (so colleagues are offered another one)."""

    network = forms.ChoiceField(label=_("Network"))
    text = caption_field()
    photo = photo_field()
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
        cast(forms.ChoiceField, self.fields["network"]).choices = _account_choices(accounts)
        variant = cast("forms.ModelChoiceField[CaptionVariant]", self.fields["variant"])
        variant.queryset = CaptionVariant.objects.filter(item=item)
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


# --- Reordering ---------------------------------------------------------------------------------


class IdListField(forms.CharField):
    """Share ids as the page writes them: "12,10,11"."""

    # The cleaned value is the list of ids, not CharField's text.
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


# --- Auto-sharing -------------------------------------------------------------------------------


class AutoShareForm(forms.Form):
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), label=_("Topic"))
    network = forms.ChoiceField(label=_("Network"))

    def __init__(self, *args: Any, accounts: Iterable[NetworkAccount], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["network"]).choices = _account_choices(accounts)
