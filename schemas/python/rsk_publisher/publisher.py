"""The Publisher: validated inferences to rsk's activations topic, nothing dropped silently."""
import logging
import threading
import time

from . import backends
from .errors import BrokerUnavailableError, DeliveryError, PublishError, RegistryError, RegistryUnavailableError
from .inference import DEFAULT_LIMITS, EPOCH, Inference
from .registry import fetch_latest
from .retry import Retry, bounded

LOG = logging.getLogger("rsk_publisher")
DEFAULT_TOPIC = "activations"
# Shown in errors: a few failures say what happened; all of them are on DeliveryError.failed.
_SHOWN = 5


class _Missing(Exception):
    """The topic is absent from the broker's metadata (possibly not propagated yet: retried)."""


class Publisher:
    """Publishes inferences as ModuleActivation events (Confluent Avro, key = inferenceId).

    Opening fetches the schema of ``<topic>-value`` from the registry and checks that Kafka answers and has
    the topic, each with ``attempts`` tries (``backoff`` seconds apart, doubling) of at most
    ``registry_timeout`` / ``connect_timeout`` seconds: RegistryError, RegistryUnavailableError or
    BrokerUnavailableError otherwise. ``send`` validates (ValueError) and queues; Kafka's acknowledgements
    are checked by ``flush``, which raises DeliveryError for any event Kafka rejected or did not acknowledge
    within ``delivery_timeout`` seconds, and for events still in flight when its own timeout expires.
    ``close`` flushes. Use as a context manager. Thread-safe.
    """

    def __init__(self, bootstrap, registry, topic=DEFAULT_TOPIC, source="", backend=backends.AUTO,
                 attempts=3, backoff=0.5, connect_timeout=5.0, registry_timeout=5.0, delivery_timeout=30.0,
                 limits=DEFAULT_LIMITS, producer_config=None, _backend_factory=None):
        self.bootstrap = bootstrap
        self.registry = registry
        self.topic = topic
        self.source = source
        self.limits = limits
        self._retry = Retry(attempts, backoff)
        self._lock = threading.Lock()
        self._failed = []
        self._lengths = {}
        self._closed = False
        self.delivery_timeout = delivery_timeout
        self.schema_id, schema_str = fetch_latest(registry, topic + "-value", registry_timeout, self._retry)
        conf = {
            "bootstrap.servers": bootstrap,
            "acks": "all",
            "enable.idempotence": True,
            "linger.ms": 5,
            # librdkafka's own bound on retrying one message; past it the delivery report says it failed.
            "message.timeout.ms": int(delivery_timeout * 1000),
            "logger": logging.getLogger("rsk_publisher.kafka"),
        }
        conf.update(producer_config or {})
        factory = _backend_factory or backends.create
        self._backend = factory(backend, conf, registry, self.schema_id, schema_str)
        self.backend = self._backend.name
        self._check_schema(registry_timeout)
        self._check_broker(connect_timeout)

    # -- opening --------------------------------------------------------------------------------------------

    def _check_schema(self, timeout):
        """Encodes one sample event: the registry's schema must accept what this library writes (the
        serializing backend also looks the schema up here, once, within bounded time)."""
        sample = Inference("schema-check", event_time=EPOCH).add("o", "m", [0.0], root=True).records()[0]

        def encode():
            return bounded(lambda: self._backend.encode(self.topic, sample), timeout, "registry %s" % self.registry)

        def transient(e):
            # requests' ConnectionError and Timeout are OSErrors; HTTP answers (404, 422...) are not.
            return isinstance(e, (TimeoutError, OSError))

        def unavailable(error, attempts, elapsed):
            return RegistryUnavailableError("schema registry %s unreachable after %d attempts in %.1f s: %s"
                                            % (self.registry, attempts, elapsed, error))
        try:
            self._retry.run(encode, transient, unavailable)
        except RegistryUnavailableError:
            raise
        except Exception as e:  # noqa: BLE001 - any other failure means the schema does not fit
            raise RegistryError("the schema of %s-value (id %d) at %s does not accept ModuleActivation events: %s"
                                % (self.topic, self.schema_id, self.registry, e)) from e

    def _check_broker(self, timeout):
        def metadata():
            topics = self._backend.list_topics(self.topic, timeout).topics
            if self.topic not in topics or topics[self.topic].error is not None:
                raise _Missing("topic %r is not on the broker" % self.topic)

        def unavailable(error, attempts, elapsed):
            if isinstance(error, _Missing):
                return BrokerUnavailableError("Kafka at %s has no topic %r (checked %d times in %.1f s): create it "
                                              "(rsk standalone does)" % (self.bootstrap, self.topic, attempts, elapsed))
            return BrokerUnavailableError("Kafka at %s unreachable after %d attempts in %.1f s: %s"
                                          % (self.bootstrap, attempts, elapsed, error))
        self._retry.run(metadata, lambda e: True, unavailable)

    # -- publishing ------------------------------------------------------------------------------------------

    def inference(self, inference_id, event_time=None, source=None):
        """Opens an inference on this publisher (``source`` defaults to the publisher's)."""
        return Inference(inference_id, event_time, self.source if source is None else source, publisher=self)

    def send(self, inference):
        """Validates ``inference`` (ValueError) and queues all its objects, inputs first and the root last.

        Returns the number of events queued. Delivery is confirmed by ``flush``. If the local queue stays
        full for ``delivery_timeout`` seconds, raises DeliveryError (the objects queued before stay queued,
        so the processor sketches the inference as incomplete after its gap).
        """
        if self._closed:
            raise PublishError("publisher is closed")
        if inference.sent:
            raise ValueError("inference %r was already sent" % inference.inference_id)
        records = inference.records(self.limits)
        self._check_lengths(inference.inference_id, records)
        for queued, record in enumerate(records):
            self._produce(record, queued, len(records))
        inference.sent = True
        self._backend.poll(0)
        return len(records)

    def _check_lengths(self, inference_id, records):
        """One attribute length per module across inferences, as the processor requires."""
        with self._lock:
            for r in records:
                known = self._lengths.get(r["module"], len(r["attributes"]))
                if known != len(r["attributes"]):
                    raise ValueError("inference %r, object %r: module %r had %d attributes in earlier inferences, "
                                     "now %d" % (inference_id, r["objectId"], r["module"], known,
                                                 len(r["attributes"])))
            self._lengths.update((r["module"], len(r["attributes"])) for r in records)

    def _produce(self, record, queued, total):
        key = record["inferenceId"]
        callback = self._callback(key, record["objectId"])
        deadline = time.monotonic() + self.delivery_timeout
        while True:
            try:
                self._backend.produce(self.topic, key, record, callback)
                return
            except BufferError:
                if time.monotonic() >= deadline:
                    raise DeliveryError("local queue full for %.0f s while sending inference %r (%d of %d objects "
                                        "queued): Kafka at %s is not taking events"
                                        % (self.delivery_timeout, key, queued, total, self.bootstrap),
                                        failed=[(key, record["objectId"], "local queue full")]) from None
                self._backend.poll(0.1)

    def _callback(self, inference_id, object_id):
        def delivered(err, msg):
            if err is not None:
                with self._lock:
                    self._failed.append((inference_id, object_id, str(err)))
        return delivered

    def flush(self, timeout=60.0):
        """Waits at most ``timeout`` seconds for Kafka to acknowledge every queued event.

        Raises DeliveryError if events are still in flight then (they stay queued) or if any event failed
        since the last flush (``failed`` lists them; they are not retried by the publisher).
        """
        remaining = self._backend.flush(timeout)
        with self._lock:
            failed, self._failed = self._failed, []
        if remaining:
            raise DeliveryError("%d events not acknowledged by Kafka at %s within %s s (still queued: flush again "
                                "or close)%s" % (remaining, self.bootstrap, timeout, _describe(failed)),
                                failed=failed, pending=remaining)
        if failed:
            raise DeliveryError("%d events were not delivered to %s%s" % (len(failed), self.bootstrap,
                                                                          _describe(failed)), failed=failed)

    def close(self, timeout=60.0):
        """Refuses further sends, then flushes (raising DeliveryError as ``flush`` does; close again to retry)."""
        self._closed = True
        self.flush(timeout)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.close()
        else:
            try:
                self.close()
            except PublishError as e:
                LOG.error("while closing after an error: %s", e)
        return False


def _describe(failed):
    if not failed:
        return ""
    shown = ", ".join("%s/%s: %s" % f for f in failed[:_SHOWN])
    more = " and %d more" % (len(failed) - _SHOWN) if len(failed) > _SHOWN else ""
    return "; failed: " + shown + more
