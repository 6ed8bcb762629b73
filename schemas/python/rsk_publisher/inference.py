"""One inference's objects, validated in Python before anything is sent.

The checks mirror what rsk's processor would otherwise reject to its dead-letter topic (docs/processor.md):
non-empty ids and modules, finite float32 attributes, inputs that name objects of the same inference with
finite weights >= 0, no object feeding itself or a cycle, one root, one attribute length per module, and
the processor's default limits. A failed check raises ValueError naming the inference and the object.
"""
import collections
import datetime
import math

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
FLOAT32_MAX = 3.4028234663852886e38

Limits = collections.namedtuple("Limits", "max_objects max_inputs max_attributes")
# The processor's defaults (rsk.limit.objects, rsk.limit.fanout, rsk.limit.attribute.length).
DEFAULT_LIMITS = Limits(max_objects=10000, max_inputs=1024, max_attributes=4096)


class Input(collections.namedtuple("Input", "object_id slot weight")):
    """One input edge: the child object's id, its slot (None: the position in the list) and its weight."""

    def __new__(cls, object_id, slot=None, weight=1.0):
        return super().__new__(cls, object_id, slot, weight)


def as_input(value):
    """An Input from an Input, an object id string, or a tuple (object_id[, slot[, weight]])."""
    if isinstance(value, Input):
        return value
    if isinstance(value, str):
        return Input(value)
    if isinstance(value, (tuple, list)) and 1 <= len(value) <= 3:
        return Input(*value)
    raise ValueError("an input must be an Input, an object id or a tuple (object_id, slot, weight), got %r"
                     % (value,))


def to_datetime(event_time):
    """An aware UTC datetime from None (now), a datetime (naive means UTC) or epoch milliseconds."""
    if event_time is None:
        return datetime.datetime.now(datetime.timezone.utc)
    if isinstance(event_time, datetime.datetime):
        return event_time if event_time.tzinfo else event_time.replace(tzinfo=datetime.timezone.utc)
    if isinstance(event_time, (int, float)) and not isinstance(event_time, bool) and math.isfinite(event_time):
        return EPOCH + datetime.timedelta(milliseconds=int(event_time))
    raise ValueError("event_time must be a datetime or epoch milliseconds, got %r" % (event_time,))


class Inference:
    """The objects of one inference. Add objects, mark the root, then ``send()`` (or ``publisher.send``).

    Not thread-safe; an Inference is sent once (a second send raises ValueError).
    """

    def __init__(self, inference_id, event_time=None, source="", publisher=None):
        self.inference_id = inference_id
        self.event_time = to_datetime(event_time)
        self.source = source
        self._publisher = publisher
        self._objects = collections.OrderedDict()
        self._root = None
        self.sent = False

    def add(self, object_id, module, attributes, inputs=(), root=False):
        """Adds one object (a module firing). ``inputs``: Inputs, ids or tuples. Returns self."""
        if object_id in self._objects:
            raise ValueError("inference %r: object %r added twice" % (self.inference_id, object_id))
        values = [_number(self.inference_id, object_id, i, a) for i, a in enumerate(attributes)]
        self._objects[object_id] = (module, values, [as_input(i) for i in inputs])
        if root:
            self.set_root(object_id)
        return self

    def set_root(self, object_id):
        """Marks the output object of the inference (exactly one per inference). Returns self."""
        if self._root is not None and self._root != object_id:
            raise ValueError("inference %r already has root %r" % (self.inference_id, self._root))
        self._root = object_id
        return self

    def send(self):
        """Validates and queues every object on the publisher this inference was opened on."""
        if self._publisher is None:
            raise ValueError("inference %r was not opened on a publisher: use publisher.send(inference)"
                             % self.inference_id)
        return self._publisher.send(self)

    def __len__(self):
        return len(self._objects)

    def records(self, limits=DEFAULT_LIMITS):
        """The ModuleActivation records (dicts), inputs before the objects using them, the root last.

        Raises ValueError if the inference is invalid (see the module doc).
        """
        self._validate(limits)
        order = _children_first(self._objects, self._root)
        return [self._record(object_id) for object_id in order]

    def _record(self, object_id):
        module, values, inputs = self._objects[object_id]
        return {
            "inferenceId": self.inference_id,
            "objectId": object_id,
            "module": module,
            "attributes": values,
            "inputs": [{"objectId": i.object_id, "slot": i.slot, "weight": float(i.weight)} for i in inputs],
            "root": object_id == self._root,
            "eventTime": self.event_time,
            "source": self.source,
        }

    def _validate(self, limits):
        where = "inference %r" % (self.inference_id,)
        if not isinstance(self.inference_id, str) or not self.inference_id:
            raise ValueError("inference id must be a non-empty string, got %r" % (self.inference_id,))
        if not isinstance(self.source, str):
            raise ValueError("%s: source must be a string" % where)
        if not self._objects:
            raise ValueError("%s has no objects" % where)
        if len(self._objects) > limits.max_objects:
            raise ValueError("%s has %d objects, over the limit of %d" % (where, len(self._objects), limits.max_objects))
        if self._root is None:
            raise ValueError("%s has no root: pass root=True to add() or call set_root()" % where)
        if self._root not in self._objects:
            raise ValueError("%s: root %r is not one of its objects" % (where, self._root))
        lengths = {}
        for object_id, (module, values, inputs) in self._objects.items():
            _check_object(where, object_id, module, values, inputs, self._objects, limits)
            if lengths.setdefault(module, len(values)) != len(values):
                raise ValueError("%s: module %r has %d attributes in one object and %d in object %r"
                                 % (where, module, lengths[module], len(values), object_id))
        _check_acyclic(where, self._objects)


