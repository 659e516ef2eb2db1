"""Production start-up checks and the hosts the app answers to (club/config.py)."""
import pytest

from club.config import check_start_up, load_config

PRODUCTION = {"CLUB_ENV": "production", "SECRET_KEY": "s" * 40, "PUBLIC_URL": "https://club.example",
              "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15"}


@pytest.fixture(autouse=True)
def _no_deployment_settings(monkeypatch):
    for name in ("PUBLIC_URL", "TRUSTED_HOSTS", "RATELIMIT_STORAGE_URI", "RATELIMIT_SINGLE_PROCESS"):
        monkeypatch.delenv(name, raising=False)


def _production(tmp_path, **changes):
    overrides = {**PRODUCTION, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite", **changes}
    return {k: v for k, v in overrides.items() if v is not None}


def test_production_refuses_to_start_without_public_url(tmp_path):
    from club import create_app

    with pytest.raises(RuntimeError, match="PUBLIC_URL is not set"):
        create_app(_production(tmp_path, PUBLIC_URL=None))
    with pytest.raises(RuntimeError, match="PUBLIC_URL is not set"):
        create_app(_production(tmp_path, PUBLIC_URL="club.example"))  # no scheme: not an address


def test_production_refuses_rate_limits_in_memory(tmp_path):
    from club import create_app

    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI is memory://"):
        create_app(_production(tmp_path, RATELIMIT_STORAGE_URI=None))  # the default is memory://
    with pytest.raises(RuntimeError, match="redis://"):
        create_app(_production(tmp_path, RATELIMIT_STORAGE_URI="memory://"))


def test_production_may_keep_memory_limits_when_it_says_it_is_one_process(tmp_path):
    from club import create_app

    app = create_app(_production(tmp_path, RATELIMIT_STORAGE_URI="memory://", RATELIMIT_SINGLE_PROCESS=True))
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_production_starts_with_public_url_and_redis(tmp_path):
    from club import create_app

    app = create_app(_production(tmp_path))
    assert app.config["TRUSTED_HOSTS"] == ["club.example"]


def test_development_and_tests_need_neither(tmp_path):
    config = load_config(tmp_path, {"CLUB_ENV": "development", "SECRET_KEY": "k"})
    check_start_up(config)
    assert config["PUBLIC_URL"] == "http://127.0.0.1:5000" and config["TRUSTED_HOSTS"] is None


def test_production_answers_only_to_its_public_host(tmp_path, monkeypatch):
    from club import create_app

    monkeypatch.setenv("TRUSTED_HOSTS", "10.0.0.5, internal.lb")
    app = create_app(_production(tmp_path))
    assert app.config["TRUSTED_HOSTS"] == ["club.example", "10.0.0.5", "internal.lb"]
    client = app.test_client()
    refused = client.get("/healthz", base_url="https://attacker.example")
    assert refused.status_code == 400 and "does not serve the club" in refused.get_data(as_text=True)
    assert client.get("/healthz", base_url="https://club.example").status_code != 400  # 503: no tables here
    assert client.get("/healthz", base_url="http://10.0.0.5:8000").status_code != 400
