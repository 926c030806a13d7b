"""Forms for the marketing pages and the suggestion page: field parsing only. The rules live
in campaigns.services; a ValidationError from a service is put back on the form with
`add_service_errors`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from advocacy.models import Network, Team
from campaigns.models import Campaign, ContentItem, Topic

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self) -> None:
        super().__init__(format=DATETIME_LOCAL)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _teams_field() -> "forms.ModelMultipleChoiceField[Team]":
    return forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Audience teams"),
        help_text=_("Leave empty for everyone."),
    )


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has that
    field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


class TopicForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput())
    audience = _teams_field()
    goal_metric = forms.ChoiceField(label=_("Goal"), choices=Campaign.Goal.choices)
    goal_target = forms.IntegerField(label=_("Goal target"), min_value=1)
    spread_minutes = forms.IntegerField(
        label=_("Spread launches over (minutes)"),
        min_value=0,
        max_value=24 * 60,
        initial=120,
        required=False,
        help_text=_(
            "Colleagues who share one item for the same moment go out spread over this window, "
            "so the posts do not all appear in the same minute. 0 turns spreading off."
        ),
    )
    utm_campaign = forms.SlugField(
        label=_("UTM campaign name"),
        max_length=100,
        help_text=_("Sent as utm_campaign on every tracked click."),
    )

    def clean_spread_minutes(self) -> int:
        value = self.cleaned_data.get("spread_minutes")
        return 120 if value is None else int(value)

    @staticmethod
    def initial_for(campaign: Campaign) -> dict[str, object]:
        return {
            "name": campaign.name,
            "description": campaign.description,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "audience": list(campaign.audience.all()),
            "goal_metric": campaign.goal_metric,
            "goal_target": campaign.goal_target,
            "spread_minutes": campaign.spread_minutes,
            "utm_campaign": campaign.utm_campaign,
        }


class ContentItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    # A plain text field: the link rules (http(s) only) are the model's, checked by the service.
    url = forms.CharField(label=_("Link"), max_length=2000, widget=forms.URLInput)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    image = forms.ImageField(
        label=_("Image"),
        required=False,
        widget=forms.FileInput,
        help_text=_("Optional. Uploading a new image replaces the current one."),
    )
    topics = forms.ModelMultipleChoiceField(
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Topics"),
    )
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.all(), required=False, label=_("Campaign")
    )
    caption_linkedin = forms.CharField(
        label=_("Suggested LinkedIn caption"), required=False, widget=forms.Textarea
    )
    caption_x = forms.CharField(
        label=_("Suggested X caption"), required=False, widget=forms.Textarea
    )
    available_from = forms.DateTimeField(
        label=_("Available from"), required=False, widget=DateTimeLocalInput()
    )
    available_until = forms.DateTimeField(
        label=_("Available until"), required=False, widget=DateTimeLocalInput()
    )
    audience = _teams_field()

    @staticmethod
    def initial_for(item: ContentItem) -> dict[str, object]:
        return {
            "title": item.title,
            "url": item.url,
            "description": item.description,
            "topics": list(item.topics.all()),
            "campaign": item.campaign,
            "caption_linkedin": item.caption_linkedin,
            "caption_x": item.caption_x,
            "available_from": item.available_from,
            "available_until": item.available_until,
            "audience": list(item.audience.all()),
        }


class ContentStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ContentItem.Status.choices)


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.CharField(label=_("Link"), max_length=2000, widget=forms.URLInput)
    note = forms.CharField(
        label=_("Why it is worth sharing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    caption = forms.CharField(
        label=_("Suggested caption"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), required=False, label=_("Topic"))


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the sender"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class VariantForm(forms.Form):
    """A new caption variant: one more caption for one network."""

    network = forms.ChoiceField(label=_("Network"), choices=Network.choices)
    text = forms.CharField(
        label=_("Caption"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each ambassador is offered the variant colleagues used least."),
    )


class VariantTextForm(forms.Form):
    """A caption variant's new text."""

    text = forms.CharField(label=_("Caption"), widget=forms.Textarea(attrs={"rows": 3}))


class CalendarRangeForm(forms.Form):
    """The days of a campaign calendar; by default the campaign's own period."""

    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
