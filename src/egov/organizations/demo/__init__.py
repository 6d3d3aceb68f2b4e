"""Demo data: Huyện Thăng Bình (Quảng Nam) as organised before 01/07/2025.

* ``thang_binh.json``: the 24 official units (province 49, district 513, its 22 communes)
  with their GSO codes and where they came from;
* ``data.py``: the agencies, departments and demo accounts built on them;
* ``builder.py``: ``demo_seed()`` (idempotent) and ``demo_account_rows()``.

The management commands ``seed_demo`` and ``demo_accounts`` only call these.
"""
