"""The ModuleActivation schema, fetched from the registry (never copied from the .avsc)."""
import json
import urllib.error
import urllib.parse
import urllib.request

from .errors import RegistryError, RegistryUnavailableError


class _Transient(Exception):
    """A failure worth retrying: connection refused, timeout, HTTP 5xx."""


def fetch_latest(url, subject, timeout, retry):
    """``(schema_id, schema_str)`` of the latest version of ``subject`` at ``url``.

    Raises RegistryError at once if the subject does not exist (HTTP 404) or the answer is not a schema,
    RegistryUnavailableError after ``retry.attempts`` transient failures.
    """
    path = "%s/subjects/%s/versions/latest" % (url.rstrip("/"), urllib.parse.quote(subject, safe=""))

    def get():
        request = urllib.request.Request(path, headers={"Accept": "application/vnd.schemaregistry.v1+json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            e.close()
            if e.code == 404:
                raise RegistryError(
                    "subject %r is not registered at %s: the activations topic's schema must be registered "
                    "first (rsk standalone registers it on start, and so does the Java RskPublisher.connect)"
                    % (subject, url)) from None
            if e.code >= 500:
                raise _Transient("HTTP %d from %s" % (e.code, path)) from e
            raise RegistryError("registry %s answered HTTP %d for %s" % (url, e.code, path)) from None
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise _Transient("%s: %s" % (path, getattr(e, "reason", e))) from e

    def unavailable(error, attempts, elapsed):
        return RegistryUnavailableError("schema registry %s unreachable after %d attempts in %.1f s: %s"
                                        % (url, attempts, elapsed, error))

    answer = retry.run(get, lambda e: isinstance(e, _Transient), unavailable)
    if not isinstance(answer, dict) or "id" not in answer or "schema" not in answer:
        raise RegistryError("registry %s returned no schema for %r: %r" % (url, subject, answer))
    return int(answer["id"]), answer["schema"]
