"""What the hub keeps: partnerships, their encodings and block keys, matches, alerts, nonces, and
the matching model's parameters.

No name, number, address or free text of anyone reaches these tables: an encoding is keyed Bloom
filters and tokens (base64), block keys are keyed HMACs, refs are random per record.
"""

from __future__ import annotations

from django.db import models


class Partnership(models.Model):
    slug = models.SlugField(max_length=63, unique=True)
    name = models.CharField(max_length=200)  # "Eastfield Safeguarding Children Partnership"
    coordinator_name = models.CharField(max_length=200)  # the CSE coordinator other sides call
    coordinator_phone = models.CharField(max_length=50)
    public_key = models.TextField()  # Ed25519 public key, PEM
    active = models.BooleanField(default=True)
    created = models.DateTimeField(auto_now_add=True)
    # The highest "after" it has asked alerts from: it has read every event up to it (purge).
    read_through = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return self.slug


class Encoding(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    ref = models.CharField(max_length=32)  # random per record on the partnership's side
    kind = models.CharField(max_length=10)
    fields = models.JSONField()  # {field: base64 of a keyed Bloom filter or token}
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "ref"], name="hub_one_encoding_per_ref")
        ]
        # What the hub holds of a kind (the prior is scaled to it): counted from the index.
        indexes = [models.Index(fields=["kind", "partnership"], name="hub_encodings_of_kind")]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref}"


class BlockKey(models.Model):
    """One keyed block key of one encoding: the index that finds candidates without a scan."""

    encoding = models.ForeignKey(Encoding, on_delete=models.CASCADE, related_name="block_keys")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)
    key = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["kind", "key"], name="hub_block_lookup")]

    def __str__(self) -> str:
        return self.key


class Match(models.Model):
    """Two encodings of different partnerships that are likely the same: `a` is the older one."""

    kind = models.CharField(max_length=10)
    a = models.ForeignKey(Encoding, null=True, on_delete=models.SET_NULL, related_name="+")
    b = models.ForeignKey(Encoding, null=True, on_delete=models.SET_NULL, related_name="+")
    a_partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    b_partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    a_ref = models.CharField(max_length=32)
    b_ref = models.CharField(max_length=32)
    probability = models.FloatField()
    band = models.CharField(max_length=12)  # "very_likely" or "possibly"
    created = models.DateTimeField(auto_now_add=True)
    withdrawn = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Both sides may find each other at once (two uploads in flight): one match wins.
            models.UniqueConstraint(
                fields=["a_partnership", "a_ref", "b_partnership", "b_ref"],
                condition=models.Q(withdrawn__isnull=True),
                name="hub_one_live_match_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} match {self.pk} ({self.band})"


class AlertEvent(models.Model):
    """What one partnership is told about one match: raised, or withdrawn."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    event = models.CharField(max_length=10)  # "raised" or "withdrawn"
    ref = models.CharField(max_length=32)  # the recipient's own ref
    other = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10)
    band = models.CharField(max_length=12)
    probability = models.FloatField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["partnership", "id"], name="hub_alerts_after")]

    def __str__(self) -> str:
        return f"{self.event} {self.match_id} for {self.partnership_id}"


class SeenNonce(models.Model):
    """A nonce already used by a partnership: a request signed with it again is a replay."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    nonce = models.CharField(max_length=32)
    timestamp = models.BigIntegerField()  # the request's; kept until it is too old to be accepted

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "nonce"], name="hub_nonce_once")
        ]
        indexes = [models.Index(fields=["timestamp"], name="hub_nonce_age")]

    def __str__(self) -> str:
        return self.nonce


class RateWindow(models.Model):
    """How much a partnership did in one window (a minute's requests, a day's encodings)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=10)  # "requests" or "encodings"
    start = models.BigIntegerField()  # unix seconds at the window's start
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "what", "start"], name="hub_one_window_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.what} from {self.start}: {self.count}"


class ModelParameters(models.Model):
    """The matching model's parameters for a kind (prior, and each level's m and u), set by the
    hub's operator (`set_parameters`): the newest is used, pprl's shipped ones until there is one.

    Aggregate statistics of how often fields agree, estimated by a partnership on its records;
    nothing about anyone."""

    kind = models.CharField(max_length=10)  # "person" or "child"
    parameters = models.JSONField()  # checked by pprl.compare.check_parameters before saving
    # How many records the estimate was made on: the prior is scaled from it to what the hub
    # holds (pprl.compare.for_size). Null: pprl.compare.SHIPPED_FOR.
    records = models.PositiveIntegerField(null=True, blank=True)
    set_by = models.CharField(max_length=150)  # the operator's account that ran set_parameters
    source = models.CharField(max_length=200, blank=True)  # whose estimate, as the operator says
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-set_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-set_at"], name="hub_parameters_newest")]

    def __str__(self) -> str:
        return f"{self.kind} parameters of {self.set_at:%Y-%m-%d %H:%M}"
