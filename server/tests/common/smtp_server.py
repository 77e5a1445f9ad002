"""A real SMTP server for the tests (aiosmtpd, installed by `scripts/setup.sh test`), started by
the test harness (`common::smtp::SmtpServer`), that can refuse addresses.

    python smtp_server.py PORT DIR

Listens on 127.0.0.1:PORT and prints `READY` once it accepts connections. Every message it
takes is written to DIR as `NNNNNN.eml` (the raw message, as received) and, read with Python's
`email` package, as `NNNNNN.json`: `to`, `subject`, `text` (the plain-text part, decoded),
`message_id`. The behaviour for
recipients is read from DIR/rules.conf (JSON) at each RCPT, so that a test can change it while the
server runs:

    {"refuse": ["a@x.example"], "refuse_domains": ["refused.example"],
     "defer": {"b@x.example": 2}, "defer_always": ["c@x.example"]}

- `refuse`, `refuse_domains`: answered `550 5.1.1` (permanent failure);
- `defer`: answered `451 4.3.0` (transient failure) that many times, then accepted;
- `defer_always`: answered `451 4.3.0` every time.

A message is answered `250 2.0.0 Ok: queued as QNNNNNN`. The server stops when its standard
input closes (the test process ended).
"""

import email
import email.policy
import json
import os
import sys
import threading

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.deferred = {}
        self.lock = threading.Lock()

    def rules(self):
        try:
            with open(os.path.join(self.directory, "rules.conf")) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        rules = self.rules()
        key = address.lower()
        domain = key.rsplit("@", 1)[-1]
        if key in rules.get("refuse", []) or domain in rules.get("refuse_domains", []):
            return f"550 5.1.1 <{address}>: Recipient address rejected: mailbox unavailable"
        if key in rules.get("defer_always", []):
            return f"451 4.3.0 <{address}>: temporarily unavailable, try again later"
        times = rules.get("defer", {}).get(key)
        if times is not None:
            with self.lock:
                done = self.deferred.get(key, 0)
                if done < times:
                    self.deferred[key] = done + 1
                    return f"451 4.3.0 <{address}>: temporarily unavailable, try again later"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            number = self.count
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        parsed = {
            "to": str(message["To"] or ""),
            "subject": str(message["Subject"] or ""),
            "text": body.get_content() if body is not None else "",
            "message_id": str(message["Message-ID"] or ""),
        }
        base = os.path.join(self.directory, f"{number:06d}")
        for suffix, data in ((".eml", raw), (".json", json.dumps(parsed).encode())):
            with open(base + suffix + ".part", "wb") as f:
                f.write(data)
            os.replace(base + suffix + ".part", base + suffix)
        return f"250 2.0.0 Ok: queued as Q{number:06d}"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Handler(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("READY", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
