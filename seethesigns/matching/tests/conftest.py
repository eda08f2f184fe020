import pytest

from seethesigns.matching import api


@pytest.fixture(autouse=True)
def _fresh_parameters():
    """Each test reads the parameters afresh (the shipped defaults unless it stores an estimate)."""
    api.forget_parameters()
    yield
    api.forget_parameters()
