"""rsk_publisher: publish deep-network inferences to rsk (ModuleActivation events on the activations topic).

    from rsk_publisher import Publisher, Input

    with Publisher("localhost:9092", "http://localhost:8081", source="my-service") as publisher:
        inference = publisher.inference("img-42")
        inference.add("eye-1", "eye", [0.1, 0.2])
        inference.add("cat-1", "cat_detector", [0.5, 0.3, 0.9], inputs=[Input("eye-1", slot="left", weight=0.9)])
        inference.set_root("cat-1")
        inference.send()
        publisher.flush(timeout=30)

PyTorch models: ``rsk_publisher.torch_hooks.attach(model, publisher, modules=[...], k=8)``.
Reference: docs/publishers.md.
"""
from .errors import BrokerUnavailableError, DeliveryError, PublishError, RegistryError, RegistryUnavailableError
from .inference import DEFAULT_LIMITS, Inference, Input, Limits
from .publisher import DEFAULT_TOPIC, Publisher

__all__ = ["Publisher", "Inference", "Input", "Limits", "DEFAULT_LIMITS", "DEFAULT_TOPIC", "PublishError",
           "RegistryError", "RegistryUnavailableError", "BrokerUnavailableError", "DeliveryError"]
