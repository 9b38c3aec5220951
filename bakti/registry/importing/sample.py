"""Synthetic registry files in the Bakti layout, for tests and the import benchmark.

Rows are made with valid NIKs consistent with the desa's kecamatan, the sex and the birth date,
and KK numbers unique per household, so a generated file imports without errors unless bad rows
are planted on purpose (see ``bad_every``).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator, Sequence
from typing import IO

from .layouts import BAKTI_COLUMNS

FIRST = [
    "Budi",
    "Siti",
    "Agus",
    "Sri",
    "Dewi",
    "Ahmad",
    "Joko",
    "Rina",
    "Eko",
    "Wahyu",
    "Nur",
    "Putri",
    "Bambang",
    "Yuni",
    "Hadi",
    "Lestari",
    "Slamet",
    "Ani",
    "Dwi",
    "Tri",
    "Andi",
    "Bayu",
    "Citra",
    "Dian",
    "Endang",
    "Fajar",
    "Gita",
    "Hendra",
    "Indah",
    "Jamal",
    "Kartika",
    "Lukman",
    "Maya",
    "Nanda",
    "Oki",
    "Pratiwi",
    "Rahmat",
    "Sari",
    "Taufik",
    "Umi",
    "Vina",
    "Wulan",
    "Yusuf",
    "Zainal",
    "Aminah",
    "Bagus",
    "Cahya",
    "Darmo",
    "Erna",
    "Fitri",
    "Gunawan",
    "Hartini",
    "Iwan",
    "Juwita",
    "Kusno",
    "Lina",
    "Mulyadi",
    "Ningsih",
    "Parjo",
    "Ratna",
]
MIDDLE = ["", "", "", "Nur", "Dwi", "Eka", "Adi", "Tri", "Puji", "Setyo", "Rahayu", "Budi"]
LAST = [
    "Santoso",
    "Rahayu",
    "Wijaya",
    "Susanti",
    "Pratama",
    "Setiawan",
    "Hidayat",
    "Kusuma",
    "Saputra",
    "Handayani",
    "Nugroho",
    "Purnomo",
    "Wulandari",
    "Gunawan",
    "Lestari",
    "Siregar",
    "Harahap",
    "Nasution",
    "Simanjuntak",
    "Wibowo",
    "Susilo",
    "Hartono",
    "Kurniawan",
    "Permana",
    "Suryadi",
    "Utomo",
    "Prasetyo",
    "Firmansyah",
    "Maulana",
    "Ramadhan",
    "Anggraini",
    "Safitri",
    "Kusumawati",
    "Sulistyo",
    "Wahyudi",
    "Haryanto",
    "Suharto",
    "Sutrisno",
    "Mulyono",
    "",
]


def make_nik(region_code: str, sex: str, birth: dt.date, serial: int) -> str:
    """A valid NIK for someone registered in the kecamatan of ``region_code``."""
    prefix = region_code.replace(".", "")[:6]
    day = birth.day + (40 if sex == "F" else 0)
    return f"{prefix}{day:02d}{birth.month:02d}{birth.year % 100:02d}{serial % 10000:04d}"


def make_kk(region_code: str, number: int) -> str:
    prefix = region_code.replace(".", "")[:6]
    return f"{prefix}{number:010d}"


def sample_rows(
    households: int,
    desa: Sequence[str],
    *,
    seed: int = 1,
    start: int = 1,
    bad_every: int = 0,
) -> Iterator[list[str]]:
    """Rows (Bakti layout) for ``households`` households of 1-6 people each. With
    ``bad_every`` = n, every n-th row gets one invalid cell (a bad NIK, date, sex or region)."""
    rng = random.Random(seed)
    row_number = 0
    serials: dict[str, int] = {}
    for h in range(start, start + households):
        region = desa[h % len(desa)]
        kk = make_kk(region, h)
        size = rng.randint(1, 6)
        address = f"Dusun {rng.choice(LAST)} No. {rng.randint(1, 200)}"
        rt, rw = f"{rng.randint(1, 12):03d}", f"{rng.randint(1, 8):03d}"
        desil = str(rng.randint(1, 10))
        for m in range(size):
            row_number += 1
            sex = rng.choice("MF")
            if m == 0:
                relationship, age = "head", rng.randint(25, 80)
            elif m == 1:
                relationship, age = "spouse", rng.randint(20, 75)
            else:
                relationship, age = "child", rng.randint(0, 30)
            birth = dt.date(2025 - age, rng.randint(1, 12), rng.randint(1, 28))
            key = region[:8] + birth.isoformat() + sex
            serials[key] = serials.get(key, 0) + 1
            nik = make_nik(region, sex, birth, serials[key])
            name = " ".join(
                part for part in (rng.choice(FIRST), rng.choice(MIDDLE), rng.choice(LAST)) if part
            )
            values = {
                "no_kk": kk,
                "region_code": region,
                "address": address,
                "rt": rt,
                "rw": rw,
                "desil": desil,
                "nik": nik,
                "full_name": name,
                "sex": "L" if sex == "M" else "P",
                "birth_date": birth.strftime("%d-%m-%Y"),
                "birth_place": "Sleman",
                "relationship": relationship,
                "marital_status": "married" if m < 2 else "single",
                "education": rng.choice(["primary", "junior", "senior"]),
                "occupation": rng.choice(["Petani", "Buruh", "Pedagang", ""]),
                "phone": f"08{rng.randint(10**9, 10**10 - 1)}" if m == 0 else "",
            }
            if bad_every and row_number % bad_every == 0:
                column, value = rng.choice(
                    [
                        ("nik", nik[:15]),
                        ("birth_date", "31-02-1980"),
                        ("sex", "X"),
                        ("region_code", "34.04.01.9999"),
                    ]
                )
                values[column] = value
            yield [values[c] for c in BAKTI_COLUMNS]


def write_sample(out: IO[str], households: int, desa: Sequence[str], **kwargs) -> int:
    """Write a sample file; return the number of data rows."""
    writer = csv.writer(out)
    writer.writerow(BAKTI_COLUMNS)
    count = 0
    for row in sample_rows(households, desa, **kwargs):
        writer.writerow(row)
        count += 1
    return count
