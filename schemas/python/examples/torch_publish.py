#!/usr/bin/python3
"""A real model publishing into rsk: a small CNN (or torchvision's ResNet-18, random init, no download) learns
circles vs squares vs stripes on images it draws itself, then publishes its forward passes.

    /usr/bin/python3 schemas/python/examples/torch_publish.py --bootstrap localhost:9092 \\
        --registry http://localhost:8081 --count 60

Training runs on the CPU until 98% of a held-out set is right, for at most --train-seconds (default 60).
Then --count new images (classes in turn) go through the model in batches with rsk_publisher.torch_hooks
attached at its stages (stage1..3 of the CNN, layer1..4 of ResNet-18), so each image becomes one inference:
one object per stage (its channel means, projected to --k and unit length), fed stage to stage, the model
output (logits) as root.

Prints one JSON line per inference, {"inferenceId": ..., "label": "circle"}, then a summary line
{"published": N, "accuracy": ..., "modules": [...], "backend": ...}. Exit code 0 on success, 1 on a publishing
error (message on stderr), 3 if torch or confluent_kafka is missing.
"""
import argparse
import json
import math
import os
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

try:
    import torch
    from torch import nn
    from rsk_publisher import Publisher, PublishError
    from rsk_publisher.torch_hooks import attach
except ImportError as e:  # reported to the Java test as "skip"
    print("missing module: %s" % e, file=sys.stderr)
    sys.exit(3)

CLASSES = ("circle", "square", "stripes")
SIZE = 32


def draw(label, generator):
    """One SIZE x SIZE grey image of class ``label`` (0 circle, 1 square, 2 stripes), random pose, noise."""
    def uniform(low, high):
        return low + (high - low) * torch.rand((), generator=generator).item()

    ys, xs = torch.meshgrid(torch.arange(SIZE, dtype=torch.float32), torch.arange(SIZE, dtype=torch.float32),
                            indexing="ij")
    if label == 0:
        r = uniform(5, 11)
        cy, cx = uniform(r, SIZE - r), uniform(r, SIZE - r)
        image = (((ys - cy) ** 2 + (xs - cx) ** 2) <= r * r).float()
    elif label == 1:
        side = uniform(9, 20)
        y0, x0 = uniform(0, SIZE - side), uniform(0, SIZE - side)
        image = ((ys >= y0) & (ys < y0 + side) & (xs >= x0) & (xs < x0 + side)).float()
    else:
        angle, period, phase = uniform(0, math.pi), uniform(4, 9), uniform(0, 2 * math.pi)
        along = xs * math.cos(angle) + ys * math.sin(angle)
        image = (torch.sin(2 * math.pi * along / period + phase) > 0).float()
    image = image * uniform(0.6, 1.0) + 0.1 * torch.randn(SIZE, SIZE, generator=generator)
    return image.unsqueeze(0)


def dataset(n, generator):
    labels = [i % len(CLASSES) for i in range(n)]
    return torch.stack([draw(c, generator) for c in labels]), torch.tensor(labels)


class ShapeNet(nn.Module):
    """Three conv stages and a linear head: 32x32 -> 16 -> 8 -> 4 -> 3 logits."""

    def __init__(self):
        super().__init__()

        def stage(cin, cout):
            return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2))

        self.stage1, self.stage2, self.stage3 = stage(1, 8), stage(8, 16), stage(16, 32)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, len(CLASSES)))

    def forward(self, x):
        return self.head(self.stage3(self.stage2(self.stage1(x))))


def grey_resnet18():
    """torchvision's ResNet-18, random init (no weights downloaded), its first convolution taking one channel."""
    from torchvision.models import resnet18
    model = resnet18(weights=None, num_classes=len(CLASSES))
    model.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
    return model


MODELS = {"cnn": (ShapeNet, ["stage1", "stage2", "stage3"]),
          "resnet18": (grey_resnet18, ["layer1", "layer2", "layer3", "layer4"])}


def train(model, seconds, generator):
    """Adam on fresh synthetic batches until ``seconds`` pass or a held-out set is 98% right; its accuracy."""
    images, labels = dataset(600, generator)
    held_images, held_labels = dataset(150, generator)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    deadline = time.monotonic() + seconds
    accuracy = 0.0
    step = 0
    while time.monotonic() < deadline:
        model.train()
        order = torch.randperm(len(images), generator=generator)
        for start in range(0, len(images), 50):
            batch = order[start:start + 50]
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(images[batch]), labels[batch])
            loss.backward()
            optimizer.step()
            step += 1
        accuracy = evaluate(model, held_images, held_labels)
        print("step %d: loss %.3f, held-out accuracy %.3f" % (step, loss.item(), accuracy), file=sys.stderr)
        if accuracy >= 0.98:
            break
    return accuracy


def evaluate(model, images, labels):
    model.eval()
    with torch.no_grad():
        return (model(images).argmax(dim=1) == labels).float().mean().item()


def publish(model, stages, args, generator):
    images, labels = dataset(args.count, generator)
    ids = iter(range(args.count))
    run = args.id_prefix or "shapes-%s-" % uuid.uuid4().hex[:6]
    with Publisher(args.bootstrap, args.registry, topic=args.topic, source=args.source) as publisher:
        model.eval()
        names = {}

        def name(b):
            i = next(ids)
            names[i] = "%s%s-%d" % (run, CLASSES[labels[i]], i)
            return names[i]

        with attach(model, publisher, modules=stages, k=args.k, prefix=args.prefix, id_fn=name), torch.no_grad():
            for start in range(0, args.count, args.batch):
                model(images[start:start + args.batch])
        publisher.flush(timeout=60)
        for i in range(args.count):
            print(json.dumps({"inferenceId": names[i], "label": CLASSES[labels[i]]}))
        return publisher.backend


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--count", type=int, default=60, help="inferences to publish (default 60)")
    parser.add_argument("--topic", default="activations")
    parser.add_argument("--model", choices=sorted(MODELS), default="cnn")
    parser.add_argument("--k", type=int, default=8, help="attributes per stage (default 8)")
    parser.add_argument("--prefix", default="shapes.", help="prefix of the rsk module names (default shapes.)")
    parser.add_argument("--id-prefix", default=None, help="inference id prefix (default shapes-<random>-)")
    parser.add_argument("--source", default="torch_publish")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--train-seconds", type=float, default=60.0,
                        help="cap on training time (default 60); it stops earlier at 98%% held-out accuracy")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (default 1: on a busy machine more threads spin and crawl)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)
    factory, stages = MODELS[args.model]
    model = factory()
    accuracy = train(model, args.train_seconds, generator)
    try:
        backend = publish(model, stages, args, generator)
    except PublishError as e:
        print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1
    print(json.dumps({"published": args.count, "accuracy": accuracy, "backend": backend,
                      "modules": [args.prefix + s for s in stages] + [args.prefix + "output"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
