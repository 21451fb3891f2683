"""Uses the Python client that openapi-python-client generates from the spec
against the netverify-mock server. Run by `cargo xtask spec-smoke`, which
generates the client (package `netverify_client`), writes the data files and
starts the mock; see openapi/README.md.

Checks, on both endpoints: status 200, the typed models, the served lists
equal to the data files (the spec's documented samples, plus an entry with an
ID type the spec does not list), the accepted list under the key the mock
uses, the X-Trackingid header; a 403 with Jumio's error body for wrong
credentials and for a missing User-Agent; and an accepted answer that holds no
list (the mock's `missing-list` fault), which the spec's schema rejects (its
`anyOf` requires one of the two keys) and which the typed model shows as
having neither list, so that a client never reads it as an empty catalogue.
"""

import argparse
import datetime
import json

import jsonschema
import pathlib
import sys

from netverify_client import Client
from netverify_client.api.id_types import accepted_id_types, supported_id_types
from netverify_client.models import (
    AcceptedIdTypesResponse,
    JumioErrorBody,
    SupportedIdTypesResponse,
)
from netverify_client.types import UNSET

USER_AGENT = "netverify-rs spec-smoke/1.0"


def client(base_url: str, token: str, secret: str) -> Client:
    # What the generated code leaves to a hand-written layer: Basic auth
    # (the generated AuthenticatedClient only knows bearer tokens) and the
    # Accept header Jumio requires.
    return Client(
        base_url=base_url,
        headers={"Accept": "application/json"},
        httpx_args={"auth": (token, secret)},
        raise_on_unexpected_status=True,
    )


def check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)
    print(f"ok: {message}")


def check_missing_list(args: argparse.Namespace) -> None:
    """An accepted answer without either list key must not pass as an empty list."""
    api = client(args.missing_list_url, args.token, args.secret)
    response = accepted_id_types.sync_detailed(client=api, user_agent=USER_AGENT)
    check(response.status_code == 200, f"missing list: status 200 (got {response.status_code})")
    document = json.loads(response.content)
    check(set(document) == {"timestamp"}, f"missing list: the mock sent only a timestamp ({document})")
    schema = json.loads((args.schemas / "AcceptedIdTypesResponse.json").read_text())
    try:
        jsonschema.validate(document, schema)
    except jsonschema.ValidationError as error:
        check(True, f"missing list: the spec's schema rejects the answer ({error.message})")
    else:
        check(False, "missing list: the spec's schema rejects the answer")
    parsed = response.parsed
    check(
        parsed.accepted_id_types is UNSET and parsed.supported_id_types is UNSET,
        "missing list: the typed model has neither list (UNSET), not an empty one",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--data", required=True, type=pathlib.Path)
    parser.add_argument("--accepted-key", required=True, choices=["acceptedIdTypes", "supportedIdTypes"])
    parser.add_argument("--missing-list-url", required=True, help="a mock whose next answer holds no list")
    parser.add_argument("--schemas", required=True, type=pathlib.Path, help="openapi/schemas")
    args = parser.parse_args()

    supported_file = json.loads((args.data / "supportedIdTypes.json").read_text())
    accepted_file = json.loads((args.data / "acceptedIdTypes.json").read_text())
    api = client(args.base_url, args.token, args.secret)

    response = supported_id_types.sync_detailed(client=api, user_agent=USER_AGENT)
    check(response.status_code == 200, f"supportedIdTypes: status 200 (got {response.status_code})")
    supported = response.parsed
    check(isinstance(supported, SupportedIdTypesResponse), "supportedIdTypes: parsed as SupportedIdTypesResponse")
    check(isinstance(supported.timestamp, datetime.datetime), "supportedIdTypes: timestamp parsed as a datetime")
    check(bool(response.headers.get("X-Trackingid")), "supportedIdTypes: X-Trackingid header present")
    served = [country.to_dict() for country in supported.supported_id_types]
    check(served == supported_file["supportedIdTypes"], "supportedIdTypes: the list equals the served data")
    id_types = {t.id_type for country in supported.supported_id_types for t in country.id_types}
    check("RESIDENCE_PERMIT" in id_types, "supportedIdTypes: an ID type the spec does not list is kept")
    netherlands = next(c for c in supported.supported_id_types if c.country_code == "NLD")
    check(
        [(t.id_type, t.acquisition_config.back_side) for t in netherlands.id_types]
        == [("ID_CARD", True), ("DRIVING_LICENSE", True), ("PASSPORT", False), ("RESIDENCE_PERMIT", True)],
        "supportedIdTypes: the Netherlands entry typed, the unknown ID type after the documented ones",
    )

    response = accepted_id_types.sync_detailed(client=api, user_agent=USER_AGENT)
    check(response.status_code == 200, f"acceptedIdTypes: status 200 (got {response.status_code})")
    accepted = response.parsed
    check(isinstance(accepted, AcceptedIdTypesResponse), "acceptedIdTypes: parsed as AcceptedIdTypesResponse")
    check(isinstance(accepted.timestamp, datetime.datetime), "acceptedIdTypes: timestamp parsed as a datetime")
    by_key = {
        "acceptedIdTypes": accepted.accepted_id_types,
        "supportedIdTypes": accepted.supported_id_types,
    }
    # Jumio's documentation names the list both ways; a client reads either.
    for key, value in by_key.items():
        if key == args.accepted_key:
            served = [country.to_dict() for country in value] if value is not UNSET else None
            check(served == accepted_file["acceptedIdTypes"], f"acceptedIdTypes: the list under `{key}` equals the served data")
        else:
            check(value is UNSET, f"acceptedIdTypes: no list under `{key}`")

    refusals = {
        "wrong credentials": (client(args.base_url, args.token, args.secret + "-wrong"), USER_AGENT),
        "no User-Agent": (api, ""),
    }
    for what, (refused_client, user_agent) in refusals.items():
        response = supported_id_types.sync_detailed(client=refused_client, user_agent=user_agent)
        check(response.status_code == 403, f"{what}: status 403 (got {response.status_code})")
        check(isinstance(response.parsed, JumioErrorBody), f"{what}: parsed as JumioErrorBody")
        check(response.parsed.http_status == "403", f"{what}: httpStatus is the string \"403\"")
        check(bool(response.parsed.message), f"{what}: a message ({response.parsed.message!r})")

    check_missing_list(args)

    print("smoke.py: all checks passed")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except AssertionError as failure:
        print(f"FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
