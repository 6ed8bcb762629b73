#!/usr/bin/python3
"""Drives rsk_publisher for the Java tests (schemas/dev-stack PythonPublisherTest).

  publisher_probe.py --bootstrap B --registry R [--topic T] [--backend auto|legacy|serializing] [--count N]
      publishes N inferences py-pub-0.. (scene <- cat_detector <- two eyes, see build(); the Java test
      states the same events independently) and prints {"backend": ..., "schemaId": ..., "events": E}.

Exit code 0 on success; 1 on a PublishError, with "<ErrorClass>: <message>" on stderr; 3 if modules are missing.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

try:
    from rsk_publisher import Input, Publisher, PublishError
except ImportError as e:  # pragma: no cover - reported to the Java test as "skip"
    print("missing module: %s" % e, file=sys.stderr)
    sys.exit(3)


def build(publisher, n):
    """Inference n; floats exactly representable in float32, so that Java can compare them bit for bit."""
    inference = publisher.inference("py-pub-%d" % n, event_time=1767225600000 + n * 60000,
                                    source="probe-\u00e9t\u00e9-%d" % n)
    inference.add("eye-l", "eye", [0.25 * n, -0.5])
    inference.add("eye-r", "eye", [0.75, 1024.0])
    inference.add("cat", "cat_detector", [0.5, -1.25, 0.125 * n],
                  inputs=[Input("eye-l", slot="left", weight=0.75), Input("eye-r", slot="right")])
    inference.add("scene", "scene", [1.0], inputs=[Input("cat", weight=0.5)], root=True)
    return inference


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--topic", default="activations")
    parser.add_argument("--backend", default="auto")
    parser.add_argument("--count", type=int, default=3)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    try:
        with Publisher(args.bootstrap, args.registry, topic=args.topic, backend=args.backend) as publisher:
            events = sum(build(publisher, n).send() for n in range(args.count))
            publisher.flush(timeout=30)
            print(json.dumps({"backend": publisher.backend, "schemaId": publisher.schema_id, "events": events}))
    except PublishError as e:
        print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
