"""Schemathesis hooks of the gateway's API fuzzing run (apiFuzz.fuzz.test.ts writes the plan they read).

Each request gets a fresh Idempotency-Key (with one shared key every write after the first is rightly
refused with 422, and writes would go unfuzzed), the token of a caller that may perform the operation
(now and then another caller's, to probe refusals), and, for part of the cases, the id of an escrow,
webhook, event or transaction the test prepared in the state the operation needs: random ids only
ever find 404. Each operation's first case, and now and then another, is wholly the plan's (its
caller, its fixture, a body of the prepared values alone): one generated field outside them (a
random item list beside a prepared ship-by) fails the whole request, so without such cases an
operation with many optional fields can go a whole run without the one request that must succeed. Every response is logged for the per-operation report, and every refusal must be
problem+json with a stable code.
"""

import json
import os
import random
import re
import threading
import time
import uuid

import schemathesis

PLAN = json.load(open(os.environ["FUZZ_PLAN"], encoding="utf-8"))
CHANCE_OF_PRIMARY_CALLER = 0.85
CHANCE_OF_PREPARED_VALUE = 0.6
CHANCE_OF_PREPARED_PATH = 0.75
CHANCE_OF_WHOLE_PLAN_CASE = 0.15
# The path parameters that name a fixture one operation may use up (not an item index or a rule).
FIXTURE_IDS = ("escrowId", "webhookId")
STABLE_CODE = re.compile(r"^[A-Z][A-Z_]+$")

_random = random.Random(PLAN["seed"])
_lock = threading.Lock()
_calls = open(PLAN["callsFile"], "a", encoding="utf-8", buffering=1)
# Escrows the run itself created: a stateful step acting on one keeps its id.
_created_escrows: set = set()
# The operations whose first case, wholly the plan's, has gone.
_planned_once: set = set()
# Every value the test prepared, by path parameter name, whichever operation it was prepared for.
_PREPARED: dict = {}
for _values in PLAN["pathValues"].values():
    for _name, _list in _values.items():
        _PREPARED.setdefault(_name, set()).update(_list)


def _operation_id(case) -> str:
    return case.operation.definition.raw.get("operationId", case.operation.label)


def _chance(probability: float) -> bool:
    with _lock:
        return _random.random() < probability


def _pick(values: list):
    with _lock:
        return _random.choice(values)


# The callers' tokens, from the file the test renews while the run goes on (a token lives minutes, the
# run about as long): read again whenever it changed.
_tokens: dict = {}
_tokens_stamp = None


def _token_of(caller: str) -> str:
    global _tokens, _tokens_stamp
    with _lock:
        stamp = os.stat(PLAN["tokensFile"]).st_mtime_ns
        if stamp != _tokens_stamp:
            _tokens = json.load(open(PLAN["tokensFile"], encoding="utf-8"))
            _tokens_stamp = stamp
        return _tokens[caller]


def _caller_token(operation: str) -> str:
    callers = PLAN["callers"].get(operation) or PLAN["everyCaller"]
    if _chance(CHANCE_OF_PRIMARY_CALLER):
        return _token_of(callers[0])
    return _token_of(_pick(PLAN["everyCaller"]))


def _prepared(kind: str, operation: str, name: str):
    values = PLAN[kind].get(operation, {}).get(name)
    if not values or not _chance(CHANCE_OF_PREPARED_VALUE):
        return None
    return _pick(values)


def _names_a_fixture(case) -> bool:
    """A write whose path names something the test prepared: stateful links carry ids from any
    response (a search lists every fixture), and a write on another operation's fixture, or on
    another item of its own escrow, would use it up."""
    if case.method.upper() == "GET":
        return False
    return any(
        value in _PREPARED.get(name, set())
        for name, value in case.path_parameters.items()
        if name in FIXTURE_IDS
    )


def _choose_path(operation: str, case) -> None:
    """A stateful step on an escrow the run created keeps it; otherwise the prepared values replace the
    path's parameters together (an escrow and one of its items, a rule it holds), always for a write
    on a fixture: it acts on its own (or, with none, on an id nothing holds)."""
    if case.path_parameters.get("escrowId") in _created_escrows:
        return
    prepared = PLAN["pathValues"].get(operation, {})
    forced = _names_a_fixture(case)
    if forced or (prepared and _chance(CHANCE_OF_PREPARED_PATH)):
        for name in list(case.path_parameters.keys()):
            if prepared.get(name):
                case.path_parameters[name] = _pick(prepared[name])
            elif forced:
                case.path_parameters[name] = f"fuzz-unknown-{uuid.uuid4().hex[:12]}"


