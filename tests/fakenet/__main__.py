"""Start the fake network by hand: python -m tests.fakenet --port 8765"""

import argparse

from tests.fakenet.server import FakeNetServer


def client(value: str) -> tuple[str, str]:
    client_id, _, secret = value.partition(":")
    if not client_id or not secret:
        raise argparse.ArgumentTypeError("expected CLIENT_ID:SECRET")
    return client_id, secret


def main() -> None:
    parser = argparse.ArgumentParser(description="A fake X and LinkedIn API on this machine.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--x-client", type=client, help="an X app the fake knows, ID:SECRET")
    parser.add_argument("--linkedin-client", type=client, help="a LinkedIn app, ID:SECRET")
    args = parser.parse_args()
    server = FakeNetServer((args.host, args.port))
    for network, app in (("x", args.x_client), ("linkedin", args.linkedin_client)):
        if app:
            server.state.knobs["clients"][network] = dict([app])
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
