"""A chat between two users with python-socketio's Client, as a new user would write it from
docs/client.md: one-argument event handlers, requests with acks, catch-up with sinceSeq and history.

Usage: python3 chat_client.py <gateway url> <transport: websocket | polling>
Prints one JSON object (what was seen) on its last line; exits 1 when a step fails or times out.
python-socketio's own dependencies come from PYTHONPATH (system-tests/src/test/python/deps.sh).
"""
import json
import os
import sys
import threading
import uuid

import requests
import socketio

TIMEOUT = 15


def token(url, user, tenant):
    answer = requests.get(f"{url}/dev/token", params={"user": user, "tenant": tenant}, timeout=TIMEOUT)
    answer.raise_for_status()
    return answer.json()["token"]


def connect(url, transport, jwt):
    client = socketio.Client(reconnection=False)
    client.connect(url, auth={"token": jwt}, transports=[transport], wait_timeout=TIMEOUT)
    return client


def request(client, event, payload):
    """Sends a request with an ack; returns the answer, failing on {ok: false}."""
    answer = client.call(event, payload, timeout=TIMEOUT)
    if not answer.get("ok"):
        raise RuntimeError(f"{event} failed: {answer}")
    return answer


def main(url, transport):
    tenant = "py-" + uuid.uuid4().hex[:8]
    alice = connect(url, transport, token(url, "alice", tenant))
    bob = connect(url, transport, token(url, "bob", tenant))
    created, confirmed = [], []
    got_confirmed = threading.Event()

    # One argument each, as the events are documented: an appended recovery offset would make
    # python-socketio call them with two and raise TypeError, and the events would be lost.
    @bob.on("room-message-created")
    def on_created(envelope):
        created.append(envelope["new"])

    @bob.on("room-message-confirmed")
    def on_confirmed(event):
        confirmed.append(event)
        got_confirmed.set()

    room = request(alice, "create-room", {"name": "python", "kind": "public"})["room"]
    request(alice, "join-room", {"roomId": room["id"]})
    joined = request(bob, "join-room", {"roomId": room["id"]})
    client_msg_id = str(uuid.uuid4())
    ack = request(alice, "send-message", {"roomId": room["id"], "clientMsgId": client_msg_id, "body": "hello from python"})
    if not got_confirmed.wait(TIMEOUT):
        raise RuntimeError(f"bob saw no room-message-confirmed within {TIMEOUT} s (created: {created})")
    history = request(bob, "fetch-history", {"roomId": room["id"]})

    # A reconnect catches up with sinceSeq (no connection state recovery asked for).
    bob.disconnect()
    bob = connect(url, transport, token(url, "bob", tenant))
    rejoined = request(bob, "join-room", {"roomId": room["id"], "sinceSeq": 0})

    result = {
        "transport": alice.transport(),
        "lastSeqAtJoin": joined["lastSeq"],
        "ack": {"seq": ack["seq"], "id": ack["id"]},
        "created": [{"body": m["body"], "tempId": m.get("tempId"), "optimistic": m["optimistic"]} for m in created],
        "confirmed": [{"seq": c["seq"], "id": c["id"], "tempId": c["tempId"]} for c in confirmed],
        "history": [{"seq": m["seq"], "body": m["body"], "clientMsgId": m["clientMsgId"]} for m in history["messages"]],
        "missed": [{"seq": m["seq"], "body": m["body"]} for m in rejoined["missed"]],
        "clientMsgId": client_msg_id,
    }
    alice.disconnect()
    bob.disconnect()
    print(json.dumps(result))


if __name__ == "__main__":
    try:
        main(sys.argv[1], sys.argv[2])
    except Exception as e:  # noqa: BLE001 - any failure is the test's
        print(json.dumps({"error": repr(e)}), flush=True)
        # Not sys.exit: the clients' threads of a failed run (still connected) would keep it alive.
        os._exit(1)
