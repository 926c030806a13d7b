"""REST API of the ambassador journey, one module per resource:

- `me`: who you are, opting in and out, your interests;
- `accounts`: your network accounts;
- `shares`: sharing now, your shares and their measured figures;
- `stats`: the figures behind "my impact" (the team, campaign and organisation reports are
  served by reports.apis);
- `common`: helpers every app's API uses (the page envelope, read-only related ids).

Another person's account or share answers 404, as if it did not exist. Network tokens are
never part of any response.
"""
