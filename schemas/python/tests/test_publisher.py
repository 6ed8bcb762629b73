"""Publisher and registry fetch against fakes: bounded retries, clear errors, no silently dropped event."""
import http.server
import json
import threading
import time
import unittest

from rsk_publisher import (BrokerUnavailableError, DeliveryError, Publisher, PublishError, RegistryError,
                           RegistryUnavailableError)
from rsk_publisher.registry import fetch_latest
from rsk_publisher.retry import Retry, bounded

SCHEMA = json.dumps({"type": "record", "name": "ModuleActivation", "fields": []})


class Registry(http.server.ThreadingHTTPServer):
    """Answers /subjects/<s>/versions/latest with the given statuses in turn (the last one repeats)."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.calls = 0
        registry = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                status = registry.statuses[min(registry.calls, len(registry.statuses) - 1)]
                registry.calls += 1
                body = json.dumps({"subject": "activations-value", "version": 1, "id": 7, "schema": SCHEMA}
                                  if status == 200 else {"error_code": status, "message": "no"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]

    def __exit__(self, *exc):
        self.shutdown()
        return super().__exit__(*exc)


class Metadata:
    def __init__(self, topics):
        self.topics = topics


class TopicMetadata:
    error = None


class FakeBackend:
    """Records produce calls; flush delivers them with the scripted errors and leaves ``remaining``."""
    name = "fake"

    def __init__(self, errors=None, remaining=0, full=0, topics=("activations",)):
        self.errors = errors or {}
        self.remaining = remaining
        self.full = full
        self.topics = topics
        self.produced = []
        self.callbacks = []

    def encode(self, topic, value):
        return b"x"

    def produce(self, topic, key, value, on_delivery):
        if self.full > 0:
            self.full -= 1
            raise BufferError("queue full")
        self.produced.append((topic, key, value))
        self.callbacks.append((value["objectId"], on_delivery))

    def poll(self, timeout):
        return 0

    def flush(self, timeout):
        for object_id, callback in self.callbacks:
            callback(self.errors.get(object_id), None)
        self.callbacks = []
        return self.remaining

    def list_topics(self, topic, timeout):
        return Metadata({t: TopicMetadata() for t in self.topics})


def publisher(registry, backend, **kwargs):
    return Publisher("broker:9092", registry.url, backoff=0.01, _backend_factory=lambda *a: backend, **kwargs)


def inference(p, inference_id, length=1):
    return p.inference(inference_id).add("b", "m", [0.5] * length).add("a", "root", [1.0], inputs=["b"], root=True)


class RegistryFetchTest(unittest.TestCase):

    def test_transient_failures_are_retried_within_the_bound(self):
        with Registry([503, 500, 200]) as r:
            self.assertEqual(fetch_latest(r.url, "activations-value", 2, Retry(3, 0.01)), (7, SCHEMA))
            self.assertEqual(r.calls, 3)

    def test_unavailable_after_the_last_attempt(self):
        with Registry([503]) as r:
            with self.assertRaises(RegistryUnavailableError) as raised:
                fetch_latest(r.url, "activations-value", 2, Retry(3, 0.01))
            self.assertEqual(r.calls, 3)
            self.assertIn("after 3 attempts", str(raised.exception))

    def test_missing_subject_is_not_retried(self):
        with Registry([404]) as r:
            with self.assertRaises(RegistryError) as raised:
                fetch_latest(r.url, "activations-value", 2, Retry(3, 0.01))
            self.assertNotIsInstance(raised.exception, RegistryUnavailableError)
            self.assertEqual(r.calls, 1)
            self.assertIn("'activations-value' is not registered", str(raised.exception))

    def test_bounded_call_times_out(self):
        start = time.monotonic()
        with self.assertRaises(TimeoutError):
            bounded(lambda: time.sleep(5), 0.2, "slow thing")
        self.assertLess(time.monotonic() - start, 2)
        self.assertEqual(bounded(lambda: 42, 1, "fast thing"), 42)


class PublisherTest(unittest.TestCase):

    def test_send_queues_every_object_keyed_by_inference_and_flush_passes(self):
        backend = FakeBackend()
        with Registry([200]) as r, publisher(r, backend) as p:
            self.assertEqual(p.schema_id, 7)
            self.assertEqual(inference(p, "i1").send(), 2)
            p.flush(1)
        self.assertEqual([(t, k, v["objectId"]) for t, k, v in backend.produced],
                         [("activations", "i1", "b"), ("activations", "i1", "a")])

    def test_failed_deliveries_raise_on_flush_with_their_ids(self):
        backend = FakeBackend(errors={"b": "Broker: Not enough in-sync replicas"})
        with Registry([200]) as r:
            p = publisher(r, backend)
            inference(p, "i1").send()
            with self.assertRaises(DeliveryError) as raised:
                p.flush(1)
        self.assertEqual(raised.exception.failed, [("i1", "b", "Broker: Not enough in-sync replicas")])
        self.assertIn("i1/b", str(raised.exception))

    def test_events_left_in_flight_at_the_timeout_raise(self):
        backend = FakeBackend(remaining=2)
        with Registry([200]) as r:
            p = publisher(r, backend)
            inference(p, "i1").send()
            with self.assertRaises(DeliveryError) as raised:
                p.flush(0.5)
        self.assertEqual(raised.exception.pending, 2)
        self.assertIn("2 events not acknowledged", str(raised.exception))

    def test_a_full_queue_is_waited_for_then_reported(self):
        with Registry([200]) as r:
            p = publisher(r, FakeBackend(full=2))
            self.assertEqual(inference(p, "i1").send(), 2)
            stuck = publisher(r, FakeBackend(full=10 ** 6), delivery_timeout=0.3)
            start = time.monotonic()
            with self.assertRaises(DeliveryError) as raised:
                inference(stuck, "i2").send()
            self.assertLess(time.monotonic() - start, 3)
            self.assertIn("0 of 2 objects queued", str(raised.exception))

    def test_one_attribute_length_per_module_across_inferences(self):
        with Registry([200]) as r:
            p = publisher(r, FakeBackend())
            inference(p, "i1", length=1).send()
            with self.assertRaises(ValueError) as raised:
                inference(p, "i2", length=2).send()
            self.assertIn("module 'm' had 1 attributes", str(raised.exception))

    def test_missing_topic_is_reported_after_the_attempts(self):
        with Registry([200]) as r:
            with self.assertRaises(BrokerUnavailableError) as raised:
                publisher(r, FakeBackend(topics=()))
        self.assertIn("no topic 'activations'", str(raised.exception))

    def test_an_inference_is_sent_once_and_a_closed_publisher_refuses(self):
        with Registry([200]) as r:
            p = publisher(r, FakeBackend())
            sent = inference(p, "i1")
            sent.send()
            with self.assertRaises(ValueError):
                sent.send()
            p.close()
            with self.assertRaises(PublishError):
                inference(p, "i2").send()


if __name__ == "__main__":
    unittest.main()
