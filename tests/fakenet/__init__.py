"""A local fake X and LinkedIn for tests, development and benchmarks (see server.py).

python -m tests.fakenet --port 8765
X_API_BASE_URL=http://127.0.0.1:8765 LINKEDIN_API_BASE_URL=http://127.0.0.1:8765 ...
"""

from .server import FakeNetServer, serve

__all__ = ["FakeNetServer", "serve"]
