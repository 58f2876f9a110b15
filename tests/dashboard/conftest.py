"""A live dashboard on a real socket and a headless Chromium driving it."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from api import create_app

KEYS = "officer:officer-key,admin:admin-key,integration:integration-key"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1000",
)


@pytest.fixture
def flask_app(store_env, clock) -> Iterator:
    """The whole product (API, dashboard, embedded projections) on each store."""
    app = create_app({"TESTING": True, "API_KEYS": KEYS, "STORE_ENV": store_env, "CLOCK": clock, "DATA_DIR": store_env.get("ADVOCACY_DATA_DIR") or tempfile.mkdtemp(), "EMBEDDED_PROJECTIONS": "thread"})
    yield app
    app.extensions["advocacy"].close()


@pytest.fixture
def advocacy(flask_app):
    """The application service behind the app, to arrange data."""
    return flask_app.extensions["advocacy"].application


@pytest.fixture
def signed_in(flask_app):
    """A test client signed in as an officer."""
    client = flask_app.test_client()
    response = client.post("/dashboard/login", data={"officer": "Rina", "key": "officer-key"})
    assert response.status_code == 302
    return client


@pytest.fixture
def live_server(flask_app) -> Iterator[str]:
    """The app served on a free port of 127.0.0.1 in a thread."""
    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def browser(tmp_path) -> Iterator:
    """Debian's headless Chromium through chromedriver; required under CI=true."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium and chromedriver are required under CI=true (apt-get install chromium chromium-driver)")
        pytest.skip("Chromium or chromedriver not installed")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium'}")
    session = webdriver.Chrome(service=Service(executable_path=driver), options=options)
    session.implicitly_wait(5)
    yield session
    session.quit()
