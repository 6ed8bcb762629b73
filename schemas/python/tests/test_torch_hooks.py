"""attach(): objects, edges and summaries of forward passes (skipped without torch)."""
import unittest

try:
    import torch
    from torch import nn
    from rsk_publisher import torch_hooks
    from rsk_publisher.inference import Inference
    REASON = ""
except ImportError as e:  # pragma: no cover - reported as a skip
    from rsk_publisher.inference import Inference
    torch = None
    REASON = "torch missing (Debian: apt-get install python3-torch): %s" % e


class Collect:
    """A publisher that keeps the records of what it is sent."""

    def __init__(self):
        self.sent = []

    def inference(self, inference_id):
        return Inference(inference_id, publisher=self)

    def send(self, inference):
        self.sent.append({r["objectId"]: r for r in inference.records()})


if torch is not None:
    class Chain(nn.Module):
        """stem -> pool (not hooked) -> body (body.a -> body.b inside) -> head, plus a skip stem -> head."""

        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(1, 4, 3, padding=1)
            self.pool = nn.MaxPool2d(2)
            self.body = nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), nn.Conv2d(4, 4, 3, padding=1))
            self.head = nn.Linear(8, 2)

        def forward(self, x):
            s = self.stem(x)
            b = self.body(self.pool(s))
            return self.head(torch.cat([b.mean(dim=(2, 3)), s.mean(dim=(2, 3))], dim=1))


def inputs(record):
    return [(i["objectId"], i["slot"]) for i in record["inputs"]]


@unittest.skipIf(torch is None, REASON)
class AttachTest(unittest.TestCase):

    def test_one_inference_per_batch_element_with_flow_and_containment_edges(self):
        model, sink = Chain(), Collect()
        handle = torch_hooks.attach(model, sink, modules=["stem", "body", "body.0", "body.1"], k=3, prefix="c.",
                                    id_fn=lambda b: "img-%d" % b)
        with torch.no_grad():
            model(torch.randn(2, 1, 6, 6))
        self.assertEqual(handle.last_ids, ["img-0", "img-1"])
        self.assertEqual(len(sink.sent), 2)
        objects = sink.sent[0]
        self.assertEqual(sorted(objects), ["body", "body.0", "body.1", "output", "stem"])
        self.assertEqual({o: r["module"] for o, r in objects.items()},
                         {"stem": "c.stem", "body": "c.body", "body.0": "c.body.0", "body.1": "c.body.1",
                          "output": "c.output"})
        # stem feeds body (through the unhooked pool: the consecutive-stage rule); body contains body.0, body.1.
        self.assertEqual(inputs(objects["body"]), [("stem", "in"), ("body.0", "part"), ("body.1", "part")])
        self.assertEqual(inputs(objects["body.1"]), [("body.0", "in")])  # its input is body.0's output tensor
        self.assertEqual(inputs(objects["body.0"]), [])
        self.assertEqual(inputs(objects["stem"]), [])
        self.assertEqual(inputs(objects["output"]), [("body", "in")])
        self.assertTrue(objects["output"]["root"])
        self.assertEqual(len(objects["stem"]["attributes"]), 3)  # 4 channels projected to k = 3
        self.assertEqual(len(objects["output"]["attributes"]), 2)  # 2 logits, fewer than k

    def test_outputs_fed_directly_are_matched_by_identity(self):
        class Two(nn.Module):
            def __init__(self):
                super().__init__()
                self.a, self.b, self.c = nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 2)

            def forward(self, x):
                a = self.a(x)
                self.b(x)  # runs after a but does not feed c
                return self.c(a)

        model, sink = Two(), Collect()
        torch_hooks.attach(model, sink, k=2)
        model(torch.randn(1, 2))
        self.assertEqual(inputs(sink.sent[0]["c"]), [("a", "in")])
        self.assertEqual(inputs(sink.sent[0]["output"]), [("c", "in")])

    def test_summary_is_channel_means_truncated_or_projected_then_unit_length(self):
        x = torch.arange(2 * 3 * 2 * 2, dtype=torch.float32).reshape(2, 3, 2, 2)
        raw = torch_hooks.Summarizer(k=5, normalize=False)("m", x)
        self.assertEqual(raw.tolist(), [[1.5, 5.5, 9.5], [13.5, 17.5, 21.5]])
        truncated = torch_hooks.Summarizer(k=2, reduce="truncate", normalize=False)("m", x)
        self.assertEqual(truncated.tolist(), [[1.5, 5.5], [13.5, 17.5]])
        unit = torch_hooks.Summarizer(k=2, reduce="truncate")("m", x)
        self.assertAlmostEqual(unit[0].tolist()[0], 1.5 / (1.5 ** 2 + 5.5 ** 2) ** 0.5, places=6)
        p1 = torch_hooks.Summarizer(k=2)("stage", x)
        p2 = torch_hooks.Summarizer(k=2)("stage", x)
        self.assertEqual(p1.tolist(), p2.tolist())  # the projection depends on the module name only
        self.assertNotEqual(torch_hooks.Summarizer(k=2)("other", x).tolist(), p1.tolist())
        tokens = torch.ones(1, 4, 3)  # (batch, sequence, features): channels last
        self.assertEqual(torch_hooks.Summarizer(k=8, normalize=False, channel_dim=-1)("t", tokens).tolist(),
                         [[1.0, 1.0, 1.0]])

    def test_bad_arguments(self):
        model = Chain()
        with self.assertRaises(ValueError):
            torch_hooks.attach(model, Collect(), modules=["nope"])
        with self.assertRaises(ValueError):
            torch_hooks.attach(model, Collect(), modules=["stem"], root_module="stem")
        with self.assertRaises(ValueError):
            torch_hooks.attach(model, Collect(), modules=[model])

    def test_detach_stops_publishing_and_calls_outside_a_pass_are_ignored(self):
        model, sink = Chain(), Collect()
        with torch_hooks.attach(model, sink, modules=[model.stem]):
            model.stem(torch.randn(1, 1, 4, 4))
            self.assertEqual(sink.sent, [])
            model(torch.randn(1, 1, 4, 4))
        model(torch.randn(1, 1, 4, 4))
        self.assertEqual(len(sink.sent), 1)


if __name__ == "__main__":
    unittest.main()
