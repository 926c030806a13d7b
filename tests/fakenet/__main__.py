"""Start the fake network by hand: python -m tests.fakenet --port 8765"""

import argparse

from .server import FakeNetServer


def main() -> None:
    parser = argparse.ArgumentParser(description="A fake X and LinkedIn API on this machine.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    server = FakeNetServer((args.host, args.port))
    print(
        f"fake X and LinkedIn listening on {server.url} (control: POST {server.url}/_control)",
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
