"""Exceptions of the rsk publisher. Every failure that could lose an event raises one of these."""


class PublishError(Exception):
    """Base class: an event could not be published (or not confirmed as published)."""


class RegistryError(PublishError):
    """The schema registry answered, but not with a usable ModuleActivation schema (e.g. subject missing)."""


class RegistryUnavailableError(RegistryError):
    """The schema registry could not be reached after the bounded number of attempts."""


class BrokerUnavailableError(PublishError):
    """Kafka could not be reached (or the topic is missing) after the bounded number of attempts."""


class DeliveryError(PublishError):
    """Events were not acknowledged by Kafka.

    ``failed`` lists ``(inference_id, object_id, reason)`` of events Kafka rejected or that timed out
    (librdkafka gave up after ``delivery_timeout``); ``pending`` is the number of events still in flight
    when a flush timed out (they stay queued: flush again, or close).
    """

    def __init__(self, message, failed=(), pending=0):
        super().__init__(message)
        self.failed = list(failed)
        self.pending = pending
