"""Caption counting benchmark: X's length as the editor counts it on every key stroke.

Times the product's counter (advocacy/networks/x/text.py, which drives twitter-text's own rules) against
the twitter-text-parser package's `parse_tweet` (the baseline: the same rules, the package's
own driver) on everyday captions and on texts built to make twitter-text's URL expression
backtrack ("a.a.a.…", one long link full of brackets), and times the whole caption check
(length, links, blocked terms with their TR39 skeletons) of a caption past every limit. No
database. Prints the median of repeated runs per case and the ratio product/baseline.

    .venv/bin/python bench/captions.py [--repeat 5] [--baseline-max 3000]

The baseline is skipped on cases longer than --baseline-max characters: parse_tweet takes
minutes there.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django

django.setup()

from advocacy.networks.x.text import links_cache_clear, x_weighted_length  # noqa: E402
from policy.captions import caption_findings  # noqa: E402
from policy.models import PolicyVersion  # noqa: E402

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from twitter_text import parse_tweet  # type: ignore[import-untyped]

CASES = {
    "everyday caption (140)": "Proud of our team: the new plant runs on sunlight and wind. "
    "Read more at acme.com/plant #energy 🌞👩‍👩‍👧",
    "caption with links (280)": ("See acme.com/a, www.acme.com and https://acme.com/b?x=1. " * 5)[
        :280
    ],
    "dots a.a.a… (280)": "a." * 140,
    "dots a.a.a… (3,000)": "a." * 1_500,
    "bracket link (3,000)": "https://a.com/" + "(a)" * 995,
    "bracket link (10,000)": "https://a.com/" + "(a)" * 3_328,
}


def median_seconds(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        links_cache_clear()  # each run counts from scratch, as a new text does
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline-max", type=int, default=3_000)
    args = parser.parse_args()

    print(f"{'case':<28} {'chars':>6} {'product ms':>11} {'baseline ms':>12} {'ratio':>6}")
    for name, text in CASES.items():
        ours = median_seconds(lambda text=text: x_weighted_length(text), args.repeat)
        theirs = None
        if len(text) <= args.baseline_max:
            theirs = median_seconds(lambda text=text: parse_tweet(text), args.repeat)
            agree = x_weighted_length(text) == parse_tweet(text).weightedLength
            if not agree:
                print(f"  !! {name}: the lengths differ")
        baseline = f"{theirs * 1000:12.2f}" if theirs is not None else f"{'skipped':>12}"
        ratio = f"{ours / theirs:6.2f}" if theirs else f"{'':>6}"
        print(f"{name:<28} {len(text):>6} {ours * 1000:11.2f} {baseline} {ratio}")

    policy = PolicyVersion(number=1, blocked_terms=["confidential", "project falcon"])
    text = "#employee https://acme.com/" + "(a)" * 3_000
    whole = median_seconds(
        lambda: caption_findings(text=text, network="linkedin", policy=policy), args.repeat
    )
    print(f"whole caption check, {len(text):,} characters past every limit: {whole * 1000:.1f} ms")


if __name__ == "__main__":
    main()
