#!/usr/bin/python3
"""funasr-download against a local HTTP server (127.0.0.1 only, started here, bounded in time).

The server is a small Range-capable file server (the standard library's http.server does
not do Range); per-path switches make it drop a connection part-way, corrupt a file, or
answer 404, so the downloader's resume, verification and error paths run for real.

Usage: download_test.py FUNASR_DOWNLOAD SOURCE_DIR TMP_DIR
"""
import http.server
import os
import shutil
import socketserver
import subprocess
import sys
import threading
import unittest

BIN, SRC, TMP = (os.path.abspath(a) for a in sys.argv[1:4])
MODEL = os.path.join(SRC, "tests", "data", "reference", "models", "ct-punc-tiny")
HUB_ID = "iic/punc_ct-transformer_zh-cn-common-vocab272727-pytorch"  # catalog name ct-punc-c
FILES = ["config.yaml", "model.pt", "tokens.json", "configuration.json"]
SERVER_LIFETIME_S = 300


class Behaviour:
    """What the server does; the tests change it between runs."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.cut_after = {}   # file -> bytes to send before dropping the connection (once)
            self.corrupt = set()  # files served with flipped bytes
            self.missing = set()  # files answered with 404
            self.requests = []    # (file, Range header)


BEHAVIOUR = Behaviour()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        prefix = "/hub/" + HUB_ID + "/"
        if not self.path.startswith(prefix):
            return self.send_error(404)
        name = self.path[len(prefix):]
        rng = self.headers.get("Range")
        with BEHAVIOUR.lock:
            BEHAVIOUR.requests.append((name, rng))
            missing = name in BEHAVIOUR.missing
            corrupt = name in BEHAVIOUR.corrupt
            cut = BEHAVIOUR.cut_after.pop(name, None)
        path = os.path.join(MODEL, name)
        if missing or name not in FILES or not os.path.isfile(path):
            return self.send_error(404)
        data = read(path)
        if corrupt:
            data = bytes(b ^ 0x5A for b in data)
        start = 0
        if rng:
            start = int(rng.split("=")[1].split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(data))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if cut is not None:
            self.wfile.write(body[:cut])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(body)


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def start_server():
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Bounded in time: the server stops by itself even if the test hangs.
    timer = threading.Timer(SERVER_LIFETIME_S, server.shutdown)
    timer.daemon = True
    timer.start()
    return server


SERVER = None


def base_url():
    return "http://127.0.0.1:%d/hub" % SERVER.server_address[1]


def run(cache, *extra, url=None):
    args = [BIN, "--cache-dir", cache, "--base-url", url or base_url(), "--connect-timeout", "5",
            "--stall-timeout", "10", *extra, "ct-punc-c"]
    p = subprocess.run(args, capture_output=True, timeout=120)
    return p.returncode, p.stdout.decode(), p.stderr.decode()


def fresh(name):
    d = os.path.join(TMP, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def read(path):
    with open(path, "rb") as f:
        return f.read()


def same_files(a, b):
    return all(read(os.path.join(a, f)) == read(os.path.join(b, f)) for f in FILES)


class Download(unittest.TestCase):
    def setUp(self):
        BEHAVIOUR.reset()

    def test_fresh_download_then_already_present(self):
        cache = fresh("fresh")
        code, out, err = run(cache, "--print-dir")
        self.assertEqual(code, 0, err)
        final = os.path.join(cache, "ct-punc-c")
        self.assertEqual(out.strip(), final)
        self.assertTrue(same_files(final, MODEL))
        self.assertFalse(os.path.exists(os.path.join(cache, ".partial", "ct-punc-c")))
        self.assertFalse([f for f in os.listdir(final) if f.endswith(".part")])
        # Second run: verified in place, no request at all.
        n = len(BEHAVIOUR.requests)
        code, _, err = run(cache)
        self.assertEqual(code, 0)
        self.assertIn("already present", err)
        self.assertEqual(len(BEHAVIOUR.requests), n)

    def test_resume_after_an_interruption(self):
        cache = fresh("resume")
        size = os.path.getsize(os.path.join(MODEL, "model.pt"))
        BEHAVIOUR.cut_after["model.pt"] = size // 3
        code, _, err = run(cache, "--retries", "0")
        self.assertEqual(code, 1)
        self.assertIn("model.pt", err)
        self.assertIn("resume", err)
        self.assertFalse(os.path.exists(os.path.join(cache, "ct-punc-c")))  # nothing installed
        part = os.path.join(cache, ".partial", "ct-punc-c", "model.pt.part")
        self.assertEqual(os.path.getsize(part), size // 3)
        code, _, err = run(cache)
        self.assertEqual(code, 0, err)
        self.assertIn(("model.pt", "bytes=%d-" % (size // 3)), BEHAVIOUR.requests)
        self.assertTrue(same_files(os.path.join(cache, "ct-punc-c"), MODEL))
        # Interrupted again, but resumed within one run by the retries.
        cache2 = fresh("resume_retry")
        BEHAVIOUR.cut_after["model.pt"] = 1000
        code, _, err = run(cache2)
        self.assertEqual(code, 0, err)
        self.assertIn(("model.pt", "bytes=1000-"), BEHAVIOUR.requests)
        self.assertTrue(same_files(os.path.join(cache2, "ct-punc-c"), MODEL))

    def test_corrupt_file_is_rejected_and_removed(self):
        cache = fresh("corrupt")
        BEHAVIOUR.corrupt.add("model.pt")
        code, _, err = run(cache)
        self.assertEqual(code, 1)
        self.assertIn("verification", err)
        self.assertFalse(os.path.exists(os.path.join(cache, "ct-punc-c")))
        self.assertFalse(os.path.exists(os.path.join(cache, ".partial", "ct-punc-c")))
        BEHAVIOUR.corrupt.clear()
        code, _, err = run(cache)  # a clean retry works
        self.assertEqual(code, 0, err)

    def test_corrupt_installed_model_is_replaced(self):
        cache = fresh("replace")
        self.assertEqual(run(cache)[0], 0)
        with open(os.path.join(cache, "ct-punc-c", "model.pt"), "r+b") as f:
            f.truncate(100)
        code, _, err = run(cache)
        self.assertEqual(code, 0, err)
        self.assertIn("downloaded", err)
        self.assertTrue(same_files(os.path.join(cache, "ct-punc-c"), MODEL))

    def test_missing_file(self):
        cache = fresh("missing")
        BEHAVIOUR.missing.add("tokens.json")
        code, _, err = run(cache)
        self.assertEqual(code, 1)
        self.assertIn("tokens.json", err)
        self.assertIn("404", err)
        self.assertFalse(os.path.exists(os.path.join(cache, "ct-punc-c")))

    def test_wrong_url(self):
        cache = fresh("wrong_url")
        code, _, err = run(cache, url=base_url().replace("/hub", "/nothing-here"))
        self.assertEqual(code, 1)
        self.assertIn("404", err)
        self.assertIn("/nothing-here/", err)
        self.assertFalse(os.path.exists(os.path.join(cache, "ct-punc-c")))

    def test_offline_is_one_line_and_exit_3(self):
        cache = fresh("offline")
        # A port on loopback nobody listens on: connection refused.
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        code, out, err = run(cache, url="http://127.0.0.1:%d/hub" % port)
        self.assertEqual(code, 3)
        self.assertEqual(out, "")
        self.assertEqual(len(err.strip().splitlines()), 1, err)
        self.assertIn("offline", err)
        self.assertIn("--asr-model", err)
        self.assertFalse(os.path.exists(os.path.join(cache, "ct-punc-c")))

    def test_usage(self):
        p = subprocess.run([BIN, "--cache-dir", TMP, "no-such-model"], capture_output=True)
        self.assertEqual(p.returncode, 2)
        p = subprocess.run([BIN], capture_output=True)
        self.assertEqual(p.returncode, 2)
        p = subprocess.run([BIN, "--list"], capture_output=True)
        self.assertEqual(p.returncode, 0)
        for name in [b"paraformer-zh", b"ct-punc", b"fsmn-vad"]:
            self.assertIn(name, p.stdout)


if __name__ == "__main__":
    os.makedirs(TMP, exist_ok=True)
    SERVER = start_server()
    try:
        unittest.main(argv=[sys.argv[0], "-v"])
    finally:
        SERVER.shutdown()
