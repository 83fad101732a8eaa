"""Marca de exemplo (sample brand): a seeded, realistic, fictional Brazilian retailer.

"Brisa" is a fashion brand with stores in several Brazilian cities, sellers per
store (some of them inactive, as when a seller leaves and their portfolio must be
redistributed), customers with Brazilian names, valid CPFs, e-mails, mobiles and
birth dates (the *Cadastro* of Reshop's customer module help page), and years of
orders with the seasons of Brazilian retail: Christmas, Mother's Day, Valentine's
Day (12 June), Father's Day and Black Friday. Customers come back, mostly to one to
three sellers of their home store; some orders are online, half of those with a
seller code; about 5% are cancelled. :func:`sample_contacts` adds a month of the
sellers' contacts (the bundled brand's September 2026), some of them followed by a sale.

:func:`generate_brand` builds a brand of any size; the same arguments give the
same brand, byte for byte. :func:`iter_orders` streams the same orders one at a
time, so a million orders never sit in memory. :func:`load_bundled_brand` reads
the small default brand shipped with otocore (6 stores, 42 sellers, 3,000
customers, 30,000 orders, November 2022 to October 2026), which is exactly
``generate_brand(seed=BUNDLED_SEED)``. The file format is described in
the *Sample brand* page; :func:`write_brand` and :func:`read_brand` write and
read it.

Randomness comes only from :class:`random.Random` instances seeded from ``seed``,
and only from their ``random()`` method, whose sequence Python guarantees across
versions. Every e-mail uses the reserved ``example.com``/``.net``/``.org`` domains.

>>> from datetime import date
>>> brand = generate_brand(
...     seed=7,
...     stores=2,
...     sellers_per_store=3,
...     customers=40,
...     orders=200,
...     start=date(2025, 1, 1),
...     end=date(2025, 12, 31),
... )
>>> brand
<SampleBrand: 2 stores, 6 sellers, 40 customers, 200 orders>
>>> brand == generate_brand(
...     seed=7,
...     stores=2,
...     sellers_per_store=3,
...     customers=40,
...     orders=200,
...     start=date(2025, 1, 1),
...     end=date(2025, 12, 31),
... )
True
>>> generate_brand(seed=7, stores=0)
Traceback (most recent call last):
...
otocore.errors.ValidationError: generate_brand.stores must be an integer >= 1, got 0
"""

from __future__ import annotations

from otocore.sample._brand import SampleBrand
from otocore.sample._contacts import CONTACTS_FIRST_DAY, CONTACTS_LAST_DAY, sample_contacts
from otocore.sample._files import (
    COLUMNS,
    CONTACTS_FILE,
    load_bundled_brand,
    read_brand,
    write_brand,
    write_contacts,
)
from otocore.sample._generate import BUNDLED_SEED, consent_events, generate_brand, iter_orders

__all__ = [
    "BUNDLED_SEED",
    "COLUMNS",
    "CONTACTS_FILE",
    "CONTACTS_FIRST_DAY",
    "CONTACTS_LAST_DAY",
    "SampleBrand",
    "consent_events",
    "generate_brand",
    "iter_orders",
    "load_bundled_brand",
    "read_brand",
    "sample_contacts",
    "write_brand",
    "write_contacts",
]
