"""Time present in a session from entry and exit scans (the pure core)."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from expo.program.attendance import credited, presence

START = datetime(2030, 10, 28, 15, 0, tzinfo=UTC)
END = START + timedelta(hours=3)


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


def test_entry_and_exit_inside_the_window():
    found = presence([(at(0), "in"), (at(90), "out")], start=START, end=END)
    assert found.seconds == 90 * 60 and found.share == Decimal("0.5")


def test_time_before_the_start_does_not_count():
    assert presence([(at(-30), "in"), (at(60), "out")], start=START, end=END).seconds == 60 * 60


def test_an_entry_without_exit_counts_until_the_end():
    assert presence([(at(30), "in")], start=START, end=END).share == Decimal("0.8333")


def test_an_exit_without_entry_counts_nothing():
    assert presence([(at(170), "out")], start=START, end=END).seconds == 0


def test_a_break_is_not_counted_and_repeated_entries_change_nothing():
    scans = [(at(0), "in"), (at(5), "in"), (at(60), "out"), (at(80), "in"), (at(200), "out")]
    found = presence(scans, start=START, end=END)
    assert found.seconds == (60 + 100) * 60
    assert found.first_entry == at(0) and found.last_exit == at(200)


def test_order_of_arrival_does_not_matter():
    scans = [(at(90), "out"), (at(0), "in")]
    assert presence(scans, start=START, end=END).seconds == 90 * 60


def test_hours_credited_only_at_the_share_and_with_training():
    rule = {"share_needed": Decimal("0.80"), "training_hours": Decimal("3")}
    assert credited(share=Decimal("0.80"), includes_training=True, **rule) == Decimal("3")
    assert credited(share=Decimal("0.7999"), includes_training=True, **rule) == 0
    assert credited(share=Decimal("1"), includes_training=False, **rule) == 0
