"""A local SMTP server for the tests (aiosmtpd): every message lands in a file.

    /usr/bin/python3 tests/servers/smtp_sink.py --port 8025 --dir /tmp/mail [--user u --password p]

Each accepted message is written to <dir>/<recipient domain>/<n>.eml (written to a temporary name,
then renamed, so a reader never sees half a file): the raw message as received, after three lines
X-Sink-Mail-From, X-Sink-Rcpt-To and X-Sink-Auth (the login that authenticated, or "-"). Tests
give each case its own recipient domain and read only that folder. With --user/--password, AUTH
PLAIN/LOGIN accepts only those credentials (plain text allowed: a local test server); mail without
AUTH is still accepted. Prints "ready" once listening.
"""
import argparse
import itertools
import os
import signal
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

_counter = itertools.count(1)
_lock = threading.Lock()


class MailDir:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        auth = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else "-"
        for rcpt in envelope.rcpt_tos:
            domain = rcpt.rsplit("@", 1)[-1].strip("<>").lower() or "unknown"
            domain = "".join(c for c in domain if c.isalnum() or c in ".-_") or "unknown"
            target = os.path.join(self.folder, domain)
            os.makedirs(target, exist_ok=True)
            with _lock:
                n = next(_counter)
            head = (f"X-Sink-Mail-From: {envelope.mail_from}\r\nX-Sink-Rcpt-To: {rcpt}\r\n"
                    f"X-Sink-Auth: {auth}\r\n").encode()
            temporary = os.path.join(target, f".{os.getpid()}-{n}.tmp")
            with open(temporary, "wb") as out:
                out.write(head + content)
            os.rename(temporary, os.path.join(target, f"{n:08d}.eml"))
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    args = parser.parse_args()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and args.user is not None
              and auth_data.login.decode() == args.user
              and auth_data.password.decode() == args.password)
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    controller = Controller(MailDir(args.dir), hostname=args.host, port=args.port,
                            authenticator=authenticator, auth_require_tls=False,
                            data_size_limit=64 * 1024 * 1024)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