def _wholly_planned(operation: str, case) -> bool:
    """Whether this case is to be the plan's alone: an operation the test prepared values for, its first
    case and then one in CHANCE_OF_WHOLE_PLAN_CASE; never a stateful step on an escrow the run created."""
    if operation not in PLAN["pathValues"] and operation not in PLAN["bodyValues"]:
        return False
    if case.path_parameters and case.path_parameters.get("escrowId") in _created_escrows:
        return False
    with _lock:
        first = operation not in _planned_once
        _planned_once.add(operation)
    return first or _chance(CHANCE_OF_WHOLE_PLAN_CASE)


def _plan_case(operation: str, case) -> None:
    """The primary caller, every path parameter the plan prepared, and a body of the prepared values."""
    callers = PLAN["callers"].get(operation) or PLAN["everyCaller"]
    case.headers["Authorization"] = f"Bearer {_token_of(callers[0])}"
    for name, values in PLAN["pathValues"].get(operation, {}).items():
        if case.path_parameters is not None and name in case.path_parameters and values:
            case.path_parameters[name] = _pick(values)
    body = PLAN["bodyValues"].get(operation)
    if body:
        case.body = {name: _pick(values) for name, values in body.items() if values}


@schemathesis.hook
def before_call(context, case, kwargs):
    operation = _operation_id(case)
    headers = dict(case.headers or {})
    headers["Authorization"] = f"Bearer {_caller_token(operation)}"
    if case.method.upper() == "POST":
        headers["Idempotency-Key"] = f"fuzz-{uuid.uuid4()}"
    case.headers = headers
    if case.path_parameters:
        _choose_path(operation, case)
    if isinstance(case.body, dict):
        for name in list(case.body.keys()):
            replacement = _prepared("bodyValues", operation, name)
            if replacement is not None:
                case.body[name] = replacement
        # A new escrow gets an id of its own: generated ids shrink towards the same few ("0"), and
        # a second create under one is rightly refused (409 ESCROW_EXISTS).
        if operation == "createEscrow" and isinstance(case.body.get("escrowId"), str) and _chance(0.9):
            case.body["escrowId"] = f"fuzz-{uuid.uuid4().hex[:20]}"
        # A webhook endpoint is always the test's own receiver on the loopback: the notifier delivers
        # to what is registered, and no fuzzed address may ever be a delivery's target.
        if operation == "createWebhook" and isinstance(case.body.get("url"), str):
            case.body["url"] = PLAN["webhookUrl"]
    if _wholly_planned(operation, case):
        _plan_case(operation, case)


@schemathesis.hook
def after_call(context, case, response):
    operation = _operation_id(case)
    if operation == "createEscrow" and response.status_code in (201, 202):
        try:
            escrow = response.json().get("escrow") or {}
            _created_escrows.add(escrow.get("escrowId"))
        except ValueError:
            pass
    _calls.write(
        json.dumps(
            {
                "operation": operation,
                "method": case.method.upper(),
                "status": response.status_code,
                # The gateway's answer time, and when it came and on which worker: the gaps between one
                # worker's answers are schemathesis's own time (generation, checks, hooks).
                "elapsedMs": round(response.elapsed * 1000),
                "at": round(time.monotonic(), 3),
                "worker": threading.get_ident(),
            }
        )
        + "\n"
    )


@schemathesis.check
def refusal_is_problem_with_code(ctx, response, case):
    """Every 4xx is RFC 9457 problem+json with a stable machine-readable code."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.startswith("application/problem+json"):
        raise AssertionError(f"{response.status_code} answered as {content_type!r}, not application/problem+json")
    try:
        body = response.json()
    except ValueError as error:
        raise AssertionError(f"{response.status_code} problem is not JSON: {error}") from error
    code = body.get("code") if isinstance(body, dict) else None
    if not isinstance(code, str) or not STABLE_CODE.match(code):
        raise AssertionError(f"{response.status_code} problem has no stable code: {body!r}")
    return None
