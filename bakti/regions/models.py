"""Administrative regions: a tree of codes such as Kemendagri's ``PP.KK.CC.XNNN``.

The code is the primary key, so every row that points to a region carries its code and a
region subtree is a prefix match without a join (see ``bakti.core.scoping``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet["Region"]):
    def within(self, code: str) -> "RegionQuerySet":
        """The region ``code`` and everything under it."""
        return self.filter(models.Q(code=code) | models.Q(code__startswith=code + "."))

    def at_level(self, level: int) -> "RegionQuerySet":
        return self.filter(level=level)


class Region(models.Model):
    code = models.CharField(_("code"), max_length=20, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "name"], name="region_level_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def kind(self) -> str:
        """The Indonesian name of this level, from the shape of a Kemendagri code."""
        return str(region_kind(self.code))


def region_kind(code: str) -> str:
    parts = code.split(".")
    if len(parts) == 1:
        return _("Province")
    if len(parts) == 2:
        return _("City") if parts[1].isdigit() and int(parts[1]) >= 71 else _("Regency")
    if len(parts) == 3:
        return _("District (kecamatan)")
    if len(parts) == 4:
        return _("Urban village (kelurahan)") if parts[3].startswith("1") else _("Village (desa)")
    return _("Region")


class RegionPopulation(models.Model):
    """Population of a region in a year, for coverage rates (people reached per 1,000)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    male = models.PositiveIntegerField(_("male"))
    female = models.PositiveIntegerField(_("female"))
    total = models.PositiveIntegerField(_("total"))

    class Meta:
        verbose_name = _("region population")
        verbose_name_plural = _("region populations")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="region_population_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.year}: {self.total}"
