"""Shares once through the demo's API as ambassador2 and waits for the worker to publish."""

import sys
import time

import requests

base = sys.argv[1]
session = requests.Session()
token = session.post(
    f"{base}/api/auth/token/", data={"username": "ambassador2", "password": "demo"}, timeout=10
)
token.raise_for_status()
session.headers["Authorization"] = f"Token {token.json()['token']}"
feed = session.get(f"{base}/api/feed/", timeout=10).json()
items = feed["results"] if isinstance(feed, dict) else feed
if not items:
    sys.exit("the demo feed is empty for ambassador2 (already shared everything?)")
item = items[0]
created = session.post(
    f"{base}/api/shares/",
    json={"content_item": item["id"], "network": "sandbox", "text": "Proud of this one! #employee"},
    timeout=10,
)
if created.status_code != 201:
    sys.exit(f"share refused: {created.status_code} {created.text}")
share = created.json()
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    share = session.get(f"{base}/api/shares/{share['id']}/", timeout=10).json()
    if share["status"] not in ("scheduled", "publishing"):
        break
    time.sleep(0.5)
print(
    f"share {share['id']}: {share['status']} {share.get('external_url')} {share.get('tracked_url')}"
)
if share["status"] != "published":
    sys.exit(f"the worker did not publish the share: {share}")
click = requests.get(
    share["tracked_url"],
    allow_redirects=False,
    timeout=10,
    headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"},
)
print(f"tracked link -> {click.status_code} {click.headers.get('Location')}")
if click.status_code != 302:
    sys.exit("the tracked link did not redirect")
print("demo smoke test passed")
