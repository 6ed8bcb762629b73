package dev.rsk.stats.query;

/** A store partition could not be queried within the bounded wait (rebalancing, restoring, not hosted). */
public final class StoreUnavailableException extends RuntimeException {

  private final String store;
  private final int partition;

  public StoreUnavailableException(final String store, final int partition, final Throwable cause) {
    super("store " + store + " partition " + partition + " is not queryable here (migrating or restoring): "
        + (cause == null ? "" : cause.getMessage()), cause);
    this.store = store;
    this.partition = partition;
  }

  public String store() {
    return store;
  }

  public int partition() {
    return partition;
  }
}