def _number(inference_id, object_id, index, value):
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError("inference %r, object %r: attribute %d is not a number: %r"
                         % (inference_id, object_id, index, value)) from None
    if not math.isfinite(x) or abs(x) > FLOAT32_MAX:
        raise ValueError("inference %r, object %r: attribute %d is %r; attributes must be finite float32 values"
                         % (inference_id, object_id, index, x))
    return x


def _check_object(where, object_id, module, values, inputs, objects, limits):
    if not isinstance(object_id, str) or not object_id:
        raise ValueError("%s: object ids must be non-empty strings, got %r" % (where, object_id))
    if not isinstance(module, str) or not module:
        raise ValueError("%s, object %r: module must be a non-empty string, got %r" % (where, object_id, module))
    if len(values) > limits.max_attributes:
        raise ValueError("%s, object %r: %d attributes, over the limit of %d"
                         % (where, object_id, len(values), limits.max_attributes))
    if len(inputs) > limits.max_inputs:
        raise ValueError("%s, object %r: %d inputs, over the limit of %d"
                         % (where, object_id, len(inputs), limits.max_inputs))
    for n, i in enumerate(inputs):
        if i.object_id == object_id:
            raise ValueError("%s, object %r lists itself as input %d" % (where, object_id, n))
        if i.object_id not in objects:
            raise ValueError("%s, object %r: input %d names unknown object %r (inputs must be objects of the "
                             "same inference)" % (where, object_id, n, i.object_id))
        if i.slot is not None and not isinstance(i.slot, str):
            raise ValueError("%s, object %r: slot of input %d must be a string or None" % (where, object_id, n))
        weight = _weight(i.weight)
        if weight is None or not math.isfinite(weight) or weight < 0:
            raise ValueError("%s, object %r: input %d (%r) has weight %r; weights must be finite and >= 0"
                             % (where, object_id, n, i.object_id, i.weight))


def _weight(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _check_acyclic(where, objects):
    """Iterative three-colour depth-first search: inferences may be deep."""
    state = {}
    for start in objects:
        if start in state:
            continue
        state[start] = 1
        stack = [(start, iter(objects[start][2]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child.object_id) == 1:
                raise ValueError("%s: cycle through objects %r -> %r" % (where, node, child.object_id))
            elif child.object_id not in state:
                state[child.object_id] = 1
                stack.append((child.object_id, iter(objects[child.object_id][2])))


def _children_first(objects, root):
    """Every object, each after its inputs; the root last (objects the root does not reach come first)."""
    order, seen = [], set()
    for start in [o for o in objects if o != root] + [root]:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(objects[start][2]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                order.append(node)
                stack.pop()
            elif child.object_id not in seen:
                seen.add(child.object_id)
                stack.append((child.object_id, iter(objects[child.object_id][2])))
    order.remove(root)
    return order + [root]
