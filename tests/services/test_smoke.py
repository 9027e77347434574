from kpotui.services import records
from kpotui.store import Store


def test_create_and_read_back(store: Store) -> None:
    created = records.create(store, "provider", {"name": "Acme", "country": "India"})
    assert records.get(store, "provider", created["id"])["country"] == "India"
