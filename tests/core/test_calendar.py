import datetime

from coffeechat.core.calendar import add_business_days, business_days_between, is_business_day


def test_weekend_is_skipped():
    friday = datetime.date(2026, 11, 20)
    assert add_business_days(friday, 1) == datetime.date(2026, 11, 23)
    assert add_business_days(friday, 3) == datetime.date(2026, 11, 25)


def test_public_holiday_of_the_country_is_skipped():
    # 24 Dec 2026 is a Thursday; 25 Dec (Fri) is a holiday in Germany, then the weekend,
    # and 26 Dec is also a holiday there.
    dec24 = datetime.date(2026, 12, 24)
    assert add_business_days(dec24, 1, "DE") == datetime.date(2026, 12, 28)
    assert add_business_days(dec24, 1) == datetime.date(2026, 12, 25)
    assert not is_business_day(datetime.date(2026, 7, 3), "US")  # Independence Day observed
    assert is_business_day(datetime.date(2026, 7, 3), "DE")


def test_between_counts_business_days_only():
    monday = datetime.date(2026, 11, 16)
    assert business_days_between(monday, datetime.date(2026, 11, 23)) == 5
    assert business_days_between(monday, monday) == 0


def test_unknown_country_falls_back_to_weekends():
    assert add_business_days(datetime.date(2026, 11, 20), 1, "ZZ") == datetime.date(2026, 11, 23)
