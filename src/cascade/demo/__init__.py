"""Demo and scale data: a whole partner program generated from a seed number.

`seed_program` writes the vendor program "Northwind Networks" (tiers, regions, specializations),
its partner organizations in a distributor > reseller hierarchy, people with their memberships
and history, pending self-registrations and invitations, at one of the `SCALES` (tiny for tests,
demo for a laptop, large for benchmarks). `DEMO_LOGINS` are the documented sign-ins, all with
`DEMO_PASSWORD`. The `cascade seed`, `cascade demologins` commands wrap these.
"""

from cascade.demo.logins import DEMO_LOGINS, DEMO_PASSWORD, DEMO_URL, DemoLogin
from cascade.demo.scales import SCALES, Scale
from cascade.demo.seed import SeedReport, seed_program

DEFAULT_SEED = 2026

__all__ = [
    "DEFAULT_SEED",
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "DEMO_URL",
    "SCALES",
    "DemoLogin",
    "Scale",
    "SeedReport",
    "seed_program",
]
