"""The django-import-export baseline: what a Django team would reach for.

A :class:`PersonResource` imports the Bakti layout one row at a time with the same checks as
Bakti's importer (NIK, KK, birth date, sex, desa code known, desil), finding or creating the
household by KK and the person by NIK. Run as a child process on its own database copy::

    python -m bakti.bench.die FILE

prints one JSON line: rows, imported, errors, seconds (of ``import_data`` alone).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any


def build_resource() -> Any:
    from import_export import fields, resources, widgets

    from bakti.regions.models import Region
    from bakti.registry.importing import parsing
    from bakti.registry.models import Household, HouseholdMembership, Person

    desa = frozenset(Region.objects.filter(level=4).values_list("code", flat=True))

    class PersonResource(resources.ModelResource):
        nik = fields.Field(attribute="nik", column_name="nik")
        full_name = fields.Field(attribute="full_name", column_name="full_name")
        birth_place = fields.Field(attribute="birth_place", column_name="birth_place")
        relationship = fields.Field(attribute="relationship", column_name="relationship")
        marital_status = fields.Field(attribute="marital_status", column_name="marital_status")
        education = fields.Field(attribute="education", column_name="education")
        occupation = fields.Field(attribute="occupation", column_name="occupation")
        phone = fields.Field(attribute="phone", column_name="phone")
        sex = fields.Field(attribute="sex", column_name="sex")
        household_id = fields.Field(attribute="household_id", column_name="household_id")
        region_id = fields.Field(attribute="region_id", column_name="region_id")
        birth_date = fields.Field(
            attribute="birth_date", column_name="birth_date", widget=widgets.DateWidget("%Y-%m-%d")
        )

        class Meta:
            model = Person
            import_id_fields = ("nik",)
            fields = (
                "nik",
                "full_name",
                "sex",
                "birth_date",
                "birth_place",
                "relationship",
                "marital_status",
                "education",
                "occupation",
                "phone",
                "household_id",
                "region_id",
            )
            skip_unchanged = False
            clean_model_instances = True
            use_transactions = True

        def get_instance(self, instance_loader: Any, row: Any) -> Any:
            # People without a NIK are always new (Bakti matches them within the household).
            if not row.get("nik"):
                return None
            return super().get_instance(instance_loader, row)

        def before_import_row(self, row: Any, **kwargs: Any) -> None:
            # The same checks as Bakti's importer; a bad cell raises and the row is reported.
            row["nik"] = parsing.parse_nik(row["nik"]) if row.get("nik") else None
            kk = parsing.parse_kk(row["no_kk"])
            region = parsing.parse_region_code(row["region_code"])
            if region not in desa:
                raise ValueError(f"Unknown desa/kelurahan code {region}")
            row["birth_date"] = parsing.parse_birth_date(row["birth_date"]).isoformat()
            row["sex"] = parsing.parse_sex(row["sex"])
            desil = parsing.parse_desil(row["desil"]) if row.get("desil") else None
            household = Household.objects.filter(no_kk=kk).first()
            if household is None:
                household = Household(
                    no_kk=kk,
                    region_id=region,
                    address=row.get("address", ""),
                    rt=row.get("rt", ""),
                    rw=row.get("rw", ""),
                    desil=desil,
                )
                household.full_clean(validate_unique=False)
                household.save()
            row["_household"] = household
            row["household_id"] = household.pk
            row["region_id"] = household.region_id

        def after_save_instance(self, instance: Any, row: Any, **kwargs: Any) -> None:
            if not HouseholdMembership.objects.filter(
                person=instance, end_date__isnull=True
            ).exists():
                HouseholdMembership.objects.create(
                    household=row["_household"],
                    person=instance,
                    relationship=instance.relationship,
                    start_date=time.strftime("%Y-%m-%d"),
                    start_reason="registered",
                )
            if instance.relationship == "head":
                Household.objects.filter(pk=row["_household"].pk).update(head=instance)

    return PersonResource()


def run(path: str) -> dict[str, Any]:
    import tablib

    with open(path, encoding="utf-8") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="csv")
    resource = build_resource()
    start = time.perf_counter()
    result = resource.import_data(dataset, dry_run=False, raise_errors=False)
    seconds = time.perf_counter() - start
    errors = len(result.row_errors()) + len(result.invalid_rows)
    return {
        "rows": len(dataset),
        "imported": result.totals.get("new", 0) + result.totals.get("update", 0),
        "errors": errors,
        "seconds": seconds,
    }


def main() -> None:
    import django

    django.setup()
    print(json.dumps(run(sys.argv[1])))


if __name__ == "__main__":
    main()
