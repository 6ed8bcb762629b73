package dev.rsk.api.model;

import java.util.List;

/** {@code GET /v1/modules}: the module catalogue gathered from every instance. */
public record ModulesResponse(List<ModuleInfo> modules, List<InstanceStatus> instances, boolean stale) {}
