"""A local fake X and LinkedIn for tests, development and benchmarks (see server.py).

python -m tests.fakenet --port 8765
X_API_BASE_URL=http://127.0.0.1:8765 LINKEDIN_API_BASE_URL=http://127.0.0.1:8765 ...
Connecting through it as well (any client ids and secrets will do):
X_AUTHORIZE_URL=http://127.0.0.1:8765/i/oauth2/authorize LINKEDIN_OIDC_URL=http://127.0.0.1:8765/oauth
X_CLIENT_ID=dev X_CLIENT_SECRET=dev LINKEDIN_CLIENT_ID=dev LINKEDIN_CLIENT_SECRET=dev ...
"""

from .control import answers, control, posts
from .server import FakeNetServer, serve

__all__ = ["FakeNetServer", "answers", "control", "posts", "serve"]
