"""How marketing values the figures: money per network (earned media value) and points per
share, click and engagement (the leaderboard)."""

from decimal import Decimal

from reports.models import NetworkValue, PointsRule


def network_value_save(
    *, network: str, cpm: Decimal, cpc: Decimal, cpe: Decimal, currency: str = "EUR"
) -> NetworkValue:
    value = NetworkValue.objects.filter(network=network).first() or NetworkValue(network=network)
    value.cpm, value.cpc, value.cpe, value.currency = cpm, cpc, cpe, currency.upper()
    value.full_clean()
    value.save()
    return value


def points_rule_save(*, per_share: int, per_click: int, per_engagement: int) -> PointsRule:
    rule = PointsRule.objects.first() or PointsRule()
    rule.per_share, rule.per_click, rule.per_engagement = per_share, per_click, per_engagement
    rule.full_clean()
    rule.save()
    return rule
