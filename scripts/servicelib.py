"""Helpers shared by the load and crash scripts: run `signed-follow serve`, wait for it,
read the request documents `signed-follow gen-load` writes, and send them.

Python 3 standard library only.
"""
import http.client
import json
import os
import signal
import subprocess
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def binary(configuration):
    """The path of the signed-follow executable built in `configuration` (debug or release)."""
    return os.path.join(ROOT, ".build", configuration, "signed-follow")


def build(configuration):
    print(f"+ swift build -c {configuration} --product signed-follow", flush=True)
    subprocess.run(["swift", "build", "-c", configuration, "--product", "signed-follow"], cwd=ROOT, check=True)


class Server:
    """One `signed-follow serve` process on 127.0.0.1:port with the database at `database`."""

    def __init__(self, executable, database, port, log_path, extra_env=None):
        self.executable = executable
        self.database = database
        self.port = port
        self.log_path = log_path
        self.extra_env = extra_env or {}
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=60):
        # Another server on the port would answer the health check in this one's place.
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=1):
                raise RuntimeError(f"port {self.port} is already taken by another server")
        except OSError:
            pass
        env = dict(os.environ, SIGNED_FOLLOW_DB=self.database, SIGNED_FOLLOW_PORT=str(self.port),
                   SIGNED_FOLLOW_HOST="127.0.0.1", **self.extra_env)
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen([self.executable, "serve"], env=env, stdout=log, stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=1) as answer:
                    if answer.status == 200 and self.process.poll() is None:
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the server did not answer /healthz in time")

    def kill(self):
        """SIGKILL: no shutdown, no drain; what was not committed is lost."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        """SIGTERM: graceful shutdown (the writer drains)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)

    def pid(self):
        return self.process.pid


def read_documents(path):
    """The request documents of a gen-load file: (method, path, headers, body bytes)."""
    documents = []
    with open(path, "rb") as lines:
        for line in lines:
            line = line.rstrip(b"\n")
            if not line:
                continue
            parsed = json.loads(line)
            cut = line.index(b'"body":') + len(b'"body":')
            documents.append((parsed["method"], parsed["path"], parsed.get("headers", {}), line[cut:-1]))
    return documents


class Connection:
    """A keep-alive connection that sends request documents and reads `{code, msg}`."""

    def __init__(self, port, timeout=10):
        self.port = port
        self.timeout = timeout
        self.connection = None

    def send(self, document):
        """(HTTP status, code) of the answer; raises OSError or http.client errors when the
        connection fails (the outcome of the request is then unknown)."""
        method, path, headers, body = document
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            sent = dict(headers)
            if body:
                sent["content-type"] = "application/json"
            self.connection.request(method, path, body=body or None, headers=sent)
            answer = self.connection.getresponse()
            payload = answer.read()
        except Exception:
            self.close()
            raise
        try:
            code = json.loads(payload).get("code")
        except ValueError:
            code = None
        return answer.status, code

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def get_json(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())
