#!/usr/bin/python3
"""Interoperability probe: the real Confluent Python client against rsk's broker, registry and serdes.

  avro_interop.py produce --bootstrap B --registry R --topic T --schema ModuleActivation.avsc --count N
      publishes N ModuleActivation records with confluent_kafka's legacy avro.AvroProducer and prints,
      one JSON line each, what it sent (eventTime as epoch milliseconds), then {"schemaId": id}.
  avro_interop.py consume --bootstrap B --registry R --topic T --count N [--timeout S]
      reads N records with the legacy avro.AvroConsumer and prints each value as one JSON line.

Keys on rsk topics are plain strings, while the legacy AvroProducer/AvroConsumer insist on Avro keys: the
script therefore encodes and decodes values with the client's own serializer (AvroProducer._serializer,
AvroConsumer._serializer) and sends or reads the key bytes as they are.

Exit code 0 on success, 1 on failure (message on stderr), 3 if the client modules are missing.
"""
import argparse
import datetime
import json
import sys

try:
    from confluent_kafka import Consumer, Producer
    from confluent_kafka import avro as confluent_avro
    from confluent_kafka.avro import AvroConsumer, AvroProducer
except ImportError as e:  # pragma: no cover - reported to the Java test as "skip"
    print("missing module: %s" % e, file=sys.stderr)
    sys.exit(3)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def millis(value):
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return int(round((value - EPOCH).total_seconds() * 1000))
    return value


def to_json(value):
    """Plain JSON for a decoded record: datetimes become epoch milliseconds."""
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return millis(value)


def activation(i):
    # Exactly representable floats, so that Java can compare them bit for bit.
    event_ms = 1735689600000 + i * 60000
    return {
        "inferenceId": "py-inf-%d" % (i // 3),
        "objectId": "obj-%d" % i,
        "module": ["scene", "cat_detector", "eye"][i % 3],
        "attributes": [0.5 * i, -1.25, 1024.0][: 1 + i % 3],
        "inputs": [] if i % 3 == 2 else [
            {"objectId": "obj-%d" % (i + 1), "slot": None if i % 2 else "left", "weight": 0.75}],
        "root": i % 3 == 0,
        "eventTime": EPOCH + datetime.timedelta(milliseconds=event_ms),
        "source": "python-\u00e9t\u00e9-%d" % i,
    }


def produce(args):
    schema = confluent_avro.loads(open(args.schema, encoding="utf-8").read())
    producer = AvroProducer({"bootstrap.servers": args.bootstrap, "schema.registry.url": args.registry},
                            default_value_schema=schema)
    errors = []

    def delivered(err, msg):
        if err is not None:
            errors.append(str(err))

    for i in range(args.count):
        record = activation(i)
        value = producer._serializer.encode_record_with_schema(args.topic, schema, record, False)
        Producer.produce(producer, args.topic, value=value, key=record["inferenceId"].encode("utf-8"),
                         callback=delivered)
        print(json.dumps(to_json(record), sort_keys=True))
    remaining = producer.flush(args.timeout)
    if remaining or errors:
        print("not delivered: %d pending, errors %s" % (remaining, errors), file=sys.stderr)
        return 1
    schema_id = producer._serializer.registry_client.get_latest_schema(args.topic + "-value")[0]
    print(json.dumps({"schemaId": schema_id}))
    return 0


def consume(args):
    consumer = AvroConsumer({"bootstrap.servers": args.bootstrap, "schema.registry.url": args.registry,
                             "group.id": args.group, "auto.offset.reset": "earliest"})
    consumer.subscribe([args.topic])
    got = 0
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=args.timeout)
    try:
        while got < args.count and datetime.datetime.now() < deadline:
            msg = Consumer.poll(consumer, 0.5)
            if msg is None:
                continue
            if msg.error():
                print("consumer error: %s" % msg.error(), file=sys.stderr)
                continue
            value = consumer._serializer.decode_message(msg.value(), is_key=False)
            print(json.dumps({"key": msg.key().decode("utf-8"), "value": to_json(value)}, sort_keys=True))
            got += 1
    finally:
        consumer.close()
    if got < args.count:
        print("read %d of %d records within %s s" % (got, args.count, args.timeout), file=sys.stderr)
        return 1
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["produce", "consume"])
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--schema")
    parser.add_argument("--count", type=int, default=6)
    parser.add_argument("--group", default="python-interop")
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    return produce(args) if args.mode == "produce" else consume(args)


if __name__ == "__main__":
    sys.exit(main())
