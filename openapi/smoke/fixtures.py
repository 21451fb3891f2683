"""Runs every fixture of openapi/fixtures/ through the Python client that
openapi-python-client generates from the spec, each against a netverify-mock
serving that fixture (`--fixture FILE`). Run by `cargo xtask spec-smoke`.

The client is used plainly: the generated operation, and on top only what
every caller writes whatever the API: the status mapped to an error kind
(401 and 403 refused, 429 and 5xx temporary, other statuses `status`), a
parse failure of a 200 answer taken as an invalid response, `Retry-After`
read from the headers, and the one list key the accepted answer carries
read as its list. What that cannot reach is in GAPS, with the reason; the
run fails when a fixture outside GAPS is concluded wrongly, and also when
one in GAPS starts to pass (then GAPS and openapi/README.md are out of
date).
"""

import argparse
import json
import pathlib
import subprocess
import sys

import httpx

from netverify_client import Client
from netverify_client.api.id_types import accepted_id_types, supported_id_types
from netverify_client.errors import UnexpectedStatus
from netverify_client.types import UNSET

USER_AGENT = "netverify-rs spec-smoke fixtures/1.0"

# The fixtures a plain generated client concludes wrongly, and why. Keep in
# step with openapi/README.md ("What a generated client cannot express").
GAPS = {
    "accepted-missing-list": "the model accepts a document with neither list key (the spec's anyOf is not enforced), "
    "so the missing list cannot be told from a present one without hand-written validation",
    "accepted-under-both-keys": "with both keys present, only the accepted-key rule (acceptedIdTypes wins, even empty) "
    "says which is the list; the generated model has both",
    "forbidden-html": "the generated parser raises on a 403 whose body is HTML instead of returning the refusal",
}


def kind_of_status(status: int) -> str:
    if status in (401, 403):
        return "refused"
    if status == 429 or status >= 500:
        return "temporary"
    return "status"


def conclude(fixture: dict, base_url: str, token: str, secret: str) -> dict:
    last = {}

    def remember(response: httpx.Response) -> None:
        last["status"] = response.status_code
        last["headers"] = response.headers

    api = Client(
        base_url=base_url,
        headers={"Accept": "application/json"},
        httpx_args={"auth": (token, secret), "event_hooks": {"response": [remember]}},
        raise_on_unexpected_status=True,
    )
    operation = {"supportedIdTypes": supported_id_types, "acceptedIdTypes": accepted_id_types}[fixture["operation"]]

    def error(kind: str, status) -> dict:
        headers = last["headers"]
        found = {"kind": kind, "status": status, "trackingId": headers.get("X-Trackingid")}
        if status is not None and "Retry-After" in headers:
            found["retryAfterSeconds"] = int(headers["Retry-After"])
        return {"error": found}

    try:
        response = operation.sync_detailed(client=api, user_agent=USER_AGENT)
    except UnexpectedStatus as unexpected:
        return error(kind_of_status(unexpected.status_code), unexpected.status_code)
    except (ValueError, KeyError, TypeError) as failure:  # json.JSONDecodeError is a ValueError
        if last["status"] == 200:
            return error("invalidResponse", None)
        return {"crash": f"{type(failure).__name__} on a {last['status']} answer: {failure}"}
    if response.status_code != 200:
        return error(kind_of_status(response.status_code), response.status_code)
    parsed = response.parsed
    lists = {
        key: value
        for key, value in [
            ("supportedIdTypes", parsed.supported_id_types),
            ("acceptedIdTypes", getattr(parsed, "accepted_id_types", UNSET)),
        ]
        if value is not UNSET
    }
    if len(lists) != 1:
        return {"undecided": f"the answer has the lists {sorted(lists)}"}
    (key, countries), = lists.items()
    entries = [
        {"country": country.country_code, "idType": document.id_type, "backSide": document.acquisition_config.back_side}
        for country in countries
        for document in country.id_types
    ]
    return {"catalogue": {"listKey": key, "entries": entries}}


def start_mock(mock: str, fixture_file: pathlib.Path, token: str, secret: str):
    process = subprocess.Popen(
        [mock, "--port", "0", "--quiet", "--token", token, "--secret", secret, "--fixture", str(fixture_file)],
        stdout=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline().strip()
    if not line.startswith("listening on "):
        process.kill()
        raise RuntimeError(f"netverify-mock did not start for {fixture_file}: {line!r}")
    return process, line.removeprefix("listening on ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mock", required=True, help="the netverify-mock binary")
    parser.add_argument("--fixtures", required=True, type=pathlib.Path)
    parser.add_argument("--token", required=True)
    parser.add_argument("--secret", required=True)
    args = parser.parse_args()

    files = sorted(args.fixtures.glob("*.json"))
    unexpected = []
    for file in files:
        fixture = json.loads(file.read_text())
        process, base_url = start_mock(args.mock, file, args.token, args.secret)
        try:
            found = conclude(fixture, base_url, args.token, args.secret)
        finally:
            process.kill()
            process.wait()
        name = file.stem
        passed = found == fixture["outcome"]
        if passed and name not in GAPS:
            print(f"pass     {name}")
        elif not passed and name in GAPS:
            print(f"gap      {name}: {GAPS[name]}")
        elif passed:
            unexpected.append(f"{name} passes, but GAPS says: {GAPS[name]}")
        else:
            unexpected.append(f"{name}: expected {json.dumps(fixture['outcome'])}, concluded {json.dumps(found)}")
    passed = len(files) - len(GAPS)
    print(f"fixtures.py: {passed} of {len(files)} fixtures concluded as they say; {len(GAPS)} known gaps")
    for problem in unexpected:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if unexpected else 0


if __name__ == "__main__":
    sys.exit(main())
