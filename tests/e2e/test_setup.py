import pytest

from tests.e2e.conftest import require_chromium


def test_a_missing_chromium_fails_in_one_line_naming_the_package(tmp_path):
    with pytest.raises(pytest.fail.Exception) as exc:
        require_chromium(str(tmp_path / "chromium"))
    message = str(exc.value)
    assert "\n" not in message
    assert "apt-get install chromium" in message
