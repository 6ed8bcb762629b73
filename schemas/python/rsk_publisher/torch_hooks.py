"""PyTorch integration: every forward pass of a model becomes rsk inferences, one per batch element.

    handle = attach(model, publisher, modules=["stage1", "stage2", "stage3"], k=8, prefix="shapes.")
    model(images)          # publishes len(images) inferences
    handle.last_ids        # their inference ids, in batch order
    handle.detach()

Objects of one inference (element ``b`` of the batch):

- one per call of a hooked module: object id = the module's qualified name (``name#2``, ``#3``... for further
  calls in the same pass), rsk module = ``prefix + name``, attributes = the pooled summary of its output[b];
- the root: the model's output[b], object id and rsk module ``prefix + root_module``.

Summary of an output: mean over every dimension but the batch (0) and ``channel_dim`` (default 1, NCHW),
then, if there are more than ``k`` channels, a fixed random projection to ``k`` (``reduce="project"``, seeded by
the module name so that every process projects alike) or the first ``k`` channels (``reduce="truncate"``),
then scaled to unit length (``normalize=True``: rsk's sketch noise scales with the attribute norms, and
cosine similarity then compares directions).

Edges (the input lists), from the model's structure as it ran:

- containment: a hooked module's call is an input (slot ``"part"``) of the nearest enclosing hooked call;
- data flow among calls with the same enclosing hooked call (or none: the top level), slot ``"in"``: X feeds
  Y if X's output tensor is one of Y's positional inputs; if none is, the last such call that finished
  before Y started feeds Y (consecutive stages, whatever non-hooked layers sit between them);
- the root is fed, by the same rule, by the top-level calls whose output is the model's output, else the
  last top-level call.

Outputs that are tuples or lists use their first tensor. Calls of hooked modules outside a forward pass of
``model`` are ignored. One forward pass at a time per attachment (the pass's state is not shared across
threads). Errors (ValueError for a bad output, PublishError from the publisher) propagate out
of the model's forward call.
"""
import itertools
import math
import uuid
import zlib

import torch

from .inference import Input

PART = "part"
FLOW = "in"


class _Call:
    __slots__ = ("name", "object_id", "container", "inputs", "start", "end", "output", "summary")

    def __init__(self, name, object_id, container, inputs, start):
        self.name = name
        self.object_id = object_id
        self.container = container
        self.inputs = inputs
        self.start = start
        self.end = None
        self.output = None
        self.summary = None


def first_tensor(value):
    """The tensor itself, or the first tensor of a tuple/list/dict output; None if there is none."""
    if torch.is_tensor(value):
        return value
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (tuple, list)):
        for v in value:
            t = first_tensor(v)
            if t is not None:
                return t
    return None


class Summarizer:
    """Pooled, reduced, normalised summaries of outputs (see the module doc). Projections are cached."""

    def __init__(self, k, reduce="project", normalize=True, channel_dim=1):
        if k < 1:
            raise ValueError("k must be >= 1, got %r" % (k,))
        if reduce not in ("project", "truncate"):
            raise ValueError("reduce must be 'project' or 'truncate', got %r" % (reduce,))
        self.k = k
        self.reduce = reduce
        self.normalize = normalize
        self.channel_dim = channel_dim
        self._projections = {}

    def __call__(self, name, tensor):
        """A ``batch x min(k, channels)`` float tensor."""
        t = tensor.detach().float()
        if t.dim() == 0:
            raise ValueError("output of %r is a scalar: it has no batch dimension" % name)
        if t.dim() == 1:
            t = t.unsqueeze(1)
        else:
            channel = self.channel_dim % t.dim()
            if channel == 0:
                raise ValueError("channel_dim %d of %r is its batch dimension" % (self.channel_dim, name))
            t = t.movedim(channel, 1)
            t = t.reshape(t.shape[0], t.shape[1], -1).mean(dim=2)
        channels = t.shape[1]
        if channels > self.k:
            t = t @ self._projection(name, channels) if self.reduce == "project" else t[:, :self.k]
        if self.normalize:
            t = t / t.norm(dim=1, keepdim=True).clamp_min(1e-12)
        return t.cpu()

    def _projection(self, name, channels):
        key = (name, channels)
        if key not in self._projections:
            generator = torch.Generator().manual_seed(zlib.crc32(name.encode("utf-8")))
            self._projections[key] = torch.randn(channels, self.k, generator=generator) / math.sqrt(self.k)
        return self._projections[key]


def _resolve(model, modules):
    named = dict(model.named_modules())
    if modules is None:
        return [name for name, _ in model.named_children()]
    by_object = {id(m): n for n, m in named.items()}
    names = []
    for m in modules:
        name = m if isinstance(m, str) else by_object.get(id(m))
        if name is None or name not in named:
            raise ValueError("module %r is not a submodule of the model (known: %s...)"
                             % (m, ", ".join(list(named)[1:12])))
        if name == "":
            raise ValueError("the model itself cannot be hooked: its output is the root")
        names.append(name)
    if len(set(names)) != len(names):
        raise ValueError("modules listed twice: %s" % names)
    return names


