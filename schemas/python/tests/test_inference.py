"""Inference: the records it builds and every invalid inference it refuses (no Kafka needed)."""
import datetime
import unittest

from rsk_publisher import Inference, Input, Limits

T = datetime.datetime(2026, 2, 3, 4, 5, 6, 789000, tzinfo=datetime.timezone.utc)


def scene(inference_id="inf-1"):
    return (Inference(inference_id, event_time=T, source="cam")
            .add("scene", "scene", [1.0], inputs=["cat"], root=True)
            .add("cat", "cat_detector", [0.5, -1.25], inputs=[Input("eye", slot="left", weight=0.75)])
            .add("eye", "eye", []))


class RecordsTest(unittest.TestCase):

    def test_one_record_per_object_inputs_first_root_last(self):
        records = scene().records()
        self.assertEqual([r["objectId"] for r in records], ["eye", "cat", "scene"])
        self.assertEqual([r["root"] for r in records], [False, False, True])
        cat = records[1]
        self.assertEqual(cat, {"inferenceId": "inf-1", "objectId": "cat", "module": "cat_detector",
                               "attributes": [0.5, -1.25],
                               "inputs": [{"objectId": "eye", "slot": "left", "weight": 0.75}],
                               "root": False, "eventTime": T, "source": "cam"})
        self.assertEqual(records[2]["inputs"], [{"objectId": "cat", "slot": None, "weight": 1.0}])

    def test_event_time_from_epoch_millis_and_naive_datetime(self):
        self.assertEqual(Inference("a", event_time=1770091506789).event_time, T)
        self.assertEqual(Inference("a", event_time=T.replace(tzinfo=None)).event_time, T)
        with self.assertRaises(ValueError):
            Inference("a", event_time="yesterday")

    def test_inputs_as_tuples(self):
        inference = Inference("t").add("b", "m", [1]).add("a", "m", [2], inputs=[("b", "x", 0.5)], root=True)
        self.assertEqual(inference.records()[1]["inputs"], [{"objectId": "b", "slot": "x", "weight": 0.5}])


class ValidationTest(unittest.TestCase):

    def assertRefused(self, inference, *fragments):
        with self.assertRaises(ValueError) as raised:
            inference.records()
        for fragment in fragments:
            self.assertIn(fragment, str(raised.exception))

    def test_nan_and_infinite_and_float32_overflow_attributes(self):
        for bad in (float("nan"), float("inf"), 1e39):
            with self.assertRaises(ValueError) as raised:
                Inference("inf-nan").add("o", "m", [0.0, bad])
            self.assertIn("attribute 1", str(raised.exception))
            self.assertIn("inf-nan", str(raised.exception))
        with self.assertRaises(ValueError):
            Inference("x").add("o", "m", ["a"])

    def test_unknown_input(self):
        self.assertRefused(Inference("inf-x").add("a", "m", [1], inputs=["ghost"], root=True),
                           "inf-x", "unknown object 'ghost'")

    def test_no_root_or_absent_root_or_second_root(self):
        self.assertRefused(Inference("r").add("a", "m", [1]), "no root")
        self.assertRefused(Inference("r").add("a", "m", [1]).set_root("b"), "root 'b'")
        with self.assertRaises(ValueError):
            Inference("r").add("a", "m", [1], root=True).add("b", "m", [1], root=True)

    def test_cycles_and_self_inputs(self):
        self.assertRefused(Inference("c").add("a", "m", [1], inputs=["b"], root=True).add("b", "m", [1], inputs=["a"]),
                           "cycle")
        self.assertRefused(Inference("s").add("a", "m", [1], inputs=["a"], root=True), "itself")

    def test_duplicates_lengths_weights_ids(self):
        with self.assertRaises(ValueError):
            Inference("d").add("a", "m", [1]).add("a", "m", [1])
        self.assertRefused(Inference("l").add("a", "m", [1], inputs=["b"], root=True).add("b", "m", [1, 2]),
                           "module 'm' has 1 attributes")
        for weight in (-1.0, float("nan"), "heavy"):
            self.assertRefused(Inference("w").add("b", "m", []).add("a", "m", [], inputs=[Input("b", None, weight)],
                                                                     root=True), "weight")
        self.assertRefused(Inference("").add("a", "m", [], root=True), "inference id")
        self.assertRefused(Inference("e").add("", "m", [], root=True), "object ids")
        self.assertRefused(Inference("e").add("a", "", [], root=True), "module")
        self.assertRefused(Inference("e"), "no objects")
        with self.assertRaises(ValueError):
            Inference("e").add("a", "m", [], inputs=[42])

    def test_limits(self):
        limits = Limits(max_objects=2, max_inputs=1, max_attributes=3)
        with self.assertRaises(ValueError) as raised:
            scene().records(limits)
        self.assertIn("3 objects, over the limit of 2", str(raised.exception))
        with self.assertRaises(ValueError) as raised:
            Inference("i").add("a", "m", [1, 2, 3, 4], root=True).records(limits)
        self.assertIn("4 attributes", str(raised.exception))
        with self.assertRaises(ValueError) as raised:
            Inference("i").add("b", "m", []).add("a", "m", [], inputs=["b", ("b", "x")], root=True).records(limits)
        self.assertIn("2 inputs", str(raised.exception))


if __name__ == "__main__":
    unittest.main()
