"""The statutory holidays of a year for which the State Council's schedule is not known yet.

The national holiday rules as revised in 2024 (《全国年节及纪念日放假办法》, State Council Decree No. 795, in force
from 1 January 2025): 元旦 1 January; 春节 from 除夕 to 正月初三 (4 days); 清明 on the day of the solar term;
劳动节 1–2 May; 端午 5th day of the 5th lunar month; 中秋 15th day of the 8th lunar month; 国庆 1–3 October.
Only the days the law names are holidays: the State Council's adjusted working days (调休) and bridged weekends are
not invented — an administrator enters them when the schedule is published and then confirms the year.
The lunar dates and the solar term come from `lunar_python` (6tail's lunar calendar, pure Python).
"""

import datetime as dt
from functools import cache

from lunar_python import Lunar

# The names chinesecalendar uses (translated by calendar.holiday_label).
NEW_YEAR = "New Year's Day"
SPRING = "Spring Festival"
TOMB_SWEEPING = "Tomb-sweeping Day"
LABOUR = "Labour Day"
DRAGON_BOAT = "Dragon Boat Festival"
MID_AUTUMN = "Mid-autumn Festival"
NATIONAL = "National Day"


def _solar(lunar_year: int, month: int, day: int) -> dt.date:
    solar = Lunar.fromYmd(lunar_year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


@cache
def holidays(year: int) -> dict[dt.date, str]:
    """{date: holiday name} of `year` under the 2024 rules (a pure function of the year)."""
    days: dict[dt.date, str] = {dt.date(year, 1, 1): NEW_YEAR}
    new_year = _solar(year, 1, 1)  # 正月初一 of the lunar year that begins in `year`
    for offset in range(-1, 3):  # 除夕 … 初三
        days[new_year + dt.timedelta(days=offset)] = SPRING
    qingming = Lunar.fromYmd(year, 1, 1).getJieQiTable()["清明"]
    days[dt.date(qingming.getYear(), qingming.getMonth(), qingming.getDay())] = TOMB_SWEEPING
    days[dt.date(year, 5, 1)] = days[dt.date(year, 5, 2)] = LABOUR
    days[_solar(year, 5, 5)] = DRAGON_BOAT
    days[_solar(year, 8, 15)] = MID_AUTUMN
    for day in (1, 2, 3):
        days.setdefault(dt.date(year, 10, day), NATIONAL)
    # 除夕 of the next lunar year may fall in late January of `year`+1 only; one of this year's lies in `year`.
    return {day: name for day, name in sorted(days.items()) if day.year == year}
