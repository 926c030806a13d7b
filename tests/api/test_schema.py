"""The OpenAPI schema is the API's public contract: it is served, it covers every endpoint,
and it is generated without a single warning."""

from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/auth/token/": {"post"},
    "/api/me/": {"get", "patch"},
    "/api/me/opt-in/": {"post"},
    "/api/me/opt-out/": {"post"},
    "/api/policy/current/": {"get"},
    "/api/policy/current/acknowledge/": {"post"},
    "/api/policy/draft/": {"get", "put"},
    "/api/policy/draft/publish/": {"post"},
    "/api/policy/versions/": {"get"},
    "/api/policy/caption-check/": {"post"},
    "/api/topics/": {"get", "post"},
    "/api/topics/{id}/": {"get", "put", "delete"},
    "/api/campaigns/": {"get", "post"},
    "/api/campaigns/{id}/": {"get", "put", "patch"},
    "/api/campaigns/{id}/calendar/": {"get"},
    "/api/content/": {"get", "post"},
    "/api/content/{id}/": {"get", "put", "patch", "delete"},
    "/api/content/{id}/status/": {"post"},
    "/api/content/{id}/variants/": {"get", "post"},
    "/api/content/{id}/caption/": {"get"},
    "/api/variants/{id}/": {"put", "delete"},
    "/api/suggestions/": {"get", "post"},
    "/api/suggestions/{id}/": {"get"},
    "/api/suggestions/{id}/approve/": {"post"},
    "/api/suggestions/{id}/reject/": {"post"},
    "/api/feed/": {"get"},
    "/api/accounts/": {"get", "post"},
    "/api/accounts/{id}/": {"get", "delete"},
    "/api/accounts/{id}/disconnect/": {"post"},
    "/api/shares/": {"get", "post"},
    "/api/shares/{id}/": {"get", "patch"},
    "/api/shares/{id}/now/": {"post"},
    "/api/shares/{id}/cancel/": {"post"},
    "/api/budgets/{network}/": {"get", "put"},
    "/api/budgets/{network}/credits-topped-up/": {"post"},
    "/api/stats/me/": {"get"},
    "/api/stats/teams/{id}/": {"get"},
    "/api/stats/campaigns/{id}/": {"get"},
    "/api/stats/organisation/": {"get"},
    "/api/queue/": {"get", "post"},
    "/api/queue/slots/": {"put"},
    "/api/queue/reorder/": {"post"},
    "/api/queue/pause/": {"post"},
    "/api/queue/resume/": {"post"},
    "/api/queue/suggestions/": {"get"},
    "/api/queue/{id}/": {"delete"},
    "/api/queue/{id}/now/": {"post"},
    "/api/autoshare/": {"get", "post"},
    "/api/autoshare/{id}/": {"delete"},
    "/api/oneclick/": {"post"},
    "/api/calendar/": {"get"},
}


def test_the_schema_is_served_and_covers_every_endpoint() -> None:
    response = APIClient().get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    for path, methods in PATHS.items():
        assert path in schema["paths"], path
        assert methods <= set(schema["paths"][path]), (path, set(schema["paths"][path]))


def test_the_schema_never_exposes_network_tokens() -> None:
    schema = APIClient().get("/api/schema/").content.decode()

    assert "access_token" not in schema
    assert "refresh_token" not in schema


def test_the_swagger_page_is_served() -> None:
    response = APIClient().get("/api/docs/")

    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_the_schema_generates_and_validates_without_warnings(tmp_path: Path) -> None:
    out = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))

    assert "/api/shares/" in out.read_text()


SNAPSHOT = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"


def test_the_schema_is_the_published_one_byte_for_byte(tmp_path: Path) -> None:
    """docs/api/openapi.yaml is the contract clients build against: a change to the API must
    change that file in the same commit (`make schema` writes it), never by accident."""
    out = tmp_path / "schema.yml"

    call_command("spectacular", "--file", str(out))

    assert out.read_bytes() == SNAPSHOT.read_bytes(), (
        "The OpenAPI schema changed. If the change is intended, run `make schema` and commit "
        "docs/api/openapi.yaml with it."
    )
