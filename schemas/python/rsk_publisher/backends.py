"""The two ways of writing Confluent-format Avro with confluent_kafka, chosen by what is installed.

- ``serializing``: ``SerializingProducer`` + ``schema_registry.avro.AvroSerializer`` (confluent_kafka >= 1.4
  with fastavro; the only Avro path of recent clients).
- ``legacy``: a plain ``Producer`` + the legacy ``confluent_kafka.avro`` module's ``MessageSerializer`` (the
  serializer inside ``AvroProducer``), for Debian's python3-confluent-kafka 1.7, which ships without fastavro.

Both write the schema id fetched from the registry and never register a schema. Both expose
``produce(topic, key, value, on_delivery)`` with ``value`` a ModuleActivation dict, ``poll``, ``flush``,
``list_topics`` and ``encode(value)`` (a dry run used to check the schema at open).
"""
import importlib

AUTO = "auto"
SERIALIZING = "serializing"
LEGACY = "legacy"


def available():
    """The backends whose modules import here, best first."""
    found = []
    for name, modules in ((SERIALIZING, ("confluent_kafka.schema_registry.avro", "fastavro")),
                          (LEGACY, ("confluent_kafka.avro", "avro.io"))):
        try:
            for module in modules:
                importlib.import_module(module)
            found.append(name)
        except ImportError:
            continue
    return found


def create(name, conf, registry_url, schema_id, schema_str):
    """A producer backend; ``name`` is AUTO (the best available), SERIALIZING or LEGACY."""
    choices = available()
    if name == AUTO:
        if not choices:
            raise ImportError("rsk_publisher needs confluent_kafka with either fastavro (SerializingProducer + "
                              "AvroSerializer) or the legacy avro module (python3-confluent-kafka, python3-avro)")
        name = choices[0]
    if name not in (SERIALIZING, LEGACY):
        raise ValueError("backend must be %r, %r or %r, got %r" % (AUTO, SERIALIZING, LEGACY, name))
    if name not in choices:
        raise ImportError("backend %r is not available here (available: %s)" % (name, choices or "none"))
    if name == SERIALIZING:
        return SerializingBackend(conf, registry_url, schema_str)
    return LegacyBackend(conf, schema_id, schema_str)


class SerializingBackend:
    """``SerializingProducer`` with a string key serializer and an ``AvroSerializer`` that looks the fetched
    schema up (``auto.register.schemas`` false) instead of registering it."""

    name = SERIALIZING

    def __init__(self, conf, registry_url, schema_str):
        from confluent_kafka import SerializingProducer
        from confluent_kafka.schema_registry import SchemaRegistryClient
        from confluent_kafka.schema_registry.avro import AvroSerializer
        from confluent_kafka.serialization import MessageField, SerializationContext, StringSerializer

        self._context = lambda topic: SerializationContext(topic, MessageField.VALUE)
        self._values = AvroSerializer(schema_registry_client=SchemaRegistryClient({"url": registry_url}),
                                      schema_str=schema_str, conf={"auto.register.schemas": False})
        self._producer = SerializingProducer(dict(conf, **{"key.serializer": StringSerializer("utf_8"),
                                                           "value.serializer": self._values}))

    def encode(self, topic, value):
        return self._values(value, self._context(topic))

    def produce(self, topic, key, value, on_delivery):
        self._producer.produce(topic, key=key, value=value, on_delivery=on_delivery)

    def poll(self, timeout):
        return self._producer.poll(timeout)

    def flush(self, timeout):
        return self._producer.flush(timeout)

    def list_topics(self, topic, timeout):
        return self._producer.list_topics(topic, timeout=timeout)


class _KnownSchema:
    """The one registry lookup ``MessageSerializer.encode_record_with_schema_id`` makes, answered from the
    schema already fetched (so encoding never calls the registry, whose legacy client has no timeout)."""

    def __init__(self, schema_id, schema):
        self._schema_id = schema_id
        self._schema = schema

    def get_by_id(self, schema_id):
        return self._schema if schema_id == self._schema_id else None


class LegacyBackend:
    """A plain ``Producer``; values encoded by the legacy avro module's ``MessageSerializer`` with the fetched
    schema id (``AvroProducer`` itself insists on Avro keys, while rsk's keys are plain strings)."""

    name = LEGACY

    def __init__(self, conf, schema_id, schema_str):
        from confluent_kafka import Producer
        from confluent_kafka import avro as legacy_avro
        from confluent_kafka.avro.serializer.message_serializer import MessageSerializer

        self._schema_id = schema_id
        self._serializer = MessageSerializer(_KnownSchema(schema_id, legacy_avro.loads(schema_str)))
        self._producer = Producer(conf)

    def encode(self, topic, value):
        return self._serializer.encode_record_with_schema_id(self._schema_id, value, is_key=False)

    def produce(self, topic, key, value, on_delivery):
        self._producer.produce(topic, key=key.encode("utf-8"), value=self.encode(topic, value),
                               on_delivery=on_delivery)

    def poll(self, timeout):
        return self._producer.poll(timeout)

    def flush(self, timeout):
        return self._producer.flush(timeout)

    def list_topics(self, topic, timeout):
        return self._producer.list_topics(topic, timeout=timeout)
