"""A local fake X and LinkedIn for tests, development and benchmarks (see server.py), imitating
what the networks document (docs/networks.md): it refuses what they refuse.

python -m tests.fakenet --port 8765
X_API_BASE_URL=http://127.0.0.1:8765 LINKEDIN_API_BASE_URL=http://127.0.0.1:8765 ...
Connecting through it as well, with the apps it knows (state.TEST_CLIENTS, or --x-client and
--linkedin-client):
X_AUTHORIZE_URL=http://127.0.0.1:8765/i/oauth2/authorize LINKEDIN_OIDC_URL=http://127.0.0.1:8765/oauth
X_CLIENT_ID=x-client X_CLIENT_SECRET=x-secret LINKEDIN_CLIENT_ID=li-client LINKEDIN_CLIENT_SECRET=li-secret ...
"""

from tests.fakenet.control import answers, control, media, posts, register_token, request_log
from tests.fakenet.server import FakeNetServer, serve

__all__ = [
    "FakeNetServer",
    "answers",
    "control",
    "media",
    "posts",
    "register_token",
    "request_log",
    "serve",
]
