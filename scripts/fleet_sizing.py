#!/usr/bin/env python3
"""The fleet store's size beyond one server (README, "Beyond one server").

A simulation from measured figures: the bytes a visit takes in the database (tables and
indexes) and its lines, as `benches/fleet.rs` prints them for a generated store, scaled to
a service network's visits a day. It prints rows and bytes a year, a month's partition,
and what a `stats` over the last month and the review list's first page read with and
without month partitions, and how many read replicas the supervisors' reads need.

    scripts/fleet_sizing.py [BYTES_PER_VISIT] [LINES_PER_VISIT]
"""
import sys

bytes_per_visit = float(sys.argv[1]) if len(sys.argv) > 1 else 20938
lines_per_visit = float(sys.argv[2]) if len(sys.argv) > 2 else 20
# A visit row, its lines, one ledger line; a review for one visit in three.
rows_per_visit = 1 + lines_per_visit + 1 + 1 / 3

# (outlets, visits a day at each, working days a year, supervisors at their desks at once)
networks = [
    (100, 6, 300, 10),
    (3000, 8, 300, 150),
    (10000, 10, 330, 500),
]
# One server's budget, from the benchmarks' order of magnitude: a stats query over one month
# of one partition in SQL reads the visit rows only (about 300 bytes each with their index).
VISIT_ROW_BYTES = 300
SCAN_BYTES_PER_S = 1.5e9  # sequential read of cached pages, one core
READS_PER_SUPERVISOR_PER_S = 0.2  # a list page or a visit every 5 s while reviewing
READS_PER_SERVER_PER_S = 2000  # keyset pages and single visits by primary key


def size(b):
    for unit in ["B", "KB", "MB", "GB", "TB"]:
        if b < 1024:
            return f"{b:,.1f} {unit}"
        b /= 1024
    return f"{b:,.1f} PB"


print("| outlets | visits a day | visits a year | rows a year | bytes a year | one month's partition | stats over a month (visit rows, SQL) | supervisors' reads a second | read replicas |")
print("|---|---|---|---|---|---|---|---|---|")
for outlets, per_day, days, supervisors in networks:
    day = outlets * per_day
    year = day * days
    rows = year * rows_per_visit
    total = year * bytes_per_visit
    month = total / 12
    month_visits = year / 12
    scan = month_visits * VISIT_ROW_BYTES / SCAN_BYTES_PER_S
    reads = supervisors * READS_PER_SUPERVISOR_PER_S
    replicas = max(0, -(-int(reads) // READS_PER_SERVER_PER_S) - 1)
    print(
        f"| {outlets:,} | {day:,} | {year:,} | {rows:,.0f} | {size(total)} | {size(month)} "
        f"| {scan * 1000:,.0f} ms | {reads:,.0f} | {replicas} |"
    )
