"""What the report APIs (and my impact's, advocacy.reach.apis) share: a figure that says
whether it is measured or estimated, the figures of a report, their change against the previous period, the figures per group, and
the query's period and group.

A metric no network reported is null, never 0."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from reports.selectors.figures import Totals
from reports.selectors.organisation import OrganisationReport
from reports.selectors.team import Dashboard

MEASURED = "measured"
ESTIMATED = "estimated"


class FigureSerializer(serializers.Serializer[Any]):
    value = serializers.IntegerField(allow_null=True, help_text="Null when not available.")
    kind = serializers.ChoiceField(
        choices=[(MEASURED, MEASURED), (ESTIMATED, ESTIMATED)],
        help_text="Measured (counted by us or reported by the network) or estimated.",
    )
    available = serializers.BooleanField(
        help_text="False when no network reported this figure (it is not zero)."
    )


class MoneyFigureSerializer(serializers.Serializer[Any]):
    value = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text="Null when not available."
    )
    currency = serializers.CharField(help_text="Empty when the networks' currencies differ.")
    kind = serializers.ChoiceField(choices=[(ESTIMATED, ESTIMATED)])
    available = serializers.BooleanField(
        help_text="False when marketing set no value per network (it is not zero)."
    )


class ReportFiguresSerializer(serializers.Serializer[Any]):
    shares = FigureSerializer(help_text="Published shares.")
    clicks = FigureSerializer(help_text="Tracked-link clicks by people.")
    bot_visits = FigureSerializer(help_text="Link-preview bots and crawlers, counted apart.")
    unique_visitors = FigureSerializer(help_text="Distinct visitors per share and day: estimated.")
    potential_reach = FigureSerializer(help_text="Followers at share time: an estimate.")
    impressions = FigureSerializer()
    reactions = FigureSerializer()
    comments = FigureSerializer()
    reposts = FigureSerializer()
    engagements = FigureSerializer(help_text="Reactions, comments and reposts.")
    emv = MoneyFigureSerializer(help_text="Earned media value at marketing's rates.")


class ParticipationSerializer(serializers.Serializer[Any]):
    eligible = serializers.IntegerField(help_text="Active members of the team.")
    opted_in = serializers.IntegerField(help_text="Members who opted in as ambassadors.")
    active = serializers.IntegerField(help_text="Members who published in the period.")


class ChangeSerializer(serializers.Serializer[Any]):
    percent = serializers.IntegerField(
        allow_null=True, help_text="Change against the previous period; null when unknown."
    )
    direction = serializers.ChoiceField(choices=["up", "down", "same"])


class GroupSerializer(serializers.Serializer[Any]):
    key = serializers.CharField(help_text="The day (ISO date), the network or the item id.")
    name = serializers.CharField(help_text="The day, the network's or the item's name.")
    figures = ReportFiguresSerializer()


class ItemStatsSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    share_count = serializers.IntegerField(help_text="Published shares.")
    click_count = serializers.IntegerField(help_text="Clicks by people.")


def period_field(help_text: str) -> serializers.IntegerField:
    """The query's `period`: days, up to a year."""
    return serializers.IntegerField(min_value=1, max_value=366, required=False, help_text=help_text)


def group_field(choices: tuple[str, ...]) -> serializers.ChoiceField:
    """The query's `group`: one of the report's groupings."""
    return serializers.ChoiceField(
        choices=choices,
        required=False,
        help_text=f"Also return the figures per {', '.join(choices)}.",
    )


def query_params(
    request: Request, serializer_class: type[serializers.Serializer[Any]]
) -> dict[str, Any]:
    """The query's parameters, validated, or 400 with the reason."""
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def figure_data(value: int | None, kind: str = MEASURED) -> dict[str, Any]:
    """A figure as FigureSerializer gives it: None is "not available", never 0."""
    return {"value": value, "kind": kind, "available": value is not None}


def figures_data(totals: Totals, currency: str) -> dict[str, Any]:
    emv: Decimal | None = totals.emv
    return {
        "shares": figure_data(totals.shares),
        "clicks": figure_data(totals.clicks),
        "bot_visits": figure_data(totals.bot_clicks),
        "unique_visitors": figure_data(totals.unique_visitors, ESTIMATED),
        "potential_reach": figure_data(totals.known_reach, ESTIMATED),
        "impressions": figure_data(totals.impressions),
        "reactions": figure_data(totals.reactions),
        "comments": figure_data(totals.comments),
        "reposts": figure_data(totals.reposts),
        "engagements": figure_data(totals.engagements),
        "emv": {
            "value": emv,
            "currency": currency,
            "kind": ESTIMATED,
            "available": emv is not None,
        },
    }


def compared_data(report: Dashboard | OrganisationReport) -> dict[str, Any]:
    """The period, the one before it, the change between them, and all time."""
    return {
        "period": figures_data(report.totals, report.currency),
        "previous": figures_data(report.previous, report.currency),
        "changes": {
            name: {"percent": change.percent, "direction": change.direction}
            for name, change in report.changes.items()
        },
        "all_time": figures_data(report.all_time, report.currency),
    }


# Each group's key and name, from a selector's row.
GROUP_KEYS: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    "day": lambda row: (row["day"].isoformat(), row["day"].isoformat()),
    "network": lambda row: (row["network"], str(row["label"])),
    "team": lambda row: (str(row["team_id"]), row["team__name"]),
    "item": lambda row: (str(row["content_item_id"]), row["content_item__title"]),
}


def groups_data(*, group: str, rows: list[dict[str, Any]], currency: str) -> list[dict[str, Any]]:
    result = []
    for row in rows:
        key, name = GROUP_KEYS[group](row)
        result.append({"key": key, "name": name, "figures": figures_data(row["totals"], currency)})
    return result


def items_data(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": row["content_item_id"],
            "title": row["content_item__title"],
            "share_count": row["totals"].shares,
            "click_count": row["totals"].clicks,
        }
        for row in rows
    ]