class Attachment:
    """The hooks of one ``attach``: ``last_ids`` of the last pass, ``detach()``; a context manager."""

    def __init__(self, model, publisher, names, summarizer, prefix, root_module, id_fn):
        self.model = model
        self.publisher = publisher
        self.names = names
        self.summarize = summarizer
        self.prefix = prefix
        self.root_module = root_module
        run = uuid.uuid4().hex[:12]
        counter = itertools.count()
        self.id_fn = id_fn or (lambda b: "%s-%d" % (run, next(counter)))
        self.last_ids = []
        self._pass = None
        named = dict(model.named_modules())
        self._handles = [model.register_forward_pre_hook(self._begin), model.register_forward_hook(self._finish)]
        for name in names:
            self._handles.append(named[name].register_forward_pre_hook(self._enter(name)))
            self._handles.append(named[name].register_forward_hook(self._leave(name)))

    def detach(self):
        for h in self._handles:
            h.remove()
        self._handles = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.detach()
        return False

    def _begin(self, module, args):
        self._pass = {"calls": [], "stack": [], "clock": itertools.count(), "counts": {}}

    def _enter(self, name):
        def hook(module, args):
            state = self._pass
            if state is None:
                return
            n = state["counts"][name] = state["counts"].get(name, 0) + 1
            inputs = {id(a) for a in args if torch.is_tensor(a)}
            container = state["stack"][-1] if state["stack"] else None
            call = _Call(name, name if n == 1 else "%s#%d" % (name, n), container, inputs, next(state["clock"]))
            state["calls"].append(call)
            state["stack"].append(call)
        return hook

    def _leave(self, name):
        def hook(module, args, output):
            state = self._pass
            if state is None or not state["stack"]:
                return
            call = state["stack"].pop()
            tensor = first_tensor(output)
            if tensor is None:
                raise ValueError("hooked module %r returned no tensor" % name)
            call.output = tensor  # kept until the pass ends, so that ids stay unique for the flow rule
            call.summary = self.summarize(name, tensor)
            call.end = next(state["clock"])
        return hook

    def _finish(self, module, args, output):
        state, self._pass = self._pass, None
        if state is None:
            return
        tensor = first_tensor(output)
        if tensor is None:
            raise ValueError("the model returned no tensor")
        root = self.summarize(self.prefix + self.root_module, tensor)
        calls = [c for c in state["calls"] if c.end is not None]
        for c in calls:
            if c.summary.shape[0] != root.shape[0]:
                raise ValueError("output of %r has batch size %d, the model's output %d"
                                 % (c.name, c.summary.shape[0], root.shape[0]))
        edges = {id(c): _inputs(c, calls) for c in calls}
        root_inputs = [Input(f.object_id, FLOW) for f in _feeders(None, {id(tensor)}, math.inf, calls)]
        self.last_ids = []
        for b in range(root.shape[0]):
            inference = self.publisher.inference(self.id_fn(b))
            for c in calls:
                inference.add(c.object_id, self.prefix + c.name, c.summary[b].tolist(), inputs=edges[id(c)])
            inference.add(self.root_module, self.prefix + self.root_module, root[b].tolist(), inputs=root_inputs,
                          root=True)
            self.publisher.send(inference)
            self.last_ids.append(inference.inference_id)


def _feeders(container, input_ids, start, calls):
    """Calls under ``container`` that finished before ``start``: those whose output is an input, else the last."""
    before = [c for c in calls if c.container is container and c.end < start]
    matched = [c for c in before if id(c.output) in input_ids]
    if matched:
        return matched
    return [max(before, key=lambda c: c.end)] if before else []


def _inputs(call, calls):
    flow = [Input(f.object_id, FLOW) for f in _feeders(call.container, call.inputs, call.start, calls)]
    parts = [Input(c.object_id, PART) for c in calls if c.container is call]
    return flow + parts


def attach(model, publisher, modules=None, k=16, prefix="", root_module="output", reduce="project",
           normalize=True, channel_dim=1, id_fn=None):
    """Hooks ``modules`` (qualified names or module objects; default: the model's direct children) of
    ``model``; each forward pass then publishes one inference per batch element through ``publisher``.

    ``id_fn(b)`` names the inference of batch element ``b`` (default: a random run id and a counter).
    Returns an Attachment. Raises ValueError for unknown modules or a root name that collides with one.
    """
    names = _resolve(model, modules)
    if root_module in names:
        raise ValueError("root_module %r is also a hooked module name: choose another" % root_module)
    return Attachment(model, publisher, names, Summarizer(k, reduce, normalize, channel_dim), prefix,
                      root_module, id_fn)
