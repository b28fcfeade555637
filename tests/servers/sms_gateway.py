"""A stand-in for an SMS provider's HTTP gateway, for the tests.

    /usr/bin/python3 tests/servers/sms_gateway.py --port 8080 --dir /tmp/sms

The path chooses the behaviour, so one server serves every test at once:
    /<token>/ok             answers 200 {"status":"accepted"}
    /<token>/fail/<n>       answers 500 to the first n requests of that path, then 200
    /<token>/fail/always    always answers 500
Each request is recorded as <dir>/<token>/<n>.json: {"method", "path", "headers", "body",
"status"} (written to a temporary name, then renamed). Tests give each case its own token and
read only that folder. Prints "ready" once listening.
"""
import argparse
import itertools
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_counter = itertools.count(1)
_lock = threading.Lock()
_seen = {}


class Gateway(BaseHTTPRequestHandler):
    folder = "."

    def log_message(self, *args):  # quiet
        pass

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace")
        parts = [p for p in self.path.split("?")[0].split("/") if p]
        token = "".join(c for c in (parts[0] if parts else "none") if c.isalnum() or c in "-_")
        mode = parts[1:] or ["ok"]
        with _lock:
            count = _seen.get(self.path, 0) + 1
            _seen[self.path] = count
            n = next(_counter)
        status = 200
        if mode[0] == "fail":
            if len(mode) > 1 and mode[1] == "always":
                status = 500
            elif len(mode) > 1 and mode[1].isdigit() and count <= int(mode[1]):
                status = 500
        target = os.path.join(self.folder, token or "none")
        os.makedirs(target, exist_ok=True)
        record = {"method": self.command, "path": self.path, "headers": dict(self.headers),
                  "body": body, "status": status}
        temporary = os.path.join(target, f".{n}.tmp")
        with open(temporary, "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.rename(temporary, os.path.join(target, f"{n:08d}.json"))
        answer = json.dumps({"status": "accepted" if status == 200 else "error"}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_POST = _answer
    do_PUT = _answer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    Gateway.folder = args.dir
    server = ThreadingHTTPServer((args.host, args.port), Gateway)
    server.daemon_threads = True
    print("ready", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
