#!/usr/bin/env python3
"""Slow but legitimate clients for bench/soak.sh: each sends its request headers a line at a time over a few seconds,
then a POST body in small pieces (above Kestrel's minimum data rate, as a slow mobile client), and reads the answer.
Usage: slow-clients.py URL SECONDS CLIENTS LOG. Appends one line per request to LOG: ok, or failed and the reason."""
import socket
import ssl
import sys
import threading
import time
from urllib.parse import urlsplit

url, seconds, clients, log = urlsplit(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
deadline = time.monotonic() + seconds
lock = threading.Lock()
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE
BODY = b"x" * 2048


def record(line):
    with lock, open(log, "a") as f:
        f.write(line + "\n")


def one_request():
    with socket.create_connection((url.hostname, url.port), timeout=30) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            lines = [f"POST / HTTP/1.1", f"Host: localhost", "User-Agent: slow-client", f"Content-Length: {len(BODY)}",
                     "Connection: close", ""]
            for line in lines:
                tls.sendall(line.encode() + b"\r\n")
                time.sleep(0.5)
            for at in range(0, len(BODY), 256):
                tls.sendall(BODY[at:at + 256])
                time.sleep(0.25)
            answer = b""
            while chunk := tls.recv(4096):
                answer += chunk
    status = answer.split(b" ", 2)[1] if answer.startswith(b"HTTP/1.1 ") else b"none"
    return status == b"200", status.decode(errors="replace")


def client():
    while time.monotonic() < deadline:
        try:
            ok, status = one_request()
            record("ok" if ok else f"failed status {status}")
        except OSError as e:
            record(f"failed {type(e).__name__}: {e}")


threads = [threading.Thread(target=client) for _ in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
